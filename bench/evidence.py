"""evidence: signed checkpoints on a large store, and commands with automatic checkpoints on.

- ``evidence/checkpoint/first``: the first checkpoint over a generated store (bench/scale_data.py,
  125 organisations x 20 cycles, about 500,000 events; 5 x 20 with --quick): every event read
  in store order, hashed into the log, the leaves written, the root signed. Baseline: one plain
  read of every event in store order (the least any checkpoint over them must do).
- ``evidence/checkpoint/next``: the next checkpoint after 100 more commands (reads only those),
  against the first.
- ``evidence/verify``: the full check against the recorded checkpoint (leaves proven by the
  signed root, then every event of the store compared with them), against the same plain read.
  Each of these three rows notes the time extrapolated to two million events (the work grows
  linearly with the events).
- ``evidence/commands/<store>`` (target >= 0.95): status changes per second with automatic
  checkpoints every second (each made on the background thread while the commands run)
  against the same engine with none, on fresh stores of the same kind, interleaved by round.
  After a warm-up of 300 commands each, 30 rounds per side of 300 commands, or of as many as
  the warm-up rate gives in a second when that is more (short rounds are noisy); the ratio is the
  median of the per-round ratios (each "auto" round against the "off" round right beside it,
  the order alternating), so that the machine's load drifting during the run cancels out. The
  note gives the spread (quartiles and range of the 30 ratios), how many checkpoints were made,
  the median time one takes on its background thread, and what the commands' own thread pays
  for them (deciding after each commit whether one is due, in µs). Each "auto" round ends by
  waiting for its checkpoint under way (inside its time). ``…/cpu`` gives the same ratio in
  commands per CPU second of the engine's process (all threads, so the checkpoints' work is
  counted; PostgreSQL's server is not): a figure the neighbours on a busy machine disturb less.
- ``evidence/texts/<store>`` (target <= 1): reading every event of a cycle with 500 free texts
  (50 with --quick; its snapshots dropped, so that every event is read) through the engine's
  event store, which reads the texts of the batch in one query, against the library's event
  store, which resolves them one query per text (as before); median of 7 reads each.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from statistics import median, quantiles
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import EventStore

from bench.common import (
    COORDINATOR,
    STORES,
    THEME,
    Row,
    build_cycle,
    change_status,
    open_service,
    progress,
    skipped,
    start_organisation,
)
from bench.scale_data import DATASETS, ensure_dataset
from engine.application.auto_checkpoint import AutoCheckpoints
from engine.application.evidence_check import check_recorded
from engine.application.evidence_log import checkpoints_table, create_log_tables, make_checkpoint
from engine.application.evidence_settings import CheckpointSettings
from engine.application.free_texts import drop_copies
from engine.application.service import Qualizyklus
from engine.domain.checkpoint import verifier_of
from engine.infrastructure.settings import Settings

NAME = "evidence"
TARGET = ">= 0.95"
TWO_MILLION = 2_000_000


def keyed(interval: int = 0) -> CheckpointSettings:
    """Checkpoint settings with a fresh key."""
    key = Ed25519PrivateKey.generate()
    return CheckpointSettings(
        key=key, origin="bench", interval=interval, public_key=verifier_of("bench", key)
    )


def seconds(op: Callable[[], object]) -> float:
    """How long one call takes, in seconds."""
    started = time.perf_counter()
    op()
    return time.perf_counter() - started


def read_all(app: Qualizyklus) -> int:
    """Read every event in store order once (the baseline); returns how many."""
    count, start = 0, 1
    while True:
        page = app.recorder.select_notifications(start, 2000)
        count += len(page)
        if len(page) < 2000:
            return count
        start = page[-1].id + 1


def large_store_rows(quick: bool) -> list[Row]:
    """First and next checkpoint and the full check on a copy of a generated store."""
    organisations = 5 if quick else 125
    dataset = ensure_dataset(DATASETS, organisations, 20)
    assert isinstance(dataset, Path)
    settings = keyed()
    with tempfile.TemporaryDirectory(prefix="qualizyklus-evidence-") as folder:
        copy = Path(folder) / "store.db"
        shutil.copyfile(dataset, copy)
        app = Qualizyklus(Settings(database=f"sqlite:///{copy}"), themes={THEME.id: THEME})
        try:
            create_log_tables(app)
            events = read_all(app)
            progress(f"{NAME}: {events} events")
            scan = seconds(lambda: read_all(app))
            first = seconds(lambda: make_checkpoint(app, settings))
            organisation_id = start_organisation(app, "bench-evidence")
            build_cycle(app, organisation_id, events=100 - 3)
            following = seconds(lambda: make_checkpoint(app, settings))
            assert settings.public_key is not None
            key = settings.public_key
            result = None

            def check() -> None:
                nonlocal result
                result = check_recorded(app, key)

            verified = seconds(check)
            assert result is not None and result.ok, result
        finally:
            app.close()
    scale = TWO_MILLION / events
    note = f"{events} events; at 2,000,000 about {{:.0f}} s"
    return [
        Row(f"{NAME}/checkpoint/first", first, "s", scan, None, "checkpoint", "read",
            note.format(first * scale)),
        Row(f"{NAME}/checkpoint/next", following, "s", first, None, "next", "first",
            "100 new events"),
        Row(f"{NAME}/verify", verified, "s", scan, None, "verify", "read",
            note.format(verified * scale)),
    ]  # fmt: skip


def command_rows(quick: bool) -> list[Row]:
    """Commands per second with automatic checkpoints every second against none."""
    rows: list[Row] = []
    count = {"count": 300, "warmup": 50, "rounds": 4} if quick else {
        "count": 9000, "warmup": 300, "rounds": 30}  # fmt: skip
    for kind, store in STORES.items():
        label = f"{NAME}/commands/{kind}"
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(label, "ops/s", TARGET))
                continue
            progress(f"{NAME}: commands on {kind}")
            services = {name: open_service(url_for(name)) for name in ("auto", "off")}
            try:
                create_log_tables(services["auto"])
                services["auto"].auto_checkpoints = AutoCheckpoints(services["auto"], keyed(1))
                ops = {}
                for name, service in services.items():
                    organisation_id = start_organisation(service, f"bench-{name}")
                    cycle_id, (measure_id, *_) = build_cycle(service, organisation_id, events=10)
                    changes = itertools.count(1)
                    ops[name] = lambda s=service, c=cycle_id, m=measure_id, n=changes: (
                        change_status(s, c, m, next(n))
                    )
                auto = services["auto"].auto_checkpoints
                by_clock = paired_rates(ops, **count, settle=auto.wait)
                made = len(checkpoints_table(services["auto"]).all())
                on_path = after_commit_us(services["auto"].auto_checkpoints)
                cost = checkpoint_ms(services["auto"], ops["auto"])
            finally:
                for service in services.values():
                    service.close()
        for clock, (rates, ratios) in by_clock.items():
            ratio = median(ratios)
            low, _, high = quantiles(ratios, n=4) if len(ratios) > 1 else (ratio, ratio, ratio)
            note = (
                f"ratio median of {len(ratios)} paired rounds, quartiles {low:.3f}-{high:.3f}, "
                f"range {min(ratios):.3f}-{max(ratios):.3f}"
            )
            if clock == "wall":
                note += (
                    f"; {made} checkpoints made during the run, one takes {cost:.1f} ms off the "
                    f"request thread (median); on the command's path {on_path:.1f} µs per commit"
                )
            else:
                note += "; commands per CPU second of the engine's process, checkpoints included"
            off = rates["auto"] / ratio if ratio else rates["off"]
            name = label if clock == "wall" else f"{label}/cpu"
            unit = "ops/s" if clock == "wall" else "ops/cpu-s"
            rows.append(Row(name, rates["auto"], unit, off, TARGET, "auto", "off", note))
    return rows


def after_commit_us(auto: AutoCheckpoints, calls: int = 20_000) -> float:
    """What an automatic checkpoint costs the request thread when none is due, in µs a commit."""
    topics = ["qualizyklus:Cycle.MeasureStatusChanged"]
    auto.wait()

    def commits() -> None:
        for _ in range(calls):
            auto.after_commit(topics)

    taken = seconds(commits)
    auto.wait()
    return taken / calls * 1e6


ROUND_SECONDS = 1.0
"""A round lasts at least about this long (more commands per round on a fast machine)."""
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
"""Wall time, and the CPU time of this process (all its threads: the checkpoints' included)."""


def paired_rates(
    ops: Mapping[str, Callable[[], object]],
    *,
    count: int,
    warmup: int,
    rounds: int,
    settle: Callable[[], object] = lambda: None,
) -> dict[str, tuple[dict[str, float], list[float]]]:
    """By clock (wall, cpu): each op's median rate, and the per-round ratios auto / off.

    Rounds alternate which op goes first; a round's ratio compares two runs a few seconds
    apart, so that load from elsewhere on the machine hits both sides of each ratio alike.
    Each "auto" round ends with ``settle`` (waiting for its checkpoint under way), inside its
    time, so that no checkpoint's work is counted for the "off" round after it.
    """
    warm = []
    for op in ops.values():
        began = time.perf_counter()
        for _ in range(warmup):
            op()
        warm.append(time.perf_counter() - began)
    settle()
    fast = warmup / max(min(warm), 1e-9)  # commands a second, warm
    per_round = max(1, count // rounds, int(fast * ROUND_SECONDS))
    rates: dict[str, dict[str, list[float]]] = {c: {name: [] for name in ops} for c in CLOCKS}
    for n in range(rounds):
        for name in list(ops)[:: 1 if n % 2 == 0 else -1]:
            started = {c: clock() for c, clock in CLOCKS.items()}
            for _ in range(per_round):
                ops[name]()
            if name == "auto":
                settle()
            for c, clock in CLOCKS.items():
                rates[c][name].append(per_round / max(clock() - started[c], 1e-9))
    return {
        c: (
            {name: median(series) for name, series in by_op.items()},
            [a / o for a, o in zip(by_op["auto"], by_op["off"], strict=True)],
        )
        for c, by_op in rates.items()
    }


def checkpoint_ms(app: Qualizyklus, op: Callable[[], object], times: int = 9) -> float:
    """The median time of one checkpoint after 60 more commands (what each automatic one does)."""
    settings = keyed()
    taken = []
    for _ in range(times):
        for _ in range(60):
            op()
        taken.append(seconds(lambda: make_checkpoint(app, settings)) * 1_000)
    return median(taken)


def text_rows(quick: bool) -> list[Row]:
    """Reading a cycle's events with many free texts: one text query per batch against one each."""
    rows: list[Row] = []
    texts = 50 if quick else 500
    for kind, store in STORES.items():
        label = f"{NAME}/texts/{kind}"
        with store() as url_for:
            if url_for is None:
                rows.append(skipped(label, "ms", "<= 1"))
                continue
            progress(f"{NAME}: a cycle with {texts} texts on {kind}")
            app = open_service(url_for("texts"))
            try:
                cycle_id, _ = build_cycle(app, start_organisation(app, "bench-texts"), events=10)
                for n in range(texts):
                    app.add_comment(cycle_id, actor_id=COORDINATOR, text=f"Anmerkung {n}")
                drop_copies(app, cycle_id)  # no snapshot: every event is read
                one_by_one = EventStore(app.mapper, app.recorder)  # the library's, as before
                batched, single = load_ms(app.events, cycle_id), load_ms(one_by_one, cycle_id)
            finally:
                app.close()
        note = f"all events of a cycle with {texts} free texts (no snapshot), median of 7"
        rows.append(Row(label, batched, "ms", single, "<= 1", "batch", "one-by-one", note))
    return rows


def load_ms(events: EventStore[UUID], aggregate_id: UUID, times: int = 7) -> float:
    """The median time to read an aggregate's events from ``events``, in ms."""
    return median(seconds(lambda: list(events.get(aggregate_id))) * 1_000 for _ in range(times))


def run(*, quick: bool = False) -> list[Row]:
    """The large store's checkpoint and check times, the command throughput, text reads."""
    return [*large_store_rows(quick), *command_rows(quick), *text_rows(quick)]
