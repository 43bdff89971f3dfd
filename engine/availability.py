"""When the database cannot be reached: ``StoreUnavailable``, raised where connections are made.

Every table the engine reads or writes (events, snapshots, side tables, read models, the
tracking position) goes through one datastore of the eventsourcing library, so the guard sits
there. ``Settings.eventsourcing_env`` names the factories below as the persistence modules;
they are the library's, with the datastore made a guarded one.

PostgreSQL: every connection taken from the pool is first pinged (one round trip). A dead one
(backends terminated, server restarted) makes the pool check all its idle connections at once
and the request goes on with a fresh one, so that the first request after an outage does not
fail once per stale connection. (The library's ``POSTGRES_PRE_PING`` does not do this: its
check waits 1, 2, 4... seconds between stale connections and times out.) When no connection
can be had, the store counts as *down*: ``StoreUnavailable``, and until a fresh connection
succeeds each further request fails at once instead of waiting for the pool; the first that
gets through replaces the pool, whose reconnection attempts may be backing off for minutes.

SQLite: a file that cannot be opened or read ("unable to open", "disk I/O error") and a lock
held too long are ``StoreUnavailable`` too.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg_pool
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.sqlite import SQLiteConnection, SQLiteDatastore, SQLiteFactory
from eventsourcing.utils import Environment, EnvType

from engine.errors import StoreUnavailable

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 2
"""Seconds a probe for the database's return may take to connect."""
_OUTAGE_STATES = frozenset({"57P01", "57P02", "57P03", "3D000", "53300"})
"""admin/crash shutdown, cannot connect now, no such database, too many connections."""
_SQLITE_OUTAGES = ("unable to open", "disk i/o error", "database is locked", "readonly database")


def is_outage(error: BaseException) -> bool:
    """Whether a driver error means the database cannot be reached (rather than a bad query)."""
    cause = error.__cause__ if isinstance(error, OperationalError | InterfaceError) else error
    if isinstance(cause, psycopg_pool.PoolTimeout | psycopg.InterfaceError):
        return True
    if isinstance(cause, psycopg.OperationalError):
        state = cause.sqlstate
        return state is None or state.startswith("08") or state in _OUTAGE_STATES
    if isinstance(cause, sqlite3.OperationalError | sqlite3.DatabaseError):
        return any(text in str(cause).lower() for text in _SQLITE_OUTAGES)
    return False


class GuardedPostgresDatastore(PostgresDatastore):
    """The library's PostgreSQL datastore with pinged connections and outage detection."""

    down_since: float | None
    _recovery: threading.Lock

    @classmethod
    def adopt(cls, datastore: PostgresDatastore) -> None:
        """Guard a datastore the library's factory made (its pool is not open yet).

        New connections get the pool's timeout as ``connect_timeout`` too, so that a host
        that does not answer at all cannot hold the pool's workers for minutes.
        """
        datastore.__class__ = cls
        assert isinstance(datastore, GuardedPostgresDatastore)
        datastore.down_since = None
        datastore._recovery = threading.Lock()
        if isinstance(datastore.pool.kwargs, dict):
            datastore.pool.kwargs["connect_timeout"] = max(1, round(datastore.pool.timeout))

    @contextmanager
    def get_connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A live connection from the pool; ``StoreUnavailable`` when the database is away."""
        self._wait_for_return()
        try:
            with self._live_connection() as connection:
                yield connection
        except (OperationalError, InterfaceError) as error:
            if not is_outage(error):
                raise
            if self.down_since is None:
                self.down_since = time.monotonic()
                log.warning("the database cannot be reached: %s", error)
            raise StoreUnavailable() from error

    @contextmanager
    def _live_connection(self) -> Iterator[psycopg.Connection[Any]]:
        with super().get_connection() as connection:
            if _answers(connection):
                yield connection
                return
        # Dead since its last use: so, likely, is every idle one (backends terminated).
        self.pool.check()
        with super().get_connection() as connection:
            yield connection

    def _wait_for_return(self) -> None:
        """While the store is down: fail at once unless a fresh connection now succeeds."""
        if self.down_since is None:
            return
        with self._recovery:
            if self.down_since is None:  # another thread saw it return
                return
            try:
                with psycopg.connect(**self._connect_arguments(), connect_timeout=PROBE_TIMEOUT):
                    pass
            except psycopg.Error as error:
                raise StoreUnavailable() from error
            self._renew_pool()
            log.warning(
                "the database answers again after %.0f s", time.monotonic() - self.down_since
            )
            self.down_since = None

    def _connect_arguments(self) -> dict[str, Any]:
        kwargs = self.pool.kwargs
        arguments = dict(kwargs() if callable(kwargs) else kwargs or {})
        arguments.pop("row_factory", None)
        arguments.pop("connect_timeout", None)
        password_func = getattr(self.pool, "get_password_func", None)
        if password_func:
            arguments["password"] = password_func()
        return arguments

    def _renew_pool(self) -> None:
        """A new pool like the old one: the old one's reconnection attempts may be far apart."""
        stale = self.pool
        fresh = type(stale)(
            get_password_func=getattr(stale, "get_password_func", None),
            connection_class=stale.connection_class,
            kwargs=stale.kwargs,
            min_size=stale.min_size,
            max_size=stale.max_size,
            open=False,
            configure=self.after_connect_func(),
            timeout=stale.timeout,
            max_waiting=stale.max_waiting,
            max_lifetime=stale.max_lifetime,
        )
        self.pool = fresh
        stale.close(timeout=0)


def _answers(connection: psycopg.Connection[Any]) -> bool:
    """Whether the connection still reaches its server (an empty query: one round trip)."""
    try:
        connection.execute("")
    except psycopg.Error:
        return False
    return True


class GuardedPostgresFactory(PostgresFactory):
    """The library's PostgreSQL persistence with a guarded datastore.

    ``POSTGRES_CONNECT_TIMEOUT`` (seconds) bounds how long a request waits for a connection
    before the store counts as down.
    """

    def __init__(self, env: Environment | EnvType | None) -> None:
        """Build the library's factory, then guard its datastore."""
        super().__init__(env)
        GuardedPostgresDatastore.adopt(self.datastore)


class GuardedSQLiteDatastore(SQLiteDatastore):
    """The library's SQLite datastore; a file that cannot be used is ``StoreUnavailable``."""

    @contextmanager
    def get_connection(self, *, commit: bool) -> Iterator[SQLiteConnection]:
        """A connection of the pool, failures to reach the file mapped to StoreUnavailable."""
        try:
            with super().get_connection(commit=commit) as connection:
                yield connection
        except (OperationalError, InterfaceError, sqlite3.DatabaseError) as error:
            if not is_outage(error):
                raise
            log.warning("the SQLite file cannot be used: %s", error)
            raise StoreUnavailable() from error


class GuardedSQLiteFactory(SQLiteFactory):
    """The library's SQLite persistence with a guarded datastore."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        """Build the library's factory, then guard its datastore."""
        super().__init__(env)
        self.datastore.__class__ = GuardedSQLiteDatastore
