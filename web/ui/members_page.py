"""Building the members page: one row per member with its forms, what stands in the way of
erasing a person, and the organisation's latest changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from engine.application import trail
from engine.domain.organisation import ROLES as ROLE_IDS
from engine.infrastructure.profiles import pseudonym
from web.auth import Membership
from web.mail import mail_ready
from web.services import engine
from web.ui.common import person
from web.ui.members_forms import page_forms, row_forms, row_key
from web.ui.members_invite import invitation_state
from web.ui.presenter import Presenter, history_rows

RECENT_CHANGES = 15
"""How many of the organisation's latest changes the members page shows."""


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
                "invitation": invitation_state(profile),
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
    found = trail.stamps(app, organisation_id).found
    latest = [s for s in reversed(found) if s.name in ORGANISATION_EVENTS][:RECENT_CHANGES]
    entries = trail.history_entries(app, organisation_id, [s.version for s in latest])
    people = {s.actor_id for s in latest} | set(organisation["members"])
    for entry in entries.values():
        people.update(c["path"].split(".", 1)[1] for c in entry["changes"] if "." in c["path"])
    names = app.display_names(people)
    present = Presenter(organisation, app.themes, names, organisation)
    return history_rows(latest, entries, present)


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
            mail_ready=mail_ready(),
        ),
        status,
    )


def back(slug: str, message: str) -> Response:
    """After a change: a message, and the page again (fresh)."""
    flash(message)
    return redirect(url_for("ui.members", slug=slug))
