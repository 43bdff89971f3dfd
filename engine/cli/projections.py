"""`qualizyklus projections …`: keep the read models up to date (run), replay them (rebuild),
show how they stand (status) and apply events set aside again (retry)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

import click

from engine.readmodels import Follower
from engine.readmodels.follower import BATCH_SIZE
from engine.readmodels.insights import pending_cycles

Opener = Callable[[], Any]
RETRY_SECONDS = 5.0
"""How long a failed follower waits before it tries again."""
log = logging.getLogger(__name__)


def _stop_on_signals(stop: threading.Event) -> None:
    """Stop following on SIGTERM and SIGINT (the batch in hand is finished or rolled back)."""

    def handle(signum: int, _frame: object) -> None:
        log.info("signal %s: stopping the follower", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)


def _watch_parent(stop: threading.Event, parent: int) -> None:
    """Stop when the process that started this one has gone (``serve`` runs a follower)."""

    def watch() -> None:
        while not stop.wait(1.0):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def projections_group(open_engine: Opener) -> click.Group:
    """The `projections` command group, opening the engine with ``open_engine``."""

    @click.group()
    def projections() -> None:
        """Read models for lists, dashboards, reminders and the state view."""

    batch_option = click.option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=BATCH_SIZE,
        show_default=True,
        help="events applied per transaction",
    )

    @projections.command("rebuild")
    @batch_option
    def rebuild(batch_size: int) -> None:
        """Forget the read models and replay the whole event log into them."""
        with open_engine() as app:
            follower = Follower(app, batch_size=batch_size)
            total = app.recorder.max_notification_id() or 0
            with click.progressbar(
                length=total, label="Projektionen / projections", file=sys.stderr
            ) as bar:
                applied = follower.rebuild(progress=bar.update)
            closed = len(pending_cycles(follower.view))
            with click.progressbar(
                length=closed, label="Erkenntnisse / insights", file=sys.stderr
            ) as bar:
                follower.refresh_insights(progress=bar.update)
            click.echo(
                f"{applied} Ereignisse angewandt, Stand {follower.position} / "
                f"{applied} events applied, position {follower.position}"
            )

    @projections.command("run")
    @batch_option
    @click.option(
        "--exit-with-parent",
        is_flag=True,
        help="stop when the starting process ends (used by `qualizyklus serve`)",
    )
    @click.option(
        "--nice",
        type=click.IntRange(0, 19),
        default=0,
        show_default=True,
        help="lower the follower's CPU priority (`serve` uses 10: pages and commands first)",
    )
    def run(batch_size: int, exit_with_parent: bool, nice: int) -> None:
        """Follow the event log and apply new events as they come (until SIGTERM/Ctrl-C).

        PostgreSQL notifies the follower of new events; on SQLite it asks every half second.
        Several followers may run at once: each event is still applied exactly once.
        """
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        if nice:
            os.nice(nice)
        stop = threading.Event()
        _stop_on_signals(stop)
        if exit_with_parent:
            _watch_parent(stop, os.getppid())
        with open_engine() as app:
            follower = Follower(app, batch_size=batch_size)
            click.echo(
                f"Projektionen folgen ab {follower.position} / following from {follower.position}",
                err=True,
            )
            _retry_at_start(follower)
            while not stop.is_set():
                try:
                    follower.follow(stop)
                except Exception:  # a service keeps going: logged, tried again shortly
                    log.exception("the follower failed; trying again in %s s", RETRY_SECONDS)
                    stop.wait(RETRY_SECONDS)
            click.echo(
                f"Beendet bei {follower.position} / stopped at {follower.position}", err=True
            )

    @projections.command("status")
    def status() -> None:
        """Show the position, how far behind the log it is, and every event set aside; exit
        status 1 while some are set aside (so that monitoring notices)."""
        with open_engine() as app:
            follower = Follower(app)
            click.echo(
                f"Stand / position: {follower.position}\nRückstand / behind: {follower.behind()}"
            )
            set_aside = follower.view.set_aside_events()
            failed = [event for event in set_aside if not event["held"]]
            click.echo(
                f"Zurückgestellt / set aside: {len(failed)} fehlgeschlagen / failed, "
                f"{len(set_aside) - len(failed)} dahinter zurückgehalten / held behind them"
            )
            for event in set_aside:
                click.echo(_describe(event))
        if set_aside:
            sys.exit(1)

    @projections.command("retry")
    def retry() -> None:
        """Apply the events set aside again (after their cause is fixed), each aggregate's in
        order; exit status 1 while some are still set aside."""
        with open_engine() as app:
            retried = Follower(app).retry()
            click.echo(
                f"{retried.applied} angewandt / applied; noch zurückgestellt / still set aside: "
                f"{retried.failed} fehlgeschlagen / failed, {retried.held} zurückgehalten / held"
            )
            if retried.failed or retried.held:
                sys.exit(1)

    return projections


def _describe(event: dict[str, Any]) -> str:
    """One set-aside event as a line of `projections status`."""
    where = (
        f"#{event['notification_id']} {event['topic']} "
        f"v{event['originator_version']} {event['originator_id']}"
    )
    if event["held"]:
        return f"  zurückgehalten / held: {where}"
    return f"  fehlgeschlagen / failed: {where}: {event['error']}"


def _retry_at_start(follower: Follower) -> None:
    """Try events set aside again when the follower starts (an upgrade may have fixed them)."""
    try:
        retried = follower.retry()
    except Exception:  # a service keeps going: the retry is logged and the follower starts
        log.exception("retrying the events set aside failed")
        return
    if retried.applied or retried.failed or retried.held:
        log.warning(
            "set-aside events: %s applied, %s still failing, %s held",
            retried.applied,
            retried.failed,
            retried.held,
        )
