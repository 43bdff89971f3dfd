"""The profile store: people's names, e-mail addresses and sign-in data, outside the history.

Events refer to people by id only. Erasing a profile (DSGVO Art. 17) removes the person's
personal data, sign-in data (sessions, failure counts) included; the history then shows a
stable pseudonym and its seals still verify. The engine stores password hashes as opaque
strings; hashing is the caller's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from engine.infrastructure.login_sessions import LoginSessionStore, SessionPolicy
from engine.infrastructure.password_links import PasswordLinkStore
from engine.infrastructure.request_limits import RequestLimits
from engine.infrastructure.side_tables import Datastore, SideTable
from engine.infrastructure.sign_in_throttle import SignInThrottle, address_key

TABLE = "qualizyklus_profiles"
COLUMNS = (
    "person_id",
    "display_name",
    "email",
    "password_hash",
    "is_admin",
    "failed_logins",
    "last_failed_at",
)


def pseudonym(person_id: str) -> str:
    """A stable, non-identifying label for a person whose profile is erased or unknown."""
    digest = hashlib.sha256(person_id.encode("utf-8")).hexdigest()[:6].upper()
    return f"Person {digest}"


def _now() -> str:
    return datetime.now(UTC).isoformat()


class ProfileStore(SideTable):
    """Profiles by person id, in the application's own database."""

    TABLE = TABLE

    def __init__(self, datastore: Datastore, *, placeholder: str, schema: str = "") -> None:
        super().__init__(datastore, placeholder=placeholder, schema=schema)
        self._index = f"{TABLE}_email"
        self.sessions = LoginSessionStore(datastore, placeholder=placeholder, schema=schema)
        self.throttle = SignInThrottle(datastore, placeholder=placeholder, schema=schema)
        self.links = PasswordLinkStore(datastore, placeholder=placeholder, schema=schema)
        self.request_limits = RequestLimits(datastore, placeholder=placeholder, schema=schema)

    def create_table(self) -> None:
        """Create the table and the unique e-mail index if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "person_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, "
                "email TEXT NOT NULL DEFAULT '', password_hash TEXT NOT NULL DEFAULT '', "
                "is_admin INTEGER NOT NULL DEFAULT 0, failed_logins INTEGER NOT NULL DEFAULT 0, "
                "last_failed_at TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL)"
            )
            cursor.execute(
                f"CREATE UNIQUE INDEX IF NOT EXISTS {self._index} ON {self._table} (email) "
                "WHERE email <> ''"
            )

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[dict[str, Any]]:
        columns = ", ".join(COLUMNS)
        rows = self._datastore.rows(f"SELECT {columns} FROM {self._table} {where}", parameters)
        return [{column: row[column] for column in COLUMNS} for row in rows]

    def put(self, person_id: str, *, display_name: str, email: str = "") -> None:
        """Create a profile or change a person's name and e-mail address (kept lower-case)."""
        p = self._p
        self._execute(
            f"INSERT INTO {self._table} (person_id, display_name, email, updated_at) "
            f"VALUES ({p}, {p}, {p}, {p}) ON CONFLICT (person_id) DO UPDATE SET "
            "display_name = excluded.display_name, email = excluded.email, "
            "updated_at = excluded.updated_at",
            (person_id, display_name, email.strip().lower(), _now()),
        )

    def get(self, person_id: str) -> dict[str, Any] | None:
        """A person's profile, or None when there is none (never created, or erased)."""
        rows = self._select(f"WHERE person_id = {self._p}", (person_id,))
        return rows[0] if rows else None

    def signed_in(
        self, secret: str, policy: SessionPolicy, *, now: float | None = None
    ) -> dict[str, Any] | None:
        """The profile behind a live sign-in session (one query for both), or None.

        None when the session is unknown, ended or expired, or its person has no profile.
        """
        row = self.sessions.live(secret, policy, now=now, joined=(self._table, COLUMNS))
        if row is None or row["joined_person_id"] is None:
            return None
        return {column: row[f"joined_{column}"] for column in COLUMNS}

    def by_email(self, email: str) -> dict[str, Any] | None:
        """The profile with this e-mail address (case does not matter), or None."""
        rows = self._select(f"WHERE email = {self._p}", (email.strip().lower(),))
        return rows[0] if rows and rows[0]["email"] else None

    def everyone(self) -> list[dict[str, Any]]:
        """Every profile, by name."""
        return sorted(self._select("", ()), key=lambda row: row["display_name"].lower())

    def set_password_hash(self, person_id: str, password_hash: str) -> bool:
        """Store a new password hash; True if the person exists.

        Every session of the person ends (a copied cookie dies with the old password) and the
        failed sign-ins for the address are forgotten.
        """
        p = self._p
        changed = bool(
            self._execute(
                f"UPDATE {self._table} SET password_hash = {p}, failed_logins = 0, "
                f"last_failed_at = '', updated_at = {p} WHERE person_id = {p}",
                (password_hash, _now(), person_id),
            )
        )
        if changed:
            self._end_sign_ins(person_id)
        return changed

    def _end_sign_ins(self, person_id: str, email: str | None = None) -> None:
        """End the person's sessions and forget the failures counted for the address."""
        self.sessions.end_all(person_id)
        if email is None:
            profile = self.get(person_id)
            email = profile["email"] if profile else ""
        if email:
            self.throttle.forget(address_key(email))

    def set_admin(self, person_id: str, is_admin: bool) -> bool:
        """Make a person an installation administrator (or not); True if the person exists."""
        p = self._p
        return bool(
            self._execute(
                f"UPDATE {self._table} SET is_admin = {p}, updated_at = {p} WHERE person_id = {p}",
                (int(is_admin), _now(), person_id),
            )
        )

    def record_failed_login(self, person_id: str) -> None:
        """Count a failed sign-in and remember when it happened."""
        p = self._p
        self._execute(
            f"UPDATE {self._table} SET failed_logins = failed_logins + 1, last_failed_at = {p} "
            f"WHERE person_id = {p}",
            (_now(), person_id),
        )

    def reset_failed_logins(self, person_id: str) -> None:
        """Forget failed sign-ins after a successful one."""
        self._execute(
            f"UPDATE {self._table} SET failed_logins = 0, last_failed_at = '' "
            f"WHERE person_id = {self._p}",
            (person_id,),
        )

    def display_names(self, person_ids: Iterable[str]) -> dict[str, str]:
        """Names for the given ids; erased or unknown people get their pseudonym."""
        wanted = sorted(set(person_ids))
        names = {person_id: pseudonym(person_id) for person_id in wanted}
        if not wanted:
            return names
        marks = ", ".join([self._p] * len(wanted))
        for row in self._select(f"WHERE person_id IN ({marks})", tuple(wanted)):
            names[row["person_id"]] = row["display_name"]
        return names

    def erase(self, person_id: str) -> bool:
        """Erase a person's profile and sign-in data (sessions and password links end at
        once); True if found."""
        profile = self.get(person_id)
        self.links.revoke(person_id)
        self._end_sign_ins(person_id, profile["email"] if profile else "")
        return bool(
            self._execute(f"DELETE FROM {self._table} WHERE person_id = {self._p}", (person_id,))
        )
