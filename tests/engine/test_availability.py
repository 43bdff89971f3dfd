"""The engine's store when the database goes away: StoreUnavailable where connections are
made, stale pooled connections replaced at once, the first call after an outage served."""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import StoreUnavailable
from engine.infrastructure.settings import Settings
from tests.conftest import PostgresServer


@pytest.fixture
def own_database(postgres_server: PostgresServer) -> Iterator[PostgresServer]:
    """A PostgreSQL database of the test's own (its sessions are terminated, it is renamed)."""
    dbname = f"qz_avail_{secrets.token_hex(4)}"
    with postgres_server.connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    own = PostgresServer(
        postgres_server.host,
        postgres_server.port,
        postgres_server.user,
        postgres_server.password,
        dbname,
    )
    Qualizyklus(Settings(database=own.url()), create_tables=True).close()
    yield own
    with postgres_server.connect("postgres") as admin:
        for name in (dbname, f"{dbname}_away"):  # renamed if a test stopped half way
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _terminate(server: PostgresServer) -> int:
    with server.connect("postgres") as admin:
        return len(
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (server.dbname,),
            ).fetchall()
        )


def _fill_pool(engine: Qualizyklus, connections: int) -> None:
    """Have several connections open at once, so that the pool keeps that many."""
    barrier = threading.Barrier(connections)

    def hold() -> None:
        with engine.factory.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
            cursor.execute("SELECT 1")
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=hold) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_after_every_backend_is_terminated_the_next_call_succeeds_at_once(
    own_database: PostgresServer,
) -> None:
    engine = Qualizyklus(Settings(database=own_database.url()))
    try:
        _fill_pool(engine, 4)
        assert _terminate(own_database) >= 4
        started = time.monotonic()
        assert engine.profiles.everyone() == []  # every pooled connection was stale
        assert time.monotonic() - started < 5  # no backoff per stale connection (1 + 2 + 4 s)
    finally:
        engine.close()


def test_an_unreachable_database_is_store_unavailable_fast_and_served_when_back(
    own_database: PostgresServer,
) -> None:
    engine = Qualizyklus(Settings(database=own_database.url() + "?connect_timeout=2"))
    away = f"{own_database.dbname}_away"
    try:
        assert engine.profiles.everyone() == []
        with own_database.connect("postgres") as admin:
            admin.execute(f'ALTER DATABASE "{own_database.dbname}" ALLOW_CONNECTIONS false')
            _terminate(own_database)
            admin.execute(f'ALTER DATABASE "{own_database.dbname}" RENAME TO "{away}"')
        with pytest.raises(StoreUnavailable):
            engine.profiles.everyone()  # waits for the pool at most connect_timeout
        started = time.monotonic()
        for _ in range(5):
            with pytest.raises(StoreUnavailable):
                engine.profiles.everyone()
        assert time.monotonic() - started < 5  # known to be down: no 2 s wait for the pool each
        with own_database.connect("postgres") as admin:
            admin.execute(f'ALTER DATABASE "{away}" RENAME TO "{own_database.dbname}"')
            admin.execute(f'ALTER DATABASE "{own_database.dbname}" ALLOW_CONNECTIONS true')
        assert engine.profiles.everyone() == []  # the very first call after
    finally:
        engine.close()


def test_a_sqlite_file_that_cannot_be_opened_is_store_unavailable(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    settings = Settings(database=f"sqlite:///{folder}/qualizyklus.db")
    Qualizyklus(settings, create_tables=True).close()
    (folder / "qualizyklus.db").rename(tmp_path / "elsewhere.db")
    shutil.rmtree(folder)  # the file's folder is gone: SQLite cannot open (or create) it
    engine = Qualizyklus(settings)
    try:
        with pytest.raises(StoreUnavailable):
            engine.profiles.everyone()
    finally:
        engine.close()


def test_a_bad_query_is_not_mistaken_for_an_outage(own_database: PostgresServer) -> None:
    engine = Qualizyklus(Settings(database=own_database.url()))
    try:
        datastore = engine.factory.datastore  # type: ignore[attr-defined]
        with pytest.raises(Exception) as raised, datastore.transaction(commit=False) as cursor:
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")  # QueryCanceled: an OperationalError
        assert not isinstance(raised.value, StoreUnavailable)
        assert isinstance(raised.value.__cause__, psycopg.errors.QueryCanceled)
        assert engine.profiles.everyone() == []
    finally:
        engine.close()
