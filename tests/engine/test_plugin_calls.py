"""Plugin hooks are called through pluggy: wrappers and tracing see the calls, and calls from
several threads run side by side (no lock for the whole process), with isolation unchanged.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Generator, Iterator, Mapping
from typing import Any

import pluggy
import pytest

from engine import hookimpl
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.domain.catalogue import Text
from engine.domain.contributions import Insight
from engine.domain.errors import GateRefused, Reason
from engine.extensions.isolation import Extensions
from engine.extensions.manager import build_plugin_manager
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import FAMILIES, NETWORK
from tests.engine.stories import complete_analysis, register_network, start_cycle


class SampleThemes:
    name = "sample-themes"

    @hookimpl
    def register_themes(self) -> list[Any]:
        return [NETWORK, FAMILIES]


class GoodInsight:
    name = "good-insight"

    @hookimpl
    def insights(self, cycle: Mapping[str, Any]) -> list[Insight]:
        return [Insight("network", "ratings", Text("Einschätzungen", "Ratings"))]


class RaisingInsight:
    name = "raising-insight"

    @hookimpl
    def insights(self) -> list[Insight]:
        raise ZeroDivisionError("no ratings yet")


class InsightWrapper:
    """A new-style wrapper: sees each call's arguments and its result (or error)."""

    name = "insight-wrapper"

    def __init__(self) -> None:
        self.cycles: list[Any] = []
        self.results: list[Any] = []
        self.errors: list[str] = []

    @hookimpl(wrapper=True)
    def insights(self, cycle: Mapping[str, Any]) -> Generator[None, Any, Any]:
        self.cycles.append(cycle["id"])
        try:
            result = yield
        except Exception as error:
            self.errors.append(type(error).__name__)
            raise
        self.results.append(result)
        return result


class PassingGate:
    name = "passing-gate"

    @hookimpl
    def gate_reasons(self, cycle: Mapping[str, Any]) -> list[Reason]:
        return []


class OldStyleGateWrapper:
    """An old-style ``hookwrapper``: sees the call and the outcome of each plugin's call."""

    name = "old-style-gate-wrapper"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.results: list[Any] = []

    @hookimpl(hookwrapper=True)
    def gate_reasons(self, source: str, target: str) -> Generator[None, Any, None]:
        self.calls.append((source, target))
        outcome = yield
        self.results.append(outcome.get_result())


class RaisingGateWrapper:
    """A wrapper that fails on its own: it, not the plugin it wraps, is named."""

    name = "raising-gate-wrapper"

    @hookimpl(wrapper=True)
    def gate_reasons(self) -> Generator[None, Any, Any]:
        yield
        raise RuntimeError("the wrapper itself broke")


@pytest.fixture
def engine_with(settings: Settings) -> Iterator[Any]:
    """Open engines with the sample themes plus the given plugins; close them afterwards."""
    opened: list[Qualizyklus] = []

    def open_with(*plugins: Any) -> Qualizyklus:
        app = open_engine(settings, plugins=(SampleThemes(), *plugins), entry_point_group=None)
        opened.append(app)
        return app

    yield open_with
    for app in opened:
        app.close()


def test_a_new_style_wrapper_sees_each_call_and_result_and_is_not_reported(engine_with) -> None:
    wrapper = InsightWrapper()
    app = engine_with(GoodInsight(), RaisingInsight(), wrapper)
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    complete_analysis(app, net, cycle_id)

    gathered = app.insights(cycle_id, actor_id=net.viewer)

    assert [insight.id for insight in gathered.items] == ["ratings"]
    assert [notice.plugin for notice in gathered.notices] == ["raising-insight"]
    assert wrapper.cycles == [str(cycle_id)] * 2  # once per contributing plugin
    assert wrapper.results == [[gathered.items]]  # pluggy gives wrappers the list of results
    assert wrapper.errors == ["ZeroDivisionError"]


def test_an_old_style_wrapper_around_a_gate_sees_the_call_and_lets_it_pass(engine_with) -> None:
    wrapper = OldStyleGateWrapper()
    app = engine_with(PassingGate(), wrapper)
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    complete_analysis(app, net, cycle_id)

    app.advance_phase(cycle_id, actor_id=net.coordinator)

    assert app.cycle(cycle_id)["phase"] != "analyse"
    assert wrapper.calls == [("analyse", app.cycle(cycle_id)["phase"])]
    assert wrapper.results == [[[]]]


def test_a_wrapper_that_fails_itself_blocks_the_gate_naming_the_wrapper(engine_with) -> None:
    app = engine_with(PassingGate(), RaisingGateWrapper())
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    complete_analysis(app, net, cycle_id)

    with pytest.raises(GateRefused) as refused:
        app.advance_phase(cycle_id, actor_id=net.coordinator)

    (reason,) = refused.value.reasons
    assert "raising-gate-wrapper" in reason.de
    assert "passing-gate" not in reason.de
    assert app.cycle(cycle_id)["phase"] == "analyse"


