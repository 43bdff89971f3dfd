"""The installation's administration: organisations and people, as the command line offers them.

Only installation administrators see these pages; for everyone else (signed in or not) they do
not exist (404). Organisations are registered with the administrator as actor, so that their
history says who registered them.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from engine.application.state_office import state_office
from engine.domain.limits import MAX_LABEL, MAX_TITLE
from engine.readmodels.follower import follower_of
from web.auth import session_policy
from web.forms import Form, add_error, text
from web.i18n import ROLES, language
from web.mail import mail_ready
from web.services import engine
from web.ui import blueprint
from web.ui.audit import LAND_NAMES
from web.ui.common import person
from web.ui.members_forms import (
    EMAIL,
    MAIL_LANGUAGES,
    attempt,
    check_new_person,
    invite_form,
    row_key,
)
from web.ui.members_invite import invitation_outbox, invitation_state, invite, mail_missing


def require_admin() -> None:
    """404 for everyone but installation administrators (the page does not exist for them)."""
    if not current_user.is_authenticated or not getattr(current_user, "is_admin", False):
        abort(404)


class OrganisationForm(Form):
    """Register an organisation with its first coordinator."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_TITLE)])
    slug = StringField(_l("Kennung in Adressen"), validators=[DataRequired(), Length(max=63)])
    land = SelectField(_l("Land"))
    coordinator = EmailField(
        _l("E-Mail-Adresse der ersten Netzwerkkoordination"),
        validators=[DataRequired(), Length(max=254), EMAIL],
    )


def organisation_form() -> OrganisationForm:
    """The organisation form with the Länder to choose from."""
    form = OrganisationForm(prefix="org")
    form.land.choices = [("", "–"), *LAND_NAMES.items()]
    return form


class PersonForm(Form):
    """Create a person and invite them by mail to set their password."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=MAX_LABEL)])
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Length(max=254), EMAIL])
    language = SelectField(_l("Sprache der Einladung"), choices=MAIL_LANGUAGES)
    is_admin = BooleanField(_l("Betreut die Installation (Administration)"))


def person_form() -> PersonForm:
    """The person form, the invitation in the reader's language unless chosen otherwise."""
    form = PersonForm(prefix="person")
    form.language.data = form.language.data or language()
    return form


class AdminRightForm(Form):
    """Give or take the administration right."""

    grant = HiddenField()


class SignOutForm(Form):
    """End every session of one person (sign out everywhere)."""


class StateCoordinatorForm(Form):
    """Make a person the state coordinator (LaKo) of one Land."""

    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Length(max=254), EMAIL])
    land = SelectField(_l("Land"))


def state_coordinator_form() -> StateCoordinatorForm:
    """The state coordinator form with the Länder to choose from."""
    form = StateCoordinatorForm(prefix="lako")
    form.land.choices = [("", "–"), *LAND_NAMES.items()]
    return form


def state_coordinator_rows() -> list[dict[str, Any]]:
    """The installation's state coordinators with their names, Länder and a revoke form."""
    found = state_office(engine()).coordinators()
    names = engine().display_names(row["person_id"] for row in found)
    return [
        {
            **row,
            "name": names[row["person_id"]],
            "land_name": LAND_NAMES.get(row["land"], row["land"]),
            "form": AdminRightForm(prefix=f"lako-{row_key(row['person_id'])}"),
        }
        for row in found
    ]


def organisation_rows() -> list[dict[str, Any]]:
    """Every organisation with its Land, members, cycles and coordinators."""
    app = engine()
    rows = []
    for organisation in app.organisation_summaries():
        coordinators = [m for m, role in organisation["members"].items() if role == "coordinator"]
        names = app.display_names(coordinators)
        rows.append(
            {
                **organisation,
                "land_name": LAND_NAMES.get(organisation["land"], organisation["land"]),
                "coordinators": sorted(names.values()),
            }
        )
    return sorted(rows, key=lambda row: row["name"].lower())


