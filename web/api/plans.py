"""Plan and implementation: goals, measures, status changes, indicator values, reviews."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from engine.domain.validation import new_item_id
from web.api.auth import readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads, writes
from web.api.concurrency import etag
from web.api.cycles import item_of, run_command
from web.api.pagination import LIST_HEADERS, PageArgs, paginate
from web.api.schemas import (
    CommandResultSchema,
    GoalInputSchema,
    GoalItemSchema,
    GoalRevisionSchema,
    IndicatorCorrectionSchema,
    IndicatorValueInputSchema,
    MeasureInputSchema,
    MeasureItemSchema,
    MeasureRevisionSchema,
    ReasonBodySchema,
    ReviewInputSchema,
    StatusSchema,
)
from web.services import engine

blueprint = api_blueprint(
    "plans", __name__, "Goals and measures: plan, revise, track status, indicator values, review."
)


def _listed(cycle_id: UUID, kind: str, page: dict[str, int]) -> Any:
    """A cycle's goals or measures, by id, one page of them."""
    cycle = readable_cycle(cycle_id)
    items = [{"id": key, **value} for key, value in sorted(cycle[kind].items())]
    found, headers = paginate(items, page)
    return found, {**headers, **etag(cycle["version"])}


def _one(cycle_id: UUID, kind: str, item_id: str) -> Any:
    cycle = readable_cycle(cycle_id)
    return item_of(cycle, kind, item_id), etag(cycle["version"])


@blueprint.get("/cycles/<uuid:cycle_id>/goals")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, GoalItemSchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
@reads(blueprint)
def list_goals(page: dict[str, int], cycle_id: UUID) -> Any:
    """The cycle's goals, by id (ETag: the cycle's version)."""
    return _listed(cycle_id, "goals", page)


@blueprint.post("/cycles/<uuid:cycle_id>/goals")
@blueprint.arguments(GoalInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def set_goal(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Set a goal with its indicator, baseline, target and due date."""
    data["goal_id"] = data.get("goal_id") or new_item_id()
    return run_command(
        cycle_id, engine().set_goal, item_id=data["goal_id"], http_status=201, **data
    )


@blueprint.get("/cycles/<uuid:cycle_id>/goals/<string:goal_id>")
@blueprint.response(200, GoalItemSchema, headers=VERSIONED)
@reads(blueprint)
def get_goal(cycle_id: UUID, goal_id: str) -> Any:
    """One goal with its values and review."""
    return _one(cycle_id, "goals", goal_id)


@blueprint.put("/cycles/<uuid:cycle_id>/goals/<string:goal_id>")
@blueprint.arguments(GoalRevisionSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def revise_goal(data: dict[str, Any], cycle_id: UUID, goal_id: str) -> Any:
    """Replace a goal's editable fields (send all of them)."""
    return run_command(cycle_id, engine().revise_goal, item_id=goal_id, goal_id=goal_id, **data)


@blueprint.post("/cycles/<uuid:cycle_id>/goals/<string:goal_id>/values")
@blueprint.arguments(IndicatorValueInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def record_indicator_value(data: dict[str, Any], cycle_id: UUID, goal_id: str) -> Any:
    """Record a measured value of the goal's indicator.

    A day that has a value already answers 409 (``value-exists``) and changes nothing, unless
    ``replace`` is true: then that day's value is corrected (``reason`` optional).
    """
    return run_command(
        cycle_id,
        engine().record_indicator_value,
        item_id=goal_id,
        http_status=201,
        goal_id=goal_id,
        **data,
    )


@blueprint.put("/cycles/<uuid:cycle_id>/goals/<string:goal_id>/values/<int:position>")
@blueprint.arguments(IndicatorCorrectionSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def correct_indicator_value(
    data: dict[str, Any], cycle_id: UUID, goal_id: str, position: int
) -> Any:
    """Correct the value at ``position`` (see the goal's values), with a reason."""
    return run_command(
        cycle_id,
        engine().correct_indicator_value,
        item_id=goal_id,
        goal_id=goal_id,
        position=position,
        **data,
    )


@blueprint.post("/cycles/<uuid:cycle_id>/goals/<string:goal_id>/values/<int:position>/withdrawal")
@blueprint.arguments(ReasonBodySchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def withdraw_indicator_value(
    data: dict[str, Any], cycle_id: UUID, goal_id: str, position: int
) -> Any:
    """Withdraw the value at ``position``, with a reason (it stays in the history and no
    longer counts)."""
    return run_command(
        cycle_id,
        engine().withdraw_indicator_value,
        item_id=goal_id,
        goal_id=goal_id,
        position=position,
        **data,
    )


@blueprint.put("/cycles/<uuid:cycle_id>/goals/<string:goal_id>/review")
@blueprint.arguments(ReviewInputSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def review_goal(data: dict[str, Any], cycle_id: UUID, goal_id: str) -> Any:
    """Judge a goal: reached, partly or not, with the evidence."""
    return run_command(cycle_id, engine().review_goal, item_id=goal_id, goal_id=goal_id, **data)


@blueprint.get("/cycles/<uuid:cycle_id>/measures")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, MeasureItemSchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
@reads(blueprint)
def list_measures(page: dict[str, int], cycle_id: UUID) -> Any:
    """The cycle's measures, by id (ETag: the cycle's version)."""
    return _listed(cycle_id, "measures", page)


@blueprint.post("/cycles/<uuid:cycle_id>/measures")
@blueprint.arguments(MeasureInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def plan_measure(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Plan a measure with its goal, owner, dates and resources."""
    data["measure_id"] = data.get("measure_id") or new_item_id()
    return run_command(
        cycle_id, engine().plan_measure, item_id=data["measure_id"], http_status=201, **data
    )


@blueprint.get("/cycles/<uuid:cycle_id>/measures/<string:measure_id>")
@blueprint.response(200, MeasureItemSchema, headers=VERSIONED)
@reads(blueprint)
def get_measure(cycle_id: UUID, measure_id: str) -> Any:
    """One measure."""
    return _one(cycle_id, "measures", measure_id)


@blueprint.put("/cycles/<uuid:cycle_id>/measures/<string:measure_id>")
@blueprint.arguments(MeasureRevisionSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def revise_measure(data: dict[str, Any], cycle_id: UUID, measure_id: str) -> Any:
    """Replace a measure's editable fields (send all of them)."""
    return run_command(
        cycle_id, engine().revise_measure, item_id=measure_id, measure_id=measure_id, **data
    )


@blueprint.put("/cycles/<uuid:cycle_id>/measures/<string:measure_id>/status")
@blueprint.arguments(StatusSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def change_measure_status(data: dict[str, Any], cycle_id: UUID, measure_id: str) -> Any:
    """Move a measure on; contributors move the measures they are responsible for."""
    return run_command(
        cycle_id,
        engine().change_measure_status,
        item_id=measure_id,
        measure_id=measure_id,
        **data,
    )
