"""Theme plugin "Wirkungsorientierung" (impact orientation, QD 10).

Goals with indicators, baseline and target; regular data collection, analysis in context and
learning loops; goals placed on the impact staircase (Wirkungstreppe) and the IOOI chain.
Registered through the ``qualizyklus`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import FieldProblem, Insight, Reason, ReportSection, Theme, hookimpl
from plugins.impact_orientation import dashboard, gates, records, report
from plugins.impact_orientation.catalogue import THEME


@hookimpl
def register_themes() -> list[Theme]:
    """The impact orientation theme."""
    return [THEME]


@hookimpl
def gate_reasons(cycle: Mapping[str, Any], source: str, target: str) -> list[Reason]:
    """No implementation while a goal of the theme lacks a baseline or a target."""
    return gates.gate_reasons(cycle, source, target)


@hookimpl
def insights(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Insight]:
    """Goals by impact step and IOOI level, indicator progress, change against the last cycle."""
    return dashboard.insights(cycle, previous)


@hookimpl
def report_sections(
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[ReportSection]:
    """The goals with step, level, baseline, latest value, target and progress; a summary."""
    return report.report_sections(cycle, previous)


@hookimpl
def validate_item(kind: str, item: Mapping[str, Any]) -> list[FieldProblem]:
    """The logic model's references: arrows' ends, one arrow per pair, goals of this theme."""
    return records.problems(item) if kind == "records" else []


@hookimpl
def web_blueprints() -> list[Any]:
    """The logic model's page (Wirkmodell), under /themes/impact-orientation."""
    from plugins.impact_orientation.blueprint import blueprint  # Flask only in the web app

    return [blueprint]
