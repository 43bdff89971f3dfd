"""The checkpoint a report is produced under: shown at the end of the report, kept in its PDF.

Kept apart from the rest of the report (engine/application/report_evidence.py does the work):
the page shows the checkpoint's size, root, time and signing key and how to check it; the PDF
carries the same as one line of metadata that ``qualizyklus audit verify-report`` reads.
"""

from __future__ import annotations

from typing import Any

from engine.application.evidence_settings import CheckpointSettings
from engine.application.report_evidence import ReportEvidence, evidence_for
from engine.infrastructure.settings import SettingsError
from web.access import CyclePage
from web.services import engine


def report_evidence(page: CyclePage) -> ReportEvidence | None:
    """The latest checkpoint holding the cycle's events (None before the first)."""
    return evidence_for(engine(), page.id)


def shown(evidence: ReportEvidence | None) -> dict[str, Any] | None:
    """What the report's checkpoint block shows (with the signing key's fingerprint)."""
    if evidence is None:
        return None
    summary = evidence.summary()
    try:
        key = CheckpointSettings.from_environ().verifier()
    except SettingsError:
        key = None
    summary["fingerprint"] = key.fingerprint[:16] if key else ""
    return summary
