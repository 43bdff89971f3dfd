"""Insights of the parent participation theme, for cycle pages and dashboards.

Measures on the ladder, the share at Mitbestimmung or above (against the previous cycle),
and how far parents were involved in analysis, planning and evaluation.
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
    between,
    change,
    number,
    percent,
    points,
    rounded,
    span,
    uses_theme,
)
from plugins.parent_participation.analysis import (
    THEME_ID,
    Involvement,
    LadderPicture,
    involvement,
    ladder_picture,
)
from plugins.parent_participation.catalogue import LADDER
from plugins.parent_participation.surveys import survey_insight

NOT_RATED = Text("noch nicht eingeschätzt", "not rated yet")


def insights(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Insight]:
    """The theme's insights for ``cycle`` (none for a cycle without the theme)."""
    if not uses_theme(cycle, THEME_ID):
        return []
    before = previous if uses_theme(previous, THEME_ID) else None
    found = [
        ladder_insight(cycle, before),
        share_insight(cycle, before),
        involvement_insight(cycle, before),
    ]
    surveyed = survey_insight(cycle)
    return found if surveyed is None else [*found, surveyed]


# Measures on the ladder ------------------------------------------------------------------


def ladder_chart(picture: LadderPicture, before: LadderPicture | None) -> Chart:
    """Bars: measures per ladder level (and the previous cycle's, where there is one); a cycle
    with no measure on the ladder has no values ("nicht erhoben"), not a row of zeros."""
    series = [Series(Text("dieser Zyklus", "this cycle"), ladder_values(picture))]
    if before is not None:
        series.append(Series(Text("Vorzyklus", "previous cycle"), ladder_values(before)))
    return Chart(
        kind="bar",
        title=Text("Maßnahmen je Beteiligungsstufe", "Measures per participation level"),
        categories=tuple(level.label for level in LADDER.levels),
        series=tuple(series),
        description=ladder_description(picture, before),
    )


def ladder_values(picture: LadderPicture) -> tuple[float | None, ...]:
    """The counts per level as the chart's values; all missing when no measure was placed."""
    if not picture.counted:
        return tuple(None for _ in picture.counts)
    return tuple(map(float, picture.counts))


def ladder_description(picture: LadderPicture, before: LadderPicture | None) -> Text:
    """The chart's text alternative: every level with its count."""

    def listing(counts: tuple[int, ...], language: str) -> str:
        return ", ".join(
            f"{level.label.get(language)} {count}"
            for level, count in zip(LADDER.levels, counts, strict=True)
        )

    measures = Text.counted(
        picture.counted,
        Text("der {n} nicht verworfenen Maßnahme", "the theme's {n} measure that was not dropped"),
        Text(
            "der {n} nicht verworfenen Maßnahmen", "the theme's {n} measures that were not dropped"
        ),
    )
    de = (
        f"Balkendiagramm {measures.de} des Themas über die "
        f"neun Stufen der Beteiligungsleiter, von Instrumentalisierung bis Selbstorganisation: "
        f"{listing(picture.counts, 'de')}."
    )
    en = (
        f"Bar chart of {measures.en} over the "
        f"nine levels of the participation ladder, from instrumentalisation to "
        f"self-organisation: {listing(picture.counts, 'en')}."
    )
    if before is not None:
        de += f" Vorzyklus: {listing(before.counts, 'de')}."
        en += f" Previous cycle: {listing(before.counts, 'en')}."
    return Text(de, en)


