"""Gate of the parent participation theme: no closing review without parents' feedback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Reason, uses_theme
from plugins.parent_participation.analysis import THEME_ID, parents_feedback
from plugins.parent_participation.surveys import counting_surveys

CLOSING = ("review", "closed")
"""The transition that ends the review and closes the cycle."""


def gate_reasons(cycle: Mapping[str, Any], source: str, target: str) -> list[Reason]:
    """Refuse to close the review while no feedback from parents is recorded."""
    if (source, target) != CLOSING or not uses_theme(cycle, THEME_ID):
        return []
    if parents_feedback(cycle) > 0 or counting_surveys(cycle):
        return []
    return [
        Reason(
            "parents-feedback-missing",
            "Es sind noch keine Rückmeldungen von Eltern festgehalten. Rückmeldungen von Eltern "
            "festhalten (zum Beispiel aus dem Elterncafé, von Feedbackkarten oder aus einer "
            "Befragung), damit die Bewertung auch ihre Sicht enthält; danach kann der Zyklus "
            "abgeschlossen werden. Eine beendete Elternbefragung mit mindestens fünf Antworten "
            "zählt ebenfalls.",
            "No feedback from parents has been recorded yet. Record parents' feedback (for "
            "example from the parents' café, feedback cards or a survey) so that the review "
            "includes their view; then the cycle can be closed. A closed parents' survey with at "
            "least five answers counts as well.",
        )
    ]
