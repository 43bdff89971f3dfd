"""Events and rules added to the plan and its progress later: the needs a goal answers,
corrected and withdrawn indicator values, and the check of a measure's dates against the
cycle's period.

The events are new classes with their own stable topics (the older events keep their
meaning). A goal's values are addressed by their position in the goal's series: values are
only ever appended, so a position names one recorded value for good. The aggregate
(engine/domain/cycle.py) takes the events in and mixes in :class:`PlanRevisions`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from engine.domain.cycle_state import CycleState
from engine.domain.errors import DomainError, InvalidInput, NotFound
from engine.domain.organisation import ROLE_PERMISSIONS
from engine.domain.sealing import SealedAggregate

RESPONSIBLE_PERMISSION = "report-progress"
"""What a member's role must allow to be responsible for a measure (viewers may not act)."""


def may_act_on_measures(role: str | None) -> bool:
    """Whether a member of this role may be responsible for a measure (and report on it)."""
    return role is not None and RESPONSIBLE_PERMISSION in ROLE_PERMISSIONS.get(role, ())


class ValueExists(DomainError):
    """A value for that day is recorded already; replacing it must be asked for."""

    code = "value-exists"

    def __init__(self, position: int, *, replaceable: bool = True) -> None:
        if replaceable:
            super().__init__(
                "Für diesen Tag ist schon ein Wert erfasst. Soll er ersetzt werden? "
                "Dann bestätigen Sie das Ersetzen (API: replace = true).",
                "A value for this day is recorded already. Confirm to replace it "
                "(API: replace = true).",
            )
        else:
            super().__init__(
                "Für diesen Tag ist schon ein anderer Wert erfasst. Korrigieren Sie diesen "
                "oder wählen Sie einen anderen Tag.",
                "Another value is recorded for this day already. Correct that one or choose "
                "another day.",
            )
        self.position = position


class GoalNeedsNamed(SealedAggregate.Event):
    """The needs (findings of kind 'need') a goal answers were named or changed."""

    TOPIC = "qualizyklus:Cycle.GoalNeedsNamed"
    goal_id: str
    finding_ids: list[str]

    def apply(self, cycle: CycleState) -> None:
        """Replace the goal's needs."""
        cycle.goals[self.goal_id]["need_ids"] = list(self.finding_ids)


class IndicatorValueCorrected(SealedAggregate.Event):
    """A recorded indicator value was corrected (its earlier figure stays in the history)."""

    TOPIC = "qualizyklus:Cycle.IndicatorValueCorrected"
    goal_id: str
    position: int
    value: float
    measured_on: date
    source: str

    def apply(self, cycle: CycleState) -> None:
        """Replace the value's figure, day and source; keep what it was and why it changed."""
        entry = cycle.goals[self.goal_id]["values"][self.position]
        previous = {"value": entry["value"], "measured_on": entry["measured_on"]}
        entry.update(value=self.value, measured_on=self.measured_on, source=self.source)
        entry["corrected"] = {**previous, "reason": self.reason}


class IndicatorValueWithdrawn(SealedAggregate.Event):
    """A recorded indicator value was withdrawn (it stays in the history, not in progress)."""

    TOPIC = "qualizyklus:Cycle.IndicatorValueWithdrawn"
    goal_id: str
    position: int

    def apply(self, cycle: CycleState) -> None:
        """Mark the value withdrawn."""
        cycle.goals[self.goal_id]["values"][self.position]["withdrawn"] = {"reason": self.reason}


