"""Small helpers for WTForms: the base of every form, validators and fields built from the
engine's item shapes (so that a form's limits are the engine's), typed access to submitted values,
errors added after validation."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from engine.domain.shapes import FieldShape
from engine.domain.validation import UNSAFE_TEXT
from web.feedback import note, note_field
from web.form_messages import make_specific

CONTROL_CHARACTERS = _l(
    "Enthält unzulässige Steuerzeichen (erlaubt sind Tabulator und Zeilenumbrüche)."
)


class Form(FlaskForm):
    """Base of every form: every error names its field and says what to do (WTForms' standard
    messages are replaced, see :mod:`web.form_messages`); the form's errors join the page's
    error summary (:mod:`web.feedback`). No submitted text may hold NUL, another control
    character (tab and line breaks excepted) or a lone surrogate; such a field gets an error
    of its own.

    The engine refuses such text too (it never reaches an event); this says so at the field
    before any command is tried.
    """

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own validation, then the check of every submitted text."""
        valid: bool = super().validate(extra_validators)
        for field in self:
            make_specific(field)
            if unsafe(field.data):
                add_error(field, str(CONTROL_CHARACTERS))
                valid = False
        note(self)
        return valid


def length_of(spec: FieldShape) -> Length:
    """The length validator of a shape's field: ``length_of(shapes.REASON)`` is
    ``Length(max=MAX_REASON)``."""
    if spec.max_length is None:
        raise ValueError(f"the field {spec.name!r} has no length limit")
    return Length(max=spec.max_length)


def validators_of(spec: FieldShape, required: Any = None) -> list[Any]:
    """A shape's text field's validators: its length, after DataRequired when it must be given
    (with ``required`` as its message, else one that names the field)."""
    if not spec.required:
        return [length_of(spec)]
    return [DataRequired(message=required), length_of(spec)]


def text_area(label: Any, spec: FieldShape, required: Any = None, **kwargs: Any) -> TextAreaField:
    """A multi-line text field for a shape's text field (its validators derived from it);
    ``required`` says what to do when it is left empty."""
    return TextAreaField(label, validators=validators_of(spec, required), **kwargs)


def text_line(label: Any, spec: FieldShape, required: Any = None, **kwargs: Any) -> StringField:
    """A one-line text field for a shape's text field (its validators derived from it);
    ``required`` says what to do when it is left empty."""
    return StringField(label, validators=validators_of(spec, required), **kwargs)


def unsafe(value: object) -> bool:
    """Whether a submitted value (a text, or a list of texts) holds a forbidden character."""
    if isinstance(value, str):
        return UNSAFE_TEXT.search(value) is not None
    if isinstance(value, list | tuple):
        return any(unsafe(item) for item in value)
    return False


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
    note_field(field)
