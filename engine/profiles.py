"""The profile store: names and e-mail addresses of people, kept outside the event history.

Events refer to people by id only. Erasing a profile (DSGVO Art. 17) removes the person's
personal data; the history then shows a stable pseudonym and its seals still verify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol

TABLE = "qualizyklus_profiles"


class Datastore(Protocol):
    """The part of the library's SQLite and PostgreSQL datastores this store uses."""

    def transaction(self, *, commit: bool) -> Any:
        """A context manager yielding a DB-API cursor."""


def pseudonym(person_id: str) -> str:
    """A stable, non-identifying label for a person whose profile is erased or unknown."""
    digest = hashlib.sha256(person_id.encode("utf-8")).hexdigest()[:6].upper()
    return f"Person {digest}"


class ProfileStore:
    """Names and e-mail addresses by person id, in the application's own database."""

    def __init__(self, datastore: Datastore, *, placeholder: str, schema: str = "") -> None:
        self._datastore = datastore
        self._p = placeholder
        self._table = f"{schema}.{TABLE}" if schema else TABLE

    def create_table(self) -> None:
        """Create the table if it is missing (run by ``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "person_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, "
                "email TEXT NOT NULL, updated_at TEXT NOT NULL)"
            )

    def put(self, person_id: str, *, display_name: str, email: str = "") -> None:
        """Create or replace a person's profile."""
        p = self._p
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"INSERT INTO {self._table} (person_id, display_name, email, updated_at) "
                f"VALUES ({p}, {p}, {p}, {p}) ON CONFLICT (person_id) DO UPDATE SET "
                "display_name = excluded.display_name, email = excluded.email, "
                "updated_at = excluded.updated_at",
                (person_id, display_name, email, datetime.now(UTC).isoformat()),
            )

    def get(self, person_id: str) -> dict[str, str] | None:
        """A person's profile, or None when there is none (never created, or erased)."""
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT person_id, display_name, email FROM {self._table} "
                f"WHERE person_id = {self._p}",
                (person_id,),
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return {key: row[key] for key in ("person_id", "display_name", "email")}

    def display_names(self, person_ids: Iterable[str]) -> dict[str, str]:
        """Names for the given ids; erased or unknown people get their pseudonym."""
        wanted = sorted(set(person_ids))
        names = {person_id: pseudonym(person_id) for person_id in wanted}
        if not wanted:
            return names
        marks = ", ".join([self._p] * len(wanted))
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT person_id, display_name FROM {self._table} WHERE person_id IN ({marks})",
                wanted,
            )
            for row in cursor.fetchall():
                names[row["person_id"]] = row["display_name"]
        return names

    def erase(self, person_id: str) -> bool:
        """Erase a person's profile; True if there was one."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {self._table} WHERE person_id = {self._p}", (person_id,))
            return bool(cursor.rowcount)
