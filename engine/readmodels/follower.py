"""Keeping the read models up to date: catch up, follow, rebuild.

``catch_up`` applies everything the notification log holds beyond the recorded position, in
batches (one transaction each). ``follow`` then waits for news: on PostgreSQL it listens for
the NOTIFY the library sends on the events' channel with every write; on SQLite, which cannot
notify, it looks at an interval. News is left to settle for a moment and then caught up with
in batches; quiet moments recompute the changed Länder and keep closed cycles' insights.

One event that cannot be applied never stops the others: a batch that fails is split in halves
until the failing event is alone; that event is set aside with its error, and the later events
of its aggregate are held behind it (its read model stays at the last good state, never
silently wrong), while every other aggregate goes on. ``retry`` applies them again, in order,
once the cause is fixed (a rebuild does too). Failures of the database itself (a lost
connection, a missing table) are not the event's fault: they are raised, and the follower
tries again later.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from eventsourcing.persistence import (
    InterfaceError,
    InternalError,
    OperationalError,
    ProgrammingError,
)

from engine.readmodels import insights
from engine.readmodels.comparisons import land_figures
from engine.readmodels.log import Entry, LogReader
from engine.readmodels.news import News
from engine.readmodels.source import Source
from engine.readmodels.view import (
    HANDLERS_BY_TOPIC,
    PositionMoved,
    ReadModel,
    SQLiteReadModel,
)

BATCH_SIZE = 5_000
"""Events applied per transaction while catching up."""
INSIGHTS_PER_PAUSE = 20
"""Closed cycles whose insights the follower computes in one quiet moment."""
POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.5
"""How long the follower lets news gather before applying them as one batch."""
LANDS_EVERY_SECONDS = 5.0
"""How often, at most, the follower recomputes the comparisons of changed Länder."""
"""How often the SQLite follower asks the notification log for news."""

log = logging.getLogger(__name__)
NOT_THE_EVENTS_FAULT = (OperationalError, InterfaceError, ProgrammingError, InternalError)
"""Failures of the database itself: raised (and tried again later), never set aside."""
DECODED_TOPICS = tuple(sorted(HANDLERS_BY_TOPIC))
"""Topics whose stored state the handlers read (other events only move a version)."""


def read_model(app: Source) -> ReadModel:
    """The read models in the application's own database."""
    datastore = getattr(app.factory, "datastore", None)
    if datastore is None:
        msg = "the persistence module has no datastore for the read models"
        raise RuntimeError(msg)
    if app.settings.is_sqlite:
        return SQLiteReadModel(datastore=datastore)
    # Only a PostgreSQL store imports psycopg (the `postgres` extra).
    from engine.readmodels import postgres

    return postgres.read_model(datastore)


def log_reader(app: Source) -> LogReader:
    """The application's notification log, read in pages of plain rows."""
    if app.settings.is_sqlite:
        return LogReader(app.recorder, is_sqlite=True, wanted=DECODED_TOPICS)
    # Plain tuples in binary form; psycopg only for a PostgreSQL store (`postgres` extra).
    from engine.readmodels import postgres

    rows = partial(postgres.binary_rows, app.recorder)
    return LogReader(app.recorder, is_sqlite=False, wanted=DECODED_TOPICS, rows=rows)


def create_tables(app: Source) -> bool:
    """Create the tracking table and the read models' tables (``qualizyklus init``).

    True when read models of an older definition were dropped (they are rebuilt on the next
    catch-up, or by ``qualizyklus projections rebuild``).
    """
    view = read_model(app)
    view.create_table()  # type: ignore[attr-defined]
    discarded = view.create_read_model_tables(app.name)
    if discarded:
        log.warning("read models of an older definition dropped; they are rebuilt from the log")
    return discarded


