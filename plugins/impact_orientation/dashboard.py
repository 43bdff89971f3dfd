"""Insights of the impact orientation theme, for cycle pages and dashboards.

Goals on the impact staircase and the IOOI chain, each indicator's progress towards its
target, how the cycle compares with the previous one, and the logic model's results reached
(keyed by result, for the years) and, in the review phase, its reflection questions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import (
    PERCENTAGE_POINTS,
    Chart,
    Figure,
    Insight,
    Series,
    Table,
    Text,
    change,
    percent,
    rounded,
    uses_theme,
)
from plugins.impact_orientation.analysis import (
    THEME_ID,
    GoalProgress,
    Standing,
    level_counts,
    standing,
    step_counts,
    theme_goals,
)
from plugins.impact_orientation.logic_model.insights import logic_model_insights
from plugins.impact_orientation.models import IMPACT_STEP_SHORT, IOOI_LABELS, IOOI_LEVELS


def insights(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Insight]:
    """The theme's insights for ``cycle`` (none for a cycle without the theme)."""
    if not uses_theme(cycle, THEME_ID):
        return []
    before = previous if previous is not None and uses_theme(previous, THEME_ID) else None
    return [
        steps_insight(cycle, before),
        levels_insight(cycle, before),
        progress_insight(cycle),
        change_insight(cycle, before),
        *logic_model_insights(cycle),
    ]


# Goals on the impact staircase -------------------------------------------------------------


