"""Cycles: an organisation's list, starting one, a cycle's state, next step, summary, insights."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any
from uuid import UUID

from engine.domain.errors import NotFound
from web.api.auth import caller, organisation_access, readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads, result, writes
from web.api.concurrency import etag, expected_version
from web.api.pagination import LIST_HEADERS, PageArgs, paginate
from web.api.schemas import (
    CommandResultSchema,
    CycleSchema,
    CycleSummarySchema,
    InsightsSchema,
    NextStepSchema,
    RevealQuerySchema,
    StartCycleSchema,
    ThemeAssessmentSchema,
)
from web.services import engine

blueprint = api_blueprint(
    "cycles", __name__, "Quality-development cycles: list, start, state, next step, insights."
)


def run_command(
    cycle_id: UUID,
    command: Callable[..., int],
    *,
    item_id: str | None = None,
    http_status: int = 200,
    **arguments: Any,
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Run a cycle command as the caller, based on the version its If-Match names.

    Tenancy was checked before (404); the engine checks role (403), version (412) and
    phase (409) before anything is written.
    """
    version = expected_version()
    new_version = command(
        cycle_id, actor_id=caller().actor_id, expected_version=version, **arguments
    )
    return result(cycle_id, new_version, item_id, http_status)


@blueprint.get("/organisations/<string:slug>/cycles")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, CycleSummarySchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
@reads(blueprint)
def list_cycles(page: dict[str, int], slug: str) -> Any:
    """The organisation's cycles, newest period first (then by title, then id).

    ETag: the organisation's version (the If-Match of starting a cycle).
    """
    access = organisation_access(slug)
    cycles = engine().cycles_of(access.id, actor_id=caller().actor_id)
    cycles.sort(key=lambda c: c["id"])
    cycles.sort(key=lambda c: (c["period_start"], c["title"]), reverse=True)
    items, headers = paginate(cycles, page)
    return items, {**headers, **etag(access.organisation["version"])}


@blueprint.post("/organisations/<string:slug>/cycles")
@blueprint.arguments(StartCycleSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def start_cycle(start: dict[str, Any], slug: str) -> Any:
    """Start a cycle (coordinators; If-Match: the organisation's version).

    Answers the new cycle's id and version (its ETag) and its URL in Location.
    """
    access = organisation_access(slug)
    version = expected_version()
    actor_id = caller().actor_id
    cycle_id = engine().start_cycle(access.id, actor_id=actor_id, expected_version=version, **start)
    started = engine().cycle(cycle_id, actor_id=actor_id)  # carried-over measures add versions
    body, _, headers = result(cycle_id, started["version"], str(cycle_id), 201)
    headers["Location"] = f"/api/v1/cycles/{cycle_id}"
    return body, 201, headers


@blueprint.get("/cycles/<uuid:cycle_id>")
@blueprint.response(200, CycleSchema, headers=VERSIONED)
@reads(blueprint)
def get_cycle(cycle_id: UUID) -> Any:
    """A cycle's whole state (ETag: its version, the If-Match of every command).

    Blind first round: while the phase allows ratings, a caller who may rate gets the ratings
    of a criterion only after rating it, or once a facilitator revealed it in a rating session
    (as in the assessment summary)."""
    cycle = readable_cycle(cycle_id)
    actor_id = caller().actor_id
    blind = engine().blind_round(cycle_id, actor_id=actor_id)
    return (blind.state(cycle) if blind else cycle), etag(cycle["version"])


@blueprint.get("/cycles/<uuid:cycle_id>/next-step")
@blueprint.response(200, NextStepSchema, headers=VERSIONED)
@reads(blueprint)
def next_step(cycle_id: UUID) -> Any:
    """The phase the cycle can move on to, and every reason that still stands in the way."""
    cycle = readable_cycle(cycle_id)
    return engine().next_step(cycle_id, actor_id=caller().actor_id), etag(cycle["version"])


@blueprint.get("/cycles/<uuid:cycle_id>/assessment-summary")
@blueprint.arguments(RevealQuerySchema, location="query")
@blueprint.response(200, ThemeAssessmentSchema(many=True), headers=VERSIONED)
@reads(blueprint)
def assessment_summary(query: dict[str, Any], cycle_id: UUID) -> Any:
    """Per theme: each criterion's raters, median, range, distribution and disagreement, and
    what to discuss first. Blind first round: while the phase allows ratings, a caller who may
    rate sees a criterion's result only after rating it (``hidden``); a coordinator may name
    themes in ``reveal`` to see them whole."""
    cycle = readable_cycle(cycle_id)
    summaries = engine().assessment_summary(
        cycle_id, actor_id=caller().actor_id, reveal=query["reveal"]
    )
    summary = [
        {**s, "dialogue": s["most_disagreed"]} if "most_disagreed" in s else s for s in summaries
    ]
    return summary, etag(cycle["version"])


@blueprint.get("/cycles/<uuid:cycle_id>/insights")
@blueprint.response(200, InsightsSchema, headers=VERSIONED)
@reads(blueprint)
def insights(cycle_id: UUID) -> Any:
    """The themes' figures, charts and tables (compared with the cycle it follows)."""
    cycle = readable_cycle(cycle_id)
    gathered = engine().insights(cycle_id, actor_id=caller().actor_id)
    body = {
        "items": [_plain(insight) for insight in gathered.items],
        "notices": [_plain(notice) for notice in gathered.notices],
    }
    return body, etag(cycle["version"])


def _plain(contribution: Any) -> Any:
    """A plugin's frozen contribution as plain data; texts as {de, en}."""
    data = dataclasses.asdict(contribution)
    return _texts(data)


def _texts(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"de", "en"}:
            return {"de": value["de"], "en": value["en"] or value["de"]}
        return {key: _texts(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_texts(item) for item in value]
    return value


def item_of(cycle: dict[str, Any], kind: str, item_id: str) -> dict[str, Any]:
    """One goal, measure, ... of a cycle with its id; 404 when there is none."""
    found = cycle[kind].get(item_id)
    if found is None:
        raise NotFound()
    return {"id": item_id, **found}
