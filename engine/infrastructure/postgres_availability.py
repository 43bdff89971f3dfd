"""PostgreSQL's side of :mod:`engine.infrastructure.availability`: pinged connections, outage
detection and
a renewed pool after an outage. Imported only when a PostgreSQL URL is configured (the
``postgres`` extra)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment, EnvType

from engine.domain.errors import StoreUnavailable
from engine.infrastructure.availability import PROBE_TIMEOUT, is_outage

log = logging.getLogger(__name__)


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
