"""An organisation's members (coordinators only): add, change roles, remove, erase (DSGVO),
and the organisation's choice of themes.

Every change is an engine command with the coordinator as actor, so the organisation's history
records who did it. Names, e-mail addresses and passwords live in the profile store.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID, uuid4

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Regexp

from engine.domain.errors import InvalidInput
from engine.domain.organisation import ROLES as ROLE_IDS
from engine.infrastructure.passwords import MIN_LENGTH, hash_password
from engine.infrastructure.profiles import pseudonym
from web.auth import Membership, membership
from web.forms import Form, add_error, chosen, text
from web.i18n import ROLES, language, localised
from web.services import engine
from web.ui import blueprint
from web.ui.audit import Presenter, actor_name, event_label, history_entries, moment, stamps
from web.ui.common import person, run
from web.ui.organisations import CheckboxesField

EMAIL = Regexp(
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Bitte eine gültige E-Mail-Adresse angeben.")
)
ERASE_REASON = "Löschung auf Wunsch (DSGVO)"
RECENT_CHANGES = 15
"""How many of the organisation's latest changes the members page shows."""


def role_choices() -> list[tuple[str, str]]:
    """The roles, labelled in the reader's language."""
    return [(role, str(ROLES[role])) for role in ROLE_IDS]


def attempt(command: Callable[[], Any], form: FlaskForm, fallback: Field) -> bool:
    """Run an engine command; a refusal of input goes next to its field (else ``fallback``).

    Other refusals are handled as everywhere (``run``): a message on the page, 403 or 404.
    """
    refused: list[InvalidInput] = []

    def guarded() -> None:
        try:
            command()
        except InvalidInput as error:
            refused.append(error)

    done = run(guarded, form)
    for error in refused:
        found = getattr(form, error.field.split(".", 1)[0], None)
        target = found if isinstance(found, Field) else fallback
        add_error(target, error.field_en if language() == "en" else error.field_de)
    return done and not refused


class AddMemberForm(Form):
    """Add a person who already has an account."""

    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Length(max=254), EMAIL])
    role = SelectField(_l("Rolle"), default="contributor")
    reason = StringField(_l("Anlass (freiwillig)"), validators=[Length(max=2000)])


class NewPersonForm(Form):
    """Create a person with an initial password and add them."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Length(max=254), EMAIL])
    password = PasswordField(_l("Erstes Passwort"), validators=[DataRequired(), Length(max=1024)])
    role = SelectField(_l("Rolle"), default="contributor")


class RoleForm(Form):
    """Give a member another role."""

    role = SelectField(_l("Neue Rolle"))
    reason = StringField(_l("Anlass (freiwillig)"), validators=[Length(max=2000)])


class RemoveForm(Form):
    """End a membership, with a reason."""

    reason = StringField(_l("Begründung"), validators=[DataRequired(), Length(max=2000)])


class EraseForm(Form):
    """Erase a person's personal data (DSGVO Art. 17)."""

    confirm = BooleanField(
        _l("Ich bestätige: Name, E-Mail-Adresse und Anmeldedaten werden endgültig gelöscht."),
        validators=[DataRequired(message=_l("Bitte bestätigen Sie die Löschung."))],
    )


class ThemesForm(Form):
    """Which installed themes the organisation's cycles may use."""

    themes = CheckboxesField(
        _l("Themen"), validators=[DataRequired(message=_l("Bitte mindestens ein Thema wählen."))]
    )
    reason = StringField(_l("Anlass (freiwillig)"), validators=[Length(max=2000)])


class StateSharingForm(Form):
    """Whether the Land's state coordination office may see the organisation by name."""

    shares = RadioField(
        _l("Mit der Landeskoordinierungsstelle namentlich teilen"),
        choices=[("yes", _l("ja")), ("no", _l("nein"))],
        validators=[DataRequired(message=_l("Bitte ja oder nein wählen."))],
    )
    reason = StringField(_l("Begründung"), validators=[DataRequired(), Length(max=2000)])


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
    }


def page_forms() -> dict[str, FlaskForm]:
    """The forms of the page that are not about one member."""
    add = AddMemberForm(prefix="add")
    add.role.choices = role_choices()
    new = NewPersonForm(prefix="new")
    new.role.choices = role_choices()
    themes = ThemesForm(prefix="themes")
    themes.themes.choices = [
        (theme.id, localised(theme.title))
        for theme in sorted(engine().themes.values(), key=lambda theme: theme.id)
    ]
    sharing = StateSharingForm(prefix="sharing")
    return {"add": add, "new": new, "themes": themes, "sharing": sharing}


