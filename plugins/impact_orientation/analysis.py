"""What a cycle says about impact orientation: goals on the staircase and the IOOI chain, and
each indicator's progress from baseline towards target.

Pure functions over the plain cycle dict; the insights, the report section and the gate are
built from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine import Text, as_date, day, number, percent, share
from plugins.impact_orientation.catalogue import THEME
from plugins.impact_orientation.models import IMPACT_STEPS, IOOI_LEVELS

THEME_ID = THEME.id
OUTCOME_OR_ABOVE = ("outcome", "impact")
"""The IOOI levels that describe effects on people or society rather than services."""


@dataclass(frozen=True)
class Reading:
    """One measured value of an indicator."""

    value: float
    measured_on: date | None


@dataclass(frozen=True)
class GoalProgress:
    """A goal of the theme with its place in the impact models and its indicator's progress."""

    goal_id: str
    title: str
    unit: str
    step: int | None
    level: str | None
    baseline: float | None
    target: float | None
    latest: Reading | None

    @property
    def progress(self) -> float | None:
        """(latest − baseline) / (target − baseline) in percent; None if it cannot be said."""
        if self.baseline is None or self.target is None or self.latest is None:
            return None
        if self.target == self.baseline:
            return None
        return 100.0 * (self.latest.value - self.baseline) / (self.target - self.baseline)

    def progress_text(self) -> Text:
        """The progress as a percentage, or why there is none."""
        if self.baseline is None or self.target is None:
            return Text("Ausgangs- oder Zielwert fehlt", "baseline or target missing")
        if self.target == self.baseline:
            return Text(
                "nicht berechenbar (Ausgangswert = Zielwert)",
                "cannot be computed (baseline = target)",
            )
        if self.latest is None or self.progress is None:
            return Text("noch kein Messwert", "no measured value yet")
        return Text(percent(self.progress), percent(self.progress, "en"))

    def amount(self, value: float | None) -> Text:
        """A value of this goal's indicator with its unit ("12,5 %" and "12.5%", "40 Familien").

        The unit is the goal's own, as the network wrote it; the number is formatted for each
        language, and a percentage is written as each language writes one.
        """
        if value is None:
            return Text("–", "–")
        if self.unit.strip() == "%":
            return Text(percent(value), percent(value, "en"))
        return Text(
            f"{number(value)} {self.unit}".strip(), f"{number(value, 'en')} {self.unit}".strip()
        )

    def latest_text(self) -> Text:
        """The latest measured value with its date ("20 % (15.09.2025)"), or a dash."""
        if self.latest is None:
            return Text("–", "–")
        amount, when = self.amount(self.latest.value), self.latest.measured_on
        if when is None:
            return amount
        return Text(f"{amount.de} ({day(when)})", f"{amount.en} ({day(when, 'en')})")


def theme_goals(cycle: Mapping[str, Any]) -> list[GoalProgress]:
    """The goals of this theme, in the order they were set."""
    return [
        _progress_of(goal_id, goal)
        for goal_id, goal in cycle["goals"].items()
        if goal.get("theme_id") == THEME_ID
    ]


def _progress_of(goal_id: str, goal: Mapping[str, Any]) -> GoalProgress:
    attrs = goal.get("attrs") or {}
    step = attrs.get("impact_step")
    level = attrs.get("iooi_level")
    return GoalProgress(
        goal_id=goal_id,
        title=str(goal.get("title") or goal_id),
        unit=str(goal.get("unit") or ""),
        step=step if isinstance(step, int) and 1 <= step <= len(IMPACT_STEPS) else None,
        level=level if level in IOOI_LEVELS else None,
        baseline=_number(goal.get("baseline")),
        target=_number(goal.get("target")),
        latest=latest_reading(goal.get("values") or []),
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def latest_reading(values: list[Mapping[str, Any]]) -> Reading | None:
    """The value measured last (by date; of values measured the same day, the one recorded last)."""
    readings = [
        (
            as_date(item.get("measured_on")) or date.min,
            index,
            Reading(value, as_date(item.get("measured_on"))),
        )
        for index, item in enumerate(values)
        if (value := _number(item.get("value"))) is not None
    ]
    return max(readings, key=lambda r: (r[0], r[1]))[2] if readings else None


def step_counts(goals: list[GoalProgress]) -> tuple[int, ...]:
    """Goals per step of the impact staircase, step 1 first."""
    return tuple(sum(1 for g in goals if g.step == step) for step in range(1, 8))


def level_counts(goals: list[GoalProgress]) -> dict[str, int]:
    """Goals per IOOI level, in the chain's order."""
    return {level: sum(1 for g in goals if g.level == level) for level in IOOI_LEVELS}


@dataclass(frozen=True)
class Standing:
    """The figures a cycle is compared by: goals at outcome or above, mean progress."""

    goals: int
    outcome_or_above: int
    with_level: int
    progress_values: tuple[float, ...]

    @property
    def outcome_share(self) -> float | None:
        """Share of the goals (with an IOOI level) that aim at outcome or impact, in percent."""
        return share(self.outcome_or_above, self.with_level)

    @property
    def mean_progress(self) -> float | None:
        """Mean progress of the goals whose progress can be computed, in percent."""
        if not self.progress_values:
            return None
        return sum(self.progress_values) / len(self.progress_values)


def standing(cycle: Mapping[str, Any]) -> Standing:
    """The comparison figures of ``cycle``."""
    goals = theme_goals(cycle)
    return Standing(
        goals=len(goals),
        outcome_or_above=sum(1 for g in goals if g.level in OUTCOME_OR_ABOVE),
        with_level=sum(1 for g in goals if g.level is not None),
        progress_values=tuple(g.progress for g in goals if g.progress is not None),
    )
