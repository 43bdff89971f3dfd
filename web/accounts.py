"""Accounts for signing in: people in the engine's profile store, with a password hash.

Passwords are hashed with scrypt (engine.passwords). Failed sign-ins are counted per account; after
a few, the next attempt must wait, longer each time, and every failure is logged (with a hash
of the address, never the address itself).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_login import UserMixin

from engine.passwords import check_password, hash_password
from engine.profiles import ProfileStore

FREE_ATTEMPTS = 3
MAX_WAIT = timedelta(minutes=15)
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


def load_account(profiles: ProfileStore, person_id: str) -> Account | None:
    """The account of a person who can sign in, or None (erased, or no password)."""
    profile = profiles.get(person_id)
    if profile is None or not profile["password_hash"]:
        return None
    return Account.from_profile(profile)


def authenticate(
    profiles: ProfileStore, email: str, password: str, *, remote: str = "-"
) -> Account | Throttled | None:
    """The account for these credentials, a Throttled, or None for wrong credentials."""
    profile = profiles.by_email(email) if email else None
    if profile is None or not profile["password_hash"]:
        check_password(_DUMMY_HASH, password)  # the same time as for a known address
        _log_failure(email, remote, "unknown address")
        return None
    wait = _remaining_wait(profile)
    if wait > 0:
        _log_failure(email, remote, f"throttled for {wait} s")
        return Throttled(wait)
    if not check_password(profile["password_hash"], password):
        profiles.record_failed_login(profile["person_id"])
        _log_failure(email, remote, f"wrong password (failure {profile['failed_logins'] + 1})")
        return None
    profiles.reset_failed_logins(profile["person_id"])
    return Account.from_profile(profile)


def _remaining_wait(profile: dict[str, Any]) -> int:
    """Seconds before the next attempt: 0 for the first few, then 2, 4, 8 … up to 15 minutes."""
    failures = int(profile["failed_logins"])
    if failures < FREE_ATTEMPTS or not profile["last_failed_at"]:
        return 0
    wait = min(timedelta(seconds=2 ** (failures - FREE_ATTEMPTS + 1)), MAX_WAIT)
    ready = datetime.fromisoformat(profile["last_failed_at"]) + wait
    return max(0, int((ready - datetime.now(UTC)).total_seconds() + 0.999))


def _log_failure(email: str, remote: str, what: str) -> None:
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:12]
    log.warning("failed sign-in for address %s from %s: %s", digest, remote, what)
