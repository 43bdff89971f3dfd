"""What the benchmarks share: result rows, throwaway stores, timing, a theme, prepared cycles."""

from __future__ import annotations

import json
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg

from engine.application.service import Qualizyklus
from engine.domain.catalogue import Criterion, Text, Theme, numeric_scale
from engine.infrastructure.settings import Settings

RESULTS = Path(__file__).parent / "results"
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
NO_POSTGRES = "skipped: no PostgreSQL"

UrlFor = Callable[[str], str]
"""Gives the QUALIZYKLUS_DATABASE URL of a fresh, empty store with the given name."""

Op = Callable[[], object]
"""One operation whose rate is measured."""


# Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One figure: a value, the baseline measured in the same run, their ratio, the target."""

    label: str
    value: float | None
    unit: str
    baseline: float | None
    target: str | None = None
    value_name: str = "value"
    baseline_name: str = "baseline"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """value / baseline (None when either is missing)."""
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the ratio meets the target (None without a target or a ratio)."""
        if self.target is None or self.ratio is None:
            return None
        operator, bound = self.target.split()
        return self.ratio >= float(bound) if operator == ">=" else self.ratio <= float(bound)

    def as_json(self) -> dict[str, Any]:
        """The row as stored in bench/results/<name>.json."""
        return {
            "label": self.label,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "target": self.target,
            "note": self.note or None,
        }

    def line(self, width: int) -> str:
        """The row as one line of the printed table."""
        if self.value is None or self.baseline is None or self.ratio is None:
            return f"{self.label:<{width}}  {self.note}"
        target = "(no target)"
        if self.target is not None:
            target = f"(target {self.target}: {'met' if self.met else 'MISSED'})"
        return (
            f"{self.label:<{width}}  {self.value_name} {_amount(self.value, self.unit)}  "
            f"{self.baseline_name} {_amount(self.baseline, self.unit)}  "
            f"ratio {self.ratio:.3f}  {target}" + (f"  {self.note}" if self.note else "")
        )


def _amount(value: float, unit: str) -> str:
    return f"{value:.1f}/s" if unit == "ops/s" else f"{value:.3f} {unit}"


def skipped(label: str, unit: str, target: str | None, note: str = NO_POSTGRES) -> Row:
    """A row for a figure that could not be measured here."""
    return Row(label, None, unit, None, target, note=note)


def write_result(name: str, rows: list[Row], *, quick: bool) -> Path:
    """Write one benchmark's rows to bench/results/<name>.json."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "name": name,
        "rows": [row.as_json() for row in rows],
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def progress(message: str) -> None:
    """Tell the person waiting what is being built or measured (on stderr)."""
    print(f"  … {message}", file=sys.stderr, flush=True)


# Timing ------------------------------------------------------------------------------------


