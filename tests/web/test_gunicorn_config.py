"""gunicorn.conf.py: a worker that has loaded the application exempts what exists then from the
garbage collector's later passes (after collecting once, so that no garbage is kept for ever),
so that no full pass walks the whole application's heap while requests wait."""

from __future__ import annotations

import gc
import runpy
import weakref
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Node:
    """An object that can point at itself."""

    loop: Node | None = None


def test_a_worker_freezes_the_loaded_application_after_collecting_once() -> None:
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    garbage = Node()
    garbage.loop = garbage  # a cycle only the collector frees
    collected = weakref.ref(garbage)
    del garbage
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > 0
        assert collected() is None  # freed first, not frozen
    finally:
        gc.unfreeze()
