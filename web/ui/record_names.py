"""Theme records named for people in the audit pages: an element by its title, an arrow by the
titles of its ends, never by the internal id where a title can be found."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _


def record_name(state: Mapping[str, Any], segments: Sequence[str]) -> str:
    """The record a state path ('records', theme, kind, id, ...) points at, in words."""
    theme_id, kind, record_id = segments[1:4]
    records = state.get("records", {}).get(theme_id, {})
    record = records.get(kind, {}).get(record_id)
    if not isinstance(record, Mapping):
        return str(_("ein entfernter Eintrag"))
    attrs = record.get("attrs") or {}
    if "title" in attrs:
        return f"„{attrs['title']}“"
    if "source" in attrs and "target" in attrs:
        return f"„{_title(records, attrs['source'])}“ → „{_title(records, attrs['target'])}“"
    return record_id


def _title(records: Mapping[str, Any], element_id: str) -> str:
    for found in records.values():
        record = found.get(element_id)
        if isinstance(record, Mapping) and "title" in (record.get("attrs") or {}):
            return str(record["attrs"]["title"])
    return str(_("entferntes Element"))
