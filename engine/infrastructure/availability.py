"""When the database cannot be reached: ``StoreUnavailable``, raised where connections are made.

Every table the engine reads or writes (events, snapshots, side tables, read models, the
tracking position) goes through one datastore of the eventsourcing library, so the guard sits
there. ``Settings.eventsourcing_env`` names the factories (here for SQLite, in
``engine.infrastructure.postgres_availability`` for PostgreSQL, imported only when a PostgreSQL
URL is configured) as the persistence modules; they are the library's, with the datastore made a
guarded one.

PostgreSQL: a transaction's BEGIN shows whether its pooled connection is alive; any other use of
a connection pings it first (one round trip) unless it was in use moments ago and its socket is
quiet (a server that ends a session says so and closes it). A dead connection makes the pool
check all its idle connections at once and the request goes on with a fresh one, so that the
first request after an outage does not fail once per stale connection. (The library's
``POSTGRES_PRE_PING`` does not do this: its check waits 1, 2, 4... seconds between stale
connections and times out.) When no connection can be had, the store counts as *down*:
``StoreUnavailable``, and until a fresh connection succeeds each further request fails at once
instead of waiting for the pool; the first that gets through replaces the pool, whose
reconnection attempts may be backing off for minutes. Read-only transactions are ``BEGIN READ
ONLY ... COMMIT``: nothing in them is written, and the connection keeps its prepared statements
(psycopg forgets them after a ROLLBACK). A lone SELECT (``rows``) goes without a transaction;
if its connection turns out dead, it is sent again on a fresh one.

SQLite: a file that cannot be opened or read ("unable to open", "disk I/O error") and a lock
held too long are ``StoreUnavailable`` too.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteDatastore,
    SQLiteFactory,
)
from eventsourcing.utils import Environment, EnvType

from engine.domain.errors import StoreUnavailable
from engine.infrastructure.sqlite_pool import WarmSQLiteConnectionPool
from engine.infrastructure.sqlite_writers import WriterTurns

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 2
"""Seconds a probe for the database's return may take to connect."""
_OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "3D000", "53300"})
"""admin/crash shutdown, cannot connect now, no such database, too many connections."""
_SQLITE_OUTAGES = ("unable to open", "disk i/o error", "database is locked", "readonly database")


def is_outage(error: BaseException) -> bool:
    """Whether a driver error means the database cannot be reached (rather than a bad query)."""
    cause = error.__cause__ if isinstance(error, OperationalError | InterfaceError) else error
    # psycopg is imported only where a PostgreSQL URL is configured (the `postgres` extra).
    if cause is not None and type(cause).__module__.startswith("psycopg"):
        return _is_postgres_outage(cause)
    if isinstance(cause, sqlite3.OperationalError | sqlite3.DatabaseError):
        return any(text in str(cause).lower() for text in _SQLITE_OUTAGES)
    return False


def _is_postgres_outage(cause: BaseException) -> bool:
    """Whether a psycopg error means the server cannot be reached."""
    import psycopg
    import psycopg_pool

    if isinstance(cause, psycopg_pool.PoolTimeout | psycopg.InterfaceError):
        return True
    if isinstance(cause, psycopg.OperationalError):
        state = cause.sqlstate
        return state is None or state.startswith("08") or state in _OUTAGE_STATES
    return False


class GuardedSQLiteDatastore(SQLiteDatastore):
    """The library's SQLite datastore; a file that cannot be used is ``StoreUnavailable``, and
    writers take turns on a lock of the operating system (sqlite_writers.py)."""

    writer_turns: WriterTurns | None = None
    """The writers' turns of a file database (None in memory)."""

    @contextmanager
    def get_connection(self, *, commit: bool) -> Iterator[SQLiteConnection]:
        """A connection of the pool, failures to reach the file mapped to StoreUnavailable;
        a connection to write with once it is this writer's turn."""
        turns = self.writer_turns if commit else None
        with turns.turn() if turns is not None else nullcontext():
            try:
                with super().get_connection(commit=commit) as connection:
                    yield connection
            except (OperationalError, InterfaceError, sqlite3.DatabaseError) as error:
                if not is_outage(error):
                    raise
                log.warning("the SQLite file cannot be used: %s", error)
                raise StoreUnavailable() from error

    def close(self) -> None:
        """Close the pool's connections and the writers' lock file."""
        super().close()
        if self.writer_turns is not None:
            self.writer_turns.close()

    def rows(self, statement: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of one SELECT."""
        with self.transaction(commit=False) as cursor:
            cursor.execute(statement, parameters)
            return list(cursor.fetchall())

    def committed_rows(self, statement: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of one statement that writes, in a transaction of its own."""
        with self.transaction(commit=True) as cursor:
            cursor.execute(statement, parameters)
            return list(cursor.fetchall())


class GuardedSQLiteFactory(SQLiteFactory):
    """The library's SQLite persistence with a guarded datastore and a pool that keeps a lone
    thread on one connection (engine/infrastructure/sqlite_pool.py)."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        """Build the library's factory, then guard its datastore."""
        super().__init__(env)
        self.datastore.__class__ = GuardedSQLiteDatastore
        self.datastore.pool.__class__ = WarmSQLiteConnectionPool
        if not self.datastore.pool.is_sqlite_memory_mode:
            self.datastore.writer_turns = WriterTurns(  # type: ignore[attr-defined]
                self.datastore.pool.db_name,
                wait=float(self.datastore.pool.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT),
            )
