"""Automatic checkpoints: at a configurable interval, and whenever a cycle closes.

After each commit the service tells :class:`AutoCheckpoints` which topics it stored. That
costs one comparison; when a checkpoint is due, one is made on a background thread (reading
only the events since the last one), so that no command waits for it. Several workers may
find one due at once: the tables' keys let one of them record it, the others give way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from engine.application.evidence_log import checkpoints_table, try_checkpoint
from engine.application.evidence_settings import CheckpointSettings
from engine.application.store import Store
from engine.application.witnesses import witness

CYCLE_CLOSED = "qualizyklus:Cycle.CycleClosed"

log = logging.getLogger(__name__)


class AutoCheckpoints:
    """Decides after each commit whether a checkpoint is due, and makes it off the request."""

    def __init__(
        self,
        app: Store,
        settings: CheckpointSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._app = app
        self._settings = settings
        self._clock = clock
        self._due = 0.0  # the first commit asks the table when the last checkpoint was
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self.enabled = settings.key is not None

    def after_commit(self, topics: Iterable[str]) -> None:
        """Start a checkpoint if a cycle closed or the interval has passed."""
        if not self.enabled:
            return
        closed = CYCLE_CLOSED in topics
        interval = self._settings.interval
        if closed or (interval and self._clock() >= self._due):
            self._start(force=closed)

    def _start(self, *, force: bool) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = self._again or force
                return
            self._thread = threading.Thread(
                target=self._run, args=(force,), name="qualizyklus-checkpoint", daemon=True
            )
            self._thread.start()

    def _run(self, force: bool) -> None:
        while True:
            try:
                self._checkpoint(force=force)
            except Exception:  # a background thread must not die silently; the next try comes
                log.exception("automatic checkpoint failed")
            with self._lock:
                force, self._again = self._again, False
                if not force:
                    return

    def _checkpoint(self, *, force: bool) -> None:
        interval = self._settings.interval
        self._due = self._clock() + (interval or float("inf"))  # also after a failure
        latest = checkpoints_table(self._app).latest()  # read once: its age and its frontier
        if not force and interval and latest is not None:
            age = (datetime.now(UTC) - datetime.fromisoformat(latest.made_at)).total_seconds()
            if age < interval:
                self._due = self._clock() + interval - age
                return
        made = try_checkpoint(self._app, self._settings, latest=latest)
        if made is not None and made.new:
            witness(made.checkpoint, self._settings)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a checkpoint under way (when the engine closes)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
