"""Report section of the parent participation theme: summary, share and the measures."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import ReportSection, Table, Text, status_label, uses_theme
from plugins.parent_participation.analysis import (
    THEME_ID,
    ladder_picture,
    level_of,
    parents_feedback,
    theme_measures,
)
from plugins.parent_participation.catalogue import THEME
from plugins.parent_participation.dashboard import ladder_chart, share_figures, share_text
from plugins.parent_participation.surveys import survey_insight

NOT_GIVEN = Text("keine Angabe", "not given")
"""The participation level of a measure that names none."""


def report_sections(
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[ReportSection]:
    """The theme's section of the cycle report (none for a cycle without the theme)."""
    if not uses_theme(cycle, THEME_ID):
        return []
    before = ladder_picture(previous) if previous and uses_theme(previous, THEME_ID) else None
    picture = ladder_picture(cycle)
    sections = [
        ReportSection(
            theme_id=THEME_ID,
            title=THEME.title,
            paragraphs=(summary(cycle), share_text(picture, before)),
            figures=share_figures(picture, before),
            tables=(measures_table(cycle),),
            charts=(ladder_chart(picture, before),),
        )
    ]
    surveyed = survey_insight(cycle)
    if surveyed is not None:
        sections.append(
            ReportSection(
                theme_id=THEME_ID,
                title=surveyed.title,
                paragraphs=() if surveyed.text is None else (surveyed.text,),
                figures=surveyed.figures,
                tables=surveyed.tables,
                charts=surveyed.charts,
            )
        )
    return sections


def summary(cycle: Mapping[str, Any]) -> Text:
    """How many measures the theme has, and whether (and how much) parents gave feedback."""
    measures = len(theme_measures(cycle))
    feedback = parents_feedback(cycle)
    planned = Text.counted(
        measures,
        one=Text(
            "Zum Thema gehört in diesem Zyklus eine Maßnahme.",
            "One measure belongs to the theme in this cycle.",
        ),
        other=Text(
            "Zum Thema gehören in diesem Zyklus {n} Maßnahmen.",
            "{n} measures belong to the theme in this cycle.",
        ),
        none=Text(
            "Zum Thema sind in diesem Zyklus keine Maßnahmen geplant.",
            "No measures are planned for the theme in this cycle.",
        ),
    )
    heard = Text.counted(
        feedback,
        one=Text(
            "Es ist eine Rückmeldung von Eltern festgehalten.",
            "One piece of feedback from parents has been recorded.",
        ),
        other=Text(
            "Es sind {n} Rückmeldungen von Eltern festgehalten.",
            "{n} pieces of feedback from parents have been recorded.",
        ),
        none=Text(
            "Rückmeldungen von Eltern sind noch nicht festgehalten.",
            "No feedback from parents has been recorded yet.",
        ),
    )
    return Text(f"{planned.de} {heard.de}", f"{planned.en} {heard.en}")


def measures_table(cycle: Mapping[str, Any]) -> Table:
    """The theme's measures with their participation level and status."""
    rows = []
    for measure in theme_measures(cycle):
        level = level_of(measure)
        rows.append(
            (
                str(measure["title"]),
                level.label if level else NOT_GIVEN,
                status_label(measure.get("status", "")),
            )
        )
    return Table(
        (
            Text("Maßnahme", "Measure"),
            Text("Beteiligungsstufe", "Participation level"),
            Text("Status", "Status"),
        ),
        tuple(rows),
    )