class PlanRevisions:
    """The aggregate's commands for the events above (mixed into ``Cycle``).

    Its annotations are for the type checker only, as in :class:`CycleState`.
    """

    if TYPE_CHECKING:
        goals: dict[str, dict[str, Any]]
        findings: dict[str, dict[str, Any]]
        GoalNeedsNamed: Any
        IndicatorValueCorrected: Any
        IndicatorValueWithdrawn: Any
        trigger_event: Any

    def name_goal_needs(self, *, actor_id: str, goal_id: str, finding_ids: list[str]) -> None:
        """Name the needs a goal answers (nothing happens when they are unchanged)."""
        goal = self._goal(goal_id)
        check_needs(self.findings, finding_ids)
        if list(finding_ids) == list(goal.get("need_ids") or []):
            return
        self.trigger_event(
            self.GoalNeedsNamed, actor_id=actor_id, goal_id=goal_id, finding_ids=list(finding_ids)
        )

    def correct_indicator_value(
        self, *, actor_id: str, goal_id: str, position: int, reason: str, **fields: Any
    ) -> None:
        """Correct a recorded value (figure, day, source) for a reason."""
        self.value_at(goal_id, position)
        self.trigger_event(
            self.IndicatorValueCorrected,
            actor_id=actor_id,
            goal_id=goal_id,
            position=position,
            reason=reason,
            **fields,
        )

    def withdraw_indicator_value(
        self, *, actor_id: str, goal_id: str, position: int, reason: str
    ) -> None:
        """Withdraw a recorded value for a reason."""
        self.value_at(goal_id, position)
        self.trigger_event(
            self.IndicatorValueWithdrawn,
            actor_id=actor_id,
            goal_id=goal_id,
            position=position,
            reason=reason,
        )

    def value_on(self, goal_id: str, day: date) -> int | None:
        """The position of the goal's live (not withdrawn) value of that day, if any."""
        for position, entry in enumerate(self._goal(goal_id)["values"]):
            if entry["measured_on"] == day and not entry.get("withdrawn"):
                return position
        return None

    def _goal(self, goal_id: str) -> dict[str, Any]:
        goal = self.goals.get(goal_id)
        if goal is None:
            raise NotFound(f"Ziel {goal_id} gibt es nicht.", f"No goal {goal_id}.")
        return goal

    def value_at(self, goal_id: str, position: int) -> dict[str, Any]:
        """The goal's value at ``position``; refused if there is none or it is withdrawn."""
        values = self._goal(goal_id)["values"]
        if not 0 <= position < len(values):
            raise NotFound(
                f"Wert {position} des Ziels gibt es nicht.", f"No value {position} of the goal."
            )
        entry: dict[str, Any] = values[position]
        if entry.get("withdrawn"):
            raise InvalidInput(
                "position", "Der Wert ist schon zurückgezogen.", "The value is withdrawn already."
            )
        return entry


def check_needs(
    findings: dict[str, dict[str, Any]], finding_ids: list[str], field: str = "need_ids"
) -> None:
    """Refuse duplicates and anything that is not an open need of the cycle."""
    if len(set(finding_ids)) != len(finding_ids):
        raise InvalidInput(field, "Doppelte Einträge.", "Duplicate entries.")
    for finding_id in finding_ids:
        finding = findings.get(finding_id)
        if finding is None or finding["withdrawn"] or finding["kind"] != "need":
            raise InvalidInput(
                field,
                f"{finding_id} ist kein offener Entwicklungsbedarf.",
                f"{finding_id} is not an open need.",
            )


def outside_period(measure: dict[str, Any], start: date, end: date) -> bool:
    """Whether a measure's start or due date lies outside the cycle's period."""
    return any(
        day is not None and not start <= day <= end for day in (measure["start"], measure["due"])
    )


def plain_goal(goal: dict[str, Any]) -> dict[str, Any]:
    """A goal as plain data: its needs; under ``values`` the values that count (corrected ones
    as corrected, each with its ``position``), under ``withdrawn_values`` the withdrawn ones.
    Goals from before these events lack the keys; they are filled in here."""
    numbered = [
        {"corrected": None, "withdrawn": None, **entry, "position": position}
        for position, entry in enumerate(goal["values"])
    ]
    return {
        **goal,
        "need_ids": list(goal.get("need_ids") or []),
        "values": [entry for entry in numbered if not entry["withdrawn"]],
        "withdrawn_values": [entry for entry in numbered if entry["withdrawn"]],
    }
