"""The most recently used results of pure computations, by key, computed once at a time.

A cache in front of work that many threads of a process ask for at once: the state of a cycle
read by a burst of requests, a rendered page. When several threads miss the same key together,
one computes it and the others wait for its result instead of each doing the same work (on a
cold cache, eight threads each replaying one long cycle took 180 ms apiece; one replay does).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class _Flight(Generic[V]):
    """One computation under way, awaited by the threads that missed the same key."""

    done: threading.Event = field(default_factory=threading.Event)
    value: V | None = None
    kept: bool = False
    failed: bool = True  # until the computation returns


class Recent(Generic[K, V]):
    """The most recently used results of pure computations, by key (thread-safe).

    With ``max_age`` (seconds), an entry older than that is computed afresh. A key missed by
    several threads at once is computed by the first; the others take its result if it is
    kept, and compute their own side by side if it is not. If the computation failed, one of
    them tries again while the others wait for it.
    """

    def __init__(self, size: int, *, max_age: float | None = None) -> None:
        self._size = size
        self._max_age = max_age
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._flights: dict[K, _Flight[V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V], *, keep: Callable[[V], bool] = bool) -> V:
        """The value for ``key``, computed (outside the lock) when missing; kept if ``keep``."""
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and (self._max_age is None or now - found[0] < self._max_age):
                self._items.move_to_end(key)
                return found[1]
            flight = self._flights.get(key)
            leading = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
        if not leading:
            flight.done.wait()
            if flight.kept:
                return flight.value  # type: ignore[return-value]  # set before done
            if flight.failed:  # one of the waiting threads tries again, the others wait for it
                return self.get(key, compute, keep=keep)
            return compute()  # a result not to be kept: each its own, side by side
        try:
            value = compute()
            flight.value, flight.kept, flight.failed = value, keep(value), False
        finally:
            with self._lock:
                if flight.kept:
                    self._keep(key, now, flight.value)  # type: ignore[arg-type]
                del self._flights[key]
            flight.done.set()
        return value

    def _keep(self, key: K, now: float, value: V) -> None:
        """Keep ``value`` under ``key`` (called with the lock held)."""
        self._items[key] = (now, value)
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
