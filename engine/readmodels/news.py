"""How the follower hears of new events: here, at intervals (SQLite cannot notify).

PostgreSQL's NOTIFY is a subclass of :class:`News` in engine/readmodels/postgres.py.
"""

from __future__ import annotations

import threading


class News:
    """Tells the follower when there may be new events: at intervals (SQLite)."""

    settles = False
    """Whether news comes event by event and is best left to gather for a moment."""

    def listen(self) -> None:
        """Start listening (nothing to do where nothing notifies)."""

    def ignore(self) -> None:
        """Stop listening until the next :meth:`listen`."""

    def wait(self, stop: threading.Event, timeout: float) -> bool:
        """Wait up to ``timeout``; True when there is news (or may be)."""
        return not stop.wait(timeout)
