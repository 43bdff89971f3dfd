"""sqlite-ceiling: the service's command rate beside raw SQLite single-row transactions.

The raw figure is what the disk allows: one row per committed transaction, in WAL mode, in
a table shaped like the library's, in the same temporary directory. No command that writes
one event can beat it; the ratio shows how much of the ceiling the engine uses.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from uuid import uuid4

from bench.commands import command_ops, sizes
from bench.common import Op, Row, interleaved_rates, progress, sqlite_store
from engine.infrastructure.settings import Settings

NAME = "sqlite-ceiling"
EVENT_BYTES = 400
"""About the size of a stored status-change event."""


@contextmanager
def raw_insert(url: str) -> Iterator[Op]:
    """An op that inserts and commits one event-sized row (autocommit mode, explicit BEGIN)."""
    path = Settings(database=url).sqlite_path()
    with closing(sqlite3.connect(path, isolation_level=None)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(
            "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
            "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
        )
        originator_id, versions, state = uuid4().hex, itertools.count(1), b"x" * EVENT_BYTES

        def insert() -> None:
            connection.execute("BEGIN")
            connection.execute(
                "INSERT INTO stored_events VALUES (?,?,?,?)",
                (originator_id, next(versions), "bench:Inserted", state),
            )
            connection.execute("COMMIT")

        yield insert


def run(*, quick: bool = False) -> list[Row]:
    """The service's status-change rate and raw SQLite's, measured in alternating rounds."""
    progress(f"{NAME} on sqlite")
    with (
        sqlite_store() as url_for,
        raw_insert(url_for("raw")) as insert,
        command_ops(url_for, bare=False) as ops,
    ):
        rates = interleaved_rates({"service": ops["service"], "raw": insert}, **sizes(quick))
    return [Row(NAME, rates["service"], "ops/s", rates["raw"], None, "service", "raw insert")]
