"""The SQLite connection pool, handing out the connection returned last (last in, first out),
its connections keeping sqlite3's usual cache of prepared statements.

Each SQLite connection keeps its own cache of database pages, and drops it whenever it finds
that another connection has written since it last looked. The library's pool hands out the
connection returned *first* (first in, first out): once a second thread has needed a
connection at the same time (an automatic checkpoint beside a command, a second request), one
thread's transactions take turns on the pooled connections, and each turn starts on a cold
cache, re-reading the pages the command needs (about 4 % more processor time per command in
``bench/evidence.py``). Handing out the connection returned last keeps a lone thread on one warm
connection and leaves the others idle, where the pool's ``max_age`` can close them.

The library opens its connections with ``cached_statements=True``, which sqlite3 takes as a
cache of ONE prepared statement: every statement but one repeated at once was parsed and
planned anew (a parent's answer, three statements, cost about 0.05 ms more processor time).
The pool's connections keep :data:`STATEMENT_CACHE` statements, sqlite3's own default.
"""

from __future__ import annotations

import sqlite3

from eventsourcing.persistence import InterfaceError
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
)

STATEMENT_CACHE = 128
"""How many prepared statements each connection keeps (sqlite3's default)."""


class WarmSQLiteConnectionPool(SQLiteConnectionPool):
    """The library's pool, with the connection returned last handed out first and a cache of
    prepared statements on each connection."""

    def _create_connection(self) -> SQLiteConnection:
        """A connection as the library makes it (WAL mode for a file, rows by column name),
        keeping :data:`STATEMENT_CACHE` prepared statements."""
        try:
            connection = sqlite3.connect(
                database=self.db_name,
                uri=True,
                check_same_thread=False,
                isolation_level=None,  # the library begins and commits itself
                cached_statements=STATEMENT_CACHE,
                timeout=self.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
        except (sqlite3.Error, TypeError) as error:
            raise InterfaceError(error) from error
        if not self.is_sqlite_memory_mode and not self.is_journal_mode_wal:
            mode = connection.execute("PRAGMA journal_mode;").fetchone()[0]
            if mode.lower() != "wal":
                connection.execute("PRAGMA journal_mode=WAL;")
                self.journal_mode_was_changed_to_wal = True
            self.is_journal_mode_wal = True
        connection.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=connection, max_age=self.max_age)

    def put_connection(self, conn: SQLiteConnection) -> None:
        """Return ``conn`` to the pool, at the end the next request takes from."""
        super().put_connection(conn)
        with self._put_condition:
            # The library appends a returned connection and takes from the left: move it there
            # (unless another thread has taken it meanwhile, or the pool closed it).
            if self._pool and self._pool[-1] is conn:
                self._pool.pop()
                self._pool.appendleft(conn)
