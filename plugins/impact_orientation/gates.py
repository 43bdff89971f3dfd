"""Gates of the impact orientation theme: no implementation without measurable goals, and,
where the organisation chose one of the logic model's checks as its gate (setting ``gate``),
none while that check finds something.

Both guard the same transition, from planning to implementation: the model is drawn and tied
to the goals while planning, and implementation should start from a model the network stands
behind. (Closing the review was the other candidate; by then the cycle's work is done and a
gap in the model could no longer be acted upon.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Reason, uses_theme
from plugins.impact_orientation.analysis import THEME_ID, GoalProgress, theme_goals
from plugins.impact_orientation.logic_model.checks import Hint, hints
from plugins.impact_orientation.logic_model.model import model_of

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
    ] + model_reasons(cycle)


def model_reasons(cycle: Mapping[str, Any]) -> list[Reason]:
    """One reason per finding of the check the organisation chose as its gate (none if none)."""
    model = model_of(cycle)
    if model.gate_check is None:
        return []
    return [model_reason(hint) for hint in hints(model, cycle) if hint.check == model.gate_check]


def model_reason(hint: Hint) -> Reason:
    """The reason for one finding of the chosen check, with the finding's own wording."""
    return Reason(
        f"impact-logic-model-{hint.check}",
        f"Wirkmodell: {hint.hint.de}",
        f"Logic model: {hint.hint.get('en')}",
    )


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
