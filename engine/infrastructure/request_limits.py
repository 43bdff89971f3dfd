"""How often a form that sends mail may be used: per address as typed and per client.

Asking for a password link mails someone; without a limit the form would let anyone flood a
mailbox or probe the mail server. Each key (a SHA-256 hash of the address or of the client's
IP address, never the address itself) may be used a few times per window; the window starts
with the first request and the count is forgotten after it. The address is counted whether or
not anyone has it, so a limit reached tells nothing about an account. The counts live in the
database of the events, so every worker and host applies the same limit.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from engine.infrastructure.side_tables import SideTable
from engine.infrastructure.sign_in_throttle import address_key, client_key

TABLE = "qualizyklus_request_counts"


@dataclass(frozen=True)
class Window:
    """At most ``most`` requests per ``length``."""

    most: int
    length: timedelta


RESET_ADDRESS = Window(most=3, length=timedelta(hours=1))
"""Password links for one address: three an hour (one is enough; a mail may go astray)."""
RESET_CLIENT = Window(most=10, length=timedelta(hours=1))
"""Password link requests from one client (IP address), whatever the addresses."""


def reset_keys(email: str, remote: str) -> tuple[str, str]:
    """The keys of a password link request: the address as typed, and the client."""
    return f"reset-{address_key(email)}", f"reset-{client_key(remote)}"


class RequestLimits(SideTable):
    """Request counts by key and window, in the application's own database."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "limit_key TEXT PRIMARY KEY, requests INTEGER NOT NULL, "
                "window_start DOUBLE PRECISION NOT NULL)"
            )

    def take(self, key: str, window: Window, *, now: float | None = None) -> int:
        """Count a request; 0 when it is within the limit, else whole seconds until it is.

        One statement counts, so that workers counting at once each add theirs.
        """
        with self._datastore.transaction(commit=True) as cursor:
            return self.take_in(cursor, key, window, now=now)

    def take_in(self, cursor: Any, key: str, window: Window, *, now: float | None = None) -> int:
        """As :meth:`take`, within the caller's transaction (``cursor``)."""
        now = time.time() if now is None else now
        statement, parameters = self.counting({key: 1}, window, now=now)
        cursor.execute(statement, parameters)
        row: Any = cursor.fetchall()[0]
        self.expire(cursor, window, now=now)
        return self.wait(row, window, now=now)

    def counting(
        self, requests: Mapping[str, int], window: Window, *, now: float
    ) -> tuple[str, tuple[Any, ...]]:
        """The one statement that counts requests, a row per key with its number of requests
        (in the order given: the order in which PostgreSQL locks the rows), ``RETURNING
        limit_key, requests, window_start``; and its parameters."""
        p = self._p
        values = ", ".join([f"({p}, {p}, {p})"] * len(requests))
        rows = tuple(v for key, count in requests.items() for v in (key, count, now))
        start = now - window.length.total_seconds()
        return self.counting_from(f"VALUES {values}"), (*rows, start, start)

    def counting_from(self, source: str) -> str:
        """The counting statement for the rows ``source`` gives (key, number of requests, now:
        VALUES or a SELECT), for callers that count within a statement of their own; its
        parameters after the source's are the window's start, twice (a count whose window
        started then or before starts again)."""
        p = self._p
        return (
            f"INSERT INTO {self._table} AS t (limit_key, requests, window_start) "
            f"{source} ON CONFLICT (limit_key) DO UPDATE SET "
            f"requests = CASE WHEN t.window_start <= {p} THEN excluded.requests "
            "ELSE t.requests + excluded.requests END, "
            f"window_start = CASE WHEN t.window_start <= {p} THEN excluded.window_start "
            "ELSE t.window_start END RETURNING limit_key, requests, window_start"
        )

    def expire(self, cursor: Any, window: Window, *, now: float) -> None:
        """Forget the counts whose ``window`` is over (within the caller's transaction)."""
        start = now - window.length.total_seconds()
        cursor.execute(f"DELETE FROM {self._table} WHERE window_start <= {self._p}", (start,))

    @staticmethod
    def wait(row: Any, window: Window, *, now: float) -> int:
        """0 when the counted ``row`` is within ``window``'s limit, else whole seconds until it
        is."""
        if int(row["requests"]) <= window.most:
            return 0
        start = now - window.length.total_seconds()
        return max(1, int(float(row["window_start"]) - start + 0.999))
