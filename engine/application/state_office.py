"""State coordinators (Landeskoordinierungsstelle, LaKo): who may see which Land's comparison.

An installation administrator grants the role for one Land (``qualizyklus users
state-coordinator EMAIL --land BY`` or the administration page). The role is not part of any
organisation, so it is kept outside the events, in the application's own database like the
profiles and tokens; every grant and revocation is logged instead.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from engine.application.store import Store
from engine.domain import validation as check
from engine.domain.limits import MAX_LABEL
from engine.domain.organisation import LAENDER
from engine.infrastructure.side_tables import SideTable, open_side_table

TABLE = "qualizyklus_state_coordinators"

log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).isoformat()


class StateOffice(SideTable):
    """The state coordinators by person id, each with their one Land."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "person_id TEXT PRIMARY KEY, land TEXT NOT NULL, granted_at TEXT NOT NULL)"
            )

    def grant(self, person_id: str, land: str, *, actor: str = "") -> None:
        """Make the person the state coordinator of ``land`` (replacing another Land)."""
        land = check.one_of("land", land, LAENDER)
        person_id = check.text("person_id", person_id, max_length=MAX_LABEL)
        p = self._p
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {self._table} WHERE person_id = {p}", (person_id,))
            cursor.execute(
                f"INSERT INTO {self._table} (person_id, land, granted_at) VALUES ({p}, {p}, {p})",
                (person_id, land, _now()),
            )
        log.info("state coordinator role for %s granted to %s by %s", land, person_id, actor)

    def revoke(self, person_id: str, *, actor: str = "") -> bool:
        """End the person's state coordinator role; True if they had it."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {self._table} WHERE person_id = {self._p}", (person_id,))
            # The library wraps SQLite's cursor (without rowcount); psycopg's has it.
            revoked = bool(getattr(cursor, "sqlite_cursor", cursor).rowcount)
        if revoked:
            log.info("state coordinator role of %s revoked by %s", person_id, actor)
        return revoked

    def land_of(self, person_id: str) -> str | None:
        """The Land the person coordinates, or None."""
        found = self._select(f"WHERE person_id = {self._p}", (person_id,))
        return str(found[0]["land"]) if found else None

    def coordinators(self) -> list[dict[str, Any]]:
        """Every state coordinator (person id, Land, when granted), by Land."""
        return sorted(self._select("", ()), key=lambda row: (row["land"], row["person_id"]))

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[dict[str, Any]]:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT person_id, land, granted_at FROM {self._table} {where}", parameters
            )
            return [
                {
                    "person_id": row["person_id"],
                    "land": row["land"],
                    "granted_at": row["granted_at"],
                }
                for row in cursor.fetchall()
            ]


def state_office(app: Store) -> StateOffice:
    """The state coordinators in the engine's database (same datastore as the profiles)."""
    return open_side_table(app, StateOffice)


def grant(app: Store, person_id: str, land: str, *, actor: str = "") -> None:
    """Make the person the state coordinator of ``land`` (see :meth:`StateOffice.grant`)."""
    state_office(app).grant(person_id, land, actor=actor)


def revoke(app: Store, person_id: str, *, actor: str = "") -> bool:
    """End the person's state coordinator role; True if they had it."""
    return state_office(app).revoke(person_id, actor=actor)


def land_of(app: Store, person_id: str) -> str | None:
    """The Land the person coordinates, or None."""
    return state_office(app).land_of(person_id)


def coordinators(app: Store) -> list[dict[str, Any]]:
    """Every state coordinator of the installation."""
    return state_office(app).coordinators()
