"""Reading this theme's measures from a cycle (the plain dict the engine hands to hooks)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qualizyklus_theme_example.catalogue import THEME_ID


def theme_measures(cycle: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The cycle's measures of this theme, leaving out dropped ones."""
    return [
        measure
        for measure in cycle["measures"].values()
        if measure["theme_id"] == THEME_ID and measure["status"] != "dropped"
    ]


def is_interprofessional(measure: Mapping[str, Any]) -> bool:
    """Whether at least two professions learn together in the measure."""
    return len(set(measure["attrs"].get("professions", []))) >= 2
