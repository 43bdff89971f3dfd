"""A theme's own records on a cycle (a logic model, a theory of change), for any theme that
declares record kinds (``Theme.record_schemas``): read them, change several at once.

Each record's ``attrs`` is checked by its kind's schema and the theme's plugin checks the
resulting set (``validate_item`` with the kind ``records``); a refused change names every
problem (``records.<kind>.<record_id>.attrs.<field>``) and writes nothing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from marshmallow import Schema, fields, validate

from engine.domain.errors import NotFound
from engine.domain.limits import MAX_ITEM_ID, MAX_KEY, MAX_REASON, MAX_RECORD_TEXT
from web.api.auth import readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads, writes
from web.api.concurrency import etag
from web.api.cycles import run_command
from web.api.schemas import CommandResultSchema
from web.services import engine

blueprint = api_blueprint(
    "theme_records", __name__, "A theme's own records on a cycle (the logic model, ...)."
)
PATH = "/cycles/<uuid:cycle_id>/themes/<string:theme_id>/records"


class ThemeRecordSchema(Schema):
    """One record: its theme data and its free text."""

    attrs = fields.Dict(required=True, metadata={"description": "Checked by the kind's schema."})
    text = fields.String(required=True, metadata={"description": "Free text ('' if none)."})


class ThemeRecordsSchema(Schema):
    """A theme's records on a cycle, by kind and id."""

    theme_id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "The cycle's version."})
    records = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Nested(ThemeRecordSchema)),
        required=True,
        metadata={"description": "kind -> record id -> record"},
    )


class RecordSaveSchema(Schema):
    """A record saved: added, or replaced whole."""

    kind = fields.String(required=True, validate=validate.Length(1, MAX_KEY))
    record_id = fields.String(
        load_default=None,
        validate=validate.Length(1, MAX_ITEM_ID),
        metadata={"description": "Made up when left out."},
    )
    attrs = fields.Dict(load_default=dict)
    text = fields.String(load_default="", validate=validate.Length(0, MAX_RECORD_TEXT))


class RecordRemovalSchema(Schema):
    """A record removed."""

    kind = fields.String(required=True, validate=validate.Length(1, MAX_KEY))
    record_id = fields.String(required=True, validate=validate.Length(1, MAX_ITEM_ID))


class RecordsChangeSchema(Schema):
    """Saves and removals of one theme's records, written together or not at all."""

    saves = fields.List(fields.Nested(RecordSaveSchema), load_default=list)
    removals = fields.List(fields.Nested(RecordRemovalSchema), load_default=list)
    reason = fields.String(load_default="", validate=validate.Length(0, MAX_REASON))


def _theme_records(cycle: dict[str, Any], theme_id: str) -> dict[str, Any]:
    if theme_id not in cycle["themes"]:
        raise NotFound("Das Thema gehört nicht zu diesem Zyklus.", "No such theme on the cycle.")
    found: dict[str, Any] = cycle.get("records", {}).get(theme_id, {})
    return found


@blueprint.get(PATH)
@blueprint.response(200, ThemeRecordsSchema, headers=VERSIONED)
@reads(blueprint)
def theme_records(cycle_id: UUID, theme_id: str) -> Any:
    """The theme's records on the cycle (ETag: the cycle's version)."""
    cycle = readable_cycle(cycle_id)
    records = _theme_records(cycle, theme_id)
    body = {"theme_id": theme_id, "version": cycle["version"], "records": records}
    return body, etag(cycle["version"])


@blueprint.post(PATH)
@blueprint.arguments(RecordsChangeSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def change_theme_records(data: dict[str, Any], cycle_id: UUID, theme_id: str) -> Any:
    """Save and remove records of the theme together (at most 250 at once).

    A save names ``kind``, ``record_id`` (made up when left out), ``attrs`` and ``text``; a
    removal ``kind`` and ``record_id``. Every problem is told at once (422), nothing written.
    """
    return run_command(cycle_id, engine().change_records, theme_id=theme_id, **data)
