"""Reading the notification log in pages, leanly, for catching up and rebuilding.

The library's ``select_notifications`` builds a :class:`Notification` with a UUID for every
event; when millions are replayed that costs more than applying them. This reads the
recorder's own table (the same rows, in the same order of notification id) as plain tuples,
and leaves out the stored state of events no handler reads, which only move a cycle's version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

Rows = Callable[[str, Sequence[Any]], list[Any]]
"""Runs a query on the log and returns its rows as tuples (PostgreSQL's reads them in binary)."""


class Entry(NamedTuple):
    """One event of the log: position, aggregate, version, topic and stored state (or None)."""

    id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes | None


@lru_cache(maxsize=65_536)
def uuid_text(value: Any) -> str:
    """An aggregate id as text with dashes (SQLite stores 32 hex digits, PostgreSQL a UUID)."""
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


class LogReader:
    """Pages of the application's notification log, with the state of wanted topics only."""

    def __init__(
        self, recorder: Any, *, is_sqlite: bool, wanted: Sequence[str], rows: Rows | None = None
    ) -> None:
        self._recorder = recorder
        self._wanted = tuple(wanted)
        self._is_sqlite = is_sqlite
        table = recorder.events_table_name
        marks = ", ".join(["?" if is_sqlite else "%s"] * len(self._wanted))
        self._rows: Rows = rows or self._sqlite_rows
        if is_sqlite:
            self._statement = (
                "SELECT rowid AS id, originator_id, originator_version, topic, "
                f"CASE WHEN topic IN ({marks}) THEN state END AS state FROM {table} "
                "WHERE rowid > ? ORDER BY rowid LIMIT ?"
            )
        else:
            schema = recorder.datastore.schema
            self._statement = (
                "SELECT notification_id AS id, originator_id, originator_version, topic, "
                f"CASE WHEN topic IN ({marks}) THEN state END AS state "
                f'FROM "{schema}"."{table}" WHERE notification_id > %s '
                "ORDER BY notification_id LIMIT %s"
            )

    def page(self, after: int, limit: int) -> list[Entry]:
        """Up to ``limit`` events after position ``after``, in order."""
        rows = self._rows(self._statement, (*self._wanted, after, limit))
        return [
            Entry(
                row[0], uuid_text(row[1]), row[2], row[3], None if row[4] is None else bytes(row[4])
            )
            for row in rows
        ]

    def _sqlite_rows(self, statement: str, parameters: Sequence[Any]) -> list[Any]:
        with self._recorder.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, parameters)
            return list(cursor.fetchall())
