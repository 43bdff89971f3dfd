"""Schemas of the audit: history entries, states as of a version or time, diffs."""

from __future__ import annotations

from marshmallow import fields, validate

from web.api.schemas.base import AnyJson, Schema


class ChangeSchema(Schema):
    """One changed value: its path, before and after."""

    path = fields.String(required=True)
    before = AnyJson(allow_none=True)
    after = AnyJson(allow_none=True)


class HistoryEntrySchema(Schema):
    """Who did what, when and why, and what it changed."""

    version = fields.Integer(required=True)
    timestamp = fields.DateTime(required=True)
    actor_id = fields.String(required=True)
    event = fields.String(required=True)
    reason = fields.String(required=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class StateQuerySchema(Schema):
    """Which state: at a version, or as it stood at a time (a date means its end)."""

    version = fields.Integer(validate=validate.Range(min=1, max=10**12))
    at = fields.String(
        validate=validate.Length(max=40),
        metadata={"description": "ISO date or date-time (Europe/Berlin unless it says)."},
    )


class DiffQuerySchema(Schema):
    """Two versions to compare."""

    from_version = fields.Integer(
        required=True, data_key="from", validate=validate.Range(min=1, max=10**12)
    )
    to_version = fields.Integer(
        required=True, data_key="to", validate=validate.Range(min=1, max=10**12)
    )


class DiffSchema(Schema):
    """What differs between two versions."""

    from_version = fields.Integer(required=True, data_key="from")
    to_version = fields.Integer(required=True, data_key="to")
    changes = fields.List(fields.Nested(ChangeSchema), required=True)
