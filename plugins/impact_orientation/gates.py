"""Gate of the impact orientation theme: no implementation without measurable goals."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Reason, uses_theme
from plugins.impact_orientation.analysis import THEME_ID, GoalProgress, theme_goals

PLANNING_DONE = ("plan", "implement")
"""The transition from planning to implementation."""


def gate_reasons(cycle: Mapping[str, Any], source: str, target: str) -> list[Reason]:
    """One reason per goal of the theme that lacks a baseline, a target or both."""
    if (source, target) != PLANNING_DONE or not uses_theme(cycle, THEME_ID):
        return []
    return [
        missing_figures(goal)
        for goal in theme_goals(cycle)
        if goal.baseline is None or goal.target is None
    ]


def missing_figures(goal: GoalProgress) -> Reason:
    """The reason naming the goal and what it lacks."""
    if goal.baseline is None and goal.target is None:
        what_de, what_en = "fehlen noch Ausgangswert und Zielwert", "a baseline and a target"
    elif goal.baseline is None:
        what_de, what_en = "fehlt noch der Ausgangswert", "a baseline"
    else:
        what_de, what_en = "fehlt noch der Zielwert", "a target"
    return Reason(
        "impact-baseline-target-missing",
        f"Dem Wirkungsziel „{goal.title}“ {what_de}. Bitte beim Ziel "
        f"Ausgangswert und Zielwert des Indikators eintragen, damit sich später zeigen lässt, "
        f"was sich verändert hat.",
        f"The impact goal '{goal.title}' still lacks {what_en}. Please enter the indicator's "
        f"baseline and target for the goal, so that the change can be shown later.",
    )