def people_rows(organisations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Everyone with a profile, with their memberships and a form for the admin right."""
    memberships: dict[str, list[str]] = {}
    for organisation in organisations:
        for member_id, role in organisation["members"].items():
            memberships.setdefault(member_id, []).append(
                f"{organisation['name']}: {ROLES.get(role, role)}"
            )
    rows = []
    profiles = engine().profiles
    for profile in profiles.everyone():
        key = row_key(profile["person_id"])
        form = AdminRightForm(prefix=f"right-{key}")
        form.grant.data = "0" if profile["is_admin"] else "1"
        rows.append(
            {
                **profile,
                "memberships": memberships.get(profile["person_id"], []),
                "you": profile["person_id"] == person(),
                "form": form,
                "sessions": profiles.sessions.count(profile["person_id"], session_policy()),
                "sign_out_form": SignOutForm(prefix=f"signout-{key}"),
                "invitation": invitation_state(profile),
                "invite_form": invite_form(profile["person_id"]),
            }
        )
    return rows


def read_model_state() -> dict[str, Any]:
    """How the read models stand: position, lag and the events set aside (with errors)."""
    follower = follower_of(engine())
    set_aside = follower.view.set_aside_events()
    return {
        "position": follower.position,
        "behind": follower.behind(),
        "set_aside": set_aside,
        "failed": sum(1 for event in set_aside if not event["held"]),
    }


def render(forms: dict[str, FlaskForm] | None = None, status: int = 200) -> tuple[str, int]:
    """The administration page, with a submitted form (and its errors) in place."""
    shown: dict[str, FlaskForm] = {
        "organisation": organisation_form(),
        "person": person_form(),
        "lako": state_coordinator_form(),
    }
    shown.update(forms or {})
    organisations = organisation_rows()
    return (
        render_template(
            "ui/admin.html",
            organisations=organisations,
            people=people_rows(organisations),
            state_coordinators=state_coordinator_rows(),
            read_models=read_model_state(),
            forms=shown,
            mail_ready=mail_ready(),
            own_memberships=len(engine().memberships(person())),
        ),
        status,
    )


@blueprint.get("/admin/")
def admin() -> tuple[str, int]:
    """Organisations and people of the installation."""
    require_admin()
    return render()


@blueprint.post("/admin/organisations")
def admin_organisation() -> Response | tuple[str, int]:
    """Register an organisation; its first coordinator is found by e-mail address."""
    require_admin()
    form = organisation_form()
    valid = form.validate_on_submit()
    if not form.land.errors and not text(form.land):
        add_error(form.land, _("Bitte ein Land wählen."))
    coordinator = engine().profiles.by_email(text(form.coordinator))
    if not form.coordinator.errors and coordinator is None:
        add_error(
            form.coordinator,
            _("Niemand hat diese E-Mail-Adresse. Legen Sie die Person zuerst unten an."),
        )
    if (
        valid
        and not form.errors
        and attempt(
            lambda: engine().register_organisation(
                name=text(form.name),
                slug=text(form.slug).strip(),
                land=text(form.land),
                coordinator_id=coordinator["person_id"] if coordinator else "",
                actor_id=person(),
            ),
            form,
            form.coordinator,
        )
    ):
        flash(_("Die Organisation „%(name)s“ ist angelegt.", name=text(form.name)))
        return redirect(url_for("ui.admin"))
    return render({"organisation": form}, 400)


@blueprint.post("/admin/people")
def admin_person() -> Response | tuple[str, int]:
    """Create a person (with the administration right if asked) and invite them by mail."""
    require_admin()
    form = person_form()
    valid = form.validate_on_submit()
    check_new_person(form)
    sending = invitation_outbox()
    if valid and not form.errors and sending is None:
        add_error(form.email, mail_missing())
    if valid and not form.errors and sending is not None:
        person_id = f"person-{uuid4().hex[:16]}"
        name = text(form.name).strip()
        profiles = engine().profiles
        profiles.put(person_id, display_name=name, email=text(form.email))
        profiles.set_admin(person_id, bool(form.is_admin.data))
        flash(_("%(name)s ist angelegt.", name=name))
        invite(sending, person_id, name, language=text(form.language))
        return redirect(url_for("ui.admin"))
    return render({"person": form}, 400)


@blueprint.post("/admin/people/<person_id>/invite")
def admin_invite(person_id: str) -> Response | tuple[str, int]:
    """Invite a person again who has not set a password yet (the older link ends)."""
    require_admin()
    profile = engine().profiles.get(person_id)
    if profile is None:
        abort(404)
    form = invite_form(person_id)
    if not form.validate_on_submit() or profile["password_hash"]:
        abort(400)
    sending = invitation_outbox()
    if sending is None:
        flash(mail_missing(), "error")
        return render(status=400)
    invite(sending, person_id, profile["display_name"], language=text(form.language))
    return redirect(url_for("ui.admin"))


@blueprint.post("/admin/people/<person_id>/admin")
def admin_right(person_id: str) -> Response | tuple[str, int]:
    """Give or take the administration right (never one's own: someone must remain)."""
    require_admin()
    profiles = engine().profiles
    profile = profiles.get(person_id)
    if profile is None:
        abort(404)
    form = AdminRightForm(prefix=f"right-{row_key(person_id)}")
    if not form.validate_on_submit() or text(form.grant) not in ("0", "1"):
        abort(400)
    grant = text(form.grant) == "1"
    if person_id == person() and not grant:
        flash(_("Sie können sich die Administration nicht selbst entziehen."), "error")
        return render(status=400)
    profiles.set_admin(person_id, grant)
    if grant:
        flash(_("%(name)s betreut jetzt die Installation.", name=profile["display_name"]))
    else:
        flash(_("%(name)s betreut die Installation nicht mehr.", name=profile["display_name"]))
    return redirect(url_for("ui.admin"))


@blueprint.post("/admin/people/<person_id>/sign-out")
def admin_sign_out(person_id: str) -> Response:
    """End every session of a person at once (for a lost device or a copied cookie)."""
    require_admin()
    profiles = engine().profiles
    profile = profiles.get(person_id)
    if profile is None:
        abort(404)
    if not SignOutForm(prefix=f"signout-{row_key(person_id)}").validate_on_submit():
        abort(400)
    ended = profiles.sessions.end_all(person_id)
    flash(
        ngettext(
            "%(name)s ist überall abgemeldet (%(num)d Sitzung beendet).",
            "%(name)s ist überall abgemeldet (%(num)d Sitzungen beendet).",
            ended,
            name=profile["display_name"],
        )
    )
    return redirect(url_for("ui.admin"))


@blueprint.post("/admin/state-coordinators")
def admin_state_coordinator() -> Response | tuple[str, int]:
    """Make a person (found by e-mail address) the state coordinator of one Land."""
    require_admin()
    form = state_coordinator_form()
    valid = form.validate_on_submit()
    if not form.land.errors and not text(form.land):
        add_error(form.land, _("Bitte ein Land wählen."))
    profile = engine().profiles.by_email(text(form.email))
    if not form.email.errors and profile is None:
        add_error(
            form.email, _("Niemand hat diese E-Mail-Adresse. Legen Sie die Person zuerst an.")
        )
    if valid and not form.errors and profile is not None:
        state_office(engine()).grant(profile["person_id"], text(form.land), actor=person())
        flash(
            _(
                "%(name)s ist jetzt Landeskoordinierungsstelle für %(land)s.",
                name=profile["display_name"],
                land=LAND_NAMES.get(text(form.land), text(form.land)),
            )
        )
        return redirect(url_for("ui.admin"))
    return render({"lako": form}, 400)


@blueprint.post("/admin/state-coordinators/<person_id>/revoke")
def admin_state_coordinator_revoke(person_id: str) -> Response:
    """End a person's state coordinator role."""
    require_admin()
    form = AdminRightForm(prefix=f"lako-{row_key(person_id)}")
    if not form.validate_on_submit():
        abort(400)
    if not state_office(engine()).revoke(person_id, actor=person()):
        abort(404)
    name = engine().display_names([person_id])[person_id]
    flash(_("%(name)s ist keine Landeskoordinierungsstelle mehr.", name=name))
    return redirect(url_for("ui.admin"))
