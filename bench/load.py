"""load: reading a cycle with a long history against one with a short history.

Warm: the median time of ``Qualizyklus.cycle(id)`` on a running engine (aggregate cache, then
fast-forward from the store). Cold: a fresh engine with an empty cache reads each cycle once
(the latest snapshot plus the events after it), median over several fresh engines.
"""

from __future__ import annotations

from functools import partial
from uuid import UUID

from bench.common import (
    STORES,
    THEME,
    Row,
    UrlFor,
    build_cycle,
    median,
    open_service,
    progress,
    skipped,
    start_organisation,
    timed_ms,
)
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import SNAPSHOT_INTERVAL, Settings

NAME = "load"
TARGET = "<= 2"
SMALL = 10


def sizes(quick: bool) -> dict[str, int]:
    """The long history (half an interval past a snapshot: the average case) and repeats."""
    big = (2_000 if quick else 10_000) + SNAPSHOT_INTERVAL // 2
    return {"big": big, "reads": 50 if quick else 300, "engines": 3 if quick else 9}


def warm_ms(app: Qualizyklus, cycles: tuple[UUID, UUID], reads: int) -> tuple[float, float]:
    """Median milliseconds of reading each cycle on a running engine (reads interleaved)."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(reads):
        for cycle_id, series in zip(cycles, times, strict=True):
            series.append(timed_ms(partial(app.cycle, cycle_id)))
    return median(times[0]), median(times[1])


def cold_ms(
    url: str, organisation_id: UUID, cycles: tuple[UUID, UUID], engines: int
) -> tuple[float, float]:
    """Median milliseconds of the first read of each cycle by a fresh engine (empty cache)."""
    times: tuple[list[float], list[float]] = ([], [])
    for n in range(engines):
        app = Qualizyklus(Settings(database=url), themes={THEME.id: THEME})
        try:
            app.organisation(organisation_id)  # opens the connection; the cycles stay uncached
            order = (0, 1) if n % 2 == 0 else (1, 0)
            for index in order:
                times[index].append(timed_ms(partial(app.cycle, cycles[index])))
        finally:
            app.close()
    return median(times[0]), median(times[1])


def measure(kind: str, url_for: UrlFor, quick: bool) -> list[Row]:
    """Build a short and a long cycle through the service, then read both warm and cold."""
    size = sizes(quick)
    url = url_for("load")
    app = open_service(url)
    try:
        organisation_id = start_organisation(app, "bench-load")
        small, _ = build_cycle(app, organisation_id, events=SMALL)
        progress(f"{NAME} on {kind}: building a cycle of {size['big']} events")
        big, _ = build_cycle(app, organisation_id, events=size["big"], measures=5)
        progress(f"{NAME} on {kind}: reading")
        warm = warm_ms(app, (big, small), size["reads"])
    finally:
        app.close()
    cold = cold_ms(url, organisation_id, (big, small), size["engines"])
    names = (f"{size['big']} events", f"{SMALL} events")
    return [
        Row(f"{NAME}/{kind}", warm[0], "ms", warm[1], TARGET, *names),
        Row(f"{NAME}/{kind}/cold", cold[0], "ms", cold[1], None, *names),
    ]


def run(*, quick: bool = False) -> list[Row]:
    """Warm and cold read times of a long and a short cycle on SQLite and PostgreSQL."""
    rows: list[Row] = []
    for kind, store in STORES.items():
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(f"{NAME}/{kind}", "ms", TARGET))
                rows.append(skipped(f"{NAME}/{kind}/cold", "ms", None))
                continue
            rows.extend(measure(kind, url_for, quick))
    return rows
