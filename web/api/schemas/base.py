"""The base of every schema of the API, its custom fields, and the schemas every endpoint shares
(errors, command results)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import marshmallow as ma
from marshmallow import fields, validate

from engine.domain.errors import InvalidInput
from engine.domain.validation import refuse_unsafe_content

CONTROL_CHARACTERS = (
    "Must not hold NUL, other control characters (tab and line breaks are allowed) "
    "or lone surrogates."
)


def json_value(value: Any) -> Any:
    """Plain JSON for any engine value: dates as ISO strings, UUIDs as strings."""
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


class AnyJson(fields.Raw):
    """Any JSON value (theme data, changed values in the history)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return json_value(value)


class NumberOrText(fields.Field):  # type: ignore[type-arg]
    """A rating: a number on a numeric scale, or a level's id on a scale of levels."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"oneOf": [{"type": "number"}, {"type": "string"}], **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ma.ValidationError("Must be a number or a level's id.")
        if not math.isfinite(value):
            raise ma.ValidationError("Must be a finite number.")
        return value


class Cell(AnyJson):
    """A figure's value or a table cell: a number, a text, or a text in German and English."""

    def __init__(self, **kwargs: Any) -> None:
        localised = {
            "type": "object",
            "properties": {"de": {"type": "string"}, "en": {"type": "string"}},
            "required": ["de", "en"],
        }
        one_of = [{"type": "number"}, {"type": "string"}, localised]
        super().__init__(metadata={"oneOf": one_of, **kwargs.pop("metadata", {})}, **kwargs)


class Text(fields.String):
    """A string field (a shorthand with a maximum length)."""

    def __init__(self, max_length: int, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=max_length), **kwargs)


class Schema(ma.Schema):
    """Base: unknown fields are refused; the order of fields is kept; no text anywhere in a
    request may hold NUL, another control character (tab and line breaks excepted) or a lone
    surrogate (the engine refuses them too; here they get a field error before it is asked)."""

    class Meta:
        """Refuse unknown fields."""

        unknown = ma.RAISE

    @ma.pre_load
    def refuse_control_characters(self, data: Any, **_: Any) -> Any:
        """A field error naming the (dotted) field whose text holds a forbidden character."""
        try:
            refuse_unsafe_content(dict(data) if isinstance(data, Mapping) else data)
        except InvalidInput as error:
            raise ma.ValidationError({error.field: [CONTROL_CHARACTERS]}) from None
        return data


# Common ------------------------------------------------------------------------------------


class LocalisedSchema(Schema):
    """A text in German and English."""

    de = fields.String(required=True)
    en = fields.String(required=True)


class ReasonSchema(Schema):
    """One reason why a phase change (or a migration) was refused."""

    code = fields.String(required=True)
    de = fields.String(required=True)
    en = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details, the shape of every error."""

    type = fields.String(required=True, metadata={"description": "A URI naming the problem."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong (English)."})
    code = fields.String(required=True, metadata={"description": "A stable code."})
    detail_de = fields.String(metadata={"description": "What went wrong (German)."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Invalid input: every field's messages (dotted path)."},
    )
    errors_de = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Invalid input: every field's messages in German."},
    )
    reasons = fields.List(
        fields.Nested(ReasonSchema),
        metadata={"description": "A refused phase change: every condition still unmet."},
    )


class CommandResultSchema(Schema):
    """What a command changed: the aggregate, its new version, and the item it made."""

    id = fields.String(required=True, metadata={"description": "The cycle or organisation."})
    version = fields.Integer(required=True)
    item_id = fields.String(allow_none=True)
