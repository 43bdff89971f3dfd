"""An organisation's settings and its people's invitations (coordinators).

The themes its new cycles may use, whether the Land's state coordination office sees it by
name, and invitations by mail: a new person added with a role and mailed a one-time link to
set their password, a pending invitation sent again or revoked. Mail goes out as the members
page sends it (web/mail.py, at once, so that a failure can be told).
"""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from flask import current_app

from engine.application.invitations import Outbox, send_link
from engine.application.tokens import is_token_member
from engine.domain.errors import Conflict, InvalidInput, NotFound
from engine.infrastructure.password_links import INVITATION, PasswordLink
from web.api.auth import Access, caller, organisation_access
from web.api.common import VERSIONED, api_blueprint, reads, result, writes
from web.api.concurrency import etag, expected_version
from web.api.pagination import LIST_HEADERS, PageArgs, paginate
from web.api.schemas import (
    CommandResultSchema,
    InvitationInputSchema,
    InvitationSchema,
    ReinvitationSchema,
    StateSharingSchema,
    ThemeChoiceSchema,
)
from web.mail import outbox
from web.problems import ApiProblem
from web.services import engine

blueprint = api_blueprint(
    "settings",
    __name__,
    "An organisation's themes, its sharing with the state office, and invitations by mail.",
)