def _organisation_ids(person_id: str) -> list[str]:
    return [m["organisation_id"] for m in engine().memberships(person_id)]


def erase_obstacle(member: Membership, member_id: str, profile: Mapping[str, Any] | None) -> str:
    """Why this page may not erase the person ('' when it may)."""
    if member_id == person():
        return str(_("Sie können sich nicht selbst löschen."))
    if profile is None:
        return str(_("Die Person hat keine gespeicherten Daten mehr."))
    if profile["is_admin"]:
        return str(
            _("Die Person betreut die Installation; löschen kann sie nur die Administration.")
        )
    others = [o for o in _organisation_ids(member_id) if o != member.organisation["id"]]
    if others:
        return str(
            _(
                "Die Person gehört noch zu weiteren Organisationen; löschen kann sie nur die "
                "Administration."
            )
        )
    return ""


def member_rows(
    member: Membership, replaced: Mapping[str, dict[str, FlaskForm]] | None = None
) -> list[dict[str, Any]]:
    """One row per member: name, address, role, the row's forms, and whether erasure is open."""
    profiles = engine().profiles
    order = {role: index for index, role in enumerate(ROLE_IDS)}
    rows = []
    for member_id, role in member.organisation["members"].items():
        profile = profiles.get(member_id)
        forms = row_forms(member_id)
        forms.update((replaced or {}).get(member_id, {}))
        forms["role"].role.data = forms["role"].role.data or role
        rows.append(
            {
                "id": member_id,
                "key": row_key(member_id),
                "name": profile["display_name"] if profile else pseudonym(member_id),
                "email": profile["email"] if profile else "",
                "role": role,
                "you": member_id == person(),
                "forms": forms,
                "erase_obstacle": erase_obstacle(member, member_id, profile),
            }
        )
    return sorted(rows, key=lambda row: (order.get(row["role"], 9), row["name"].lower()))


ORGANISATION_EVENTS = frozenset(
    {
        "OrganisationRegistered",
        "OrganisationRenamed",
        "RoleGranted",
        "RoleRevoked",
        "ThemesChosen",
        "StateSharingChanged",
    }
)
"""The organisation's events the members page lists (not the registration of cycles)."""


def recent_changes(member: Membership) -> list[dict[str, Any]]:
    """The organisation's latest changes (members, roles, themes), newest first, with actors."""
    app = engine()
    organisation = member.organisation
    organisation_id = UUID(organisation["id"])
    found, _unreadable = stamps(app.recorder.select_events(organisation_id))
    latest = [s for s in reversed(found) if s.name in ORGANISATION_EVENTS][:RECENT_CHANGES]
    entries = history_entries(organisation_id, [s.version for s in latest])
    people = {s.actor_id for s in latest} | set(organisation["members"])
    for entry in entries.values():
        people.update(c["path"].split(".", 1)[1] for c in entry["changes"] if "." in c["path"])
    names = app.display_names(people)
    present = Presenter(organisation, app.themes, names, organisation)
    return [
        {
            "when": moment(stamp.timestamp),
            "timestamp": stamp.timestamp,
            "actor": actor_name(stamp.actor_id, names),
            "event": event_label(stamp.name),
            "reason": stamp.reason,
            "changes": (
                present.changes(entries[stamp.version]["changes"])
                if stamp.version in entries
                else None
            ),
        }
        for stamp in latest
    ]


