"""Calling plugin hooks with fault isolation: one plugin's failure never takes the system down.

Each plugin is called on its own, through pluggy (see engine.extensions.calls: wrappers and tracing
see every call), inside a time limit. A hook that decides whether something may happen (gates,
validation) fails closed: a plugin that raises, returns the wrong type or hangs refuses the
action, naming itself. A hook that contributes to a page (insights, report sections) fails
open: the contribution is left out and a notice names the plugin.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pluggy

from engine.domain.catalogue import Text, Theme
from engine.domain.contributions import FieldProblem, Insight, Notice, ReportSection
from engine.domain.errors import PluginFailed, Reason
from engine.domain.question_sets import QuestionSet
from engine.extensions.calls import (
    TIMEOUT,
    WRONG_TYPE,
    HookCalls,
    PluginFault,
    Workers,
    mark_worker_thread,
)

DEFAULT_TIMEOUT = float(os.environ.get("QUALIZYKLUS_PLUGIN_TIMEOUT", "5"))
log = logging.getLogger(__name__)
T = TypeVar("T")
__all__ = ["DEFAULT_TIMEOUT", "Extensions", "Gathered", "PluginFault"]


@dataclass
class Gathered(Generic[T]):
    """What the plugins contributed, and a notice for each that failed."""

    items: list[T] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    key: tuple[Any, ...] = ()
    """What the contributions were computed from (versions), for caching what shows them."""


class Extensions:
    """The engine's side of the plugin hooks (gates, validation, insights, reports, events)."""

    def __init__(
        self, manager: pluggy.PluginManager | None, *, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        self.manager = manager
        self.timeout = timeout
        self._calls = HookCalls(manager)
        self._workers = Workers()
        self.cut_off: set[str] = set()
        self._pump = _EventPump(self._deliver, self._cut_off, lambda: self.timeout)

    def _in_caller(self, hook_name: str, kwargs: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """Call each plugin in this thread; a call that took too long counts as its failure."""
        outcomes: list[tuple[str, Any]] = []
        for call in self._calls(hook_name):
            started = time.monotonic()
            result = call(kwargs)
            if time.monotonic() - started > self.timeout:
                log.error("plugin %s took too long in %s", call.plugin, hook_name)
                result = PluginFault(call.plugin, f"took longer than {self.timeout:g} s", TIMEOUT)
            outcomes.append((call.plugin, result))
        return outcomes

    def _run(self, hook_name: str, kwargs: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """Call each plugin in turn on a worker thread, all within the time limit.

        Returns (plugin name, result or PluginFault) per plugin, in call order; a plugin that
        does not answer in time gets a fault and the plugins after it are not called.
        """
        calls = self._calls(hook_name)
        if not calls:
            return []
        outcomes: list[tuple[str, Any]] = []

        def work() -> None:
            for call in calls:
                outcomes.append((call.plugin, call(kwargs)))

        if self._workers.run(work, self.timeout):
            return outcomes
        answered = outcomes[:]  # the abandoned worker may still append
        late = calls[min(len(answered), len(calls) - 1)].plugin
        log.error("plugin %s did not answer %s in time", late, hook_name)
        return [*answered, (late, PluginFault(late, "did not answer in time", TIMEOUT))]

    def _collect(
        self,
        hook_name: str,
        kwargs: Mapping[str, Any],
        item_type: type[T],
        *,
        in_caller: bool = False,
    ) -> Iterable[tuple[str, list[T] | PluginFault]]:
        outcomes = self._in_caller(hook_name, kwargs) if in_caller else self._run(hook_name, kwargs)
        for plugin, result in outcomes:
            if isinstance(result, PluginFault):
                yield plugin, result
            elif result is None or (type(result) is list and not result):
                yield plugin, []
            elif isinstance(result, list | tuple) and all(isinstance(i, item_type) for i in result):
                yield plugin, list(result)
            else:
                expected = f"a list of {item_type.__name__}"
                log.error("plugin %s returned %s in %s", plugin, type(result).__name__, hook_name)
                yield (
                    plugin,
                    PluginFault(
                        plugin, f"returned {type(result).__name__}, not {expected}", WRONG_TYPE
                    ),
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
        """Every plugin's objections to an item; raises PluginFailed if a plugin failed.

        Validation runs on every command, so it runs in the caller's thread (no hand-off); a
        call over the time limit counts as a failure, and one that never returns is ended by
        the server's worker timeout, with nothing written either way.
        """
        kwargs = {"kind": kind, "item": item, "phase": phase, "themes": themes}
        problems: list[FieldProblem] = []
        for _plugin, result in self._collect("validate_item", kwargs, FieldProblem, in_caller=True):
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

    def survey_question_sets(self) -> Gathered[QuestionSet]:
        """Every plugin's question sets for parents' surveys; failures noted."""
        return self._gather("survey_question_sets", {}, QuestionSet)

    def web_blueprints(self) -> Gathered[Any]:
        """Every plugin's web blueprints (the web layer checks their type); failures noted."""
        return self._gather("web_blueprints", {}, object)

    def _gather(self, hook_name: str, kwargs: Mapping[str, Any], item_type: type[T]) -> Gathered[T]:
        gathered: Gathered[T] = Gathered()
        for plugin, result in self._collect(hook_name, kwargs, item_type):
            if isinstance(result, PluginFault):
                gathered.notices.append(Notice(plugin, _fault_text(result)))
            else:
                gathered.items.extend(result)
        return gathered

    def event_committed(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Queue stored events for the subscribers; a pump delivers them shortly after, in order.

        Delivery runs on a thread of its own, in batches, so that subscribers never slow down
        or block a command. A subscriber that raises is logged; one that hangs is cut off.
        """
        if self._calls("event_committed"):
            self._pump.post(list(events))

    def drain(self) -> None:
        """Wait until the subscribers have heard every event queued so far."""
        self._pump.flush(self.timeout)

    def _deliver(self, events: list[Mapping[str, Any]]) -> None:
        calls = [c for c in self._calls("event_committed") if c.plugin not in self.cut_off]
        for event in events:
            for call in calls:
                self._pump.current = call.plugin
                result = call({"event": event})
                if isinstance(result, PluginFault):
                    log.error("event subscriber %s failed: %s", result.plugin, result.fault)
        self._pump.current = ""

    def _cut_off(self, plugin: str) -> None:
        log.error("event subscriber %s hangs; it hears no more events", plugin)
        self.cut_off.add(plugin)


class _EventPump:
    """Delivers queued events in batches on a daemon thread that wakes a few times a second.

    Appending to the queue costs a command next to nothing (no thread is woken per command).
    A delivery stuck longer than the time limit is abandoned: the plugin at fault is cut off
    and a new thread takes over the queue.
    """

    INTERVAL = 0.05

    def __init__(
        self,
        deliver: Callable[[list[Mapping[str, Any]]], None],
        on_hang: Callable[[str], None],
        timeout: Callable[[], float],
    ) -> None:
        self._deliver = deliver
        self._on_hang = on_hang
        self._timeout = timeout
        self._pending: deque[Mapping[str, Any]] = deque()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._busy_since: float | None = None
        self.current = ""

    def post(self, events: list[Mapping[str, Any]]) -> None:
        """Queue events (and start or replace the delivering thread when needed)."""
        self._pending.extend(events)
        busy_since = self._busy_since
        stuck = busy_since is not None and time.monotonic() - busy_since > self._timeout()
        if self._thread is None or stuck:
            with self._lock:
                if stuck and self.current:
                    self._on_hang(self.current)
                self._busy_since = None
                self._thread = threading.Thread(
                    target=self._loop, name="qualizyklus-events", daemon=True
                )
                self._thread.start()

    def flush(self, timeout: float) -> None:
        """Wait (at most ``timeout`` seconds) until every queued event has been delivered."""
        deadline = time.monotonic() + timeout
        while (self._pending or self._busy_since is not None) and time.monotonic() < deadline:
            self._wake.set()
            time.sleep(0.005)

    def _loop(self) -> None:
        me = threading.current_thread()
        mark_worker_thread()
        while self._thread is me:
            self._wake.wait(self.INTERVAL)
            self._wake.clear()
            batch = []
            while self._pending:
                batch.append(self._pending.popleft())
            if batch and self._thread is me:
                self._busy_since = time.monotonic()
                try:
                    self._deliver(batch)
                finally:
                    if self._thread is me:
                        self._busy_since = None


def _fault_text(fault: PluginFault) -> Text:
    """What a reader is told of a plugin's failure, each language on its own (the technical
    detail, often English, is in the log, never in the notice)."""
    if fault.kind == TIMEOUT:
        return Text(
            f"Das Plugin „{fault.plugin}“ hat nicht rechtzeitig geantwortet.",
            f"The plugin '{fault.plugin}' did not answer in time.",
        )
    if fault.kind == WRONG_TYPE:
        return Text(
            f"Das Plugin „{fault.plugin}“ hat eine unbrauchbare Antwort geliefert.",
            f"The plugin '{fault.plugin}' gave an answer that cannot be used.",
        )
    return Text(
        f"Das Plugin „{fault.plugin}“ hat einen Fehler gemeldet.",
        f"The plugin '{fault.plugin}' reported an error.",
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