@blueprint.put("/organisations/<string:slug>/themes")
@blueprint.arguments(ThemeChoiceSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def choose_themes(choice: dict[str, Any], slug: str) -> Any:
    """Choose the installed themes the organisation's new cycles may use (If-Match: the
    organisation's version)."""
    access = organisation_access(slug, "configure")
    version = expected_version()
    chosen_now = access.organisation["themes"]
    if chosen_now is not None and sorted(chosen_now) == sorted(choice["theme_ids"]):
        raise InvalidInput(
            "theme_ids", "Das ist schon die gewählte Auswahl.", "That is the choice already."
        )
    new_version = engine().choose_themes(
        access.id,
        actor_id=caller().actor_id,
        theme_ids=choice["theme_ids"],
        reason=choice["reason"],
        expected_version=version,
    )
    return result(access.id, new_version)


@blueprint.put("/organisations/<string:slug>/state-sharing")
@blueprint.arguments(StateSharingSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def set_state_sharing(sharing: dict[str, Any], slug: str) -> Any:
    """Let the Land's state coordination office see the organisation by name, or stop it
    (If-Match: the organisation's version)."""
    access = organisation_access(slug, "configure")
    version = expected_version()
    new_version = engine().set_state_sharing(
        access.id,
        actor_id=caller().actor_id,
        shares=sharing["shares"],
        reason=sharing["reason"],
        expected_version=version,
    )
    return result(access.id, new_version)


def _invitation(access: Access, member_id: str, link: PasswordLink | None) -> dict[str, Any]:
    profile = engine().profiles.get(member_id) or {}
    return {
        "member_id": member_id,
        "display_name": profile.get("display_name", ""),
        "role": access.organisation["members"][member_id],
        "state": "pending" if link is not None else "none",
        "expires_at": None if link is None else datetime.fromtimestamp(link.expires_at, UTC),
        "version": access.organisation["version"],
    }


def _uninvited(access: Access) -> list[str]:
    """The members who cannot sign in yet: a profile with an address but no password."""
    profiles = engine().profiles
    found = []
    for member_id in sorted(access.organisation["members"]):
        if is_token_member(member_id):
            continue
        profile = profiles.get(member_id)
        if profile is not None and profile["email"] and not profile["password_hash"]:
            found.append(member_id)
    return found


def _live_invitation(member_id: str) -> PasswordLink | None:
    link = engine().profiles.links.pending(member_id)
    return link if link is not None and link.purpose == INVITATION else None


@blueprint.get("/organisations/<string:slug>/invitations")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, InvitationSchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
@reads(blueprint)
def list_invitations(page: dict[str, int], slug: str) -> Any:
    """The members who have not set a password yet, with their invitation's state (a live
    link: pending, until when), by id (coordinators)."""
    access = organisation_access(slug, "manage-members")
    items, headers = paginate(_uninvited(access), page)
    rows = [_invitation(access, member_id, _live_invitation(member_id)) for member_id in items]
    return rows, {**headers, **etag(access.organisation["version"])}


def _same_version(access: Access) -> None:
    """The If-Match names the organisation's current version (else 412)."""
    version = expected_version()
    if version != access.organisation["version"]:
        raise Conflict(version, access.organisation["version"])


def _outbox() -> Outbox:
    """Where invitations go out; 409 when mail is not set up (before anything is written)."""
    sending = outbox(background=False)
    if sending is None:
        raise ApiProblem(
            409,
            "mail-not-set-up",
            "Invitations go by mail, but mail is not set up in this installation.",
            detail_de="Einladungen gehen per E-Mail, aber der E-Mail-Versand ist in dieser "
            "Installation nicht eingerichtet.",
        )
    return sending


def _sent(access: Access, member_id: str, language: str, sending: Outbox) -> dict[str, Any]:
    """Mail the member an invitation link (older links end), as the members page does."""
    try:
        link = send_link(
            engine().profiles,
            sending,
            member_id,
            purpose=INVITATION,
            language=language,
            organisation=access.organisation["name"],
        )
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.error("invitation for %s not sent: %s", member_id, error)
        return {**_invitation(access, member_id, _live_invitation(member_id)), "sent": False}
    return {**_invitation(access, member_id, link), "sent": True}


@blueprint.post("/organisations/<string:slug>/invitations")
@blueprint.arguments(InvitationInputSchema)
@blueprint.response(201, InvitationSchema, headers=VERSIONED)
@writes(blueprint)
def invite(person: dict[str, Any], slug: str) -> Any:
    """Add a new person with a role and mail them a link to set their password (If-Match:
    the organisation's version). ``sent`` says whether the mail server took the mail; 409
    (mail-not-set-up) when mail is not set up (nothing is written then)."""
    access = organisation_access(slug, "manage-members")
    version = expected_version()
    profiles = engine().profiles
    if profiles.by_email(person["email"]) is not None:
        raise InvalidInput(
            "email",
            "Diese E-Mail-Adresse ist schon vergeben: Die Person hat bereits einen Zugang.",
            "This address is taken already: the person has an account.",
        )
    sending = _outbox()
    person_id = f"person-{uuid4().hex[:16]}"
    profiles.put(person_id, display_name=person["name"].strip(), email=person["email"])
    try:
        new_version = engine().grant_role(
            access.id,
            actor_id=caller().actor_id,
            member_id=person_id,
            role=person["role"],
            reason="",
            expected_version=version,
        )
    except Exception:
        profiles.erase(person_id)  # the role was refused: leave no account behind
        raise
    granted = organisation_access(slug, "manage-members")
    return _sent(granted, person_id, person["language"], sending), 201, etag(new_version)


def _pending_member(access: Access, member_id: str) -> None:
    """404 unless the member is one of the organisation's who has not set a password yet."""
    if member_id not in _uninvited(access):
        raise NotFound()


@blueprint.post("/organisations/<string:slug>/invitations/<string:member_id>")
@blueprint.arguments(ReinvitationSchema)
@blueprint.response(200, InvitationSchema, headers=VERSIONED)
@writes(blueprint)
def invite_again(again: dict[str, Any], slug: str, member_id: str) -> Any:
    """Send a member who has not set a password yet a new invitation; the older link ends
    (If-Match: the organisation's version)."""
    access = organisation_access(slug, "manage-members")
    _same_version(access)
    _pending_member(access, member_id)
    sent = _sent(access, member_id, again["language"], _outbox())
    return sent, etag(access.organisation["version"])


@blueprint.delete("/organisations/<string:slug>/invitations/<string:member_id>")
@blueprint.response(200, InvitationSchema, headers=VERSIONED)
@writes(blueprint)
def revoke_invitation(slug: str, member_id: str) -> Any:
    """End the member's live invitation link (the membership stays; invite again to send a
    new one; If-Match: the organisation's version)."""
    access = organisation_access(slug, "manage-members")
    _same_version(access)
    _pending_member(access, member_id)
    engine().profiles.links.revoke(member_id)
    return _invitation(access, member_id, None), etag(access.organisation["version"])
