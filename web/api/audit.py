"""The audit trail: history, state as of a version or a time, the difference of two versions.

A cycle's trail is open to everyone who may read the cycle; an organisation's (members,
roles, tokens) to those who manage its members.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from engine.application import audit
from engine.domain.errors import InvalidInput
from web.api.auth import organisation_access, readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads
from web.api.concurrency import etag
from web.api.pagination import LIST_HEADERS, PageArgs, page_links
from web.api.schemas import (
    CycleSchema,
    DiffQuerySchema,
    DiffSchema,
    HistoryEntrySchema,
    OrganisationStateSchema,
    StateQuerySchema,
)
from web.services import engine

blueprint = api_blueprint(
    "audit", __name__, "History with changes, state as of a version or time, diffs."
)


def _history(aggregate_id: UUID, current: int, page: dict[str, int]) -> Any:
    """One page of the history, oldest version first."""
    number, per_page = page["page"], page["per_page"]
    start = (number - 1) * per_page + 1
    entries = (
        audit.history(engine(), aggregate_id, start=start, limit=per_page)
        if start <= current
        else []
    )
    return entries, {**page_links(number, per_page, current), **etag(current)}


def _moment(text: str) -> datetime | date:
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            "at",
            "muss ein Datum oder Zeitpunkt sein (ISO 8601)",
            "must be an ISO 8601 date or date-time",
        ) from None


def _state(aggregate_id: UUID, query: dict[str, Any]) -> Any:
    """The state at ``version``, or as it stood at ``at`` (exactly one of them)."""
    if ("version" in query) == ("at" in query):
        raise InvalidInput("version", "version oder at angeben", "give either version or at")
    if "at" in query:
        state = audit.state_at(engine(), aggregate_id, at=_moment(query["at"]))
    else:
        state = audit.state_at(engine(), aggregate_id, version=query["version"])
    return state, etag(state["version"])


def _diff(aggregate_id: UUID, current: int, query: dict[str, int]) -> Any:
    first, second = query["from_version"], query["to_version"]
    changes = audit.diff_versions(engine(), aggregate_id, first, second)
    return {"from_version": first, "to_version": second, "changes": changes}, etag(current)


def _cycle(cycle_id: UUID) -> tuple[UUID, int]:
    return cycle_id, readable_cycle(cycle_id)["version"]


def _organisation(slug: str) -> tuple[UUID, int]:
    access = organisation_access(slug, "manage-members")
    return access.id, access.organisation["version"]


HISTORY = "Who did what, when and why in the {kind}, with the changes, oldest version first."
STATE = "The {kind} as it stood at a version, or at a time (a date means its end)."
DIFF = "What differs between two versions of the {kind}."


def _routes(kind: str, rule: str, find: Callable[..., tuple[UUID, int]], schema: Any) -> None:
    """History, state and diff of one kind of aggregate."""

    @blueprint.get(f"{rule}/history", endpoint=f"{kind}_history")
    @blueprint.arguments(PageArgs, location="query")
    @blueprint.response(200, HistoryEntrySchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
    @reads(blueprint)
    @blueprint.doc(summary=f"The {kind}'s history", description=HISTORY.format(kind=kind))
    def history(page: dict[str, int], **key: Any) -> Any:
        aggregate_id, current = find(**key)
        return _history(aggregate_id, current, page)

    @blueprint.get(f"{rule}/state", endpoint=f"{kind}_state")
    @blueprint.arguments(StateQuerySchema, location="query")
    @blueprint.response(200, schema, headers=VERSIONED)
    @blueprint.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @reads(blueprint)
    @blueprint.doc(summary=f"The {kind} at a version or time", description=STATE.format(kind=kind))
    def state(query: dict[str, Any], **key: Any) -> Any:
        aggregate_id, _ = find(**key)
        return _state(aggregate_id, query)

    @blueprint.get(f"{rule}/diff", endpoint=f"{kind}_diff")
    @blueprint.arguments(DiffQuerySchema, location="query")
    @blueprint.response(200, DiffSchema, headers=VERSIONED)
    @reads(blueprint)
    @blueprint.doc(
        summary=f"Two versions of the {kind} compared", description=DIFF.format(kind=kind)
    )
    def diff(query: dict[str, int], **key: Any) -> Any:
        aggregate_id, current = find(**key)
        return _diff(aggregate_id, current, query)


_routes("cycle", "/cycles/<uuid:cycle_id>", _cycle, CycleSchema)
_routes("organisation", "/organisations/<string:slug>", _organisation, OrganisationStateSchema)
