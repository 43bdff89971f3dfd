"""One-time links to set a password: invitations and "Passwort vergessen".

A link carries a random secret; only its SHA-256 hash is stored here, with the person, what the
link is for (an invitation or a reset) and when it expires. A person has at most one live link:
issuing a new one deletes the older ones, and using a link deletes every link of the person, so
a link works once and an older mail's link stops working as soon as a newer one is sent. Links
that have run out are deleted on the way. The table lives in the database of the events, beside
the profiles, so every worker and host sees the same links; it holds no address or name.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from engine.infrastructure.login_sessions import hash_secret
from engine.infrastructure.side_tables import SideTable

TABLE = "qualizyklus_password_links"
INVITATION = "invitation"
"""A link for a person who has no password yet (sent by a coordinator or an administrator)."""
RESET = "reset"
"""A link asked for on the sign-in page ("Passwort vergessen")."""
PURPOSES = (INVITATION, RESET)
MAX_SECRET = 200
"""Longer strings are no secret of ours and are refused before any query."""


@dataclass(frozen=True)
class PasswordLink:
    """A live link: whose it is, what for, and when it stops working (epoch seconds)."""

    person_id: str
    purpose: str
    expires_at: float


class PasswordLinkStore(SideTable):
    """Password links by the hash of their secret, in the application's own database."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table and its index by person if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "secret_hash TEXT PRIMARY KEY, person_id TEXT NOT NULL, purpose TEXT NOT NULL, "
                "created_at DOUBLE PRECISION NOT NULL, expires_at DOUBLE PRECISION NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_person ON {self._table} (person_id)"
            )

    def issue(
        self, person_id: str, purpose: str, lifetime: float, *, now: float | None = None
    ) -> str:
        """A new link's secret (for the mail, not kept here), valid ``lifetime`` seconds.

        Every older link of the person stops working; run-out links of anyone are deleted.
        """
        if purpose not in PURPOSES or lifetime <= 0:
            msg = f"a password link needs a purpose of {PURPOSES} and a positive lifetime"
            raise ValueError(msg)
        now = time.time() if now is None else now
        secret = secrets.token_urlsafe(32)
        p = self._p
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"DELETE FROM {self._table} WHERE person_id = {p} OR expires_at <= {p}",
                (person_id, now),
            )
            cursor.execute(
                f"INSERT INTO {self._table} "
                "(secret_hash, person_id, purpose, created_at, expires_at) "
                f"VALUES ({p}, {p}, {p}, {p}, {p})",
                (hash_secret(secret), person_id, purpose, now, now + lifetime),
            )
        return secret

    def find(self, secret: str, *, now: float | None = None) -> PasswordLink | None:
        """The live link of this secret, or None (unknown, used, replaced or run out)."""
        if not secret or len(secret) > MAX_SECRET:
            return None
        now = time.time() if now is None else now
        rows = self._datastore.rows(
            f"SELECT person_id, purpose, expires_at FROM {self._table} "
            f"WHERE secret_hash = {self._p}",
            (hash_secret(secret),),
        )
        if not rows or float(rows[0]["expires_at"]) <= now:
            return None
        row = rows[0]
        return PasswordLink(str(row["person_id"]), str(row["purpose"]), float(row["expires_at"]))

    def use(self, secret: str, *, now: float | None = None) -> PasswordLink | None:
        """Use a link once: the link if it was live (and this call took it), else None.

        Of two requests with the same link only one gets it. Every other link of the person
        ends with it.
        """
        link = self.find(secret, now=now)
        if link is None:
            return None
        p = self._p
        taken = self._execute(
            f"DELETE FROM {self._table} WHERE secret_hash = {p} AND expires_at > {p}",
            (hash_secret(secret), time.time() if now is None else now),
        )
        if not taken:
            return None
        self.revoke(link.person_id)
        return link

    def revoke(self, person_id: str) -> int:
        """End every link of the person (erasure, a password set otherwise); how many ended."""
        return self._execute(f"DELETE FROM {self._table} WHERE person_id = {self._p}", (person_id,))

    def pending(self, person_id: str, *, now: float | None = None) -> PasswordLink | None:
        """The person's live link, if any (to show "invited, not yet signed in")."""
        now = time.time() if now is None else now
        p = self._p
        rows = self._datastore.rows(
            f"SELECT person_id, purpose, expires_at FROM {self._table} "
            f"WHERE person_id = {p} AND expires_at > {p}",
            (person_id, now),
        )
        if not rows:
            return None
        row = rows[0]
        return PasswordLink(str(row["person_id"]), str(row["purpose"]), float(row["expires_at"]))
