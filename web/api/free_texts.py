"""A cycle's free texts and their erasure, for the organisation's coordinators.

Erasing a text keeps every seal and signed checkpoint valid: the events hold a reference
only (engine/application/free_texts.py). The history records who erased it and why.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from marshmallow import Schema, fields

from engine.domain.errors import Conflict
from web.api.auth import caller, readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads, result, writes
from web.api.concurrency import expected_version
from web.api.schemas import CommandResultSchema
from web.services import engine

blueprint = api_blueprint("texts", __name__, "Free texts of a cycle and their erasure.")


class FreeTextSchema(Schema):
    """One free text of the cycle (null once erased)."""

    reference = fields.String(required=True, metadata={"description": "qzt1: and 64 hex digits"})
    version = fields.Integer(required=True, metadata={"description": "The event's version."})
    field = fields.String(required=True, metadata={"description": "The event field it fills."})
    text = fields.String(allow_none=True, required=True)
    erased_on = fields.Date(allow_none=True, required=True)


class TextErasureSchema(Schema):
    """Why the text is erased (recorded in the history; never the text)."""

    reason = fields.String(required=True, validate=lambda v: 0 < len(v.strip()) <= 500)


@blueprint.get("/cycles/<uuid:cycle_id>/texts")
@blueprint.response(200, FreeTextSchema(many=True))
@reads(blueprint)
def list_texts(cycle_id: UUID) -> Any:
    """The cycle's free texts with their references, newest first (coordinators only)."""
    readable_cycle(cycle_id)
    return engine().free_texts_of(cycle_id, actor_id=caller().actor_id)


@blueprint.post("/cycles/<uuid:cycle_id>/texts/<string:reference>/erasure")
@blueprint.arguments(TextErasureSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def erase_text(data: dict[str, Any], cycle_id: UUID, reference: str) -> Any:
    """Erase one free text; the cycle's history records the erasure, never the text."""
    version = expected_version()
    current = readable_cycle(cycle_id)["version"]
    if version != current:
        raise Conflict(version, current)
    done = engine().erase_text(
        reference, actor_id=caller().actor_id, reason=data["reason"], within=cycle_id
    )
    return result(cycle_id, done.version)
