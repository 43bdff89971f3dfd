"""API tokens: bearer secrets for machines, bound to one organisation and one role.

A coordinator creates a token (in the UI or with ``qualizyklus tokens create``); the secret is
shown once and only its SHA-256 hash is stored. A token acts as its own member of the
organisation, ``token:<id>``: creating it grants that member the token's role and revoking it
revokes the role, so the organisation's history records who created and revoked which token
(as RoleGranted / RoleRevoked with a reason) and the engine's permission checks apply to a
token exactly as to a person. Names and secrets never go into events.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID
from zoneinfo import ZoneInfo

from engine.application.store import Store
from engine.domain import validation as check
from engine.domain.errors import Forbidden, InvalidInput, NotFound, Problems
from engine.domain.limits import MAX_LABEL
from engine.domain.organisation import ROLE_PERMISSIONS, ROLES, TOKEN_MEMBER_PREFIX
from engine.infrastructure.side_tables import SideTable, open_side_table

TABLE = "qualizyklus_api_tokens"
COLUMNS = (
    "token_id",
    "organisation_id",
    "role",
    "name",
    "secret_hash",
    "created_by",
    "created_at",
    "expires_on",
    "revoked_at",
)
PREFIX = "qz_"
"""Every secret starts with this, so that a leaked one is easy to recognise (secret scanners)."""
MAX_SECRET = 200
"""Characters of a presented secret worth looking up (a secret made here has 46)."""
MEMBER_PREFIX = TOKEN_MEMBER_PREFIX
LOCAL_TIME = ZoneInfo("Europe/Berlin")
CREATED_REASON = "API-Token angelegt / API token created"
REVOKED_REASON = "API-Token widerrufen / API token revoked"

log = logging.getLogger(__name__)


def member_id_of(token_id: str) -> str:
    """The member (and actor) id under which a token acts in its organisation."""
    return f"{MEMBER_PREFIX}{token_id}"


def is_token_member(member_id: str) -> bool:
    """Whether a member id belongs to an API token rather than a person."""
    return member_id.startswith(MEMBER_PREFIX)


def hash_secret(secret: str) -> str:
    """The stored form of a secret (secrets are random, so one unsalted SHA-256 suffices)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat()


def today() -> date:
    """Today's date where the installation's users live (expiry dates are local dates)."""
    return datetime.now(LOCAL_TIME).date()


@dataclass(frozen=True)
class Token:
    """A stored token (without its secret): who it acts as, where, with which role, until when."""

    token_id: str
    organisation_id: UUID
    role: str
    name: str
    created_by: str
    created_at: str
    expires_on: date | None
    revoked_at: str

    @property
    def actor_id(self) -> str:
        """The id the token acts under (its member id in the organisation)."""
        return member_id_of(self.token_id)

    @property
    def revoked(self) -> bool:
        """Whether the token was revoked."""
        return bool(self.revoked_at)

    def expired(self, on: date | None = None) -> bool:
        """Whether the token has expired: it is valid up to and including ``expires_on``."""
        return self.expires_on is not None and (on or today()) > self.expires_on

    @property
    def active(self) -> bool:
        """Neither revoked nor expired."""
        return not self.revoked and not self.expired()

    def as_dict(self) -> dict[str, Any]:
        """Plain data for lists and API responses (never the secret or its hash)."""
        return {
            "id": self.token_id,
            "organisation_id": str(self.organisation_id),
            "member_id": self.actor_id,
            "role": self.role,
            "name": self.name,
            "created_by": self.created_by,
            "created_at": self.created_at,
            "expires_on": self.expires_on,
            "revoked_at": self.revoked_at or None,
            "active": self.active,
        }


class TokenStore(SideTable):
    """Tokens in the application's own database (like the profile store)."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table and its indexes if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "token_id TEXT PRIMARY KEY, organisation_id TEXT NOT NULL, role TEXT NOT NULL, "
                "name TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE, "
                "created_by TEXT NOT NULL, created_at TEXT NOT NULL, "
                "expires_on TEXT NOT NULL DEFAULT '', revoked_at TEXT NOT NULL DEFAULT '')"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_organisation "
                f"ON {self._table} (organisation_id)"
            )

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[Token]:
        columns = ", ".join(COLUMNS)
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT {columns} FROM {self._table} {where}", parameters)
            return [_token({c: row[c] for c in COLUMNS}) for row in cursor.fetchall()]

    def insert(self, token: Token, secret_hash: str) -> None:
        """Store a new token with the hash of its secret."""
        p = self._p
        self._execute(
            f"INSERT INTO {self._table} ({', '.join(COLUMNS)}) "
            f"VALUES ({', '.join([p] * len(COLUMNS))})",
            (
                token.token_id,
                str(token.organisation_id),
                token.role,
                token.name,
                secret_hash,
                token.created_by,
                token.created_at,
                token.expires_on.isoformat() if token.expires_on else "",
                "",
            ),
        )

    def get(self, token_id: str) -> Token | None:
        """The token with this id, or None."""
        found = self._select(f"WHERE token_id = {self._p}", (token_id,))
        return found[0] if found else None

    def by_secret(self, secret: str) -> Token | None:
        """The token whose secret this is (revoked and expired ones too), or None."""
        found = self._select(f"WHERE secret_hash = {self._p}", (hash_secret(secret),))
        return found[0] if found else None

    def of_organisation(self, organisation_id: UUID) -> list[Token]:
        """An organisation's tokens, oldest first (revoked and expired ones too)."""
        tokens = self._select(f"WHERE organisation_id = {self._p}", (str(organisation_id),))
        return sorted(tokens, key=lambda t: (t.created_at, t.token_id))

    def mark_revoked(self, token_id: str) -> bool:
        """Revoke a token (from now on it is refused); True if it was active until now."""
        p = self._p
        return bool(
            self._execute(
                f"UPDATE {self._table} SET revoked_at = {p} "
                f"WHERE token_id = {p} AND revoked_at = ''",
                (_now(), token_id),
            )
        )


