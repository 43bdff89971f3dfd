"""Shared fixtures: a real store (a SQLite file, or PostgreSQL in a database of this run's own).

PostgreSQL: the server on 127.0.0.1:5432 when one answers, otherwise a throwaway server
started by pytest-postgresql from the installed binaries. When the environment variable CI
is set, a test that would skip for want of PostgreSQL fails instead.

`make test` spreads the tests over processes (pytest-xdist). Session fixtures run once per
process, so each has its own PostgreSQL database, demo store and temporary folder; the web
application's default files (the secret key, the attachments) go to that folder too, never to
the checkout's var/.

The demo is loaded once per run, not per test: the first process that needs it loads it into a
template (a SQLite file, or a pg_dump of a PostgreSQL schema) in the folder all processes of the
run share, under a file lock; every test then gets a copy (:func:`demo_database`, :func:`web_app`,
:func:`fill_with_demo`). See "Tests" in the README.
"""

from __future__ import annotations

import fcntl
import glob
import os
import secrets
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
import pytest
from flask import Flask
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from pytest_postgresql import factories

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_REFERENCE_DAY, load_demo
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower
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


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept in memory, shared by every app this process creates.

    A test process creates hundreds of apps (one per test); each would compile the same
    templates again. Keyed by template name and source checksum, so a changed template is
    compiled afresh.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket if this template was compiled before."""
        found = self._compiled.get(bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a freshly compiled template."""
        self._compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once() -> Iterator[None]:
    """Every Flask app of this test process shares one cache of compiled templates."""
    cache = _CompiledTemplates()
    create = Flask.create_jinja_environment

    def create_jinja_environment(app: Flask) -> Environment:
        environment = create(app)
        environment.bytecode_cache = cache
        return environment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "create_jinja_environment", create_jinja_environment)
        yield


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


# The demo, loaded once per run ----------------------------------------------------------

