"""Commands of the plan: goals and measures, one at a time or a whole plan at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from engine.application.commands.steps import Change, CycleCommand, Fields
from engine.application.store import Engine
from engine.domain.cycle import Cycle
from engine.domain.cycle_revisions import may_act_on_measures
from engine.domain.errors import InvalidInput, NotAllowedInPhase, Problems
from engine.domain.organisation import Organisation
from engine.domain.shapes import (
    GOAL,
    GOAL_REVISION,
    MEASURE,
    MEASURE_REVISION,
    Shape,
    refuse_unknown,
)


def _checked(engine: Engine, shape: Shape, item: Mapping[str, Any]) -> Fields:
    """The item checked by its shape, its data by its theme's schema (the theme resolved
    first)."""
    theme_id = item.get("theme_id")
    problems = Problems()
    theme = None
    with problems.check():  # an unknown theme is told together with the other fields' problems
        theme = None if theme_id is None else engine._theme(theme_id, "theme_id")
    schema = None
    if theme is not None:
        goal = shape is GOAL or shape is GOAL_REVISION
        schema = theme.goal_schema if goal else theme.measure_schema
    fields: Fields = {}
    with problems.check():
        fields = shape.check(item, schema=schema)
    problems.raise_any()
    fields["theme_id"] = theme.id if theme else None
    if "need_ids" in fields:
        fields["need_ids"] = _need_ids(fields["need_ids"])
    return fields


def _need_ids(given: object) -> list[str] | None:
    """The needs a goal answers: a list of finding ids, or None (left out)."""
    if given is None:
        return None
    if not isinstance(given, list | tuple) or not all(isinstance(k, str) for k in given):
        raise InvalidInput(
            "need_ids", "Bitte eine Liste von Befund-Kennungen angeben.", "Give a list of ids."
        )
    return list(given)


def _new_goal(engine: Engine, *, goal_id: str | None, goal: Mapping[str, Any]) -> Fields:
    refuse_unknown(goal, GOAL)
    return {"goal_id": GOAL["goal_id"].check(goal_id), **_checked(engine, GOAL, goal)}


def _revised_goal(engine: Engine, *, goal_id: str, reason: str, goal: Mapping[str, Any]) -> Fields:
    refuse_unknown(goal, GOAL)
    return {"goal_id": goal_id, **_checked(engine, GOAL_REVISION, {**goal, "reason": reason})}


def _new_measure(engine: Engine, *, measure_id: str | None, measure: Mapping[str, Any]) -> Fields:
    refuse_unknown(measure, MEASURE)
    item_id = MEASURE["measure_id"].check(measure_id)
    return {"measure_id": item_id, **_checked(engine, MEASURE, measure)}


def _revised_measure(
    engine: Engine, *, measure_id: str, reason: str, measure: Mapping[str, Any]
) -> Fields:
    refuse_unknown(measure, MEASURE)
    revision = {**measure, "reason": reason}
    return {"measure_id": measure_id, **_checked(engine, MEASURE_REVISION, revision)}


def check_responsible(organisation: Organisation, member_id: str | None) -> None:
    """Refuse a responsible person who is not a member, or whose role may not act."""
    if member_id is None:
        return
    if organisation.role_of(member_id) is None:
        raise InvalidInput(
            "responsible_member_id", "ist kein Mitglied der Organisation", "is not a member"
        )
    if not may_act_on_measures(organisation.role_of(member_id)):
        raise InvalidInput(
            "responsible_member_id",
            "darf in dieser Organisation nur lesen und kann daher keine Maßnahme verantworten; "
            "wählen Sie jemanden aus der Netzwerkkoordination oder den Mitwirkenden",
            "may only read in this organisation and so cannot be responsible for a measure; "
            "choose a coordinator or a contributor",
        )


def _responsible(change: Change) -> None:
    check_responsible(change.organisation, change.fields["responsible_member_id"])


SET_GOAL = CycleCommand("set_goal", "plan", _new_goal, Cycle.set_goal, item="goal")
REVISE_GOAL = CycleCommand("revise_goal", "plan", _revised_goal, Cycle.revise_goal, item="goal")
PLAN_MEASURE = CycleCommand(
    "plan_measure", "plan", _new_measure, Cycle.plan_measure, item="measure", decide=_responsible
)
REVISE_MEASURE = CycleCommand(
    "revise_measure",
    "plan",
    _revised_measure,
    Cycle.revise_measure,
    item="measure",
    decide=_responsible,
)


def set_goal(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    goal_id: str | None = None,
    expected_version: int | None = None,
    **goal: Any,
) -> int:
    """Set a goal: title, indicator, unit, baseline, target, due, theme_id, attrs."""
    return SET_GOAL.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        goal_id=goal_id,
        goal=goal,
    )


def revise_goal(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    goal_id: str,
    reason: str = "",
    expected_version: int | None = None,
    **goal: Any,
) -> int:
    """Replace a goal's editable fields."""
    return REVISE_GOAL.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        goal_id=goal_id,
        reason=reason,
        goal=goal,
    )


