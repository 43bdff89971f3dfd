"""The theme's gate: planning ends only with a measure in which professions learn together."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Reason

from qualizyklus_theme_example.catalogue import THEME, THEME_ID
from qualizyklus_theme_example.measures import is_interprofessional, theme_measures


def interprofessional_measure_missing(
    cycle: Mapping[str, Any], source: str, target: str
) -> list[Reason]:
    """Refuse to leave planning while no measure of the theme joins two professions."""
    if THEME_ID not in cycle["themes"] or (source, target) != ("plan", "implement"):
        return []
    if any(is_interprofessional(measure) for measure in theme_measures(cycle)):
        return []
    return [
        Reason(
            "qualifizierung-no-joint-measure",
            f"Für das Thema „{THEME.title.de}“ fehlt eine Maßnahme, in der mindestens zwei "
            "Berufsgruppen gemeinsam lernen.",
            f"The theme '{THEME.title.en}' needs a measure in which at least two professions "
            "learn together.",
        )
    ]
