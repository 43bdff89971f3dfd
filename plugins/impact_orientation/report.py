"""Report sections of the impact orientation theme: the goals with their figures, a summary,
and the network's logic model as it stood at the cycle's close (drawn, in words and tables)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import ReportSection, Table, Text, uses_theme
from plugins.impact_orientation.analysis import THEME_ID, GoalProgress, standing, theme_goals
from plugins.impact_orientation.catalogue import THEME
from plugins.impact_orientation.dashboard import (
    comparison_figures,
    comparison_text,
    progress_chart,
)
from plugins.impact_orientation.logic_model.report import logic_model_section
from plugins.impact_orientation.models import IMPACT_STEP_SHORT


def report_sections(
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[ReportSection]:
    """The theme's section of the cycle report (none for a cycle without the theme)."""
    if not uses_theme(cycle, THEME_ID):
        return []
    goals = theme_goals(cycle)
    before = standing(previous) if previous is not None and uses_theme(previous, THEME_ID) else None
    now = standing(cycle)
    model = logic_model_section(cycle)
    return [
        ReportSection(
            theme_id=THEME_ID,
            title=THEME.title,
            paragraphs=(summary(goals), comparison_text(now, before)),
            figures=comparison_figures(now, before),
            tables=(goals_table(goals),),
            charts=(progress_chart(goals),) if goals else (),
        ),
        *([model] if model is not None else []),
    ]


def summary(goals: list[GoalProgress]) -> Text:
    """How many impact goals there are and how many have been measured."""
    if not goals:
        return Text(
            "In diesem Zyklus sind keine Wirkungsziele gesetzt.",
            "No impact goals are set in this cycle.",
        )
    measured = sum(1 for goal in goals if goal.latest is not None)
    pursued = Text.counted(
        len(goals),
        one=Text(
            "Das Netzwerk verfolgt in diesem Zyklus {n} Wirkungsziel",
            "The network pursues {n} impact goal in this cycle",
        ),
        other=Text(
            "Das Netzwerk verfolgt in diesem Zyklus {n} Wirkungsziele",
            "The network pursues {n} impact goals in this cycle",
        ),
    )
    # The German verb agrees with "Messwerte", not with the count: "für 1 davon liegen ... vor".
    measured_text = Text.counted(
        measured,
        one=Text(
            "für {n} davon liegen Messwerte des Indikators vor.", "{n} of them has measured values."
        ),
        other=Text(
            "für {n} davon liegen Messwerte des Indikators vor.",
            "{n} of them have measured values.",
        ),
        none=Text(
            "für keines davon liegen bisher Messwerte des Indikators vor.",
            "none of them has measured values yet.",
        ),
    )
    return Text(f"{pursued.de}; {measured_text.de}", f"{pursued.en}; {measured_text.en}")


def goals_table(goals: list[GoalProgress]) -> Table:
    """The goals with step, IOOI level, baseline, latest value, target and progress."""
    return Table(
        (
            Text("Ziel", "Goal"),
            Text("Stufe der Wirkungstreppe", "Step of the impact staircase"),
            Text("IOOI-Ebene", "IOOI level"),
            Text("Ausgangswert", "Baseline"),
            Text("Letzter Messwert", "Latest value"),
            Text("Zielwert", "Target"),
            Text("Fortschritt", "Progress"),
        ),
        tuple(
            (
                goal.title,
                IMPACT_STEP_SHORT[goal.step - 1] if goal.step else "–",
                goal.level.capitalize() if goal.level else "–",  # the same in both languages
                goal.amount(goal.baseline),
                goal.latest_text(),
                goal.amount(goal.target),
                goal.progress_text(),
            )
            for goal in goals
        ),
    )
