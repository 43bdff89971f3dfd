"""Rating sessions for meetings: open, open round 2, reveal, close, and the results.

Participants use the pages (/s/<code>), not the API: they have no account. The facilitator's
commands here take If-Match like every write; the results need the right to moderate, since they
show distributions the room has not seen yet.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from marshmallow import fields, validate

from engine.domain.errors import Conflict
from engine.domain.limits import MAX_TITLE
from web.api.auth import caller
from web.api.common import VERSIONED, api_blueprint, reads, result, writes
from web.api.concurrency import expected_version
from web.api.cycles import run_command
from web.api.schemas.base import AnyJson, CommandResultSchema, Schema, Text
from web.services import engine

blueprint = api_blueprint(
    "sessions",
    __name__,
    "Rating sessions: rating together in a meeting, blind first round, reveal, second round.",
)

CRITERIA = fields.List(
    fields.String(validate=validate.Length(min=3, max=201)),
    required=True,
    validate=validate.Length(min=1, max=500),
    metadata={"description": 'Criteria as "theme_id/criterion_id".'},
)


class OpenSessionSchema(Schema):
    """Open a session on some of the cycle's criteria until ``ends_at``."""

    title = Text(MAX_TITLE, required=True)
    criteria = CRITERIA
    ends_at = fields.AwareDateTime(required=True, metadata={"description": "With time zone."})


class RoundSchema(Schema):
    """The criteria of the new round (those the group discussed)."""

    criteria = fields.List(
        fields.String(validate=validate.Length(min=3, max=201)),
        required=True,
        validate=validate.Length(min=1, max=500),
    )


class RevealSchema(Schema):
    """The criteria to reveal; all of the current round's when left out."""

    criteria = fields.List(
        fields.String(validate=validate.Length(min=3, max=201)),
        load_default=None,
        validate=validate.Length(min=1, max=500),
    )


class OpenedSchema(CommandResultSchema):
    """The opened session: the cycle's new version, the session's id and its join code."""

    code = fields.String(required=True)


class SessionResultsSchema(Schema):
    """A session with its counts and every criterion's distribution per round, most disagreed
    first (disagreement: van der Eijk's measure as a share, 0 one voice, 1 two camps)."""

    session_id = fields.String(required=True)
    code = fields.String(required=True)
    title = fields.String(required=True)
    ends_at = fields.DateTime(required=True)
    round = fields.Integer(required=True)
    closed = fields.Boolean(required=True)
    open = fields.Boolean(required=True)
    joined = fields.Integer(required=True)
    rated = fields.Integer(required=True)
    max_participants = fields.Integer(required=True)
    fields_of_work = AnyJson(attribute="fields", data_key="fields_of_work")
    criteria = AnyJson(required=True)


@blueprint.get("/cycles/<uuid:cycle_id>/sessions")
@blueprint.response(200, SessionResultsSchema(many=True))
@reads(blueprint)
def list_sessions(cycle_id: UUID) -> Any:
    """The cycle's sessions, newest first, each with its results (coordinators)."""
    actor = caller().actor_id
    headers = engine().sessions_of_cycle(cycle_id, actor_id=actor)
    return [
        engine().session_results(cycle_id, header["session_id"], actor_id=actor)
        for header in headers
    ]


@blueprint.post("/cycles/<uuid:cycle_id>/sessions")
@blueprint.arguments(OpenSessionSchema)
@blueprint.response(201, OpenedSchema, headers=VERSIONED)
@writes(blueprint)
def open_session(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Open a session; participants join at /s/<code> (the QR code's link)."""
    opened = engine().open_rating_session(
        cycle_id, actor_id=caller().actor_id, expected_version=expected_version(), **data
    )
    body = {
        "id": str(cycle_id),
        "version": opened["version"],
        "item_id": opened["session_id"],
        "code": opened["code"],
    }
    return body, 201, {"ETag": f'"{opened["version"]}"'}


@blueprint.post("/cycles/<uuid:cycle_id>/sessions/<string:session_id>/rounds")
@blueprint.arguments(RoundSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def open_round(data: dict[str, Any], cycle_id: UUID, session_id: str) -> Any:
    """Open round 2 for the criteria the group discussed."""
    return run_command(
        cycle_id,
        lambda cid, **given: engine().open_rating_round(cid, session_id, **given),
        item_id=session_id,
        **data,
    )


@blueprint.post("/cycles/<uuid:cycle_id>/sessions/<string:session_id>/reveal")
@blueprint.arguments(RevealSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def reveal(data: dict[str, Any], cycle_id: UUID, session_id: str) -> Any:
    """Reveal the current round's distribution of some or all criteria to the room."""
    return run_command(
        cycle_id,
        lambda cid, **given: engine().reveal_session_results(cid, session_id, **given),
        item_id=session_id,
        **data,
    )


@blueprint.post("/cycles/<uuid:cycle_id>/sessions/<string:session_id>/close")
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def close(cycle_id: UUID, session_id: str) -> Any:
    """End the session: nobody joins or rates any more."""
    return run_command(
        cycle_id,
        lambda cid, **given: engine().close_rating_session(cid, session_id, **given),
        item_id=session_id,
    )


@blueprint.post("/cycles/<uuid:cycle_id>/sessions/participants/<string:participant_id>/erasure")
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def erase_participant_name(cycle_id: UUID, participant_id: str) -> Any:
    """Erase a participant's display name; the ratings stay under the pseudonym (coordinators;
    If-Match: the cycle's version, which the erasure leaves as it is)."""
    version = engine().version_of(cycle_id)
    if expected_version() != version:
        raise Conflict(expected_version(), version)
    engine().erase_participant_name(cycle_id, participant_id, actor_id=caller().actor_id)
    return result(cycle_id, version, participant_id)