def render(
    member: Membership,
    forms: Mapping[str, FlaskForm] | None = None,
    replaced: Mapping[str, dict[str, FlaskForm]] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The members page, with submitted forms (and their errors) in place of fresh ones."""
    shown = page_forms()
    shown.update(forms or {})
    themes = shown["themes"]
    chosen_themes = member.organisation["themes"]
    if "sharing" not in (forms or {}):
        shown["sharing"].shares.data = "yes" if member.organisation["shares_with_state"] else "no"
    if "themes" not in (forms or {}):
        themes.themes.data = (
            list(chosen_themes) if chosen_themes is not None else list(engine().themes)
        )
    return (
        render_template(
            "ui/members.html",
            member=member,
            rows=member_rows(member, replaced),
            forms=shown,
            themes_chosen=chosen_themes is not None,
            changes=recent_changes(member),
            min_length=MIN_LENGTH,
        ),
        status,
    )


def back(slug: str, message: str) -> Response:
    """After a change: a message, and the page again (fresh)."""
    flash(message)
    return redirect(url_for("ui.members", slug=slug))


@blueprint.get("/o/<slug>/members")
@login_required
def members(slug: str) -> tuple[str, int]:
    """The members with their roles, and the forms to change them."""
    return render(membership(slug, "manage-members"))


@blueprint.post("/o/<slug>/members/add")
@login_required
def members_add(slug: str) -> Response | tuple[str, int]:
    """Add a person who has an account (found by e-mail address) with a role."""
    member = membership(slug, "manage-members")
    form = page_forms()["add"]
    if form.validate_on_submit():
        profile = engine().profiles.by_email(text(form.email))
        if profile is None:
            add_error(
                form.email,
                _(
                    "Niemand hat diese E-Mail-Adresse. Legen Sie die Person unten als neue "
                    "Person an."
                ),
            )
        elif profile["person_id"] in member.organisation["members"]:
            role = member.organisation["members"][profile["person_id"]]
            add_error(
                form.email,
                _("Die Person ist schon Mitglied (%(role)s).", role=ROLES.get(role, role)),
            )
        elif _grant(member, profile["person_id"], form):
            return back(slug, _member_added(profile["display_name"], text(form.role)))
    return render(member, {"add": form}, status=400)


def _grant(member: Membership, member_id: str, form: FlaskForm) -> bool:
    return attempt(
        lambda: engine().grant_role(
            UUID(member.organisation["id"]),
            actor_id=person(),
            member_id=member_id,
            role=text(form.role),
            reason=_reason(form),
        ),
        form,
        form.role,
    )


def _reason(form: FlaskForm) -> str:
    """The form's reason, if it asks for one."""
    field = getattr(form, "reason", None)
    return text(field) if isinstance(field, Field) else ""


def _member_added(name: str, role: str) -> str:
    return str(_("%(name)s ist jetzt Mitglied: %(role)s.", name=name, role=ROLES.get(role, role)))


@blueprint.post("/o/<slug>/members/new")
@login_required
def members_new(slug: str) -> Response | tuple[str, int]:
    """Create a person with an initial password, then give them a role."""
    member = membership(slug, "manage-members")
    form = page_forms()["new"]
    valid = form.validate_on_submit()
    check_new_person(form)
    if valid and not form.errors:
        person_id = f"person-{uuid4().hex[:16]}"
        profiles = engine().profiles
        profiles.put(person_id, display_name=text(form.name).strip(), email=text(form.email))
        profiles.set_password_hash(person_id, hash_password(text(form.password)))
        if _grant(member, person_id, form):
            return back(slug, _member_added(text(form.name).strip(), text(form.role)))
        profiles.erase(person_id)  # the role was refused: leave no account behind
    return render(member, {"new": form}, status=400)


def check_new_person(form: FlaskForm) -> None:
    """Beyond the form's own checks: the address is free, the password long enough."""
    if not form.email.errors and engine().profiles.by_email(text(form.email)) is not None:
        add_error(
            form.email,
            _("Diese E-Mail-Adresse ist schon vergeben: Die Person hat bereits einen Zugang."),
        )
    if not form.password.errors and len(text(form.password)) < MIN_LENGTH:
        add_error(
            form.password,
            _("Das Passwort braucht mindestens %(count)s Zeichen.", count=MIN_LENGTH),
        )


def _current_member(member: Membership, member_id: str) -> str:
    """The member's role; 404 for someone who is not a member."""
    role = member.organisation["members"].get(member_id)
    if role is None:
        abort(404)
    return str(role)


def _name(member_id: str) -> str:
    profile = engine().profiles.get(member_id)
    return str(profile["display_name"]) if profile else pseudonym(member_id)


@blueprint.post("/o/<slug>/members/<member_id>/role")
@login_required
def members_role(slug: str, member_id: str) -> Response | tuple[str, int]:
    """Give a member another role (the last coordinator stays one)."""
    member = membership(slug, "manage-members")
    _current_member(member, member_id)
    form = row_forms(member_id)["role"]
    if form.validate_on_submit() and _grant(member, member_id, form):
        message = _(
            "%(name)s hat jetzt die Rolle %(role)s.",
            name=_name(member_id),
            role=ROLES.get(text(form.role), text(form.role)),
        )
        if member_id == person() and text(form.role) != "coordinator":
            flash(message)  # no longer allowed on this page: back to the organisation
            return redirect(url_for("ui.organisation", slug=slug))
        return back(slug, message)
    return render(member, replaced={member_id: {"role": form}}, status=400)


@blueprint.post("/o/<slug>/members/<member_id>/remove")
@login_required
def members_remove(slug: str, member_id: str) -> Response | tuple[str, int]:
    """End a membership, with a reason (the last coordinator cannot be removed)."""
    member = membership(slug, "manage-members")
    _current_member(member, member_id)
    form = row_forms(member_id)["remove"]
    if form.validate_on_submit() and attempt(
        lambda: engine().revoke_role(
            UUID(member.organisation["id"]),
            actor_id=person(),
            member_id=member_id,
            reason=text(form.reason),
        ),
        form,
        form.reason,
    ):
        flash(_("%(name)s ist kein Mitglied mehr.", name=_name(member_id)))
        if member_id == person():
            return redirect(url_for("ui.home"))
        return redirect(url_for("ui.members", slug=slug))
    return render(member, replaced={member_id: {"remove": form}}, status=400)


@blueprint.post("/o/<slug>/members/<member_id>/erase")
@login_required
def members_erase(slug: str, member_id: str) -> Response | tuple[str, int]:
    """Erase a person who belongs to this organisation only: end the membership, delete the
    profile. The history keeps the events and shows a pseudonym; the seals still hold."""
    member = membership(slug, "manage-members")
    _current_member(member, member_id)
    form = row_forms(member_id)["erase"]
    profiles = engine().profiles
    if form.validate_on_submit():
        obstacle = erase_obstacle(member, member_id, profiles.get(member_id))
        if obstacle:
            add_error(form.confirm, obstacle)
        elif attempt(
            lambda: engine().revoke_role(
                UUID(member.organisation["id"]),
                actor_id=person(),
                member_id=member_id,
                reason=ERASE_REASON,
            ),
            form,
            form.confirm,
        ):
            profiles.erase(member_id)
            return back(
                slug,
                _(
                    "Die Person wurde gelöscht. Im Verlauf erscheint sie als „%(pseudonym)s“.",
                    pseudonym=pseudonym(member_id),
                ),
            )
    return render(member, replaced={member_id: {"erase": form}}, status=400)


@blueprint.post("/o/<slug>/members/themes")
@login_required
def members_themes(slug: str) -> Response | tuple[str, int]:
    """Choose the installed themes the organisation's cycles may use."""
    member = membership(slug, "configure")
    form = page_forms()["themes"]
    if form.validate_on_submit():
        if member.organisation["themes"] == chosen(form.themes):
            add_error(form.themes, _("Das ist schon die gewählte Auswahl."))
        elif attempt(
            lambda: engine().choose_themes(
                UUID(member.organisation["id"]),
                actor_id=person(),
                theme_ids=chosen(form.themes),
                reason=text(form.reason),
            ),
            form,
            form.themes,
        ):
            return back(slug, _("Die Themenauswahl ist gespeichert."))
    return render(member, {"themes": form}, status=400)


@blueprint.post("/o/<slug>/members/state-sharing")
@login_required
def members_state_sharing(slug: str) -> Response | tuple[str, int]:
    """Let the Land's state coordination office see the organisation by name, or stop it."""
    member = membership(slug, "configure")
    form = page_forms()["sharing"]
    if form.validate_on_submit():
        shares = text(form.shares) == "yes"
        if member.organisation["shares_with_state"] == shares:
            add_error(form.shares, _("Das ist schon so eingestellt."))
        elif attempt(
            lambda: engine().set_state_sharing(
                UUID(member.organisation["id"]),
                actor_id=person(),
                shares=shares,
                reason=text(form.reason),
            ),
            form,
            form.reason,
        ):
            if shares:
                return back(
                    slug,
                    _("Die Landeskoordinierungsstelle sieht die Organisation jetzt namentlich."),
                )
            return back(
                slug,
                _("Die Landeskoordinierungsstelle sieht die Organisation nicht mehr namentlich."),
            )
    return render(member, {"sharing": form}, status=400)
