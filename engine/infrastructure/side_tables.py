"""Tables of the application's own beside the events: profiles, API tokens, sign-in sessions,
failed sign-ins, sent reminders, state coordinators.

They live in the database (and PostgreSQL schema) of the events, are created by
``qualizyklus init``, and hold what must not be in events (names, addresses, secrets) or is
bookkeeping rather than history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, Protocol, TypeVar

from engine.infrastructure.settings import Settings


class Datastore(Protocol):
    """The part of the library's SQLite and PostgreSQL datastores these tables use."""

    def transaction(self, *, commit: bool) -> Any:
        """A context manager yielding a DB-API cursor."""

    def rows(self, statement: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of one SELECT (mappings by column name)."""

    def committed_rows(self, statement: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of one statement that writes, committed by itself (mappings by column
        name)."""


class Host(Protocol):
    """The engine as a side table sees it: the library's persistence factory and the settings.

    The service's application (engine/application/) satisfies it; the tables name only this.
    """

    @property
    def factory(self) -> Any:
        """The library's persistence factory (its ``datastore`` is shared with the events)."""

    @property
    def settings(self) -> Settings:
        """The installation's settings (SQLite or PostgreSQL)."""


class SideTable:
    """One such table: its datastore, placeholder style and (schema-qualified) name."""

    TABLE: ClassVar[str] = ""

    def __init__(self, datastore: Datastore, *, placeholder: str, schema: str = "") -> None:
        self._datastore = datastore
        self._p = placeholder
        self._table = f"{schema}.{self.TABLE}" if schema else self.TABLE

    def _execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> int:
        """Run one statement in a transaction of its own; how many rows it touched."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(sql, parameters)
            # The library wraps SQLite's cursor (without rowcount); psycopg's has it.
            return int(getattr(cursor, "sqlite_cursor", cursor).rowcount)


T = TypeVar("T", bound=SideTable)


def open_side_table(app: Host, kind: type[T]) -> T:
    """The table ``kind`` in the engine's database (``app`` is the engine)."""
    datastore = getattr(app.factory, "datastore", None)
    if datastore is None:
        msg = f"the persistence module has no datastore for {kind.TABLE}"
        raise RuntimeError(msg)
    if app.settings.is_sqlite:
        return kind(datastore, placeholder="?")
    return kind(datastore, placeholder="%s", schema=getattr(datastore, "schema", ""))
