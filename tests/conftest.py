"""Shared fixtures: a real store (a SQLite file, or PostgreSQL in a database of this run's own).

PostgreSQL: the server on 127.0.0.1:5432 when one answers, otherwise a throwaway server
started by pytest-postgresql from the installed binaries. When the environment variable CI
is set, a test that would skip for want of PostgreSQL fails instead.

`make test` spreads the tests over processes (pytest-xdist). Session fixtures run once per
process, so each has its own PostgreSQL database, demo store and temporary folder; the web
application's default files (the secret key, the attachments) go to that folder too, never to
the checkout's var/.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from pytest_postgresql import factories

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_REFERENCE_DAY, load_demo
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from web.app import create_app

_PG_CTL = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
postgresql_throwaway = factories.postgresql_proc(
    executable=_PG_CTL[-1] if _PG_CTL else None, port=None
)


@dataclass(frozen=True)
class PostgresServer:
    """Where a PostgreSQL server answers, and the database this test run owns."""

    host: str
    port: int
    user: str
    password: str
    dbname: str

    def url(self, schema: str | None = None) -> str:
        """A QUALIZYKLUS_DATABASE URL for this run's database (and a schema in it)."""
        auth = f"{self.user}:{self.password}" if self.password else self.user
        query = f"?schema={schema}" if schema else ""
        return f"postgresql://{auth}@{self.host}:{self.port}/{self.dbname}{query}"

    def connect(self, dbname: str | None = None) -> psycopg.Connection:
        """An autocommit connection (to this run's database unless another is named)."""
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=dbname or self.dbname,
            autocommit=True,
        )


def _local_server_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            pass
        with psycopg.connect(
            host=host, port=port, user="postgres", dbname="postgres", connect_timeout=3
        ):
            return True
    except (OSError, psycopg.Error):
        return False


def _unavailable(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs PostgreSQL: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session", autouse=True)
def _own_var_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The web application's default files in this test process's own folder, not in var/."""
    var = tmp_path_factory.mktemp("var")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QUALIZYKLUS_SECRET_KEY_FILE", str(var / "secret_key"))
        patch.setenv("QUALIZYKLUS_ATTACHMENTS", str(var / "attachments"))
        patch.setenv("QUALIZYKLUS_PDF_CACHE", str(var / "pdf-cache"))
        yield var


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Iterator[PostgresServer]:
    """A PostgreSQL server with a database created for this test run (dropped afterwards)."""
    if _local_server_answers():
        host, port, user, password = "127.0.0.1", 5432, "postgres", ""
    else:
        try:
            process = request.getfixturevalue("postgresql_throwaway")
        except Exception as error:  # noqa: BLE001 -- no binaries, or not startable here
            _unavailable(f"no server on 127.0.0.1:5432 and none could be started: {error}")
        host, port = process.host, process.port
        user, password = process.user, process.password or ""
    dbname = f"qualizyklus_test_{os.getpid()}_{secrets.token_hex(4)}"
    server = PostgresServer(host, port, user, password, dbname)
    with server.connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')
    yield server
    with server.connect("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> str:
    """A fresh, empty store: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/qualizyklus.db"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    schema = f"t_{secrets.token_hex(6)}"
    with server.connect() as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return server.url(schema)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for the fresh store, with the schema created once (as `qualizyklus init`)."""
    settings = Settings(database=database_url)
    Qualizyklus(settings, create_tables=True).close()
    return settings


@pytest.fixture
def app(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine on the fresh store, with the sample themes installed (no plugins)."""
    application = Qualizyklus(settings, themes=SAMPLE_THEMES)
    yield application
    application.close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo loaded once per test run into a SQLite file (each test works on a copy)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_engine(Settings(database=f"sqlite:///{path}"), create_tables=True) as app:
        load_demo(app, today=DEMO_REFERENCE_DAY)
    return path


@pytest.fixture
def web_app(demo_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """The web application on a fresh copy of the demo store."""
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
        }
    )
    yield app
    app.extensions["qualizyklus"].close()
