"""Sign-in sessions kept on the server: a session ends when the person signs out.

A signed cookie alone cannot be taken back: a copy keeps working after sign-out. So each sign-in
starts a session record here (its random secret stored only as a SHA-256 hash, the person, when
it began and when it was last seen); the web layer puts the secret into the signed cookie and
checks the record on every request. Signing out deletes the record; so do a password change,
erasure and an administrator's "sign out everywhere" (every record of the person). A record
also ends when it was idle too long or is older than the absolute limit, whatever the cookie says.

The records live in the database of the events, beside the profiles, so every worker and every
host sees the same sessions. "Last seen" is written at most once a minute per session.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from engine.infrastructure.side_tables import Host, SideTable, open_side_table

TABLE = "qualizyklus_login_sessions"
TOUCH_EVERY = timedelta(minutes=1)
"""How stale "last seen" may get before a request writes it anew (keeps writes cheap)."""

log = logging.getLogger(__name__)


def hash_secret(secret: str) -> str:
    """The stored form of a session secret (random, so one unsalted SHA-256 suffices)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session may be idle, and how long it may last at most."""

    idle: timedelta = timedelta(minutes=60)
    max_age: timedelta = timedelta(hours=8)

    def __post_init__(self) -> None:
        """Refuse limits that are not positive."""
        if self.idle <= timedelta(0) or self.max_age <= timedelta(0):
            msg = "session limits must be positive"
            raise ValueError(msg)

    @property
    def touch_every(self) -> float:
        """Seconds between two writes of "last seen": a minute, less for very short idle limits."""
        return min(TOUCH_EVERY.total_seconds(), self.idle.total_seconds() / 4)

    def expired(self, created_at: float, last_seen_at: float, now: float) -> bool:
        """Whether a session begun at ``created_at`` and last seen at ``last_seen_at`` is over."""
        return (
            now - created_at > self.max_age.total_seconds()
            or now - last_seen_at > self.idle.total_seconds()
        )


class LoginSessionStore(SideTable):
    """Sessions by the hash of their secret, in the application's own database."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table and its index by person if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "secret_hash TEXT PRIMARY KEY, person_id TEXT NOT NULL, "
                "created_at DOUBLE PRECISION NOT NULL, last_seen_at DOUBLE PRECISION NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_person ON {self._table} (person_id)"
            )

    def start(self, person_id: str, policy: SessionPolicy, *, now: float | None = None) -> str:
        """Begin a session for the person; returns its secret (for the cookie, not kept here).

        Sessions of anyone that have run out are deleted on the way.
        """
        now = time.time() if now is None else now
        secret = secrets.token_urlsafe(32)
        p = self._p
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"DELETE FROM {self._table} WHERE created_at < {p} OR last_seen_at < {p}",
                (now - policy.max_age.total_seconds(), now - policy.idle.total_seconds()),
            )
            cursor.execute(
                f"INSERT INTO {self._table} (secret_hash, person_id, created_at, last_seen_at) "
                f"VALUES ({p}, {p}, {p}, {p})",
                (hash_secret(secret), person_id, now, now),
            )
        return secret

    def check(self, secret: str, policy: SessionPolicy, *, now: float | None = None) -> str | None:
        """The person of a live session, or None (unknown, ended, idle too long, too old).

        A session found expired is deleted; a live one has "last seen" renewed when it is
        older than the policy's touch interval.
        """
        row = self.live(secret, policy, now=now)
        return None if row is None else str(row["person_id"])

    def live(
        self,
        secret: str,
        policy: SessionPolicy,
        *,
        now: float | None = None,
        joined: tuple[str, tuple[str, ...]] | None = None,
    ) -> dict[str, Any] | None:
        """The live session's row, or None; expired ones deleted, "last seen" renewed as due.

        ``joined`` names another table keyed by ``person_id`` and its columns: they come
        with the session in the same query (as ``joined_<column>``, None without a row there).
        """
        if not secret or len(secret) > 200:
            return None
        now = time.time() if now is None else now
        key = hash_secret(secret)
        rows = self._datastore.rows(_live_query(self._table, self._p, joined), (key,))
        if not rows:
            return None
        row = dict(rows[0])
        created_at, last_seen_at = float(row["created_at"]), float(row["last_seen_at"])
        if policy.expired(created_at, last_seen_at, now):
            self._execute(f"DELETE FROM {self._table} WHERE secret_hash = {self._p}", (key,))
            return None
        if now - last_seen_at >= policy.touch_every:
            p = self._p
            self._execute(
                f"UPDATE {self._table} SET last_seen_at = {p} WHERE secret_hash = {p}",
                (now, key),
            )
        return row

    def end(self, secret: str) -> bool:
        """End one session (sign-out); True if it was still there."""
        return bool(
            self._execute(
                f"DELETE FROM {self._table} WHERE secret_hash = {self._p}", (hash_secret(secret),)
            )
        )

    def end_all(self, person_id: str) -> int:
        """End every session of the person (sign out everywhere); returns how many ended."""
        ended = self._execute(
            f"DELETE FROM {self._table} WHERE person_id = {self._p}", (person_id,)
        )
        if ended:
            log.info("%s session(s) of person %s ended", ended, person_id)
        return ended

    def count(self, person_id: str, policy: SessionPolicy, *, now: float | None = None) -> int:
        """How many live sessions the person has."""
        now = time.time() if now is None else now
        p = self._p
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT COUNT(*) AS n FROM {self._table} "
                f"WHERE person_id = {p} AND created_at >= {p} AND last_seen_at >= {p}",
                (
                    person_id,
                    now - policy.max_age.total_seconds(),
                    now - policy.idle.total_seconds(),
                ),
            )
            return int(cursor.fetchall()[0]["n"])


def login_sessions(app: Host) -> LoginSessionStore:
    """The sign-in sessions in the engine's database (same datastore as the profiles)."""
    return open_side_table(app, LoginSessionStore)


def _live_query(table: str, placeholder: str, joined: tuple[str, tuple[str, ...]] | None) -> str:
    """The SELECT of a session by its secret's hash, with another table's row if asked."""
    columns = "s.person_id, s.created_at, s.last_seen_at"
    join = ""
    if joined is not None:
        other, other_columns = joined
        columns += "".join(f", j.{column} AS joined_{column}" for column in other_columns)
        join = f" LEFT JOIN {other} j ON j.person_id = s.person_id"
    return f"SELECT {columns} FROM {table} s{join} WHERE s.secret_hash = {placeholder}"
