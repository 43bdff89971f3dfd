"""Recent: results kept by key, and a key missed by several threads at once computed once."""

from __future__ import annotations

import threading
import time

import pytest

from engine.application.recent import Recent


def _together(threads: int, call: object) -> list[object]:
    """Run ``call`` in ``threads`` threads started at the same moment; their results."""
    start = threading.Barrier(threads)
    results: list[object] = [None] * threads

    def run(n: int) -> None:
        start.wait()
        results[n] = call()  # type: ignore[operator]

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)
    return results


def test_a_key_missed_by_eight_threads_at_once_is_computed_once() -> None:
    recent: Recent[str, object] = Recent(4)
    computed: list[object] = []

    def slow() -> object:
        time.sleep(0.2)  # long enough for every thread to miss while it runs
        computed.append(object())
        return computed[-1]

    results = _together(8, lambda: recent.get("cycle", slow))

    assert len(computed) == 1
    assert all(result is computed[0] for result in results)


def test_a_result_not_to_be_kept_is_computed_by_each_thread() -> None:
    recent: Recent[str, int] = Recent(4)
    calls: list[int] = []

    def slow() -> int:
        time.sleep(0.1)
        calls.append(1)
        return len(calls)

    results = _together(4, lambda: recent.get("page", slow, keep=lambda _value: False))

    assert len(calls) == 4
    assert sorted(results) == [1, 2, 3, 4]  # type: ignore[type-var]


def test_when_the_first_computation_fails_the_waiting_threads_compute_their_own() -> None:
    recent: Recent[str, str] = Recent(4)
    calls: list[str] = []
    lock = threading.Lock()

    def first_fails() -> str:
        with lock:
            calls.append("call")
            failing = len(calls) == 1
        time.sleep(0.1)
        if failing:
            raise RuntimeError("the store went away")
        return "state"

    def get() -> object:
        try:
            return recent.get("cycle", first_fails)
        except RuntimeError as error:
            return error

    results = _together(3, get)

    assert sum(isinstance(result, RuntimeError) for result in results) == 1
    assert results.count("state") == 2
    assert len(calls) == 2  # the failed one, then one retry for both waiting threads
    assert recent.get("cycle", lambda: "other") == "state"  # the retry's result is kept


def test_kept_results_expire_and_the_oldest_make_way() -> None:
    recent: Recent[str, int] = Recent(2, max_age=0.05)
    recent.get("a", lambda: 1)
    recent.get("b", lambda: 2)
    recent.get("c", lambda: 3)

    assert recent.get("a", lambda: 10) == 10  # made way for c
    assert recent.get("c", lambda: 30) == 3
    time.sleep(0.06)
    assert recent.get("c", lambda: 30) == 30


@pytest.mark.parametrize("kept", [True, False])
def test_a_lone_thread_computes_once_per_miss(kept: bool) -> None:
    recent: Recent[str, int] = Recent(2)
    calls: list[int] = []
    for _ in range(3):
        recent.get("x", lambda: calls.append(1) or len(calls), keep=lambda _v: kept)

    assert len(calls) == (1 if kept else 3)
