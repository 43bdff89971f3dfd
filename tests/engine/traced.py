"""The statements an engine's SQLite connections run, traced with ``sqlite3``'s callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Statements:
    """The statements an engine's SQLite connections run, from now on (the pooled connections
    and those the pool makes later)."""

    def __init__(self, app: Any) -> None:
        self.seen: list[str] = []
        pool: Any = getattr(app.factory, "datastore").pool  # noqa: B009
        for connection in list(pool._pool):
            connection._sqlite_conn.set_trace_callback(self.seen.append)
        create = pool._create_connection

        def traced() -> Any:
            connection = create()
            connection._sqlite_conn.set_trace_callback(self.seen.append)
            return connection

        pool._create_connection = traced

    def count(self, matches: Callable[[str], bool]) -> int:
        """How many statements seen so far ``matches``; starts counting anew."""
        found = sum(1 for statement in self.seen if matches(statement))
        self.seen.clear()
        return found
