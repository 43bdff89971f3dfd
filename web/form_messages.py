"""Specific error messages for every form field: WTForms' standard messages ("Dieses Feld wird
benötigt.") say neither which field nor what to do, so each is replaced by one that names the
field's label and the fix ("Bitte füllen Sie „Titel“ aus.").

A message a form gives itself (a validator's ``message``) is kept as it is; only the standard
ones are replaced. :class:`web.forms.Form` calls :func:`make_specific` after validating.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

WTFORMS_REQUIRED = "This field is required."
"""WTForms' own message for an empty required field (translated by WTForms' catalogue)."""


def _(text: str, **variables: Any) -> str:
    """``text`` in the reader's language, with ``variables`` filled in."""
    return str(gettext(text, **variables))


def make_specific(field: Field) -> None:
    """Replace the field's standard error messages by ones that name it and say what to do."""
    if not field.errors or field.type in ("CSRFTokenField", "HiddenField"):
        return
    own = {str(getattr(v, "message", "")) for v in field.validators}
    field.errors = [
        message if str(message) in own else specific(field, str(message))
        for message in field.errors
    ]


def specific(field: Field, message: str) -> str:
    """A specific message for a standard one (``message``) of ``field``."""
    label = str(field.label.text) if field.label else ""
    if _required(field, message):
        return required_message(field)
    length = _length(field)
    if length is not None:
        return _(
            "„%(label)s“ darf höchstens %(max)d Zeichen lang sein (eingegeben: %(length)d).",
            label=label,
            max=length.max,
            length=len(str(field.data or "")),
        )
    if isinstance(field, DateField):
        return _("Bitte geben Sie für „%(label)s“ ein gültiges Datum an.", label=label)
    if isinstance(field, IntegerField):
        bounds = _bounds(field)
        if bounds is not None and field.data is not None:
            return _(
                "„%(label)s“ muss zwischen %(min)s und %(max)s liegen.",
                label=label,
                min=bounds.min,
                max=bounds.max,
            )
        return _("Bitte geben Sie für „%(label)s“ eine ganze Zahl an.", label=label)
    if isinstance(field, SelectField | RadioField | SelectMultipleField):
        return _("Bitte wählen Sie für „%(label)s“ einen der angebotenen Werte.", label=label)
    return f"{label}: {message}" if label else message


def required_message(field: Field) -> str:
    """What to do about an empty required field, by its kind."""
    label = str(field.label.text) if field.label else ""
    if isinstance(field, SelectMultipleField):
        return _("Bitte wählen Sie mindestens eine Angabe unter „%(label)s“.", label=label)
    if isinstance(field, SelectField | RadioField):
        return _("Bitte wählen Sie eine Angabe unter „%(label)s“.", label=label)
    if isinstance(field, BooleanField):
        return _("Bitte bestätigen Sie: „%(label)s“.", label=label)
    return _("Bitte füllen Sie „%(label)s“ aus.", label=label)


def _required(field: Field, message: str) -> bool:
    required = any(
        isinstance(v, DataRequired | InputRequired) and not getattr(v, "message", None)
        for v in field.validators
    )
    return required and message == field.gettext(WTFORMS_REQUIRED)


def _length(field: Field) -> Length | None:
    """The length validator the field's value breaks (None if none)."""
    size = len(str(field.data or ""))
    for validator in field.validators:
        if not isinstance(validator, Length) or getattr(validator, "message", None):
            continue
        if validator.max != -1 and size > validator.max:
            return validator
    return None


def _bounds(field: Field) -> Any:
    return next((v for v in field.validators if isinstance(v, NumberRange)), None)
