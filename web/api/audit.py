"""The audit trail: history, state as of a version or a time, the difference of two versions.

A cycle's trail is open to everyone who may read the cycle; an organisation's (members,
roles, tokens) to those who manage its members. A cycle's trail follows the blind first
round as the cycle itself does (:func:`engine.application.cycle_queries.blind_round`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from engine.application import audit
from engine.domain.assessment import BlindRound
from engine.domain.errors import InvalidInput
from web.api.auth import caller, organisation_access, readable_cycle
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


Found = tuple[UUID, int, BlindRound | None]
"""An aggregate, its current version and the caller's blind round in it (None: all shows)."""


def _history(found: Found, page: dict[str, int]) -> Any:
    """One page of the history, oldest version first."""
    aggregate_id, current, blind = found
    number, per_page = page["page"], page["per_page"]
    start = (number - 1) * per_page + 1
    entries = (
        audit.history(engine(), aggregate_id, start=start, limit=per_page, blind=blind)
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


def _state(found: Found, query: dict[str, Any]) -> Any:
    """The state at ``version``, or as it stood at ``at`` (exactly one of them)."""
    aggregate_id, _current, blind = found
    if ("version" in query) == ("at" in query):
        raise InvalidInput("version", "version oder at angeben", "give either version or at")
    if "at" in query:
        state = audit.state_at(engine(), aggregate_id, at=_moment(query["at"]), blind=blind)
    else:
        state = audit.state_at(engine(), aggregate_id, version=query["version"], blind=blind)
    return state, etag(state["version"])


def _diff(found: Found, query: dict[str, int]) -> Any:
    aggregate_id, current, blind = found
    first, second = query["from_version"], query["to_version"]
    changes = audit.diff_versions(engine(), aggregate_id, first, second, blind=blind)
    return {"from_version": first, "to_version": second, "changes": changes}, etag(current)


def _cycle(cycle_id: UUID) -> Found:
    version = readable_cycle(cycle_id)["version"]
    return cycle_id, version, engine().blind_round(cycle_id, actor_id=caller().actor_id)


def _organisation(slug: str) -> Found:
    access = organisation_access(slug, "manage-members")
    return access.id, access.organisation["version"], None


BLIND = (
    " Blind first round: while the phase allows ratings, a caller who may rate and has not"
    " rated a criterion yet gets its ratings {blind}; once the caller rated it, a facilitator"
    " revealed it in a rating session, or the phase has moved on, everything shows."
)
HISTORY = "Who did what, when and why in the {kind}, with the changes, oldest version first.{blind}"
STATE = "The {kind} as it stood at a version, or at a time (a date means its end).{blind}"
DIFF = "What differs between two versions of the {kind}.{blind}"
MASKED = "only as recorded: who and when (recorded_at, version, hidden true), not the level"
BLIND_TEXTS = {
    "cycle": {
        HISTORY: BLIND.format(blind=MASKED),
        STATE: BLIND.format(blind="left out, as GET /cycles/{id} does"),
        DIFF: BLIND.format(blind=MASKED),
    }
}


def _doc(text: str, kind: str) -> str:
    return text.format(kind=kind, blind=BLIND_TEXTS.get(kind, {}).get(text, ""))


def _routes(kind: str, rule: str, find: Callable[..., Found], schema: Any) -> None:
    """History, state and diff of one kind of aggregate."""

    @blueprint.get(f"{rule}/history", endpoint=f"{kind}_history")
    @blueprint.arguments(PageArgs, location="query")
    @blueprint.response(200, HistoryEntrySchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
    @reads(blueprint)
    @blueprint.doc(summary=f"The {kind}'s history", description=_doc(HISTORY, kind))
    def history(page: dict[str, int], **key: Any) -> Any:
        return _history(find(**key), page)

    @blueprint.get(f"{rule}/state", endpoint=f"{kind}_state")
    @blueprint.arguments(StateQuerySchema, location="query")
    @blueprint.response(200, schema, headers=VERSIONED)
    @blueprint.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @reads(blueprint)
    @blueprint.doc(summary=f"The {kind} at a version or time", description=_doc(STATE, kind))
    def state(query: dict[str, Any], **key: Any) -> Any:
        return _state(find(**key), query)

    @blueprint.get(f"{rule}/diff", endpoint=f"{kind}_diff")
    @blueprint.arguments(DiffQuerySchema, location="query")
    @blueprint.response(200, DiffSchema, headers=VERSIONED)
    @reads(blueprint)
    @blueprint.doc(summary=f"Two versions of the {kind} compared", description=_doc(DIFF, kind))
    def diff(query: dict[str, int], **key: Any) -> Any:
        return _diff(find(**key), query)


_routes("cycle", "/cycles/<uuid:cycle_id>", _cycle, CycleSchema)
_routes("organisation", "/organisations/<string:slug>", _organisation, OrganisationStateSchema)
