"""projections: rebuilding the read models against reading the raw notification log.

Baseline: page through the whole notification log with the library's ``select_notifications``
(the same page size the follower uses) and do nothing with it. Measured: ``Follower.rebuild``
on the same store: clear the read models, read the log, apply every event with its tracking,
recompute the derived figures. Both are events per second over the same log, taken in
alternating rounds; each figure is the median of its rounds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench.common import STORES, Row, UrlFor, median, progress, skipped
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.demo.scale import generate
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower
from engine.readmodels.follower import BATCH_SIZE

NAME = "projections"
TARGET = ">= 0.5"


def sizes(quick: bool) -> dict[str, int]:
    """Organisations (x 20 yearly cycles) in the generated store, and rounds to take."""
    return {"organisations": 2 if quick else 12, "rounds": 3 if quick else 5}


def read_log(app: Qualizyklus) -> int:
    """Page through the whole notification log; return how many notifications it holds."""
    position, count = 0, 0
    while True:
        page = app.recorder.select_notifications(
            start=position, limit=BATCH_SIZE, inclusive_of_start=False
        )
        if not page:
            return count
        count += len(page)
        position = page[-1].id


def rate(operation: Callable[[], int]) -> float:
    """Events per second of one run of ``operation`` (which returns the events it handled)."""
    started = time.perf_counter()
    events = operation()
    return events / (time.perf_counter() - started)


def measure(kind: str, url_for: UrlFor, quick: bool) -> Row:
    """Generate a store, then rebuild and read it in alternating rounds."""
    size = sizes(quick)
    url = url_for("projections")
    with open_engine(Settings(database=url), create_tables=True) as app:
        progress(f"{NAME} on {kind}: generating {size['organisations']} organisations x 20 cycles")
        generate(app, size["organisations"], cycles_per_organisation=20)
    with open_engine(Settings(database=url)) as app:
        follower = Follower(app)
        events = app.recorder.max_notification_id() or 0
        progress(f"{NAME} on {kind}: rebuilding {events} events")
        rebuilt, read = [], []
        for _ in range(size["rounds"]):
            read.append(rate(lambda: read_log(app)))
            rebuilt.append(rate(follower.rebuild))
    return Row(
        f"{NAME}/{kind}/rebuild",
        median(rebuilt),
        "ops/s",
        median(read),
        TARGET,
        "rebuild events/s",
        "raw log events/s",
    )


def run(*, quick: bool = False) -> list[Row]:
    """Rebuild against raw reading, on SQLite and PostgreSQL."""
    rows: list[Row] = []
    for kind, store in STORES.items():
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(f"{NAME}/{kind}/rebuild", "ops/s", TARGET))
                continue
            rows.append(measure(kind, url_for, quick))
    return rows
