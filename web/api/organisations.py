"""The caller's organisations; their members and roles (for coordinators)."""

from __future__ import annotations

from typing import Any

from engine.application.tokens import is_token_member
from engine.domain.errors import InvalidInput, NotFound
from engine.infrastructure.profiles import pseudonym
from web.api.auth import Access, caller, organisation_access
from web.api.common import VERSIONED, api_blueprint, reads, result, writes
from web.api.concurrency import etag, expected_version
from web.api.pagination import LIST_HEADERS, PageArgs, paginate
from web.api.schemas import (
    CommandResultSchema,
    ErasureSchema,
    GrantRoleSchema,
    MemberSchema,
    OrganisationSchema,
    RevokeQuerySchema,
)
from web.services import engine

blueprint = api_blueprint(
    "organisations", __name__, "The caller's organisations, their members and roles."
)


def organisation_view(access: Access) -> dict[str, Any]:
    """The organisation as the caller may see it (members only for coordinators)."""
    organisation = access.organisation
    found = {
        key: organisation[key]
        for key in ("id", "version", "name", "slug", "land", "themes", "cycles")
    }
    found["shares_with_state"] = bool(organisation.get("shares_with_state", False))
    found["role"] = access.role
    if access.can("manage-members"):
        found["members"] = dict(organisation["members"])
    return found


@blueprint.get("/organisations")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, OrganisationSchema(many=True), headers=LIST_HEADERS)
@reads(blueprint)
def list_organisations(page: dict[str, int]) -> Any:
    """The organisations the caller belongs to, by slug (a token: its one organisation)."""
    who = caller()
    app = engine()
    if who.token is not None:
        slugs = [app.organisation(who.token.organisation_id)["slug"]]
    else:
        slugs = sorted(m["slug"] for m in app.memberships(who.actor_id))
    items, headers = paginate(slugs, page)
    return [organisation_view(organisation_access(slug)) for slug in items], headers


@blueprint.get("/organisations/<string:slug>")
@blueprint.response(200, OrganisationSchema, headers=VERSIONED)
@reads(blueprint)
def get_organisation(slug: str) -> Any:
    """One organisation (ETag: its version, the If-Match of starting a cycle)."""
    access = organisation_access(slug)
    return organisation_view(access), etag(access.organisation["version"])


@blueprint.get("/organisations/<string:slug>/members")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, MemberSchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
@reads(blueprint)
def list_members(page: dict[str, int], slug: str) -> Any:
    """The members with their roles, by id (coordinators only)."""
    access = organisation_access(slug, "manage-members")
    members = sorted(access.organisation["members"].items())
    items, headers = paginate(members, page)
    names = engine().profiles.display_names(m for m, _ in items if not is_token_member(m))
    rows = [
        {
            "member_id": member_id,
            "role": role,
            "kind": "token" if is_token_member(member_id) else "person",
            "display_name": (
                f"API-Token {member_id.partition(':')[2]}"
                if is_token_member(member_id)
                else names.get(member_id, pseudonym(member_id))
            ),
        }
        for member_id, role in items
    ]
    return rows, {**headers, **etag(access.organisation["version"])}


def _refuse_tokens(member_id: str) -> None:
    if is_token_member(member_id):
        raise InvalidInput(
            "member_id",
            "API-Token werden über die Token-Verwaltung angelegt und widerrufen.",
            "API tokens are created and revoked through token management.",
        )


@blueprint.put("/organisations/<string:slug>/members/<string:member_id>")
@blueprint.arguments(GrantRoleSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def grant_role(grant: dict[str, Any], slug: str, member_id: str) -> Any:
    """Give a person a role, or another role (If-Match: the organisation's version)."""
    access = organisation_access(slug, "manage-members")
    version = expected_version()
    _refuse_tokens(member_id)
    new_version = engine().grant_role(
        access.id,
        actor_id=caller().actor_id,
        member_id=member_id,
        role=grant["role"],
        reason=grant["reason"],
        expected_version=version,
    )
    return result(access.id, new_version, member_id)


@blueprint.delete("/organisations/<string:slug>/members/<string:member_id>")
@blueprint.arguments(RevokeQuerySchema, location="query")
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def revoke_role(query: dict[str, Any], slug: str, member_id: str) -> Any:
    """End a membership (the last coordinator stays; If-Match: the organisation's version)."""
    access = organisation_access(slug, "manage-members")
    version = expected_version()
    _refuse_tokens(member_id)
    new_version = engine().revoke_role(
        access.id,
        actor_id=caller().actor_id,
        member_id=member_id,
        reason=query["reason"],
        expected_version=version,
    )
    return result(access.id, new_version, member_id)


ERASE_REASON = "Löschung auf Wunsch (DSGVO)"
"""The reason the history gives for an erasure (as the members page records it)."""


def _erase_obstacle(access: Access, member_id: str) -> InvalidInput | None:
    """Why the person may not be erased through this organisation (None when they may)."""
    profile = engine().profiles.get(member_id)
    if member_id == caller().actor_id:
        return InvalidInput("member_id", "Sie können sich nicht selbst löschen.", "Not yourself.")
    if profile is None:
        return InvalidInput(
            "member_id",
            "Die Person hat keine gespeicherten Daten mehr.",
            "The person has no stored data any more.",
        )
    others = [m for m in engine().memberships(member_id) if m["organisation_id"] != str(access.id)]
    if profile["is_admin"] or others:
        return InvalidInput(
            "member_id",
            "Die Person betreut die Installation oder gehört zu weiteren Organisationen; "
            "löschen kann sie nur die Administration.",
            "The person administers the installation or belongs to other organisations; "
            "only the administration can erase them.",
        )
    return None


@blueprint.post("/organisations/<string:slug>/members/<string:member_id>/erasure")
@blueprint.arguments(ErasureSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def erase_member(_confirmed: dict[str, Any], slug: str, member_id: str) -> Any:
    """Erase a person who belongs to this organisation only: the membership ends, the profile
    (name, address, sign-in data) is deleted; the history keeps the events and shows a
    pseudonym (If-Match: the organisation's version)."""
    access = organisation_access(slug, "manage-members")
    version = expected_version()
    _refuse_tokens(member_id)
    if member_id not in access.organisation["members"]:
        raise NotFound()
    obstacle = _erase_obstacle(access, member_id)
    if obstacle is not None:
        raise obstacle
    new_version = engine().revoke_role(
        access.id,
        actor_id=caller().actor_id,
        member_id=member_id,
        reason=ERASE_REASON,
        expected_version=version,
    )
    engine().profiles.erase(member_id)
    return result(access.id, new_version, member_id)
