"""Who is calling the API: a bearer token (machines) or the UI's session (people in a browser).

A token acts as its own member ``token:<id>`` of exactly one organisation with one role; a
session acts as the signed-in person in each organisation they belong to. Unsafe requests
made with the session cookie must carry the page's CSRF token in ``X-CSRFToken`` (a bearer
token is not sent by a browser on its own, so it needs none).

Tenancy: everything of an organisation the caller does not belong to answers 404, exactly as
something that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from engine.application.tokens import Token, TokenStore, authenticate, token_store
from engine.domain.errors import NotFound
from engine.domain.organisation import ROLE_PERMISSIONS
from web.problems import ApiProblem
from web.services import engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKENS_KEY = "qualizyklus-tokens"


@dataclass(frozen=True)
class Caller:
    """The authenticated caller: the actor id of its commands and how it signed in."""

    actor_id: str
    kind: str  # "token" or "session"
    token: Token | None = None

    def may_see(self, organisation_id: UUID | str) -> bool:
        """Whether a token caller is bound to this organisation (sessions: the engine decides)."""
        return self.token is None or str(self.token.organisation_id) == str(organisation_id)


def tokens() -> TokenStore:
    """The token store of the current app (built once)."""
    store: TokenStore | None = current_app.extensions.get(TOKENS_KEY)
    if store is None:
        store = token_store(engine())
        current_app.extensions[TOKENS_KEY] = store
    return store


def _unauthorised(detail: str, error: str | None = None) -> ApiProblem:
    challenge = 'Bearer realm="qualizyklus"'
    if error:
        challenge += f', error="{error}"'
    return ApiProblem(401, "unauthorised", detail, headers={"WWW-Authenticate": challenge})


def authenticate_request() -> Caller:
    """Authenticate the current request (bearer token first, then the session), or refuse."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise _unauthorised("Use 'Authorization: Bearer <token>'.", "invalid_request")
        token = authenticate(tokens(), secret.strip())
        if token is None:
            raise _unauthorised("The token is unknown, revoked or expired.", "invalid_token")
        return Caller(token.actor_id, "token", token)
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            _check_csrf()
        return Caller(str(current_user.get_id()), "session")
    raise _unauthorised("Sign in, or send a bearer token.")


def _check_csrf() -> None:
    try:
        validate_csrf(request.headers.get("X-CSRFToken", ""))
    except (ValidationError, CSRFError):
        raise ApiProblem(
            403,
            "csrf-failed",
            "A request with the session cookie needs the page's CSRF token in X-CSRFToken.",
            detail_de="Eine Anfrage mit dem Sitzungs-Cookie braucht das CSRF-Token der Seite "
            "in X-CSRFToken.",
        ) from None


def caller() -> Caller:
    """The current request's caller (authenticated once per request)."""
    found: Caller | None = g.get("api_caller")
    if found is None:
        found = authenticate_request()
        g.api_caller = found
    return found


@dataclass(frozen=True)
class Access:
    """The caller's standing in one organisation."""

    organisation: dict[str, Any]
    role: str

    @property
    def id(self) -> UUID:
        """The organisation's id."""
        return UUID(self.organisation["id"])

    def can(self, permission: str) -> bool:
        """Whether the caller's role carries the permission."""
        return permission in ROLE_PERMISSIONS[self.role]


def organisation_access(slug: str, permission: str = "read") -> Access:
    """The organisation with the caller's role: 404 for non-members, 403 without the right."""
    who = caller()
    organisation = engine().organisation_by_slug(slug)
    role = organisation["members"].get(who.actor_id)
    if role is None or not who.may_see(organisation["id"]):
        raise NotFound()
    access = Access(organisation, role)
    if not access.can(permission):
        raise ApiProblem(
            403,
            "forbidden",
            "Your role does not allow this.",
            detail_de="Ihre Rolle erlaubt das nicht.",
        )
    return access


def check_tenancy(view_args: dict[str, Any]) -> None:
    """404 unless the caller belongs to the organisation the URL names (by slug or cycle).

    Runs for every API request before its arguments are parsed, so that anything of another
    organisation answers 404 whatever the method, body or headers.
    """
    if "slug" in view_args:
        organisation_access(view_args["slug"])
    if "cycle_id" in view_args:
        visible_cycle(view_args["cycle_id"])


def visible_cycle(cycle_id: UUID) -> None:
    """404 unless the caller is a member of the cycle's organisation (cheap: no state copy)."""
    who = caller()
    organisation_id = engine().organisation_of_cycle(cycle_id, actor_id=who.actor_id)
    if not who.may_see(organisation_id):
        raise NotFound()


def readable_cycle(cycle_id: UUID) -> dict[str, Any]:
    """The cycle's state for a caller who may read it; else 404 (as if it did not exist)."""
    who = caller()
    cycle = engine().cycle(cycle_id, actor_id=who.actor_id)
    if not who.may_see(cycle["organisation_id"]):
        raise NotFound()
    return cycle