_PG_BIN = Path(_PG_CTL[-1]).parent if _PG_CTL else None


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every process of this test run shares (under xdist: the workers' parent)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (one process of the run at a time)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a closed SQLite store file (with its -wal/-shm, should there be any)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        found = Path(f"{source}{suffix}")
        if found.exists():
            shutil.copyfile(found, Path(f"{target}{suffix}"))
        else:
            Path(f"{target}{suffix}").unlink(missing_ok=True)


def sqlite_demo_template(shared: Path, today: date = DEMO_REFERENCE_DAY) -> Path:
    """The demo dated from ``today`` in a SQLite file, loaded by the run's first process."""
    path = shared / f"demo-{today.isoformat()}.db"
    with _locked(shared / f"{path.name}.lock"):
        if not path.exists():
            building = shared / f"{path.name}.building"
            building.unlink(missing_ok=True)
            with open_engine(Settings(database=f"sqlite:///{building}"), create_tables=True) as app:
                load_demo(app, today=today)
            building.rename(path)
    return path


def projected_demo_template(shared: Path) -> Path:
    """The demo template with its read models caught up, as `qualizyklus serve`'s follower
    leaves them (pages then need not catch up 700 events inline in every test)."""
    path = shared / f"demo-{DEMO_REFERENCE_DAY.isoformat()}-projected.db"
    with _locked(shared / f"{path.name}.lock"):
        if not path.exists():
            building = shared / f"{path.name}.building"
            copy_sqlite(sqlite_demo_template(shared), building)
            with open_engine(Settings(database=f"sqlite:///{building}")) as app:
                follower = Follower(app)
                follower.catch_up()
                assert follower.behind() == 0
            building.rename(path)
    return path


def _pg_tool(name: str) -> str | None:
    """A PostgreSQL client program of the installed server's version (None if missing)."""
    if _PG_BIN is not None and (_PG_BIN / name).exists():
        return str(_PG_BIN / name)
    return shutil.which(name)


def _pg_env(server: PostgresServer) -> dict[str, str]:
    return {**os.environ, "PGPASSWORD": server.password, "PGCONNECT_TIMEOUT": "10"}


def _pg_args(server: PostgresServer) -> list[str]:
    return ["-h", server.host, "-p", str(server.port), "-U", server.user, "-d", server.dbname]


def _template_schema(today: date) -> str:
    return f"demotemplate_{today:%Y%m%d}"  # no "qz_" (the read models prefix that)


def postgres_demo_dump(
    server: PostgresServer, shared: Path, today: date = DEMO_REFERENCE_DAY
) -> Path | None:
    """The demo dated from ``today`` as a pg_dump of one schema (None without pg_dump)."""
    pg_dump = _pg_tool("pg_dump")
    if pg_dump is None or _pg_tool("psql") is None:
        return None
    dump = shared / f"demo-{today.isoformat()}.pgsql"
    with _locked(shared / f"{dump.name}.lock"):
        if not dump.exists():
            schema = _template_schema(today)
            with server.connect() as connection:
                connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                connection.execute(f'CREATE SCHEMA "{schema}"')
            with open_engine(Settings(database=server.url(schema)), create_tables=True) as app:
                load_demo(app, today=today)
            building = shared / f"{dump.name}.building"
            options = ["--schema", schema, "--no-owner", "--no-privileges", "--file", str(building)]
            subprocess.run(
                [pg_dump, *_pg_args(server), *options],
                env=_pg_env(server),
                check=True,
                capture_output=True,
            )
            with server.connect() as connection:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
            building.rename(dump)
    return dump


def restore_postgres_demo(server: PostgresServer, schema: str, dump: Path, today: date) -> None:
    """Replace ``schema`` with a copy of the dumped demo (in one transaction)."""
    script = dump.read_text(encoding="utf-8").replace(_template_schema(today), schema)
    with server.connect() as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    psql = _pg_tool("psql")
    assert psql is not None
    subprocess.run(
        [psql, *_pg_args(server), "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"],
        input=script,
        text=True,
        env=_pg_env(server),
        check=True,
        capture_output=True,
    )


def put_demo(
    url: str,
    shared: Path,
    *,
    today: date = DEMO_REFERENCE_DAY,
    server: PostgresServer | None = None,
) -> None:
    """Leave the store at ``url`` as ``qualizyklus init`` and ``load_demo(app, today=today)``
    would, from the run's template (no connection may be open on a SQLite store).

    A SQLite URL gets a copy of the template file; a PostgreSQL URL (a database on ``server``,
    and its ``?schema=`` or public) gets that schema replaced by a copy of the template schema.
    """
    if url.startswith("sqlite:///"):
        copy_sqlite(sqlite_demo_template(shared, today), Path(url.removeprefix("sqlite:///")))
        return
    assert server is not None, "a PostgreSQL store needs the postgres_server fixture"
    parts = urlsplit(url)
    schema = parse_qs(parts.query).get("schema", ["public"])[-1]
    dump = postgres_demo_dump(server, shared, today)
    if dump is None:  # no pg_dump/psql here: load it the slow way
        with open_engine(Settings(database=url), create_tables=True) as app:
            load_demo(app, today=today)
        return
    target = replace(server, dbname=unquote(parts.path.lstrip("/")))
    restore_postgres_demo(target, schema, dump, today)


FillWithDemo = Callable[..., None]


@pytest.fixture
def fill_with_demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> FillWithDemo:
    """``fill_with_demo(database_url, today=...)``: a copy of the demo in the test's store.

    The store ends as ``qualizyklus init`` and ``load_demo(app, today=today)`` (``qualizyklus
    demo``) would leave it, in a fraction of the time (:func:`put_demo`).
    """
    shared = shared_folder(tmp_path_factory)

    def fill(url: str, today: date = DEMO_REFERENCE_DAY) -> None:
        server = None if url.startswith("sqlite:") else request.getfixturevalue("postgres_server")
        put_demo(url, shared, today=today, server=server)

    return fill


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (dated from DEMO_REFERENCE_DAY) in a SQLite file; each test works on a copy.

    Loaded once per test run (not per process), its read models caught up (as the follower
    beside `qualizyklus serve` leaves them), and copied to this process's own folder.
    """
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    copy_sqlite(projected_demo_template(shared_folder(tmp_path_factory)), path)
    return path


@pytest.fixture
def web_app(demo_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """The web application on a fresh copy of the demo store."""
    database = tmp_path / "qualizyklus.db"
    copy_sqlite(demo_database, database)
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
        }
    )
    yield app
    app.extensions["qualizyklus"].close()
