"""The members page's forms (adding, new person, role, removal, erasure, themes, sharing with
the Land) and running a command whose refusal of input goes next to the field it names.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Regexp

from engine.domain import shapes
from engine.domain.errors import InvalidInput
from engine.domain.limits import MAX_LABEL
from engine.domain.organisation import ROLES as ROLE_IDS
from web.forms import Form, add_error, text, text_line
from web.i18n import ROLES, language, localised
from web.services import engine
from web.ui.common import run
from web.ui.organisations import CheckboxesField

EMAIL = Regexp(
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Bitte eine gültige E-Mail-Adresse angeben.")
)


def role_choices() -> list[tuple[str, str]]:
    """The roles, labelled in the reader's language."""
    return [(role, str(ROLES[role])) for role in ROLE_IDS]


def attempt(command: Callable[[], Any], form: FlaskForm, fallback: Field) -> bool:
    """Run an engine command; a refusal of input goes next to its field (else ``fallback``).

    Other refusals are handled as everywhere (``run``): a message on the page, 403 or 404.
    """

    def place(problem: InvalidInput, detail: str) -> bool:
        found = getattr(form, problem.field.split(".", 1)[0], None)
        add_error(found if isinstance(found, Field) else fallback, detail)
        return True

    return run(command, form, place)


class AddMemberForm(Form):
    """Add a person who already has an account."""

    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(message=_l("Geben Sie die E-Mail-Adresse der Person an.")),
            Length(max=254),
            EMAIL,
        ],
    )
    role = SelectField(_l("Rolle"), default="contributor")
    reason = text_line(_l("Anlass (freiwillig)"), shapes.ROLE_GRANT["reason"])


MAIL_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
"""The languages an invitation can be written in (each named in itself)."""


class NewPersonForm(Form):
    """Create a person, add them with a role and invite them by mail to set a password."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_LABEL)])
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Length(max=254), EMAIL])
    role = SelectField(_l("Rolle"), default="contributor")
    language = SelectField(_l("Sprache der Einladung"), choices=MAIL_LANGUAGES)


class RoleForm(Form):
    """Give a member another role."""

    role = SelectField(_l("Neue Rolle"))
    reason = text_line(_l("Anlass (freiwillig)"), shapes.ROLE_GRANT["reason"])


class RemoveForm(Form):
    """End a membership, with a reason."""

    reason = text_line(
        _l("Begründung"), shapes.REASON, _l("Geben Sie an, warum die Mitgliedschaft endet.")
    )


class InviteForm(Form):
    """Invite a member again who has not set a password yet."""

    language = SelectField(_l("Sprache der Einladung"), choices=MAIL_LANGUAGES)


class EraseForm(Form):
    """Erase a person's personal data (DSGVO Art. 17)."""

    confirm = BooleanField(
        _l("Ich bestätige: Name, E-Mail-Adresse und Anmeldedaten werden endgültig gelöscht."),
        validators=[DataRequired(message=_l("Bitte bestätigen Sie die Löschung."))],
    )


class ThemesForm(Form):
    """Which installed themes the organisation's cycles may use."""

    themes = CheckboxesField(
        _l("Themen"), validators=[DataRequired(message=_l("Wählen Sie mindestens ein Thema."))]
    )
    reason = text_line(_l("Anlass (freiwillig)"), shapes.OPTIONAL_REASON)


class StateSharingForm(Form):
    """Whether the Land's state coordination office may see the organisation by name."""

    shares = RadioField(
        _l("Mit der Landeskoordinierungsstelle namentlich teilen"),
        choices=[("yes", _l("ja")), ("no", _l("nein"))],
        validators=[DataRequired(message=_l("Wählen Sie ja oder nein."))],
    )
    reason = text_line(
        _l("Begründung"), shapes.REASON, _l("Geben Sie an, warum sich die Freigabe ändert.")
    )


def row_key(member_id: str) -> str:
    """A short, HTML-safe key of a member for form prefixes and ids."""
    return hashlib.sha256(member_id.encode("utf-8")).hexdigest()[:10]


def row_forms(member_id: str) -> dict[str, FlaskForm]:
    """The forms in a member's row (role, removal, erasure), with unique field names."""
    key = row_key(member_id)
    role = RoleForm(prefix=f"role-{key}")
    role.role.choices = role_choices()
    return {
        "role": role,
        "remove": RemoveForm(prefix=f"remove-{key}"),
        "erase": EraseForm(prefix=f"erase-{key}"),
        "invite": invite_form(member_id),
    }


def invite_form(person_id: str) -> InviteForm:
    """The form to invite a person again, in the reader's language unless chosen otherwise."""
    form = InviteForm(prefix=f"invite-{row_key(person_id)}")
    form.language.data = form.language.data or language()
    return form


def page_forms() -> dict[str, FlaskForm]:
    """The forms of the page that are not about one member."""
    add = AddMemberForm(prefix="add")
    add.role.choices = role_choices()
    new = NewPersonForm(prefix="new")
    new.role.choices = role_choices()
    new.language.data = new.language.data or language()
    themes = ThemesForm(prefix="themes")
    themes.themes.choices = [
        (theme.id, localised(theme.title))
        for theme in sorted(engine().themes.values(), key=lambda theme: theme.id)
    ]
    sharing = StateSharingForm(prefix="sharing")
    return {"add": add, "new": new, "themes": themes, "sharing": sharing}


def check_new_person(form: FlaskForm) -> None:
    """Beyond the form's own checks: the address is free."""
    if not form.email.errors and engine().profiles.by_email(text(form.email)) is not None:
        add_error(
            form.email,
            _("Diese E-Mail-Adresse ist schon vergeben: Die Person hat bereits einen Zugang."),
        )