def _manager(*plugins: Any) -> pluggy.PluginManager:
    loaded = build_plugin_manager(entry_point_group=None, plugins=plugins)
    assert loaded.refused == {}
    return loaded.manager


def test_pluggy_tracing_and_call_monitoring_see_the_hook_calls() -> None:
    manager = _manager(GoodInsight(), PassingGate())
    traced: list[str] = []
    monitored: list[tuple[str, list[str], Any]] = []
    manager.trace.root.setwriter(traced.append)
    manager.enable_tracing()
    manager.add_hookcall_monitoring(
        lambda name, impls, kwargs: None,
        lambda outcome, name, impls, kwargs: monitored.append(
            (name, [i.plugin_name for i in impls], outcome.get_result())
        ),
    )
    extensions = Extensions(manager)

    extensions.insights({"id": "c1"}, None, {})
    extensions.gate_reasons({"id": "c1"}, "analyse", "plan", {})

    assert [(name, plugins) for name, plugins, _ in monitored] == [
        ("insights", ["good-insight"]),
        ("gate_reasons", ["passing-gate"]),
    ]
    assert monitored[1][2] == [[]]
    assert any("insights" in line for line in traced)
    assert any("gate_reasons" in line for line in traced)


class SlowInsight:
    """Takes 0.3 s and notes when each call began and ended."""

    name = "slow-insight"

    def __init__(self) -> None:
        self.spans: list[tuple[float, float]] = []

    @hookimpl
    def insights(self) -> list[Insight]:
        started = time.monotonic()
        time.sleep(0.3)
        self.spans.append((started, time.monotonic()))
        return []


class SlowGate:
    """Takes 0.3 s and notes when each call began and ended."""

    name = "slow-gate"

    def __init__(self) -> None:
        self.spans: list[tuple[float, float]] = []

    @hookimpl
    def gate_reasons(self) -> list[Reason]:
        started = time.monotonic()
        time.sleep(0.3)
        self.spans.append((started, time.monotonic()))
        return []


@pytest.mark.parametrize("hook", ["insights", "gate_reasons"])
def test_hook_calls_from_two_threads_overlap_instead_of_queueing(hook: str) -> None:
    plugin = SlowInsight() if hook == "insights" else SlowGate()
    extensions = Extensions(_manager(plugin), timeout=2)
    call = {
        "insights": lambda: extensions.insights({"id": "c1"}, None, {}),
        "gate_reasons": lambda: extensions.gate_reasons({"id": "c1"}, "analyse", "plan", {}),
    }[hook]
    barrier = threading.Barrier(2)
    answers: list[Any] = []

    def caller() -> None:
        barrier.wait()
        answers.append(call())

    threads = [threading.Thread(target=caller) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 2
    assert all((a.notices if hook == "insights" else a) == [] for a in answers)  # in time
    (_, first_end), (second_start, _) = sorted(plugin.spans)
    assert second_start < first_end  # the second began before the first ended


class HangingGate:
    name = "hanging-gate"

    @hookimpl
    def gate_reasons(self) -> list[Reason]:
        time.sleep(2)
        return []


def test_a_hanging_plugin_holds_up_no_other_threads_hook_call() -> None:
    extensions = Extensions(_manager(HangingGate(), GoodInsight()), timeout=1.5)
    hanging = threading.Thread(
        target=extensions.gate_reasons, args=({"id": "c1"}, "analyse", "plan", {})
    )
    hanging.start()
    time.sleep(0.1)  # the gate is stuck in its plugin by now

    started = time.monotonic()
    gathered = extensions.insights({"id": "c1"}, None, {})
    elapsed = time.monotonic() - started
    hanging.join()

    assert [insight.id for insight in gathered.items] == ["ratings"]
    assert elapsed < 1.5  # the hanging gate holds its plugin for 2 s


class RatingsSeen:
    """An insight that shows how many ratings of the cycle it was given (as a theme's median
    or standard figure would read them)."""

    name = "ratings-seen"

    @hookimpl
    def insights(self, cycle: Mapping[str, Any]) -> list[Insight]:
        seen = sum(len(ratings) for ratings in cycle["assessments"].values())
        return [Insight("network", "seen", Text(f"{seen}", f"{seen}"))]


def test_a_themes_figures_follow_the_blind_first_round(engine_with) -> None:
    """During the analysis a member who has not rated a criterion gets figures computed without
    its ratings; once they rated it, or as a viewer, the figures count every rating."""
    app = engine_with(RatingsSeen())
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    app.record_assessment(
        cycle_id, actor_id=net.midwife, theme_id="network", criterion_id="partners-known", value=2
    )

    def seen(actor: str) -> str:
        return app.insights(cycle_id, actor_id=actor).items[0].title.de

    assert seen(net.paediatrician) == "0"
    assert seen(net.viewer) == "1"
    assert seen(net.midwife) == "1"
    app.record_assessment(
        cycle_id,
        actor_id=net.paediatrician,
        theme_id="network",
        criterion_id="partners-known",
        value=4,
    )
    assert seen(net.paediatrician) == "2"
