"""The theme's insight: how many of its measures join professions, and how many take part."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Figure, Insight, Text

from qualizyklus_theme_example.catalogue import THEME_ID
from qualizyklus_theme_example.measures import is_interprofessional, theme_measures


def interprofessional_learning(
    cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> list[Insight]:
    """The share of interprofessional measures and the professions involved (and before)."""
    if THEME_ID not in cycle["themes"]:
        return []
    measures = theme_measures(cycle)
    if not measures:
        return []
    joint = sum(1 for measure in measures if is_interprofessional(measure))
    figures = [
        Figure(
            Text("Interprofessionelle Maßnahmen", "Interprofessional measures"),
            round(100 * joint / len(measures)),
            "%",
            key="interprofessional-share",
        ),
        Figure(
            Text("Beteiligte Berufsgruppen", "Professions involved"),
            _professions(cycle),
            key="professions",
        ),
    ]
    if previous is not None and THEME_ID in previous["themes"]:
        figures.append(
            Figure(
                Text("Berufsgruppen im vorigen Zyklus", "Professions in the previous cycle"),
                _professions(previous),
                key="professions-previous",
            )
        )
    return [
        Insight(
            THEME_ID,
            "interprofessional-learning",
            Text("Interprofessionelles Lernen", "Learning across professions"),
            figures=tuple(figures),
        )
    ]


def _professions(cycle: Mapping[str, Any]) -> int:
    """How many different professions the theme's measures involve."""
    return len({p for m in theme_measures(cycle) for p in m["attrs"].get("professions", [])})
