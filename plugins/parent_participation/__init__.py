"""Theme plugin "Beteiligung und Partizipation von Eltern" (parent participation, QD 11).

Parents involved in analysis, planning and evaluation, low-threshold access, feedback
channels, seats in committees; measures are placed on the participation ladder of Wright,
Block and von Unger. Registered through the ``qualizyklus`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Insight, QuestionSet, Reason, ReportSection, Theme, hookimpl
from plugins.parent_participation import dashboard, gates, report
from plugins.parent_participation.catalogue import THEME
from plugins.parent_participation.question_sets import GOOD_PRACTICE


@hookimpl
def register_themes() -> list[Theme]:
    """The parent participation theme."""
    return [THEME]


@hookimpl
def gate_reasons(cycle: Mapping[str, Any], source: str, target: str) -> list[Reason]:
    """No closing review without feedback from parents."""
    return gates.gate_reasons(cycle, source, target)


@hookimpl
def insights(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Insight]:
    """Measures on the ladder, the share at Mitbestimmung or above, parents' involvement."""
    return dashboard.insights(cycle, previous)


@hookimpl
def report_sections(
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[ReportSection]:
    """Summary, share against the previous cycle, and the measures with level and status."""
    return report.report_sections(cycle, previous)


@hookimpl
def survey_question_sets() -> list[QuestionSet]:
    """The good-practice survey of parents, in the seven survey languages."""
    return [GOOD_PRACTICE]
