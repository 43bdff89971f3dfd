"""Accounts for signing in: people in the engine's profile store, with a password hash.

Passwords are hashed with scrypt (engine.infrastructure.passwords). Failed sign-ins are counted per
address as
typed and per client in the database (engine.infrastructure.sign_in_throttle), so every worker
throttles
alike; after a few, the next attempt must wait, longer each time. An unknown address is
answered exactly like a known one with a wrong password (the same hash work, the same counts),
so the answers never tell whether an account exists. Every failure is logged with a hash of
the address, never the address itself.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from flask_login import UserMixin

from engine.infrastructure.passwords import check_password, hash_password
from engine.infrastructure.profiles import ProfileStore
from engine.infrastructure.sign_in_throttle import address_key, client_key

log = logging.getLogger(__name__)
_DUMMY_HASH = hash_password("an unguessable placeholder for unknown addresses")


@dataclass(frozen=True)
class Account(UserMixin):
    """A person who can sign in."""

    person_id: str
    display_name: str
    email: str
    is_admin: bool

    def get_id(self) -> str:
        """Flask-Login's id of the account: the person id."""
        return self.person_id

    @classmethod
    def from_profile(cls, profile: dict[str, Any]) -> Account:
        """The account of a profile row."""
        return cls(
            person_id=profile["person_id"],
            display_name=profile["display_name"],
            email=profile["email"],
            is_admin=bool(profile["is_admin"]),
        )


@dataclass(frozen=True)
class Throttled:
    """Too many failed sign-ins: the next attempt is possible in ``seconds``."""

    seconds: int


def account_of(profile: dict[str, Any] | None) -> Account | None:
    """The account of a profile that can sign in, or None (no profile, or no password)."""
    if profile is None or not profile["password_hash"]:
        return None
    return Account.from_profile(profile)


def authenticate(
    profiles: ProfileStore, email: str, password: str, *, remote: str = "-"
) -> Account | Throttled | None:
    """The account for these credentials, a Throttled, or None for wrong credentials.

    Whether the address belongs to anyone changes nothing in what comes back or when: the
    throttle counts the address as typed, and an unknown address costs the same hash.
    """
    throttle = profiles.throttle
    keys = (address_key(email), client_key(remote))
    wait = throttle.wait(*keys)
    if wait > 0:
        _log_failure(email, remote, f"throttled for {wait} s")
        return Throttled(wait)
    profile = profiles.by_email(email) if email else None
    known = profile is not None and bool(profile["password_hash"])
    stored = profile["password_hash"] if profile is not None and known else _DUMMY_HASH
    if not check_password(stored, password) or profile is None or not known:
        throttle.record_failure(*keys)
        _log_failure(email, remote, "wrong password" if known else "unknown address")
        return None
    throttle.forget(keys[0])
    return Account.from_profile(profile)


def _log_failure(email: str, remote: str, what: str) -> None:
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:12]
    log.warning("failed sign-in for address %s from %s: %s", digest, remote, what)
