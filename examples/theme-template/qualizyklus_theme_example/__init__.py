"""Theme plugin "Qualifizierung und interprofessionelles Lernen" (QD 6): an example to copy.

Contributes a catalogue (two criteria, a goal and a measure template, a measure schema), a
gate and an insight. The engine finds it through the ``qualizyklus`` entry-point group
(see setup.cfg); nothing in Qualizyklus itself refers to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Insight, Reason, Theme, hookimpl

from qualizyklus_theme_example.catalogue import THEME
from qualizyklus_theme_example.gate import interprofessional_measure_missing
from qualizyklus_theme_example.insight import interprofessional_learning


@hookimpl
def register_themes() -> list[Theme]:
    """The theme's catalogue."""
    return [THEME]


@hookimpl
def gate_reasons(cycle: Mapping[str, Any], source: str, target: str) -> list[Reason]:
    """Planning ends only with an interprofessional measure (in cycles on this theme)."""
    return interprofessional_measure_missing(cycle, source, target)


@hookimpl
def insights(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Insight]:
    """The share of interprofessional measures and the professions involved."""
    return interprofessional_learning(cycle, previous)
