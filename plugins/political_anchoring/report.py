"""Report section of the political anchoring theme: summary and the evidence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import ReportSection, uses_theme
from plugins.political_anchoring.analysis import THEME_ID, by_body, evidence, standards
from plugins.political_anchoring.catalogue import THEME
from plugins.political_anchoring.dashboard import (
    body_figures,
    body_table,
    documents_table,
    evidence_text,
    standards_table,
    standards_text,
)


def report_sections(
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[ReportSection]:
    """The theme's section of the cycle report (none for a cycle without the theme)."""
    if not uses_theme(cycle, THEME_ID):
        return []
    records = evidence(cycle)
    rows = standards(cycle)
    before = (
        standards(previous) if previous is not None and uses_theme(previous, THEME_ID) else None
    )
    return [
        ReportSection(
            theme_id=THEME_ID,
            title=THEME.title,
            paragraphs=(evidence_text(records), standards_text(rows, before)),
            figures=body_figures(by_body(records)),
            tables=(
                body_table(by_body(records)),
                documents_table(records),
                standards_table(rows, before),
            ),
        )
    ]