def steps_chart(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Chart:
    """Bars: the theme's goals per step of the impact staircase."""
    counts = step_counts(theme_goals(cycle))
    goals = Text.counted(
        sum(counts),
        Text("des {n} Wirkungsziels", "{n} impact goal"),
        Text("der {n} Wirkungsziele", "{n} impact goals"),
    )
    series = [Series(Text("dieser Zyklus", "this cycle"), tuple(map(float, counts)))]
    description_de = ", ".join(f"Stufe {step}: {count}" for step, count in enumerate(counts, 1))
    description_en = ", ".join(f"step {step}: {count}" for step, count in enumerate(counts, 1))
    if previous is not None:
        earlier = step_counts(theme_goals(previous))
        series.append(Series(Text("Vorzyklus", "previous cycle"), tuple(map(float, earlier))))
        description_de += ". Vorzyklus: " + ", ".join(
            f"Stufe {step}: {count}" for step, count in enumerate(earlier, 1)
        )
        description_en += ". Previous cycle: " + ", ".join(
            f"step {step}: {count}" for step, count in enumerate(earlier, 1)
        )
    return Chart(
        kind="bar",
        title=Text("Ziele je Stufe der Wirkungstreppe", "Goals per step of the impact staircase"),
        categories=IMPACT_STEP_SHORT,
        series=tuple(series),
        description=Text(
            f"Balkendiagramm {goals.de} über die sieben Stufen der "
            f"Wirkungstreppe (1–3 Output, 4–6 Outcome, 7 Impact): {description_de}.",
            f"Bar chart of the {goals.en} over the seven "
            f"steps of the impact staircase (1–3 output, 4–6 outcome, 7 impact): "
            f"{description_en}.",
        ),
    )


def steps_insight(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Insight:
    """How the theme's goals spread over the impact staircase."""
    goals = theme_goals(cycle)
    return Insight(
        theme_id=THEME_ID,
        id="goals-by-impact-step",
        title=Text("Ziele auf der Wirkungstreppe", "Goals on the impact staircase"),
        figures=(Figure(Text("Wirkungsziele", "Impact goals"), len(goals), key="impact-goals"),),
        charts=(steps_chart(cycle, previous),),
    )


# Goals on the IOOI chain -------------------------------------------------------------------


def levels_insight(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Insight:
    """How many of the theme's goals sit on each level of the IOOI chain."""
    counts = level_counts(theme_goals(cycle))
    earlier = level_counts(theme_goals(previous)) if previous is not None else None
    columns = [Text("Ebene", "Level"), Text("Ziele", "Goals")]
    if earlier is not None:
        columns.append(Text("Ziele im Vorzyklus", "Goals in the previous cycle"))
    rows = []
    for level in IOOI_LEVELS:
        row: list[Text | str] = [IOOI_LABELS[level], str(counts[level])]
        if earlier is not None:
            row.append(str(earlier[level]))
        rows.append(tuple(row))
    return Insight(
        theme_id=THEME_ID,
        id="goals-by-iooi-level",
        title=Text("Ziele in der Wirkungskette (IOOI)", "Goals on the impact chain (IOOI)"),
        figures=tuple(
            Figure(IOOI_LABELS[level], counts[level], key=level) for level in IOOI_LEVELS
        ),
        tables=(Table(tuple(columns), tuple(rows)),),
    )


# Indicator progress ------------------------------------------------------------------------


def progress_table(goals: list[GoalProgress]) -> Table:
    """Per goal: baseline, latest value, target and progress."""
    return Table(
        (
            Text("Ziel", "Goal"),
            Text("Ausgangswert", "Baseline"),
            Text("Letzter Messwert", "Latest value"),
            Text("Zielwert", "Target"),
            Text("Fortschritt", "Progress"),
        ),
        tuple(
            (
                goal.title,
                goal.amount(goal.baseline),
                goal.latest_text(),
                goal.amount(goal.target),
                goal.progress_text(),
            )
            for goal in goals
        ),
    )


def progress_chart(goals: list[GoalProgress]) -> Chart:
    """Bars: each goal's progress towards its target in percent (gaps where there is none)."""
    return Chart(
        kind="bar",
        title=Text("Fortschritt zum Zielwert", "Progress towards the target"),
        categories=tuple(Text(goal.title, goal.title) for goal in goals),
        series=(
            Series(
                Text("Fortschritt in %", "Progress in %"),
                tuple(None if g.progress is None else rounded(g.progress) for g in goals),
            ),
        ),
        description=Text(
            "Balkendiagramm des Fortschritts jedes Wirkungsziels vom Ausgangswert zum Zielwert "
            "(0 % = Ausgangswert, 100 % = Zielwert erreicht): "
            + "; ".join(f"{g.title}: {g.progress_text().de}" for g in goals)
            + ".",
            "Bar chart of each impact goal's progress from baseline to target (0% = baseline, "
            "100% = target reached): "
            + "; ".join(f"{g.title}: {g.progress_text().en}" for g in goals)
            + ".",
        ),
    )


def progress_insight(cycle: Mapping[str, Any]) -> Insight:
    """Each indicator's progress from its baseline towards its target."""
    goals = theme_goals(cycle)
    return Insight(
        theme_id=THEME_ID,
        id="indicator-progress",
        title=Text("Fortschritt der Indikatoren", "Progress of the indicators"),
        tables=(progress_table(goals),),
        charts=(progress_chart(goals),) if goals else (),
        text=Text(
            "Fortschritt = (letzter Messwert − Ausgangswert) / (Zielwert − Ausgangswert).",
            "Progress = (latest value − baseline) / (target − baseline).",
        ),
    )


# Compared with the previous cycle ----------------------------------------------------------


def comparison_figures(now: Standing, before: Standing | None) -> tuple[Figure, ...]:
    """Share of goals at outcome or above and mean progress, with the previous cycle's.

    Each figure keeps its key whether or not there is a previous cycle ("mean-progress",
    "mean-progress-previous", "mean-progress-change"), so the years line up on the dashboard.
    """
    figures: list[Figure] = []
    pairs = (
        (
            "outcome-share",
            Text("Anteil der Ziele ab Outcome", "Share of goals at outcome or above"),
            now.outcome_share,
            before.outcome_share if before else None,
        ),
        (
            "mean-progress",
            Text("Mittlerer Fortschritt", "Mean progress"),
            now.mean_progress,
            before.mean_progress if before else None,
        ),
    )
    for key, label, value, earlier in pairs:
        figures.append(
            Figure(
                label,
                "–" if value is None else rounded(value),
                "" if value is None else "%",
                key=key,
            )
        )
        if earlier is None:
            continue
        figures.append(
            Figure(
                Text(f"{label.de} im Vorzyklus", f"{label.en} in the previous cycle"),
                rounded(earlier),
                "%",
                key=f"{key}-previous",
            )
        )
        if value is not None:
            figures.append(
                Figure(
                    Text(f"{label.de}: Veränderung", f"{label.en}: change"),
                    change(value - earlier),
                    PERCENTAGE_POINTS,
                    key=f"{key}-change",
                )
            )
    return tuple(figures)


def comparison_text(now: Standing, before: Standing | None) -> Text:
    """Sentences on the outcome share and the mean progress, against the previous cycle."""
    de, en = [], []
    if now.outcome_share is None:
        de.append("Es sind noch keine Wirkungsziele mit IOOI-Ebene gesetzt.")
        en.append("No impact goals with an IOOI level have been set yet.")
    else:
        of = Text.counted(
            now.with_level,
            Text("von {n} Wirkungsziel", "of {n} impact goal"),
            Text("von {n} Wirkungszielen", "of {n} impact goals"),
        )
        aim = Text.counted(now.outcome_or_above, Text("zielt", "aims"), Text("zielen", "aim"))
        de.append(
            f"{now.outcome_or_above} {of.de} ({percent(now.outcome_share)}) {aim.de} auf "
            "Outcome oder Impact."
        )
        en.append(
            f"{now.outcome_or_above} {of.en} ({percent(now.outcome_share, 'en')}) {aim.en} at "
            "outcome or impact."
        )
    if now.mean_progress is None:
        de.append("Für einen mittleren Fortschritt fehlen noch Messwerte.")
        en.append("Measured values are still missing for a mean progress.")
    else:
        progress = Text.counted(
            len(now.progress_values),
            one=Text(
                "Der Fortschritt des einen gemessenen Ziels liegt bei {p}.",
                "The progress of the one measured goal is {p}.",
            ),
            other=Text(
                "Der mittlere Fortschritt der {n} gemessenen Ziele liegt bei {p}.",
                "The mean progress of the {n} measured goals is {p}.",
            ),
        )
        de.append(progress.de.replace("{p}", percent(now.mean_progress)))
        en.append(progress.en.replace("{p}", percent(now.mean_progress, "en")))
    if before is None:
        de.append("Einen Vorzyklus mit diesem Thema zum Vergleich gibt es nicht.")
        en.append("There is no previous cycle with this theme to compare with.")
    else:
        de.append(
            "Im Vorzyklus: Anteil ab Outcome "
            f"{_or_dash(before.outcome_share, 'de')}, mittlerer Fortschritt "
            f"{_or_dash(before.mean_progress, 'de')}."
        )
        en.append(
            "Previous cycle: share at outcome or above "
            f"{_or_dash(before.outcome_share, 'en')}, mean progress "
            f"{_or_dash(before.mean_progress, 'en')}."
        )
    return Text(" ".join(de), " ".join(en))


def _or_dash(value: float | None, language: str) -> str:
    return "–" if value is None else percent(value, language)


def change_insight(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Insight:
    """Goals at outcome or above and mean progress, compared with the previous cycle."""
    now = standing(cycle)
    before = standing(previous) if previous is not None else None
    return Insight(
        theme_id=THEME_ID,
        id="impact-change",
        title=Text("Vergleich mit dem Vorzyklus", "Compared with the previous cycle"),
        figures=comparison_figures(now, before),
        text=comparison_text(now, before),
    )
