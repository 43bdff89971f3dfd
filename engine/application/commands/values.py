"""Commands on a goal's indicator values: record one, correct one, withdraw one.

A second value for a day that has one already is refused (:class:`ValueExists`, so that the
caller asks first) unless the caller confirms with ``replace``: then the day's value is
corrected. Correcting and withdrawing are new events; the value recorded first stays in the
history. All three are allowed where the workflow allows ``record_indicator_value``.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from engine.application.commands.steps import Change, CycleCommand, Fields
from engine.application.store import Engine
from engine.domain.cycle import Cycle
from engine.domain.cycle_revisions import ValueExists
from engine.domain.errors import InvalidInput
from engine.domain.shapes import INDICATOR_CORRECTION, INDICATOR_VALUE, OPTIONAL_REASON, REASONED

PHASE_NAME = "record_indicator_value"
"""The command name the workflow definitions allow for all three commands."""


def _value(
    engine: Engine,
    *,
    goal_id: str,
    value: float,
    measured_on: date | str,
    source: str,
    replace: bool,
    reason: str,
) -> Fields:
    given = {"value": value, "measured_on": measured_on, "source": source}
    if not isinstance(replace, bool):
        raise InvalidInput("replace", "Bitte true oder false angeben.", "Give true or false.")
    return {
        "goal_id": goal_id,
        **INDICATOR_VALUE.check(given),
        "replace": replace,
        "reason": OPTIONAL_REASON.check(reason),
    }


def _position(position: object) -> int:
    if isinstance(position, bool) or not isinstance(position, int):
        raise InvalidInput("position", "Bitte eine ganze Zahl angeben.", "Give a whole number.")
    return position


def _correction(
    engine: Engine,
    *,
    goal_id: str,
    position: int,
    value: float,
    measured_on: date | str,
    source: str,
    reason: str,
) -> Fields:
    given = {"value": value, "measured_on": measured_on, "source": source, "reason": reason}
    return {
        "goal_id": goal_id,
        "position": _position(position),
        **INDICATOR_CORRECTION.check(given),
    }


def _withdrawal(engine: Engine, *, goal_id: str, position: int, reason: str) -> Fields:
    return {
        "goal_id": goal_id,
        "position": _position(position),
        **REASONED.check({"reason": reason}),
    }


def _record_or_replace(change: Change) -> None:
    """Record the value; a day that has one already needs ``replace`` and is corrected."""
    cycle, fields = change.cycle, dict(change.fields)
    replace, reason = fields.pop("replace"), fields.pop("reason")
    same_day = cycle.value_on(fields["goal_id"], fields["measured_on"])
    if same_day is None:
        cycle.record_indicator_value(actor_id=change.actor_id, **fields)
    elif not replace:
        raise ValueExists(same_day)
    else:
        cycle.correct_indicator_value(
            actor_id=change.actor_id, position=same_day, reason=reason, **fields
        )


def _other_day_free(change: Change) -> None:
    """A correction may not move a value onto a day that has another live value."""
    fields = change.fields
    change.cycle.value_at(fields["goal_id"], fields["position"])
    same_day = change.cycle.value_on(fields["goal_id"], fields["measured_on"])
    if same_day is not None and same_day != fields["position"]:
        raise ValueExists(same_day, replaceable=False)


RECORD_INDICATOR_VALUE = CycleCommand(
    PHASE_NAME, "report-progress", _value, None, decide=_record_or_replace
)
CORRECT_INDICATOR_VALUE = CycleCommand(
    PHASE_NAME,
    "report-progress",
    _correction,
    Cycle.correct_indicator_value,
    decide=_other_day_free,
)
WITHDRAW_INDICATOR_VALUE = CycleCommand(
    PHASE_NAME, "report-progress", _withdrawal, Cycle.withdraw_indicator_value
)


def record_indicator_value(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    goal_id: str,
    value: float,
    measured_on: date | str,
    source: str = "",
    replace: bool = False,
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Record a measured value of a goal's indicator; a day that has a value already is
    refused (ValueExists) unless ``replace`` confirms that its value is to be corrected."""
    return RECORD_INDICATOR_VALUE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        goal_id=goal_id,
        value=value,
        measured_on=measured_on,
        source=source,
        replace=replace,
        reason=reason,
    )


def correct_indicator_value(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    goal_id: str,
    position: int,
    value: float,
    measured_on: date | str,
    reason: str,
    source: str = "",
    expected_version: int | None = None,
) -> int:
    """Correct the goal's value at ``position`` (its place in the series), with a reason."""
    return CORRECT_INDICATOR_VALUE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        goal_id=goal_id,
        position=position,
        value=value,
        measured_on=measured_on,
        source=source,
        reason=reason,
    )


def withdraw_indicator_value(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    goal_id: str,
    position: int,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Withdraw the goal's value at ``position``, with a reason (it stays in the history)."""
    return WITHDRAW_INDICATOR_VALUE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        goal_id=goal_id,
        position=position,
        reason=reason,
    )
