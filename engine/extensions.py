"""Calling plugin hooks with fault isolation: one plugin's failure never takes the system down.

Each implementation is called on its own, inside a time limit. A hook that decides whether
something may happen (gates, validation) fails closed: a plugin that raises, returns the wrong
type or hangs refuses the action, naming itself. A hook that contributes to a page (insights,
report sections) fails open: the contribution is left out and a notice names the plugin.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pluggy

from engine.catalogue import Text, Theme
from engine.contributions import FieldProblem, Insight, Notice, ReportSection
from engine.errors import PluginFailed, Reason

DEFAULT_TIMEOUT = float(os.environ.get("QUALIZYKLUS_PLUGIN_TIMEOUT", "5"))
log = logging.getLogger(__name__)
T = TypeVar("T")


class PluginFault(Exception):
    """A plugin raised, returned the wrong type or did not answer in time."""

    def __init__(self, plugin: str, fault: str) -> None:
        super().__init__(f"{plugin}: {fault}")
        self.plugin = plugin
        self.fault = fault


@dataclass
class Gathered(Generic[T]):
    """What the plugins contributed, and a notice for each that failed."""

    items: list[T] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


class Extensions:
    """The engine's side of the plugin hooks (gates, validation, insights, reports, events)."""

    def __init__(
        self, manager: pluggy.PluginManager | None, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.manager = manager
        self.timeout = timeout
        self._runner = _Runner()

    def _implementations(self, hook_name: str) -> list[Any]:
        if self.manager is None:
            return []
        return list(reversed(getattr(self.manager.hook, hook_name).get_hookimpls()))

    def _run(self, hook_name: str, *calls: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """Call every implementation for each set of keyword arguments, within the time limit.

        Returns (plugin name, result or PluginFault) for each call made, in call order; a plugin
        that does not answer in time gets a fault and the calls after it are not made.
        """
        implementations = self._implementations(hook_name)
        if not implementations:
            return []
        outcomes: list[tuple[str, Any]] = []
        current: list[str] = [""]

        def work() -> None:
            for kwargs in calls:
                for implementation in implementations:
                    current[0] = implementation.plugin_name
                    arguments = {name: kwargs[name] for name in implementation.argnames}
                    try:
                        outcomes.append((current[0], implementation.function(**arguments)))
                    except Exception as error:  # isolate every plugin's failure (logged)
                        log.exception("plugin %s failed in %s", current[0], hook_name)
                        fault = PluginFault(current[0], f"{type(error).__name__}: {error}")
                        outcomes.append((current[0], fault))

        if self._runner.run(work, self.timeout):
            return outcomes
        log.error("plugin %s did not answer %s in time", current[0], hook_name)
        return [*outcomes, (current[0], PluginFault(current[0], "did not answer in time"))]

    def _collect(
        self, hook_name: str, kwargs: Mapping[str, Any], item_type: type[T]
    ) -> Iterable[tuple[str, list[T] | PluginFault]]:
        for plugin, result in self._run(hook_name, kwargs):
            if isinstance(result, PluginFault):
                yield plugin, result
            elif result is None:
                yield plugin, []
            elif isinstance(result, list | tuple) and all(isinstance(i, item_type) for i in result):
                yield plugin, list(result)
            else:
                expected = f"a list of {item_type.__name__}"
                yield (
                    plugin,
                    PluginFault(plugin, f"returned {type(result).__name__}, not {expected}"),
                )

    # Fail closed -------------------------------------------------------------------------

    def gate_reasons(
        self, cycle: Mapping[str, Any], source: str, target: str, themes: Mapping[str, Theme]
    ) -> list[Reason]:
        """Every plugin's reasons against a transition; a failing plugin is itself a reason."""
        kwargs = {"cycle": cycle, "source": source, "target": target, "themes": themes}
        reasons: list[Reason] = []
        for _plugin, result in self._collect("gate_reasons", kwargs, Reason):
            reasons.extend(_fault_reason(result) if isinstance(result, PluginFault) else result)
        return reasons

    def field_problems(
        self, kind: str, item: Mapping[str, Any], phase: str, themes: Mapping[str, Theme]
    ) -> list[FieldProblem]:
        """Every plugin's objections to an item; raises PluginFailed if a plugin failed."""
        kwargs = {"kind": kind, "item": item, "phase": phase, "themes": themes}
        problems: list[FieldProblem] = []
        for _plugin, result in self._collect("validate_item", kwargs, FieldProblem):
            if isinstance(result, PluginFault):
                text = _fault_text(result)
                raise PluginFailed(
                    result.plugin,
                    text.de + " Die Eingabe wurde nicht gespeichert.",
                    text.en + " Nothing was saved.",
                )
            problems.extend(result)
        return problems

    # Fail open ---------------------------------------------------------------------------

    def insights(
        self,
        cycle: Mapping[str, Any],
        previous: Mapping[str, Any] | None,
        themes: Mapping[str, Theme],
    ) -> Gathered[Insight]:
        """Every plugin's insights; failures become notices."""
        kwargs = {"cycle": cycle, "previous": previous, "themes": themes}
        return self._gather("insights", kwargs, Insight)

    def report_sections(
        self,
        cycle: Mapping[str, Any],
        previous: Mapping[str, Any] | None,
        themes: Mapping[str, Theme],
    ) -> Gathered[ReportSection]:
        """Every plugin's report sections; failures become notices."""
        kwargs = {"cycle": cycle, "previous": previous, "themes": themes}
        return self._gather("report_sections", kwargs, ReportSection)

    def _gather(self, hook_name: str, kwargs: Mapping[str, Any], item_type: type[T]) -> Gathered[T]:
        gathered: Gathered[T] = Gathered()
        for plugin, result in self._collect(hook_name, kwargs, item_type):
            if isinstance(result, PluginFault):
                gathered.notices.append(Notice(plugin, _fault_text(result)))
            else:
                gathered.items.extend(result)
        return gathered

    def event_committed(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Tell the subscribers about stored events; failures are logged only."""
        if not self._implementations("event_committed"):
            return
        calls = [{"event": event} for event in events]
        for plugin, result in self._run("event_committed", *calls):
            if isinstance(result, PluginFault):
                log.error("event subscriber %s failed: %s", plugin, result.fault)


class _Runner:
    """A worker thread that runs plugin calls, so that a caller can stop waiting for them.

    Handing work to a waiting thread costs far less than starting one per call. A worker stuck
    in a plugin that never returns is abandoned (it is a daemon thread) and the next call gets
    a new one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: queue.SimpleQueue[tuple[Callable[[], None], threading.Event]] | None = None

    def run(self, work: Callable[[], None], timeout: float) -> bool:
        """Run ``work`` on the worker; False if it did not finish within ``timeout`` seconds.

        A plugin that calls back into the engine (which calls hooks again) runs inline, on the
        worker it is already on.
        """
        if getattr(_worker_state, "active", False):
            work()
            return True
        done = threading.Event()
        with self._lock:
            if self._queue is None:
                self._queue = queue.SimpleQueue()
                threading.Thread(target=_serve, args=(self._queue,), daemon=True).start()
            self._queue.put((work, done))
            if done.wait(timeout):
                return True
            self._queue = None
            return False


_worker_state = threading.local()


def _serve(tasks: queue.SimpleQueue[tuple[Callable[[], None], threading.Event]]) -> None:
    _worker_state.active = True
    while True:
        work, done = tasks.get()
        try:
            work()
        finally:
            done.set()


def _fault_text(fault: PluginFault) -> Text:
    return Text(
        f"Das Plugin „{fault.plugin}“ hat einen Fehler gemeldet ({fault.fault}).",
        f"The plugin '{fault.plugin}' failed ({fault.fault}).",
    )


def _fault_reason(fault: PluginFault) -> list[Reason]:
    text = _fault_text(fault)
    return [
        Reason(
            "plugin-failed",
            text.de + " Aus Sicherheitsgründen ist der Schritt gesperrt.",
            text.en + " The step is blocked to be safe.",
        )
    ]
