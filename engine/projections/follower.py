"""Keeping the read models up to date: catch up, follow, rebuild.

``catch_up`` applies everything the notification log holds beyond the recorded position, in
batches (one transaction each). ``follow`` then waits for news: on PostgreSQL through the
library's subscription (LISTEN/NOTIFY), on SQLite through :class:`PollingSubscription`, which
asks the notification log at an interval. Whatever arrives is applied in batches too, and
after each quiet moment the Lands whose comparison changed are recomputed.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import (
    ApplicationRecorder,
    IntegrityError,
    Notification,
    Subscription,
)

from engine.projections import insights
from engine.projections.comparisons import land_figures
from engine.projections.log import Entry, LogReader, entry_of
from engine.projections.view import (
    HANDLERS_BY_TOPIC,
    PostgresReadModel,
    ReadModel,
    SQLiteReadModel,
)

if TYPE_CHECKING:
    from engine.store import Store

BATCH_SIZE = 5_000
"""Events applied per transaction while catching up."""
INSIGHTS_PER_PAUSE = 20
"""Closed cycles whose insights the follower computes in one quiet moment."""
POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.1
"""How long the follower lets news gather before applying them as one batch."""
LANDS_EVERY_SECONDS = 5.0
"""How often, at most, the follower recomputes the comparisons of changed Länder."""
"""How often the SQLite follower asks the notification log for news."""

log = logging.getLogger(__name__)
DECODED_TOPICS = tuple(sorted(HANDLERS_BY_TOPIC))
"""Topics whose stored state the handlers read (other events only move a version)."""


def read_model(app: Store) -> ReadModel:
    """The read models in the application's own database."""
    datastore = getattr(app.factory, "datastore", None)
    if datastore is None:
        msg = "the persistence module has no datastore for the read models"
        raise RuntimeError(msg)
    if app.settings.is_sqlite:
        return SQLiteReadModel(datastore=datastore)
    return PostgresReadModel(datastore=datastore, tracking_table_name="qualizyklus_tracking")


def create_tables(app: Store) -> bool:
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


class PollingSubscription(Subscription[ApplicationRecorder]):
    """The library's subscription interface over a log that cannot notify (SQLite)."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
        *,
        interval: float = POLL_SECONDS,
    ) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._interval = interval
        self._waiting: list[Notification] = []
        self._stopped = threading.Event()

    def stop(self) -> None:
        """Stop; a waiting ``next`` returns within one interval."""
        super().stop()
        self._stopped.set()

    def __next__(self) -> Notification:
        while not self._waiting:
            if self._has_been_stopped:
                raise StopIteration
            self._waiting = list(
                self._recorder.select_notifications(
                    start=self._last_notification_id or 0,
                    limit=BATCH_SIZE,
                    topics=self._topics,
                    inclusive_of_start=False,
                )
            )
            if not self._waiting:
                self._stopped.wait(self._interval)
        notification = self._waiting.pop(0)
        self._last_notification_id = notification.id
        return notification


class Follower:
    """Applies the application's events to the read models, each exactly once."""

    def __init__(self, app: Store, *, batch_size: int = BATCH_SIZE) -> None:
        self.app = app
        self.view = read_model(app)
        self.batch_size = batch_size
        self.log = LogReader(app.recorder, is_sqlite=app.settings.is_sqlite, wanted=DECODED_TOPICS)

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
        except IntegrityError:
            log.info("the read models moved past %s meanwhile (another follower)", after)
            return False
        return True

    def catch_up(self, *, progress: Callable[[int], None] | None = None) -> int:
        """Apply everything not applied yet; return how many events that was."""
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
        if applied:
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

    def subscribe(self, *, after: int) -> Subscription[ApplicationRecorder]:
        """The library's subscription to events after a position (polling on SQLite)."""
        if self.app.settings.is_sqlite:
            return PollingSubscription(self.app.recorder, gt=after)
        return self.app.recorder.subscribe(gt=after)

    def follow(
        self, stop: threading.Event, *, on_batch: Callable[[int], None] | None = None
    ) -> None:
        """Apply news as it arrives until ``stop`` is set (``qualizyklus projections run``)."""
        while not stop.is_set():
            self.catch_up()
            self._follow_subscription(stop, on_batch)

    def _follow_subscription(
        self, stop: threading.Event, on_batch: Callable[[int], None] | None
    ) -> None:
        """Follow one subscription until stopped or overtaken by another follower."""
        arrived: queue.Queue[Any] = queue.Queue(maxsize=self.batch_size * 4)
        position = self.position
        with self.subscribe(after=position) as subscription:
            reader = threading.Thread(
                target=_read, args=(subscription, arrived), name="projection-reader", daemon=True
            )
            reader.start()
            try:
                lands_refreshed = 0.0
                while not stop.is_set():
                    waiting = _drain(arrived, self.batch_size, timeout=0.2, settle=SETTLE_SECONDS)
                    batch = [entry_of(n) for n in waiting]
                    if batch and not self.apply(batch, after=position):
                        return  # start again from the position the other follower reached
                    if batch:
                        position = batch[-1].id
                        if on_batch is not None:
                            on_batch(len(batch))
                    elif time.monotonic() - lands_refreshed > LANDS_EVERY_SECONDS:
                        self.refresh_lands()  # quiet: the Länder changed since, at most so often
                        lands_refreshed = time.monotonic()
                    else:  # quiet: a few closed cycles' insights at a time
                        self.refresh_insights(limit=INSIGHTS_PER_PAUSE)
            finally:
                subscription.stop()
                reader.join(timeout=5)


def _read(subscription: Subscription[ApplicationRecorder], arrived: queue.Queue[Any]) -> None:
    """Feed notifications from the subscription into the queue (a thread)."""
    try:
        for notification in subscription:
            arrived.put(notification)
    except BaseException as error:  # noqa: BLE001 -- handed to the applying thread, which raises it
        arrived.put(error)


def _drain(
    arrived: queue.Queue[Any], limit: int, *, timeout: float, settle: float = 0.0
) -> list[Notification]:
    """Up to ``limit`` notifications: waiting ``timeout`` for the first, then ``settle`` more.

    Letting news settle for a moment turns a stream of single events (one NOTIFY each) into
    batches, so that a busy installation's follower does not spend a transaction per event.
    """
    try:
        first = arrived.get(timeout=timeout)
    except queue.Empty:
        return []
    batch = [first]
    deadline = time.monotonic() + settle
    while len(batch) < limit:
        try:
            batch.append(arrived.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            break
    for item in batch:
        if isinstance(item, BaseException):
            raise item
    return batch


INLINE_LIMIT = 5_000
"""A reader brings the read models up to date itself when they lag at most this far behind."""

_INLINE = threading.Lock()


def follower_of(app: Store) -> Follower:
    """The application's follower (one per engine, made on first use)."""
    follower: Follower | None = app.__dict__.get("_read_model_follower")
    if follower is None:
        follower = app.__dict__.setdefault("_read_model_follower", Follower(app))
    return follower


def current(app: Store, *, limit: int = INLINE_LIMIT) -> Freshness:
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
class Freshness:
    """The read models and how many events they lag behind the log (0: up to date)."""

    view: ReadModel
    lag: int