def interleaved_rates(
    ops: dict[str, Op], *, count: int, warmup: int, rounds: int
) -> dict[str, float]:
    """Operations per second of each op: warm-up first, then ``count`` ops in alternating rounds.

    The ops take turns round by round (in reverse order every other round), so that drift in
    disk or CPU speed hits them alike; each figure is the median of its per-round rates, so that
    a burst of load from elsewhere in one round does not decide it.
    """
    for op in ops.values():
        for _ in range(warmup):
            op()
    rates: dict[str, list[float]] = {name: [] for name in ops}
    per_round = max(1, count // rounds)
    for n in range(rounds):
        for name in list(ops)[:: 1 if n % 2 == 0 else -1]:
            op = ops[name]
            started = time.perf_counter()
            for _ in range(per_round):
                op()
            rates[name].append(per_round / (time.perf_counter() - started))
    return {name: median(series) for name, series in rates.items()}


def timed_ms(op: Op) -> float:
    """How long one call of ``op`` takes, in milliseconds."""
    started = time.perf_counter()
    op()
    return (time.perf_counter() - started) * 1_000


def median(values: list[float]) -> float:
    """The median (robust against the odd slow call)."""
    return statistics.median(values)


# Stores ------------------------------------------------------------------------------------


@contextmanager
def sqlite_store() -> Iterator[UrlFor]:
    """SQLite files in a temporary directory (removed afterwards), one file per name."""
    with tempfile.TemporaryDirectory(prefix="qualizyklus-bench-") as folder:
        yield lambda name: f"sqlite:///{folder}/{name}.db"


def _admin(dbname: str = "postgres") -> psycopg.Connection[Any]:
    return psycopg.connect(dbname=dbname, autocommit=True, connect_timeout=3, **POSTGRES)  # type: ignore[arg-type]


@contextmanager
def postgres_store() -> Iterator[UrlFor | None]:
    """A throwaway database qualizyklus_bench_<random> (dropped afterwards), one schema per name.

    Yields None when no PostgreSQL answers on 127.0.0.1:5432.
    """
    try:
        _admin().close()
    except (OSError, psycopg.Error):
        yield None
        return
    dbname = f"qualizyklus_bench_{secrets.token_hex(4)}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"')

    def url_for(name: str) -> str:
        with _admin(dbname) as connection:
            connection.execute(f'CREATE SCHEMA "{name}"')
        return f"postgresql://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{dbname}?schema={name}"

    try:
        yield url_for
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


STORES: dict[str, Callable[[], Any]] = {"sqlite": sqlite_store, "postgres": postgres_store}
"""The kinds of store each benchmark runs on, by label."""


# The engine with a prepared organisation and cycles ----------------------------------------

THEME = Theme(
    id="bench",
    version="1.0",
    title=Text("Benchmark-Thema", "Benchmark theme"),
    description=Text("Vier Kriterien auf einer Skala von 1 bis 5", "Four criteria rated 1 to 5"),
    quality_dimension=1,
    criteria=tuple(
        Criterion(
            f"criterion-{n}",
            Text(f"Kriterium {n}", f"Criterion {n}"),
            numeric_scale("one-to-five", Text("1 bis 5", "1 to 5"), 1, 5),
        )
        for n in range(1, 5)
    ),
)
COORDINATOR = "coord"
RATERS = (COORDINATOR, "rater-1", "rater-2")
STATUSES = ("running", "planned")
"""A measure alternates between these, so every status change is a real change."""


def open_service(url: str) -> Qualizyklus:
    """The engine on a fresh store: schema created once (as `qualizyklus init`), then reopened."""
    settings = Settings(database=url)
    Qualizyklus(settings, create_tables=True, themes={THEME.id: THEME}).close()
    return Qualizyklus(settings, themes={THEME.id: THEME})


def start_organisation(app: Qualizyklus, slug: str) -> UUID:
    """An organisation with its coordinator and two contributors who rate."""
    organisation_id = app.register_organisation(
        name="Landkreis Benchmark", slug=slug, land="NI", coordinator_id=COORDINATOR
    )
    for rater in RATERS[1:]:
        app.grant_role(organisation_id, actor_id=COORDINATOR, member_id=rater, role="contributor")
    return organisation_id


def rate(app: Qualizyklus, cycle_id: UUID, n: int) -> None:
    """The n-th re-rating: raters and criteria take turns, values change every time."""
    app.record_assessment(
        cycle_id,
        actor_id=COORDINATOR,
        theme_id=THEME.id,
        criterion_id=THEME.criteria[(n // len(RATERS)) % len(THEME.criteria)].id,
        rater_id=RATERS[n % len(RATERS)],
        value=1 + n % 5,
    )


def start_cycle(app: Qualizyklus, organisation_id: UUID) -> UUID:
    """A new cycle in its first phase (analyse)."""
    return app.start_cycle(
        organisation_id,
        actor_id=COORDINATOR,
        title="Zyklus 2025",
        themes=[THEME.id],
        period_start="2025-01-01",
        period_end="2025-12-31",
    )


def build_cycle(
    app: Qualizyklus,
    organisation_id: UUID,
    *,
    events: int,
    measures: int = 1,
    rating_share: float = 0.6,
) -> tuple[UUID, list[str]]:
    """A cycle in 'implement' with exactly ``events`` events, built through the service.

    Its history is what a long-lived cycle looks like: mostly re-ratings of the same criteria
    by a few raters (analyse), then measures moving back and forth (implement). Its state
    stays bounded however long the history grows. Returns the cycle id and measure ids.
    """
    path = 6 + measures  # start, finding, priorities, advance, goal, measures, advance
    ratings = max(1, round((events - path) * rating_share))
    status_changes = events - path - ratings
    if status_changes < 0:
        msg = f"a cycle in 'implement' needs more than {events} events"
        raise ValueError(msg)
    cycle_id = start_cycle(app, organisation_id)
    for n in range(ratings):
        rate(app, cycle_id, n)
    app.record_finding(
        cycle_id, actor_id=COORDINATOR, kind="need", text="Zugang", finding_id="need-1"
    )
    app.set_priorities(cycle_id, actor_id=COORDINATOR, finding_ids=["need-1"])
    app.advance_phase(cycle_id, actor_id=COORDINATOR)
    app.set_goal(
        cycle_id,
        actor_id=COORDINATOR,
        goal_id="goal-1",
        title="Mehr Familien erreichen",
        indicator="Anteil erreichter Familien",
    )
    measure_ids = [f"measure-{n}" for n in range(measures)]
    for measure_id in measure_ids:
        app.plan_measure(
            cycle_id,
            actor_id=COORDINATOR,
            measure_id=measure_id,
            title="Netzwerkkonferenz",
            goal_id="goal-1",
            responsible_member_id=COORDINATOR,
            due="2025-06-30",
        )
    app.advance_phase(cycle_id, actor_id=COORDINATOR)
    for n in range(status_changes):
        change_status(app, cycle_id, measure_ids[n % measures], n // measures)
    version = app.cycle(cycle_id)["version"]
    if version != events:
        msg = f"built a cycle of {version} events, not {events}"
        raise AssertionError(msg)
    return cycle_id, measure_ids


def change_status(app: Qualizyklus, cycle_id: UUID, measure_id: str, n: int) -> None:
    """The n-th status change of a measure (planned -> running -> planned ...)."""
    app.change_measure_status(
        cycle_id, actor_id=COORDINATOR, measure_id=measure_id, status=STATUSES[n % 2]
    )