class Follower:
    """Applies the application's events to the read models, each exactly once."""

    def __init__(self, app: Source, *, batch_size: int = BATCH_SIZE) -> None:
        self.app = app
        self.view = read_model(app)
        self.batch_size = batch_size
        self.log = log_reader(app)

    @property
    def position(self) -> int:
        """The position of the last event applied."""
        return self.view.position(self.app.name)

    def behind(self) -> int:
        """How many positions the read models lag behind the notification log."""
        return max(0, self.app.recorder.max_notification_id() or 0) - self.position

    def apply(self, notifications: Sequence[Entry], *, after: int) -> bool:
        """Apply one batch read after position ``after``, in one transaction.

        False when another follower had moved the position on (nothing was written).
        """
        if not notifications:
            return True
        try:
            self.view.apply(
                notifications,
                after=after,
                application_name=self.app.name,
                mapper=self.app.mapper,
                themes=self.app.themes,
            )
        except PositionMoved:
            log.info("the read models moved past %s meanwhile (another follower)", after)
            return False
        except NOT_THE_EVENTS_FAULT:
            raise
        except Exception as error:  # noqa: BLE001 -- any event's failure is isolated
            return self._isolate(notifications, after, error)
        return True

    def _isolate(self, notifications: Sequence[Entry], after: int, error: Exception) -> bool:
        """Apply a failed batch in halves until the failing event is alone: set it aside."""
        if len(notifications) > 1:
            middle = len(notifications) // 2
            first, rest = notifications[:middle], notifications[middle:]
            return self.apply(first, after=after) and self.apply(rest, after=first[-1].id)
        [entry] = notifications
        try:
            self.view.set_aside(entry, error, after=after, application_name=self.app.name)
        except PositionMoved:
            return False
        log.error(
            "event %s (%s, version %s of %s) set aside: %s",
            entry.id,
            entry.topic,
            entry.originator_version,
            entry.originator_id,
            error,
        )
        return True

    def retry(self, *, held_only: bool = False) -> Retried:
        """Apply the events set aside again, each aggregate's in order; what became of them.

        An aggregate's events stop at the first that fails again (its error is renewed);
        ``held_only`` takes only aggregates none of whose events failed itself (events held
        back while a retry was releasing them).
        """
        applied = 0
        for originator_id in self.view.blocked_aggregates(held_only=held_only):
            applied += self._release(originator_id)
        left = self.view.set_aside_events()
        return Retried(
            applied=applied,
            failed=sum(1 for e in left if not e["held"]),
            held=sum(1 for e in left if e["held"]),
        )

    def _release(self, originator_id: str) -> int:
        """Re-apply one aggregate's set-aside events from the first; how many were applied."""
        applied = 0
        while (first := self.view.first_set_aside(originator_id)) is not None:
            [entry] = self.log.page(first - 1, 1)
            try:
                done = self.view.reapply(entry, mapper=self.app.mapper, themes=self.app.themes)
            except NOT_THE_EVENTS_FAULT:
                raise
            except Exception as error:  # noqa: BLE001 -- still failing: it stays set aside
                self.view.still_failing(entry, error)
                log.error("event %s still cannot be applied: %s", entry.id, error)
                break
            applied += int(done)
        return applied

    def catch_up(
        self, *, progress: Callable[[int], None] | None = None, refresh: bool = True
    ) -> int:
        """Apply everything not applied yet; return how many events that was.

        Afterwards (``refresh``) the comparisons of the Länder it changed are recomputed.
        """
        applied = 0
        position = self.position
        while True:
            notifications = self.log.page(position, self.batch_size)
            if not notifications:
                break
            if not self.apply(notifications, after=position):
                position = self.position
                continue
            applied += len(notifications)
            position = notifications[-1].id
            if progress is not None:
                progress(len(notifications))
        if applied and refresh:
            self.refresh_lands()
        return applied

    def refresh_lands(self) -> list[str]:
        """Recompute the comparison of every Land marked as changed; return them."""
        lands = self.view.lands_pending()
        position = self.position
        for land in lands:
            self.view.store_land_figures(land, land_figures(self.view, land), position)
        return lands

    def refresh_insights(
        self, *, limit: int | None = None, progress: Callable[[int], None] | None = None
    ) -> int:
        """Keep the insight figures of cycles closed (or reopened) since; return how many."""
        return insights.refresh(self.app, self.view, limit=limit, progress=progress)

    def rebuild(self, *, progress: Callable[[int], None] | None = None) -> int:
        """Forget the read models and apply the whole notification log again."""
        self.view.clear(self.app.name)
        return self.catch_up(progress=progress)

    def follow(
        self, stop: threading.Event, *, on_batch: Callable[[int], None] | None = None
    ) -> None:
        """Apply news as it arrives until ``stop`` is set (``qualizyklus projections run``).

        Woken by news (PostgreSQL's NOTIFY) or at an interval (SQLite), the follower lets
        news settle for a moment and applies it in batches; in quiet moments it recomputes
        the changed Länder (at most every few seconds) and a few closed cycles' insights.
        Before it returns, the changed Länder are recomputed once more.
        """
        lands_refreshed = 0.0
        with news_of(self.app) as news:
            while not stop.is_set():
                news.listen()  # before catching up: news during it is not missed
                if self.catch_up(progress=on_batch, refresh=False):
                    news.ignore()  # busy: no need to be told of every write meanwhile
                    continue
                if time.monotonic() - lands_refreshed > LANDS_EVERY_SECONDS:
                    self.refresh_lands()
                    lands_refreshed = time.monotonic()
                self.refresh_insights(limit=INSIGHTS_PER_PAUSE)
                self.retry(held_only=True)
                if news.wait(stop, POLL_SECONDS) and news.settles:
                    news.ignore()
                    stop.wait(SETTLE_SECONDS)
        # Stopped (SIGTERM) perhaps right after a busy batch: leave no Land's comparison stale.
        self.refresh_lands()


@contextmanager
def news_of(app: Source) -> Iterator[News]:
    """How the follower hears of new events in this application's store."""
    if app.settings.is_sqlite:
        yield News()
        return
    from engine.readmodels.postgres import Notifications  # the `postgres` extra

    recorder: Any = app.recorder
    with recorder.datastore.get_connection() as connection:
        yield Notifications(connection, recorder.channel_name)


INLINE_LIMIT = 5_000
"""A reader brings the read models up to date itself when they lag at most this far behind."""

_INLINE = threading.Lock()


def follower_of(app: Source) -> Follower:
    """The application's follower (one per engine, made on first use)."""
    follower: Follower | None = app.__dict__.get("_read_model_follower")
    if follower is None:
        follower = app.__dict__.setdefault("_read_model_follower", Follower(app))
    return follower


def current(app: Source, *, limit: int = INLINE_LIMIT) -> Freshness:
    """The read models for a reader, caught up first when only a little behind.

    Whoever writes an event and then reads a list sees the event, even before the follower
    process has got to it. A read model far behind (a rebuild in progress, the follower down
    for long) is read as it is: catching up would hold the reader too long; ``lag`` says so.
    """
    follower = follower_of(app)
    lag = follower.behind()
    if 0 < lag <= limit:
        with _INLINE:
            follower.catch_up()
        lag = follower.behind()
    return Freshness(view=follower.view, lag=lag)


@dataclass(frozen=True)
class Retried:
    """What a retry did: events applied, and events still set aside (failed, held behind)."""

    applied: int
    failed: int
    held: int


@dataclass(frozen=True)
class Freshness:
    """The read models and how many events they lag behind the log (0: up to date)."""

    view: ReadModel
    lag: int