def ladder_insight(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Insight:
    """How the theme's measures spread over the nine-level ladder."""
    picture = ladder_picture(cycle)
    before = ladder_picture(previous) if previous is not None else None
    return Insight(
        theme_id=THEME_ID,
        id="measures-on-ladder",
        title=Text("Maßnahmen auf der Beteiligungsleiter", "Measures on the participation ladder"),
        figures=(
            Figure(
                Text("Maßnahmen mit Beteiligungsstufe", "Measures with a participation level"),
                picture.counted,
                note=Text("ohne verworfene Maßnahmen", "dropped measures left out"),
                key="measures-with-level",
            ),
        ),
        charts=(ladder_chart(picture, before),),
    )


# Share at Mitbestimmung or above -----------------------------------------------------------


def share_figures(picture: LadderPicture, before: LadderPicture | None) -> tuple[Figure, ...]:
    """The share now, in the previous cycle, and the change in percentage points."""
    if picture.share is None:
        return (
            Figure(
                Text("Anteil ab Mitbestimmung", "Share at co-determination or above"),
                "–",
                note=Text("noch keine Maßnahmen", "no measures yet"),
                key="participation-share",
            ),
        )
    figures = [
        Figure(
            Text("Anteil ab Mitbestimmung", "Share at co-determination or above"),
            rounded(picture.share),
            "%",
            participating_of(picture),
            key="participation-share",
        )
    ]
    if before is not None and before.share is not None:
        figures.append(
            Figure(
                Text("Anteil im Vorzyklus", "Share in the previous cycle"),
                rounded(before.share),
                "%",
                participating_of(before),
                key="participation-share-previous",
            )
        )
        figures.append(
            Figure(
                Text("Veränderung gegenüber dem Vorzyklus", "Change against the previous cycle"),
                change(picture.share - before.share),
                PERCENTAGE_POINTS,
                key="participation-share-change",
            )
        )
    return tuple(figures)


def participating_of(picture: LadderPicture) -> Text:
    """How many of the counted measures reach co-determination ("1 von 2 Maßnahmen")."""
    return Text.counted(
        picture.counted,
        Text(
            f"{picture.participating} von {{n}} Maßnahme",
            f"{picture.participating} of {{n}} measure",
        ),
        Text(
            f"{picture.participating} von {{n}} Maßnahmen",
            f"{picture.participating} of {{n}} measures",
        ),
    )


def share_text(picture: LadderPicture, before: LadderPicture | None) -> Text:
    """One sentence on the share, compared with the previous cycle where there is one."""
    if picture.share is None:
        return Text(
            "Zum Thema sind noch keine Maßnahmen geplant.",
            "No measures have been planned for the theme yet.",
        )
    measures = Text.counted(
        picture.counted,
        one=Text("Von {n} nicht verworfenen Maßnahme", "Of {n} measure not dropped"),
        other=Text("Von {n} nicht verworfenen Maßnahmen", "Of {n} measures not dropped"),
    )
    reach = Text.counted(
        picture.participating, Text("erreicht", "reaches"), Text("erreichen", "reach")
    )
    de = (
        f"{measures.de} {reach.de} {picture.participating} ({percent(picture.share)}) "
        "mindestens die Stufe Mitbestimmung, ab der Beteiligung im eigentlichen Sinn beginnt."
    )
    en = (
        f"{measures.en}, {picture.participating} ({percent(picture.share, 'en')}) {reach.en}"
        " at least co-determination, where participation in the proper sense begins."
    )
    if before is not None and before.share is not None:
        change = points(picture.share - before.share)
        de += f" Im Vorzyklus waren es {percent(before.share)} ({change.de})."
        en += f" In the previous cycle it was {percent(before.share, 'en')} ({change.en})."
    else:
        de += " Einen Vorzyklus mit diesem Thema zum Vergleich gibt es nicht."
        en += " There is no previous cycle with this theme to compare with."
    return Text(de, en)


def share_insight(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Insight:
    """The share of measures at Mitbestimmung or above, now and in the previous cycle."""
    picture = ladder_picture(cycle)
    before = ladder_picture(previous) if previous is not None else None
    return Insight(
        theme_id=THEME_ID,
        id="participation-share",
        title=Text("Beteiligung ab Mitbestimmung", "Participation at co-determination or above"),
        figures=share_figures(picture, before),
        text=share_text(picture, before),
    )


# Involvement in analysis, planning and evaluation --------------------------------------------


def level_at(position: float | None) -> Text:
    """The ladder level at a median position (between two levels for an even count)."""
    if position is None:
        return NOT_RATED
    if position.is_integer():
        return LADDER.levels[int(position)].label
    return between(LADDER.levels[int(position)].label, LADDER.levels[int(position) + 1].label)


def span_of(row: Involvement) -> Text | str:
    """The lowest and highest rating of a criterion ("Anhörung – Mitbestimmung")."""
    if row.lowest is None or row.highest is None:
        return "–"
    return span(level_at(row.lowest), level_at(row.highest))


def involvement_table(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Table:
    """Per involvement criterion: raters, median level, span (and the previous median)."""
    columns = [
        Text("Kriterium", "Criterion"),
        Text("Einschätzungen", "Ratings"),
        Text("Median-Stufe", "Median level"),
        Text("Spanne", "Range"),
    ]
    before = {row.criterion.id: row for row in involvement(previous)} if previous else {}
    if previous is not None:
        columns.append(Text("Median im Vorzyklus", "Median in the previous cycle"))
    rows = []
    for row in involvement(cycle):
        cells: list[Text | str] = [
            row.criterion.title,
            number(row.raters),
            level_at(row.median),
            span_of(row),
        ]
        if previous is not None:
            earlier = before.get(row.criterion.id)
            cells.append(level_at(earlier.median if earlier else None))
        rows.append(tuple(cells))
    return Table(tuple(columns), tuple(rows))


def involvement_insight(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> Insight:
    """How far parents were involved in analysis, planning and evaluation (ladder ratings)."""
    return Insight(
        theme_id=THEME_ID,
        id="parent-involvement",
        title=Text(
            "Beteiligung der Eltern an Analyse, Planung und Bewertung",
            "Parents' involvement in analysis, planning and evaluation",
        ),
        tables=(involvement_table(cycle, previous),),
        text=Text(
            "Median der Einschätzungen auf der Beteiligungsleiter; liegt er zwischen zwei "
            "Stufen, sind die Einschätzungen genau geteilt.",
            "Median of the ratings on the participation ladder; between two levels means the "
            "ratings are evenly split.",
        ),
    )