def _token(row: dict[str, Any]) -> Token:
    return Token(
        token_id=row["token_id"],
        organisation_id=UUID(row["organisation_id"]),
        role=row["role"],
        name=row["name"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        expires_on=date.fromisoformat(row["expires_on"]) if row["expires_on"] else None,
        revoked_at=row["revoked_at"],
    )


class Members(Store, Protocol):
    """The service as tokens use it: the roles of a token's member, and the organisation."""

    def grant_role(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        member_id: str,
        role: str,
        reason: str = "",
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Give the member a role in the organisation."""

    def revoke_role(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        member_id: str,
        reason: str = "",
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Remove the member from the organisation."""

    def organisation(self, organisation_id: UUID, *, actor_id: str | None = None) -> dict[str, Any]:
        """The organisation's state; with ``actor_id``, only for its members."""


def token_store(app: Store) -> TokenStore:
    """The token store in the engine's database (same datastore as the profiles)."""
    return open_side_table(app, TokenStore)


def authenticate(store: TokenStore, secret: str) -> Token | None:
    """The active token for a presented secret; None for unknown, revoked or expired ones."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_SECRET:
        return None
    token = store.by_secret(secret)
    if token is None or not token.active:
        return None
    return token


@dataclass(frozen=True)
class NewToken:
    """A token just created, with its secret: show the secret once, it is not kept."""

    token: Token
    secret: str


def create_token(
    app: Members,
    organisation_id: UUID,
    *,
    actor_id: str,
    role: str,
    name: str,
    expires_on: date | str | None = None,
    as_administrator: bool = False,
) -> NewToken:
    """Create a token for the organisation (coordinators, or administrators on the command line).

    The token's member is granted its role first (that checks the actor's right and records
    the creation in the organisation's history); only then is the hashed secret stored.
    """
    problems = Problems()  # every field's problem told at once
    with problems.check():
        role = check.one_of("role", role, ROLES)
    with problems.check():
        name = check.text("name", name, max_length=MAX_LABEL)
    with problems.check():
        expiry = check.optional_date("expires_on", expires_on)
        if expiry is not None and expiry < today():
            raise InvalidInput("expires_on", "liegt in der Vergangenheit", "lies in the past")
    problems.raise_any()
    token_id = secrets.token_hex(8)
    secret = PREFIX + secrets.token_urlsafe(32)
    app.grant_role(
        organisation_id,
        actor_id=actor_id,
        member_id=member_id_of(token_id),
        role=role,
        reason=CREATED_REASON,
        as_administrator=as_administrator,
    )
    token = Token(
        token_id=token_id,
        organisation_id=organisation_id,
        role=role,
        name=name,
        created_by=actor_id,
        created_at=_now(),
        expires_on=expiry,
        revoked_at="",
    )
    token_store(app).insert(token, hash_secret(secret))
    log.info(
        "API token %s created for organisation %s with role %s by %s",
        token_id,
        organisation_id,
        role,
        actor_id,
    )
    return NewToken(token, secret)


def revoke_token(
    app: Members, token_id: str, *, actor_id: str, as_administrator: bool = False
) -> Token:
    """Revoke a token: it is refused at once; its member is removed from the organisation.

    Coordinators of the token's organisation may revoke it (administrators anywhere). The
    token is refused from the moment it is marked, even if removing its membership fails.
    """
    store = token_store(app)
    token = store.get(token_id) if isinstance(token_id, str) else None
    if token is None:
        raise NotFound()
    if not as_administrator:
        _require_manager(app, token.organisation_id, actor_id)
    store.mark_revoked(token.token_id)
    try:
        app.revoke_role(
            token.organisation_id,
            actor_id=actor_id,
            member_id=token.actor_id,
            reason=REVOKED_REASON,
            as_administrator=as_administrator,
        )
    except NotFound:
        pass  # the membership was ended already (e.g. on the members page)
    except InvalidInput as error:  # e.g. the token is the organisation's last coordinator
        log.warning("API token %s revoked, membership kept: %s", token_id, error.en)
    log.info(
        "API token %s of organisation %s revoked by %s", token_id, token.organisation_id, actor_id
    )
    revoked = store.get(token.token_id)
    assert revoked is not None
    return revoked


def tokens_of(app: Members, organisation_id: UUID, *, actor_id: str | None = None) -> list[Token]:
    """An organisation's tokens; with ``actor_id``, only for those who manage its members."""
    if actor_id is not None:
        _require_manager(app, organisation_id, actor_id)
    return token_store(app).of_organisation(organisation_id)


def _require_manager(app: Members, organisation_id: UUID, actor_id: str) -> None:
    organisation = app.organisation(organisation_id, actor_id=actor_id)
    role = organisation["members"].get(actor_id)
    if role is None:
        raise NotFound()
    if "manage-members" not in ROLE_PERMISSIONS[role]:
        raise Forbidden("Ihre Rolle erlaubt diese Aktion nicht.", "Your role does not allow this.")
