"""Failed sign-ins counted per address as typed and per client, shared by every worker.

After a few failures for an address, the next attempt must wait 2, 4, 8 … seconds (at most 15
minutes); a client that fails often waits likewise. The address is counted whether or not an
account has it, so that the answers (and their timing) never tell whether it exists. The counts
live in the database of the events, so every worker and every host applies the same throttle.
Keys are SHA-256 hashes of the normalised address or client, never the address itself; a count
is forgotten after a quiet day (address) or hour (client), and on success for the address.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import timedelta

from engine.infrastructure.side_tables import Host, SideTable, open_side_table

TABLE = "qualizyklus_sign_in_failures"
MAX_WAIT = timedelta(minutes=15)


@dataclass(frozen=True)
class Limit:
    """How many failures are free, and after how long a quiet key is forgotten."""

    free: int
    forget_after: timedelta


ADDRESS = Limit(free=3, forget_after=timedelta(hours=24))
CLIENT = Limit(free=20, forget_after=timedelta(hours=1))


def normalise_address(email: str) -> str:
    """The address as the profile store compares it (trimmed, lower-case)."""
    return email.strip().lower()


def address_key(email: str) -> str:
    """The throttle key of an address as typed (whether or not anyone has it)."""
    digest = hashlib.sha256(normalise_address(email).encode("utf-8")).hexdigest()
    return f"address:{digest}"


def client_key(remote: str) -> str:
    """The throttle key of a client (its IP address)."""
    return f"client:{hashlib.sha256(remote.encode('utf-8')).hexdigest()}"


def _limit(key: str) -> Limit:
    return ADDRESS if key.startswith("address:") else CLIENT


def wait_after(failures: int, last_failed_at: float, limit: Limit, now: float) -> int:
    """Whole seconds still to wait after ``failures`` failures, the last at ``last_failed_at``."""
    quiet = now - last_failed_at
    if failures < limit.free or quiet > limit.forget_after.total_seconds():
        return 0
    wait = min(2.0 ** (failures - limit.free + 1), MAX_WAIT.total_seconds())
    return max(0, int(wait - quiet + 0.999))


class SignInThrottle(SideTable):
    """Failure counts by key (hashed address or client), in the application's own database."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "throttle_key TEXT PRIMARY KEY, failures INTEGER NOT NULL, "
                "last_failed_at DOUBLE PRECISION NOT NULL)"
            )

    def failures(self, key: str) -> tuple[int, float]:
        """The failures counted for a key and when the last one was (0, 0.0 if none)."""
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT failures, last_failed_at FROM {self._table} "
                f"WHERE throttle_key = {self._p}",
                (key,),
            )
            rows = cursor.fetchall()
        return (int(rows[0]["failures"]), float(rows[0]["last_failed_at"])) if rows else (0, 0.0)

    def wait(self, *keys: str, now: float | None = None) -> int:
        """Whole seconds before the next attempt may be checked: the longest wait of the keys."""
        now = time.time() if now is None else now
        return max(
            (wait_after(*self.failures(key), _limit(key), now) for key in keys),
            default=0,
        )

    def record_failure(self, *keys: str, now: float | None = None) -> None:
        """Count a failure for each key (a quiet key starts again from one).

        One statement per key, so that workers failing at once each add theirs.
        """
        now = time.time() if now is None else now
        p = self._p
        for key in keys:
            forgotten = now - _limit(key).forget_after.total_seconds()
            self._execute(
                f"INSERT INTO {self._table} AS t (throttle_key, failures, last_failed_at) "
                f"VALUES ({p}, 1, {p}) ON CONFLICT (throttle_key) DO UPDATE SET "
                f"failures = CASE WHEN t.last_failed_at < {p} THEN 1 ELSE t.failures + 1 END, "
                "last_failed_at = excluded.last_failed_at",
                (key, now, forgotten),
            )
        self.purge(now=now)

    def forget(self, *keys: str) -> None:
        """Forget the failures of the keys (after a successful sign-in, or a new password)."""
        for key in keys:
            self._execute(f"DELETE FROM {self._table} WHERE throttle_key = {self._p}", (key,))

    def purge(self, *, now: float | None = None) -> None:
        """Delete counts that are forgotten anyway (a day quiet)."""
        now = time.time() if now is None else now
        oldest = now - max(ADDRESS.forget_after, CLIENT.forget_after).total_seconds()
        self._execute(f"DELETE FROM {self._table} WHERE last_failed_at < {self._p}", (oldest,))


def sign_in_throttle(app: Host) -> SignInThrottle:
    """The failure counts in the engine's database (same datastore as the profiles)."""
    return open_side_table(app, SignInThrottle)
