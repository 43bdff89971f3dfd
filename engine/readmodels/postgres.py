"""The read models' PostgreSQL side: imported only when a PostgreSQL URL is configured.

psycopg and the library's PostgreSQL recorders come with the ``postgres`` extra; the SQLite
store (``pip install .`` alone) never imports this module. follower.py and log.py choose it
where the application's store is PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from engine.readmodels.news import News
from engine.readmodels.view import ReadModel


class PostgresReadModel(ReadModel, PostgresTrackingRecorder):
    """The read models in the PostgreSQL database (and schema) of the events."""

    placeholder = "%s"


def read_model(datastore: Any) -> PostgresReadModel:
    """The read models in the datastore's database, with their own tracking table."""
    return PostgresReadModel(datastore=datastore, tracking_table_name="qualizyklus_tracking")


def binary_rows(recorder: Any, statement: str, parameters: Sequence[Any]) -> list[Any]:
    """The rows of a query on the log as plain tuples in binary form (no hex text to
    decode for each stored state)."""
    with recorder.datastore.get_connection() as connection, connection.transaction():
        cursor = connection.cursor(row_factory=tuple_row)
        cursor.execute(statement, parameters, binary=True)
        return list(cursor.fetchall())


class Notifications(News):
    """PostgreSQL's NOTIFY on the events' channel, which the library sends with each write.

    The follower listens only while it waits: a listening session costs every writing
    transaction a little, which under a steady stream of writes adds up.
    """

    settles = True

    def __init__(self, connection: Any, channel: str) -> None:
        self._connection = connection
        self._listen = SQL("LISTEN {0}").format(Identifier(channel))
        self._unlisten = SQL("UNLISTEN {0}").format(Identifier(channel))
        self._listening = False

    def listen(self) -> None:
        """LISTEN on the channel."""
        if not self._listening:
            self._connection.execute(self._listen)
            self._listening = True

    def ignore(self) -> None:
        """UNLISTEN, and forget notifications already received."""
        if self._listening:
            self._connection.execute(self._unlisten)
            self._listening = False
            for _ in self._connection.notifies(timeout=0):
                pass

    def wait(self, stop: threading.Event, timeout: float) -> bool:
        """Wait for a notification (checking ``stop`` every tenth of a second)."""
        deadline = time.monotonic() + timeout
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in self._connection.notifies(timeout=0.1, stop_after=1):
                return True
        return False
