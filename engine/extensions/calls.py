"""Calling each plugin's implementation of a hook through pluggy, and time limits without a lock.

A hook is called once per contributing plugin, through a pluggy hook caller that reaches that
plugin and the wrappers only: so one plugin's failure is told apart from another's, while pluggy
still runs the call. Wrappers (``wrapper=True`` or ``hookwrapper=True``) stay in every subset,
so they see each plugin's call and its result, and tracing (``pm.trace``,
``pm.add_hookcall_monitoring``) sees every call. The subsets are made once per hook and plugin
and made again when plugins are registered or unregistered (pluggy's ``subset_hook_caller``
would filter the implementations on every call).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Mapping, Sequence
from types import CodeType
from typing import Any

import pluggy
from pluggy import HookImpl

log = logging.getLogger(__name__)


RAISED = "raised"
TIMEOUT = "timeout"
WRONG_TYPE = "wrong-type"


class PluginFault(Exception):
    """A plugin raised, returned the wrong type or did not answer in time.

    ``kind`` says which (``RAISED``, ``TIMEOUT``, ``WRONG_TYPE``): what a reader is told is
    written per kind in their language; ``fault`` is the technical detail, for the log only.
    """

    def __init__(self, plugin: str, fault: str, kind: str = RAISED) -> None:
        super().__init__(f"{plugin}: {fault}")
        self.plugin = plugin
        self.fault = fault
        self.kind = kind


class PluginCall:
    """One contributing plugin's share of a hook: a pluggy caller reaching it and the wrappers."""

    __slots__ = ("_functions", "caller", "plugin")

    def __init__(
        self, plugin: str, caller: pluggy.HookCaller, functions: Mapping[CodeType, str]
    ) -> None:
        self.plugin = plugin
        self.caller = caller
        self._functions = functions

    def __call__(self, kwargs: Mapping[str, Any]) -> Any:
        """The plugin's result (as the wrappers left it), or a PluginFault naming who failed."""
        try:
            results = self.caller(**kwargs)
        except Exception as error:  # isolate every plugin's failure (logged)
            culprit = self._culprit(error)
            log.exception("plugin %s failed in %s", culprit, self.caller.name)
            return PluginFault(culprit, f"{type(error).__name__}: {error}")
        if isinstance(results, list) and len(results) <= 1:
            return results[0] if results else None
        return results  # a wrapper changed the shape; the caller's type check judges it

    def _culprit(self, error: BaseException) -> str:
        """The plugin whose implementation raised: the innermost of their frames in the traceback.

        A wrapper that lets the plugin's error pass is not blamed (the plugin's frame lies
        deeper); a wrapper that raises an error of its own is.
        """
        culprit = self.plugin
        trace = error.__traceback__
        while trace is not None:
            culprit = self._functions.get(trace.tb_frame.f_code, culprit)
            trace = trace.tb_next
        return culprit


class HookCalls:
    """Each hook's per-plugin callers, in pluggy's call order, rebuilt when the plugins change."""

    def __init__(self, manager: pluggy.PluginManager | None) -> None:
        self.manager = manager
        self._cache: dict[str, tuple[list[HookImpl], object, list[PluginCall]]] = {}

    def __call__(self, hook_name: str) -> list[PluginCall]:
        """The callers for ``hook_name``, one per plugin that contributes to it."""
        if self.manager is None:
            return []
        hook: pluggy.HookCaller = getattr(self.manager.hook, hook_name)
        registered = hook.get_hookimpls()
        cached = self._cache.get(hook_name)
        if cached is None or cached[0] != registered or cached[1] is not hook.spec:
            cached = (registered, hook.spec, self._build(hook, registered))
            self._cache[hook_name] = cached  # replaced whole: safe for concurrent readers
        return cached[2]

    @staticmethod
    def _build(hook: pluggy.HookCaller, registered: Sequence[HookImpl]) -> list[PluginCall]:
        wrappers = {i.plugin for i in registered if i.wrapper or i.hookwrapper}
        contributors = [i for i in reversed(registered) if not (i.wrapper or i.hookwrapper)]
        calls = []
        for contributor in contributors:
            kept = wrappers | {contributor.plugin}
            subset = [i for i in registered if i.plugin in kept]
            functions = {
                code: i.plugin_name
                for i in subset
                if (code := getattr(i.function, "__code__", None))
            }
            calls.append(PluginCall(contributor.plugin_name, SubsetCaller(hook, subset), functions))
        return calls


class SubsetCaller(pluggy.HookCaller):
    """Pluggy's caller of a hook, reaching a fixed subset of its implementations.

    The call itself is pluggy's (defaults, argument check, ``firstresult``, wrappers, tracing
    and monitoring through the manager's hook execution); only the subset is chosen once.
    """

    __slots__ = ()

    def __init__(self, hook: pluggy.HookCaller, implementations: Sequence[HookImpl]) -> None:
        super().__init__(hook.name, hook._hookexec)
        self._hookimpls.extend(implementations)
        self.spec = hook.spec
        self._call_history = hook._call_history

    def __repr__(self) -> str:
        return f"<SubsetCaller {self.name!r}>"


_worker_state = threading.local()


def mark_worker_thread() -> None:
    """Mark the current thread as one that calls plugins: hook calls made on it run inline."""
    _worker_state.active = True


class Workers:
    """Runs plugin calls on daemon threads, so that a caller can stop waiting for a plugin.

    Each call takes an idle worker or starts one; no lock is held while a plugin runs, so calls
    from several threads run side by side. A worker stuck in a plugin that never returns is left
    behind (a daemon thread does not hold up the process's exit; the threads of
    ``concurrent.futures`` would) and rejoins the idle ones if it ever finishes.
    """

    MAX_IDLE = 8

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()

    def run(self, work: Callable[[], None], timeout: float) -> bool:
        """Run ``work`` and wait; False if it did not finish within ``timeout`` seconds.

        A plugin that calls back into the engine (which calls hooks again) runs inline, on the
        worker it is already on.
        """
        if getattr(_worker_state, "active", False):
            work()
            return True
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            worker = _Worker(self._idle, self.MAX_IDLE)
        done = threading.Event()
        worker.tasks.put((work, done))
        return done.wait(timeout)


class _Worker:
    """A daemon thread taking plugin calls one after the other, idle in between."""

    def __init__(self, idle: queue.SimpleQueue[_Worker], max_idle: int) -> None:
        self.tasks: queue.SimpleQueue[tuple[Callable[[], None], threading.Event]] = (
            queue.SimpleQueue()
        )
        self._idle = idle
        self._max_idle = max_idle
        threading.Thread(target=self._serve, name="qualizyklus-plugins", daemon=True).start()

    def _serve(self) -> None:
        mark_worker_thread()
        while True:
            work, done = self.tasks.get()
            try:
                work()
            except Exception:  # work() isolates plugins; this is a last line of defence
                log.exception("plugin call failed")
            finally:
                done.set()
            if self._idle.qsize() >= self._max_idle:
                return
            self._idle.put(self)
