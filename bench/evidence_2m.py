"""evidence-2m: `audit checkpoint` and the full `audit verify --checkpoint` on two million events.

The store is the generated scale dataset of 500 organisations x 20 yearly cycles (about
2,000,000 real, sealed events with their free texts and snapshots, written through the
aggregates by engine/demo/scale.py; bench/scale_data.py builds it once under ``var/bench/``
and reuses it; 5 x 20 with --quick). Each run works on a copy, and runs the two commands as a
user would, as separate processes of the ``qualizyklus`` command line:

- ``evidence-2m/checkpoint``: ``qualizyklus audit checkpoint --out FILE``, the first checkpoint
  over the whole store (every event read in store order, hashed into the Merkle log, the
  leaves written, the root signed).
- ``evidence-2m/verify``: ``qualizyklus audit verify --checkpoint FILE --public-key KEY``:
  every seal chain and snapshot, then the consistency of the store with the checkpoint (the
  leaves proven by the signed root, every event compared with them).

Baseline of both: one plain read of every event in store order (the least either must do).
The notes give each process's peak resident memory (its own, from ``wait4``), and how long
the store took to build when this run built it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Row, progress
from bench.evidence import read_all, seconds
from bench.scale_data import DATASETS, dataset_name, ensure_dataset
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings

NAME = "evidence-2m"
QUALIZYKLUS = Path(sys.executable).with_name("qualizyklus")


def run_command(arguments: list[str], environ: dict[str, str], log: Path) -> tuple[float, int]:
    """Run ``qualizyklus ARGUMENTS``; its seconds and peak resident memory in MiB.

    Raises RuntimeError (with the command's output) when it exits non-zero.
    """
    started = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(
            [str(QUALIZYKLUS), *arguments], env=environ, stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    taken = time.perf_counter() - started
    if child.returncode != 0:
        msg = f"qualizyklus {' '.join(arguments)} exited {child.returncode}:\n{log.read_text()}"
        raise RuntimeError(msg)
    return taken, usage.ru_maxrss // 1024  # KiB on Linux


def run(*, quick: bool = False) -> list[Row]:
    """Build (or reuse) the store, then time the checkpoint and the full check on a copy."""
    organisations = 5 if quick else 500
    built_now = not (DATASETS / dataset_name(organisations, 20)).exists()
    build = seconds(lambda: ensure_dataset(DATASETS, organisations, 20))
    dataset = DATASETS / dataset_name(organisations, 20)
    with tempfile.TemporaryDirectory(prefix="qualizyklus-evidence-2m-") as name:
        folder = Path(name)
        copy = folder / "store.db"
        shutil.copyfile(dataset, copy)
        environ = {
            **os.environ,
            "QUALIZYKLUS_DATABASE": f"sqlite:///{copy}",
            "QUALIZYKLUS_CHECKPOINT_KEY_FILE": str(folder / "key.pem"),
            "QUALIZYKLUS_CHECKPOINT_INTERVAL": "0",
        }
        for variable in (
            "QUALIZYKLUS_CHECKPOINT_KEY",
            "QUALIZYKLUS_CHECKPOINT_DIR",
            "QUALIZYKLUS_CHECKPOINT_MAIL_TO",
            "QUALIZYKLUS_CHECKPOINT_PUBLIC_KEY",
        ):
            environ.pop(variable, None)  # fmt: skip
        keyless = {k: v for k, v in environ.items() if k != "QUALIZYKLUS_CHECKPOINT_KEY_FILE"}
        run_command(["audit", "keygen", str(folder / "key.pem")], keyless, folder / "keygen.log")
        app = Qualizyklus(Settings(database=f"sqlite:///{copy}"))
        try:
            events = read_all(app)
            scan = seconds(lambda: read_all(app))
        finally:
            app.close()
        progress(f"{NAME}: {events} events; checkpoint …")
        checkpoint = folder / "checkpoint.txt"
        made, made_rss = run_command(
            ["audit", "checkpoint", "--out", str(checkpoint)], environ, folder / "checkpoint.log"
        )
        progress(f"{NAME}: checkpoint {made:.0f} s; verify …")
        public = f"{folder / 'key.pem'}.pub"
        verified, verify_rss = run_command(
            ["audit", "verify", "--checkpoint", str(checkpoint), "--public-key", public],
            environ,
            folder / "verify.log",
        )
        progress(f"{NAME}: verify {verified:.0f} s")
    store = f"{events} events" + (f", store built in {build:.0f} s" if built_now else "")
    return [
        Row(f"{NAME}/checkpoint", made, "s", scan, None, "checkpoint", "read",
            f"{store}; peak memory {made_rss} MiB"),
        Row(f"{NAME}/verify", verified, "s", scan, None, "verify", "read",
            f"seals, snapshots and consistency with the checkpoint; peak memory {verify_rss} MiB"),
    ]  # fmt: skip
