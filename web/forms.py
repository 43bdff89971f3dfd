"""Small helpers for WTForms: typed access to submitted values, errors added after validation."""

from __future__ import annotations

from datetime import date
from typing import Any

from wtforms import Field


def text(field: Field) -> str:
    """A text field's submitted value ('' when empty)."""
    return str(field.data or "")


def chosen(field: Field) -> list[str]:
    """A multiple-choice field's chosen values."""
    return [str(value) for value in (field.data or [])]


def day(field: Field) -> date | None:
    """A date field's value (None when empty)."""
    value: Any = field.data
    return value if isinstance(value, date) else None


def add_error(field: Field, message: str) -> None:
    """Show ``message`` next to ``field`` (after the form's own validation)."""
    field.errors = [*field.errors, message]
