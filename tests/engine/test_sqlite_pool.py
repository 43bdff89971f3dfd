"""The SQLite pool hands out the connection returned last, so that a lone thread stays on one
connection (with its warm page cache) after other threads have needed connections beside it;
its connections keep sqlite3's usual cache of prepared statements, in WAL mode as the
library's."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.sqlite import SQLiteConnection

from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import cycle_in_phase, register_network


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Qualizyklus]:
    app = Qualizyklus(
        Settings(database=f"sqlite:///{tmp_path / 'store.db'}"),
        create_tables=True,
        themes=SAMPLE_THEMES,
    )
    yield app
    app.close()


def _handed_out(app: Qualizyklus, monkeypatch: pytest.MonkeyPatch) -> list[SQLiteConnection]:
    """Every connection the engine's pool hands out from now on, in order."""
    pool = app.factory.datastore.pool  # type: ignore[attr-defined]
    handed: list[SQLiteConnection] = []
    get = pool._get_connection

    def recorded(timeout: float = 0.0) -> SQLiteConnection:
        connection: SQLiteConnection = get(timeout)
        handed.append(connection)
        return connection

    monkeypatch.setattr(pool, "_get_connection", recorded)
    return handed


def test_the_connection_returned_last_is_handed_out_first(sqlite_app: Qualizyklus) -> None:
    pool = sqlite_app.factory.datastore.pool  # type: ignore[attr-defined]
    first = pool.get_connection(is_writer=False)
    second = pool.get_connection(is_writer=False)
    pool.put_connection(first)
    pool.put_connection(second)

    assert pool.get_connection(is_writer=False) is second


def test_commands_stay_on_one_connection_after_another_thread_used_one(
    sqlite_app: Qualizyklus, monkeypatch: pytest.MonkeyPatch
) -> None:
    network = register_network(sqlite_app)
    cycle_id = cycle_in_phase(sqlite_app, network, "analyse")
    holding, release = threading.Event(), threading.Event()

    def beside() -> None:  # as an automatic checkpoint does, on a connection of its own
        with sqlite_app.factory.datastore.transaction(commit=False):  # type: ignore[attr-defined]
            holding.set()
            release.wait(10)

    other = threading.Thread(target=beside)
    other.start()
    holding.wait(10)
    sqlite_app.add_comment(cycle_id, actor_id=network.coordinator, text="Während der Prüfung.")
    release.set()
    other.join(10)
    assert len(sqlite_app.factory.datastore.pool._pool) >= 2  # type: ignore[attr-defined]
    handed = _handed_out(sqlite_app, monkeypatch)

    for n in range(10):
        sqlite_app.add_comment(cycle_id, actor_id=network.coordinator, text=f"Notiz {n}")

    assert len(handed) >= 10
    assert len({id(connection) for connection in handed}) == 1


def test_new_connections_keep_128_prepared_statements_in_wal_mode(
    sqlite_app: Qualizyklus, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[dict[str, Any]] = []
    connect = sqlite3.connect

    def recorded(*args: Any, **options: Any) -> sqlite3.Connection:
        asked.append(options)
        connection: sqlite3.Connection = connect(*args, **options)
        return connection

    monkeypatch.setattr(sqlite3, "connect", recorded)
    pool = sqlite_app.factory.datastore.pool  # type: ignore[attr-defined]
    connection = pool._create_connection()

    # the library asks for ``cached_statements=True``, which sqlite3 takes as ONE statement
    assert [options["cached_statements"] for options in asked] == [128]
    mode = connection._sqlite_conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert connection._sqlite_conn.execute("SELECT 1 AS one").fetchone()["one"] == 1
    connection.close()
