"""An organisation's members (coordinators only): add, invite, change roles, remove, erase
(DSGVO), and the organisation's choice of themes.

Every change is an engine command with the coordinator as actor, so the organisation's history
records who did it. Names, e-mail addresses and passwords live in the profile store; a new
person is invited by mail and sets their password through a one-time link.
"""

from __future__ import annotations

from uuid import UUID, uuid4

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    Field,
)

from engine.infrastructure.profiles import pseudonym
from web.auth import Membership, membership
from web.forms import add_error, chosen, text
from web.i18n import ROLES
from web.services import engine
from web.ui import blueprint
from web.ui.common import person
from web.ui.members_forms import attempt, check_new_person, page_forms, row_forms
from web.ui.members_invite import invitation_outbox, invite, mail_missing
from web.ui.members_page import back, erase_obstacle, render

ERASE_REASON = "Löschung auf Wunsch (DSGVO)"


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
    """Create a person, give them a role and invite them by mail to set their password."""
    member = membership(slug, "manage-members")
    form = page_forms()["new"]
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
        if _grant(member, person_id, form):
            flash(_member_added(name, text(form.role)))
            invite(
                sending,
                person_id,
                name,
                language=text(form.language),
                organisation=member.organisation["name"],
            )
            return redirect(url_for("ui.members", slug=slug))
        profiles.erase(person_id)  # the role was refused: leave no account behind
    return render(member, {"new": form}, status=400)


@blueprint.post("/o/<slug>/members/<member_id>/invite")
@login_required
def members_invite(slug: str, member_id: str) -> Response | tuple[str, int]:
    """Send a member who has not set a password yet a new invitation (the old link ends)."""
    member = membership(slug, "manage-members")
    _current_member(member, member_id)
    form = row_forms(member_id)["invite"]
    profile = engine().profiles.get(member_id)
    if not form.validate_on_submit() or profile is None or profile["password_hash"]:
        abort(400)
    sending = invitation_outbox()
    if sending is None:
        flash(mail_missing(), "error")
        return render(member, status=400)
    invite(
        sending,
        member_id,
        profile["display_name"],
        language=text(form.language),
        organisation=member.organisation["name"],
    )
    return redirect(url_for("ui.members", slug=slug))


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