def plan_measure(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    measure_id: str | None = None,
    expected_version: int | None = None,
    **measure: Any,
) -> int:
    """Plan a measure: title, goal_id, theme_id, responsible_member_id, start, due, ..."""
    return PLAN_MEASURE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        measure_id=measure_id,
        measure=measure,
    )


def revise_measure(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    measure_id: str,
    reason: str = "",
    expected_version: int | None = None,
    **measure: Any,
) -> int:
    """Replace a measure's editable fields."""
    return REVISE_MEASURE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        measure_id=measure_id,
        reason=reason,
        measure=measure,
    )


# A whole plan at once ------------------------------------------------------------------------


def _plan(
    engine: Engine, *, goals: Sequence[Mapping[str, Any]], measures: Sequence[Mapping[str, Any]]
) -> Fields:
    prepared: list[tuple[str, str, Fields]] = []
    for shape, own, items in ((GOAL, "goal_id", goals), (MEASURE, "measure_id", measures)):
        for n, item in enumerate(items):
            where = f"{shape.name}s.{n}"
            with _naming(where):
                fields = _known(item, shape, own)
                item_id = shape[own].check(item.get(own))
                details = _checked(engine, shape, fields)
            prepared.append((shape.name, where, {own: item_id, **details}))
    return {"items": prepared}


def _set_and_plan(change: Change) -> None:
    cycle, engine = change.cycle, change.engine
    definition = engine._definition(cycle)
    for command in ("set_goal", "plan_measure"):
        if not definition.allows(cycle.phase, command):
            raise NotAllowedInPhase(command, cycle.phase)
    for kind, where, fields in change.fields["items"]:
        with _naming(where):
            engine._validate_item(kind, fields, cycle.phase)
            if kind == "goal":
                cycle.set_goal(actor_id=change.actor_id, **fields)
            else:
                check_responsible(change.organisation, fields["responsible_member_id"])
                cycle.plan_measure(actor_id=change.actor_id, **fields)


IMPORT_PLAN = CycleCommand("import_plan", "plan", _plan, None, decide=_set_and_plan, phased=False)


def import_plan(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    goals: Sequence[Mapping[str, Any]],
    measures: Sequence[Mapping[str, Any]],
    expected_version: int | None = None,
) -> int:
    """Set several goals and plan several measures at once (all or none), e.g. a plan read
    from a file. Items are dicts like the keyword arguments of set_goal and plan_measure;
    a refusal names the item, e.g. ``measures.2.due``."""
    return IMPORT_PLAN.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        goals=goals,
        measures=measures,
    )


def _known(item: Mapping[str, Any], shape: Shape, own: str) -> Fields:
    """The item's fields without its own id (and without ``row``, a file's line number)."""
    fields = {k: v for k, v in item.items() if k not in (own, "row")}
    refuse_unknown(fields, shape)
    return fields


@contextmanager
def _naming(where: str) -> Iterator[None]:
    """Prefix the field of a refusal with the item it concerns."""
    try:
        yield
    except InvalidInput as error:
        raise error.renamed(lambda field: f"{where}.{field}") from None
