"""Checks of command input; each failure names the field and says what is wrong."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from engine.domain.errors import InvalidInput
from engine.domain.limits import MAX_ATTRS_BYTES, MAX_ITEM_ID, MAX_REASON, MAX_TEXT
from engine.domain.limits import MAX_TITLE as MAX_TITLE

ITEM_ID_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9_-]{{0,{MAX_ITEM_ID - 1}}}$"
"""What an item's id may be: letters, digits, - and _, at most :data:`MAX_ITEM_ID` characters."""
ITEM_ID = re.compile(ITEM_ID_PATTERN)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
"""A SHA-256 hash in lower-case hex."""
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""Characters no stored text may hold: NUL and the other control characters (tab, line feed
and carriage return excepted) and lone surrogates. PostgreSQL's text cannot hold NUL, UTF-8
cannot encode a lone surrogate, and none of them is ever meant in a title or a note."""
REPLACEMENT = "\ufffd"


def new_item_id() -> str:
    """A fresh id for a goal, measure, finding, lesson or comment."""
    return uuid4().hex[:12]


def item_id(field: str, value: object | None) -> str:
    """The given item id (checked) or a fresh one."""
    if value is None:
        return new_item_id()
    if not isinstance(value, str) or not ITEM_ID.match(value):
        raise InvalidInput(
            field,
            f"nur Buchstaben, Ziffern, - und _ (höchstens {MAX_ITEM_ID} Zeichen)",
            f"only letters, digits, - and _ (at most {MAX_ITEM_ID} characters)",
        )
    return value


def text(field: str, value: object, *, required: bool = True, max_length: int = MAX_TEXT) -> str:
    """A stripped string; empty only when not required."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(field, "muss Text sein", "must be text")
    refuse_unsafe(field, value)
    stripped = value.strip()
    if required and not stripped:
        raise InvalidInput(field, "darf nicht leer sein", "must not be empty")
    if len(stripped) > max_length:
        raise InvalidInput(
            field, f"höchstens {max_length} Zeichen", f"at most {max_length} characters"
        )
    return stripped


def refuse_unsafe(field: str, value: str) -> None:
    """Refuse a text with a control character (other than tab and line breaks) or a lone
    surrogate, naming the field."""
    if UNSAFE_TEXT.search(value):
        raise InvalidInput(
            field,
            "enthält unzulässige Steuerzeichen",
            "holds control characters that are not allowed",
        )


def refuse_unsafe_content(content: object, field: str = "") -> None:
    """Refuse any text in ``content`` (nested dicts and lists, keys too) that
    :func:`refuse_unsafe` would refuse, naming its dotted path."""
    if isinstance(content, str):
        refuse_unsafe(field or "text", content)
    elif isinstance(content, Mapping):
        for key, item in content.items():
            path = f"{field}.{key}" if field else str(key)
            if isinstance(key, str):
                refuse_unsafe(path, key)
            refuse_unsafe_content(item, path)
    elif isinstance(content, list | tuple):
        for index, item in enumerate(content):
            refuse_unsafe_content(item, f"{field}.{index}" if field else str(index))


def safe_text(value: str) -> str:
    """The text with every character :data:`UNSAFE_TEXT` names replaced by U+FFFD.

    For storing what an event holds whatever it holds (events written before the check).
    """
    return UNSAFE_TEXT.sub(REPLACEMENT, value) if UNSAFE_TEXT.search(value) else value


def reason(value: object) -> str:
    """A required reason (Begründung) for commands that change meaning."""
    return text("reason", value, max_length=MAX_REASON)


def optional_text(field: str, value: object, *, max_length: int = MAX_TEXT) -> str:
    """A stripped string that may be empty."""
    return text(field, value, required=False, max_length=max_length)


def one_of(field: str, value: object, choices: Sequence[str]) -> str:
    """One of the given choices."""
    if value not in choices:
        allowed = ", ".join(choices)
        raise InvalidInput(field, f"muss eins sein von: {allowed}", f"must be one of: {allowed}")
    return str(value)


def a_date(field: str, value: object) -> date:
    """A date, given as a date or an ISO string (YYYY-MM-DD)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(field, "muss ein Datum sein (JJJJ-MM-TT)", "must be a date (YYYY-MM-DD)")


def optional_date(field: str, value: object) -> date | None:
    """A date or None."""
    return None if value in (None, "") else a_date(field, value)


def number(field: str, value: object) -> float:
    """A finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, "muss eine Zahl sein", "must be a number")
    if not math.isfinite(value):
        raise InvalidInput(field, "muss eine endliche Zahl sein", "must be a finite number")
    return float(value)


def optional_number(field: str, value: object) -> float | None:
    """A finite number or None."""
    return None if value is None else number(field, value)


def sha256(field: str, value: object) -> str:
    """A SHA-256 hash in lower-case hex (the name of stored content)."""
    if not isinstance(value, str) or not SHA256.match(value):
        raise InvalidInput(field, "ist kein SHA-256-Hash", "is not a SHA-256 hash")
    return value


def positive_size(field: str, value: object) -> int:
    """A positive whole number (a size in bytes)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(field, "muss eine positive Zahl sein", "must be positive")
    return value


def a_uuid(field: str, value: object) -> UUID:
    """A UUID, given as a UUID or a string."""
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise InvalidInput(field, "ist keine gültige Kennung", "is not a valid id") from None


def date_order(end_field: str, start: date | None, end: date | None) -> None:
    """Refuse an end before its start (naming the end's field)."""
    if start is not None and end is not None and end < start:
        raise InvalidInput(end_field, "liegt vor dem Beginn", "lies before the start")


def attrs(value: object, schema: type[Schema] | None, field: str = "attrs") -> dict[str, Any]:
    """Theme data: a JSON object, loaded and dumped through the theme's schema when it has one.

    Loading validates; dumping turns dates and other rich values back into JSON, so that a
    plugin's schema can use ``fields.Date`` and the like.
    """
    if schema is None and (value is None or value == {}):
        return {}
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise InvalidInput(field, "muss ein Objekt sein", "must be an object")
    if schema is not None:
        instance = schema()
        try:
            value = instance.dump(instance.load(dict(value)))
        except SchemaError as error:
            raise _schema_error(field, error) from None
    try:
        encoded = json.dumps(value, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidInput(
            field, "enthält Werte, die kein JSON sind", "holds non-JSON values"
        ) from None
    if len(encoded) > MAX_ATTRS_BYTES:
        raise InvalidInput(field, "ist zu groß", "is too large")
    loaded: dict[str, Any] = json.loads(encoded)
    refuse_unsafe_content(loaded, field)
    return loaded


def _schema_error(field: str, error: SchemaError) -> InvalidInput:
    """Every problem a theme's schema found, each with its dotted path (attrs.evidence.0.date)."""
    found = [InvalidInput(path, detail) for path, detail in schema_problems(error.messages, field)]
    return InvalidInput.combined(found or [InvalidInput(field, str(error))])


def schema_problems(messages: object, path: str) -> list[tuple[str, str]]:
    """marshmallow's nested messages as (dotted path, message) pairs, every leaf of them."""
    if isinstance(messages, Mapping):
        return [
            found
            for key, child in messages.items()
            for found in schema_problems(child, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(messages, list) and all(isinstance(item, str) for item in messages):
        return [(path, message) for message in messages]
    if isinstance(messages, list):
        return [
            found
            for index, child in enumerate(messages)
            for found in schema_problems(child, f"{path}.{index}")
        ]
    return [(path, str(messages))]
