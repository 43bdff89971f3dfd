"""Datasets for the scale benchmarks: N organisations x C yearly cycles, built once and reused.

``ensure_dataset(Path("var/bench"), 500, 20)`` returns a SQLite file with about two million
events (built in a few minutes the first time, reused afterwards); a PostgreSQL URL is filled in
place instead. Each SQLite dataset is keyed by its parameters and the generator's event budget,
and is built under a temporary name that is renamed only when complete, so that an interrupted
build is never taken for a finished one.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from engine.application.bootstrap import open_engine
from engine.demo.scale import EVENTS_PER_CYCLE, ScaleSummary, generate
from engine.infrastructure.settings import Settings

DATASETS = Path("var/bench")
"""Where the SQLite datasets live by default (git-ignored, like all of var/)."""

SEED = 1
DATASET_VERSION = 1
"""Raise when the generator changes what it writes, so that old datasets are not reused."""


def dataset_name(organisations: int, cycles: int, seed: int = SEED) -> str:
    """The file name of the dataset with these parameters."""
    return f"scale-v{DATASET_VERSION}-e{EVENTS_PER_CYCLE}-{organisations}x{cycles}-s{seed}.db"


def ensure_dataset(
    path_or_url: Path | str = DATASETS, organisations: int = 500, cycles: int = 20
) -> Path | str:
    """A store holding the generated organisations and cycles: a SQLite file or the URL given.

    ``path_or_url`` is a directory for SQLite datasets, or a ``postgresql://`` URL (whose schema
    is created if needed; organisations already there are kept, so a second call adds nothing).
    """
    if isinstance(path_or_url, str) and path_or_url.startswith(("postgresql:", "postgres:")):
        _fill(path_or_url, organisations, cycles)
        return path_or_url
    target = Path(path_or_url) / dataset_name(organisations, cycles)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    for leftover in (partial, *_sidecars(partial)):
        leftover.unlink(missing_ok=True)
    _fill(f"sqlite:///{partial.resolve()}", organisations, cycles)
    with closing(sqlite3.connect(partial)) as connection:  # everything into the main file
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.replace(target)
    for sidecar in _sidecars(partial):
        sidecar.unlink(missing_ok=True)
    return target


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _fill(url: str, organisations: int, cycles: int) -> ScaleSummary:
    print(f"  … dataset {organisations} x {cycles} in {_where(url)}", file=sys.stderr, flush=True)
    settings = Settings(database=url)
    with open_engine(settings, create_tables=True) as app:
        summary = generate(app, organisations, cycles_per_organisation=cycles, seed=SEED)
    print(
        f"  … {summary.events} events in {summary.elapsed:.0f} s "
        f"({summary.events_per_second:.0f}/s, {summary.skipped} organisations already there)",
        file=sys.stderr,
        flush=True,
    )
    return summary


def _where(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url
