"""Theme data from a submission and back: parsing the inputs into a plain dict, showing stored
values readably, and the schema's standard messages in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from web.i18n import language, short_date
from web.schema_messages import german
from web.ui.attrs_schema import MAX_ITEMS, REMOVE, FieldSpec, humanise


def parse_all(specs: list[FieldSpec], formdata: MultiDict[str, str], name: str) -> dict[str, Any]:
    """The submitted values of ``specs`` under the input name ``name``; empty inputs left out."""
    parsed: dict[str, Any] = {}
    for spec in specs:
        value = _parse(spec, formdata, f"{name}-{spec.key}")
        if value is not _EMPTY:
            parsed[spec.key] = value
    return parsed


_EMPTY: Any = object()


def _parse(spec: FieldSpec, formdata: MultiDict[str, str], name: str) -> Any:
    if spec.kind == "checkbox":
        return name in formdata
    if spec.kind == "checkboxes":
        chosen = [v for v in formdata.getlist(name) if v]
        return chosen if chosen or spec.required else _EMPTY
    if spec.kind == "group":
        items = []
        for index in _indices(formdata, name):
            item_name = f"{name}-{index}"
            if f"{item_name}-{REMOVE}" in formdata:
                continue
            item = parse_all(spec.children, formdata, item_name)
            if any(filled(value) for value in item.values()):
                items.append(item)
        return items if items or spec.required else _EMPTY
    if spec.kind == "object":
        inner = parse_all(spec.children, formdata, name)
        return inner if any(filled(v) for v in inner.values()) or spec.required else _EMPTY
    raw = formdata.get(name, "")
    if spec.kind == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        values = [_number(line, spec.number) if spec.number else line for line in lines]
        return values if values or spec.required else _EMPTY
    if not raw.strip():
        return _EMPTY
    if spec.number:
        return _number(raw, spec.number)
    return raw.strip() if spec.kind in ("date", "select") else raw


def _number(raw: str, kind: str) -> Any:
    """An int or float from the input (decimal comma accepted); else the text, for the schema."""
    cleaned = raw.strip().replace(",", ".")
    try:
        return int(cleaned) if kind == "int" else float(cleaned)
    except ValueError:
        return raw


def _indices(formdata: MultiDict[str, str], name: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(name)}-(\d{{1,4}})-")
    found = {int(m.group(1)) for key in formdata if (m := pattern.match(key))}
    return sorted(found)[:MAX_ITEMS]


def filled(value: Any) -> bool:
    """Whether a parsed value says anything (not empty, not an unticked box)."""
    return value not in (None, "", [], {}, False)


def readable(spec: FieldSpec, value: Any) -> str:
    """A stored value as the reader sees it: choice labels, dates, numbers, items joined."""
    labels = dict(spec.choices)
    if spec.kind == "checkbox":
        return str(_("ja") if value is True else _("nein"))
    if spec.kind == "checkboxes" and isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if spec.kind == "group" and isinstance(value, list):
        return "; ".join(_readable_item(spec.children, item) for item in value)
    if spec.kind == "object" and isinstance(value, Mapping):
        return _readable_item(spec.children, value)
    if spec.kind == "date" and isinstance(value, str):
        try:
            return short_date(date.fromisoformat(value))
        except ValueError:
            return value
    if spec.kind in ("number",) and isinstance(value, int | float) and not isinstance(value, bool):
        return str(format_decimal(value))
    if spec.kind == "lines" and isinstance(value, list):
        return ", ".join(map(str, value))
    return labels.get(str(value), plain_text(value))


def _readable_item(children: list[FieldSpec], item: Any) -> str:
    if not isinstance(item, Mapping):
        return plain_text(item)
    parts = [readable(child, item[child.key]) for child in children if filled(item.get(child.key))]
    return ", ".join(parts)


def plain_text(value: Any) -> str:
    """Any value as text, lists and mappings joined by commas."""
    if isinstance(value, list):
        return ", ".join(plain_text(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{humanise(str(k))}: {plain_text(v)}" for k, v in value.items())
    return str(value)


def schema_message(message: str) -> str:
    """A schema's standard (English) message in the reader's language; others as they are."""
    return message if language() == "en" else german(message)
