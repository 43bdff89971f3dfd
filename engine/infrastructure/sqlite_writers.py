"""SQLite writers of one installation take turns on a lock of the operating system.

SQLite lets one connection write at a time. A connection that finds the file locked waits in
its busy handler, which sleeps 1, 2, 5, 10, 15, 20 ... ms between tries, however soon the lock
is free. Under a burst of writes from several processes (gunicorn's workers, the read models'
follower, a command line) those sleeps, not the writes, decided how long a request took: a
parent's answer that found the other worker committing slept up to 20 ms while the commit it
waited for took half a millisecond. So each write transaction first takes an exclusive
``flock`` on a file beside the database (``<database>-writers.lock``); a writer that finds it
taken tries again after 0.1 ms, doubling up to 1 ms, so it starts within a millisecond of the
lock being free. The threads of one process take turns on a lock of the process first (a
``flock`` belongs to the open file, which they share). Readers never wait for it. A writer
that has waited as long as SQLite would (its lock timeout) goes on without the turn and lets
SQLite decide (a process that hangs while holding the lock must not hang every other writer
for ever); where the lock file cannot be opened (a read-only folder), writers rely on SQLite's
own waiting.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

log = logging.getLogger(__name__)

SUFFIX = "-writers.lock"


class WriterTurns:
    """The turns of the writers of one SQLite file (one per datastore of a process)."""

    def __init__(self, database: str, *, wait: float = 30.0) -> None:
        self._path = database + SUFFIX
        self._wait = wait
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._lock = threading.RLock()
        self._file: IO[bytes] | None = None
        self._unavailable = False
        self._depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the writers' lock (within a turn of this thread already: nothing more)."""
        if os.getpid() != self._pid:  # a forked child gets its own open file and locks
            self._reset()
        with self._lock:
            outermost = self._depth == 0
            file = self._opened() if outermost else None
            held = file is not None and self._take(file)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if held:
                    assert file is not None
                    fcntl.flock(file, fcntl.LOCK_UN)

    def _take(self, file: IO[bytes]) -> bool:
        """Take the lock, trying again after 0.1 ms, doubling up to 1 ms; False once waited
        longer than ``wait`` seconds."""
        deadline = time.monotonic() + self._wait
        pause = 0.0001
        while True:
            try:
                fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    log.warning(
                        "SQLite writers' lock held for over %.0f s; writing anyway", self._wait
                    )
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.001)
            else:
                return True

    def _opened(self) -> IO[bytes] | None:
        if self._file is None and not self._unavailable:
            try:
                self._file = open(self._path, "ab")  # noqa: SIM115 -- kept open for the process
            except OSError as error:
                self._unavailable = True
                log.warning("SQLite writers wait in SQLite's busy handler: %s", error)
        return self._file

    def close(self) -> None:
        """Close the lock file (the engine closes)."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
