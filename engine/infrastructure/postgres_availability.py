"""PostgreSQL's side of :mod:`engine.infrastructure.availability`: live connections, outage
detection and a renewed pool after an outage. Imported only when a PostgreSQL URL is configured
(the ``postgres`` extra)."""

from __future__ import annotations

import logging
import select
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from eventsourcing.postgres import PostgresDatastore, PostgresFactory
from eventsourcing.utils import Environment, EnvType
from psycopg.rows import DictRow

from engine.domain.errors import StoreUnavailable
from engine.infrastructure.availability import PROBE_TIMEOUT, is_outage

log = logging.getLogger(__name__)

PING_AFTER_IDLE = 5.0
"""Seconds a pooled connection may have been idle and still be used without a ping."""
_RETURNED_AT = "_qualizyklus_returned_at"
"""The attribute on a pooled connection that holds when it was last given back (monotonic)."""

Connection = psycopg.Connection[Any]


class GuardedPostgresDatastore(PostgresDatastore):
    """The library's PostgreSQL datastore with live connections and outage detection."""

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
    def get_connection(self) -> Iterator[Connection]:
        """A live connection from the pool; ``StoreUnavailable`` when the database is away."""
        with self._guarded(), self._live_connection() as connection:
            yield connection

    @contextmanager
    def transaction(self, *, commit: bool = False) -> Iterator[psycopg.Cursor[DictRow]]:
        """A cursor in a transaction on a live connection; ``StoreUnavailable`` when away.

        Without ``commit`` the transaction is read-only, so nothing it does is written.
        """
        with self._guarded(), self._begun(commit=commit) as connection:
            yield connection.cursor()

    def rows(self, statement: str, parameters: Sequence[Any] = ()) -> list[DictRow]:
        """The rows of one SELECT, sent on its own (no transaction around it: one round trip).

        A pooled connection found dead makes the pool check all its idle connections, and the
        SELECT goes again on a fresh one (a lone read has nothing to undo).
        """
        with self._guarded():
            found = self._select(statement, parameters, dead_ok=True)
            if found is None:
                self.pool.check()
                found = self._select(statement, parameters, dead_ok=False)
            assert found is not None
            return found

    def committed_rows(self, statement: str, parameters: Sequence[Any] = ()) -> list[DictRow]:
        """The rows of one statement that writes, sent on its own and committed by itself
        (autocommit: one round trip instead of BEGIN, the statement and COMMIT).

        As for :meth:`rows`, a connection found dead is replaced and the statement sent again:
        a statement whose connection died may have been committed, so one that must not apply
        twice has to fail the second time (the survey inbox's answer ids are its keys).
        """
        return self.rows(statement, parameters)

    def _select(
        self, statement: str, parameters: Sequence[Any], *, dead_ok: bool
    ) -> list[DictRow] | None:
        """The rows; None if the connection was dead and ``dead_ok``."""
        with PostgresDatastore.get_connection(self) as connection, _noting_return(connection):
            try:
                return connection.execute(statement, parameters).fetchall()
            except psycopg.Error:
                if dead_ok and _dead(connection):
                    return None
                raise

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """Fail fast while the store is down; a driver error that means an outage marks it so."""
        self._wait_for_return()
        try:
            yield
        except (OperationalError, InterfaceError) as error:
            if not is_outage(error):
                raise
            if self.down_since is None:
                self.down_since = time.monotonic()
                log.warning("the database cannot be reached: %s", error)
            raise StoreUnavailable() from error

    @contextmanager
    def _live_connection(self) -> Iterator[Connection]:
        """A pooled connection that answers: pinged unless it was in use moments ago."""
        with super().get_connection() as connection:
            if _seems_alive(connection) or _answers(connection):
                with _noting_return(connection):
                    yield connection
                return
        # Dead since its last use: so, likely, is every idle one (backends terminated).
        self.pool.check()
        with super().get_connection() as connection, _noting_return(connection):
            yield connection

    @contextmanager
    def _begun(self, *, commit: bool) -> Iterator[Connection]:
        """A pooled connection in a transaction: its BEGIN tells whether it is alive.

        A dead one makes the pool check all its idle connections (likely dead as well), and
        the transaction begins on a fresh one.
        """
        with ExitStack() as stack:
            connection = self._begin(stack, commit=commit, dead_ok=True)
            if connection is None:
                stack.close()  # gives the dead connection back: the pool discards it
                self.pool.check()
                connection = self._begin(stack, commit=commit, dead_ok=False)
            assert connection is not None
            yield connection

    def _begin(self, stack: ExitStack, *, commit: bool, dead_ok: bool) -> Connection | None:
        """Take a connection onto ``stack`` and begin; None if it was dead and ``dead_ok``."""
        connection: Connection = stack.enter_context(PostgresDatastore.get_connection(self))
        stack.callback(_note_return, connection)
        try:
            stack.enter_context(_transaction(connection, commit=commit))
        except psycopg.Error:
            if dead_ok and _dead(connection):
                return None
            raise
        return connection

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


@contextmanager
def _transaction(connection: Connection, *, commit: bool) -> Iterator[None]:
    """BEGIN ... COMMIT on a connection in autocommit mode; read-only unless ``commit``.

    A read-only transaction ends with COMMIT too: it cannot have written anything, and a
    ROLLBACK would make psycopg drop the connection's prepared statements.
    """
    connection.execute("BEGIN" if commit else "BEGIN READ ONLY", prepare=False)
    try:
        yield
    except BaseException:
        with suppress(psycopg.Error):  # a broken connection: the block's error is the news
            connection.execute("ROLLBACK", prepare=False)
        raise
    connection.execute("COMMIT", prepare=False)


@contextmanager
def _noting_return(connection: Connection) -> Iterator[None]:
    try:
        yield
    finally:
        _note_return(connection)


def _note_return(connection: Connection) -> None:
    setattr(connection, _RETURNED_AT, time.monotonic())


def _seems_alive(connection: Connection) -> bool:
    """Whether a pooled connection may go without a ping.

    It must have been given back moments ago, and nothing may wait on its socket: a server
    that ends a session (terminated, shut down) says so and closes it, which an idle
    connection's socket shows at once.
    """
    returned: float | None = getattr(connection, _RETURNED_AT, None)
    if returned is None or time.monotonic() - returned > PING_AFTER_IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        return not poller.poll(0)
    except (AttributeError, OSError, ValueError, psycopg.Error):  # no poll(): ping
        return False


def _dead(connection: Connection) -> bool:
    """Whether the connection is lost (its server ended it or went away)."""
    return connection.broken or connection.closed


def _answers(connection: Connection) -> bool:
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
