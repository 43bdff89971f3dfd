"""commands: commands per second through the service against a bare eventsourcing application.

Both do the same get-change-save of one aggregate on the same kind of store with the same
aggregate cache and snapshot interval; the ratio is the price of what the engine adds
(validation, the organisation's permission check, the workflow, sealing, a larger state).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import Environment, EnvType

from bench.common import (
    STATUSES,
    STORES,
    Op,
    Row,
    UrlFor,
    build_cycle,
    change_status,
    interleaved_rates,
    open_service,
    progress,
    rate,
    skipped,
    start_cycle,
    start_organisation,
)
from engine.infrastructure.settings import SNAPSHOT_INTERVAL, Settings

NAME = "commands"
TARGET = ">= 0.8"


class Item(Aggregate):
    """The bare baseline's aggregate: a status and nothing else."""

    def __init__(self) -> None:
        self.status = "planned"

    @event("StatusChanged")
    def change_status(self, status: str) -> None:
        """Set the status."""
        self.status = status


class Bare(Application[UUID]):
    """A plain application configured like the engine: same cache size and snapshot interval."""

    snapshotting_intervals = {Item: SNAPSHOT_INTERVAL}  # noqa: RUF012

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Configure from the given settings only, like the engine."""
        return Environment(name, dict(env or {}))


def open_bare(url: str) -> Bare:
    """The bare application on a fresh store: schema created once, then reopened."""
    settings = Settings(database=url)
    Bare(env=settings.eventsourcing_env(create_tables=True)).close()
    return Bare(env=settings.eventsourcing_env(create_tables=False))


@contextmanager
def command_ops(url_for: UrlFor, *, bare: bool = True) -> Iterator[dict[str, Op]]:
    """Ready operations: 'service' (a status change), 'rating' and, if asked, 'bare'."""
    service = open_service(url_for("service"))
    baseline = open_bare(url_for("bare")) if bare else None
    try:
        organisation_id = start_organisation(service, "bench-commands")
        status_cycle, (measure_id, *_) = build_cycle(service, organisation_id, events=10)
        rating_cycle = start_cycle(service, organisation_id)
        current = service.cycle(status_cycle)["measures"][measure_id]["status"]
        changes, ratings = itertools.count(STATUSES.index(current) + 1), itertools.count()
        ops: dict[str, Op] = {
            "service": lambda: change_status(service, status_cycle, measure_id, next(changes)),
            "rating": lambda: rate(service, rating_cycle, next(ratings)),
        }
        if baseline is not None:
            item = Item()
            baseline.save(item)
            flips = itertools.count()

            def bare_op() -> None:
                loaded = baseline.repository.get(item.id)
                loaded.change_status(STATUSES[next(flips) % 2])
                baseline.save(loaded)

            ops["bare"] = bare_op
        yield ops
    finally:
        service.close()
        if baseline is not None:
            baseline.close()


def sizes(quick: bool) -> dict[str, int]:
    """How many operations to time, warm up and split into rounds."""
    return (
        {"count": 200, "warmup": 50, "rounds": 4}
        if quick
        else {"count": 2000, "warmup": 200, "rounds": 10}
    )


def run(*, quick: bool = False) -> list[Row]:
    """Service and bare rates on SQLite and PostgreSQL, with their ratios."""
    rows: list[Row] = []
    for kind, store in STORES.items():
        labels = (f"{NAME}/{kind}", f"{NAME}/{kind}/rating")
        with store() as url_for:
            if url_for is None:
                rows.extend(skipped(label, "ops/s", TARGET) for label in labels)
                continue
            progress(f"{NAME} on {kind}")
            with command_ops(url_for) as ops:
                rates = interleaved_rates(ops, **sizes(quick))
        for label, op in zip(labels, ("service", "rating"), strict=True):
            rows.append(Row(label, rates[op], "ops/s", rates["bare"], TARGET, op, "bare"))
    return rows
