"""Theme plugin "Politisch-strukturelle Verankerung" (political and structural anchoring, QD 5).

Frühe Hilfen on the agenda of council, district council and committees, reports on
resolutions, joint resource planning, and links to youth-welfare planning and a municipal
prevention chain. Registered through the ``qualizyklus`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Insight, ReportSection, Theme, hookimpl
from plugins.political_anchoring import dashboard, report
from plugins.political_anchoring.catalogue import THEME


@hookimpl
def register_themes() -> list[Theme]:
    """The political anchoring theme."""
    return [THEME]


@hookimpl
def insights(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Insight]:
    """Evidence per body and since when; the standards' median levels against the last cycle."""
    return dashboard.insights(cycle, previous)


@hookimpl
def report_sections(
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[ReportSection]:
    """A summary, evidence per body and document, and the standards."""
    return report.report_sections(cycle, previous)
