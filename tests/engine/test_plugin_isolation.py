"""Plugins are loaded like any third party's, and a broken plugin never takes the system down.

Gates and validation fail closed (the action is refused, naming the plugin, nothing is
written); insights fail open (left out, with a notice naming the plugin); a plugin whose hook
signature does not match the specs is refused at start-up while the others load.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from engine import hookimpl
from engine.application.audit import verify
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.domain.catalogue import CatalogueError, Text
from engine.domain.contributions import FieldProblem, Figure, Insight
from engine.domain.errors import GateRefused, InvalidInput, PluginFailed, Reason
from engine.extensions.manager import build_plugin_manager
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import FAMILIES, NETWORK
from tests.engine.stories import Network, complete_analysis, register_network, start_cycle


class SampleThemes:
    """Registers the sample themes, as a theme plugin would."""

    name = "sample-themes"

    @hookimpl
    def register_themes(self) -> list[Any]:
        return [NETWORK, FAMILIES]


class NetworkOnly:
    """Registers only the 'network' sample theme ('families' is uninstalled)."""

    name = "network-only"

    @hookimpl
    def register_themes(self) -> list[Any]:
        return [NETWORK]


class RaisingGate:
    name = "raising-gate"

    @hookimpl
    def gate_reasons(self, cycle: Mapping[str, Any]) -> list[Reason]:
        raise RuntimeError("database of the Land is down")


class WrongTypeGate:
    name = "wrong-type-gate"

    @hookimpl
    def gate_reasons(self) -> Any:
        return "alles gut"


class HangingGate:
    name = "hanging-gate"

    @hookimpl
    def gate_reasons(self) -> list[Reason]:
        time.sleep(3)
        return []


class ObjectingValidator:
    name = "objecting-validator"

    @hookimpl
    def validate_item(self, kind: str, item: Mapping[str, Any]) -> list[FieldProblem]:
        if kind == "measure" and not item["resources"]:
            return [FieldProblem("resources", Text("Ressourcen angeben.", "State resources."))]
        return []


class RaisingValidator:
    name = "raising-validator"

    @hookimpl
    def validate_item(self, kind: str) -> list[FieldProblem]:
        raise ValueError("cannot validate")


class GoodInsight:
    name = "good-insight"

    @hookimpl
    def insights(self, cycle: Mapping[str, Any]) -> list[Insight]:
        return [
            Insight(
                "network",
                "ratings",
                Text("Einschätzungen", "Ratings"),
                figures=(Figure(Text("Kriterien bewertet"), len(cycle["assessments"])),),
            )
        ]


class RaisingInsight:
    name = "raising-insight"

    @hookimpl
    def insights(self) -> list[Insight]:
        raise ZeroDivisionError("no ratings yet")


class EventRecorder:
    name = "event-recorder"

    def __init__(self) -> None:
        self.seen: list[Mapping[str, Any]] = []

    @hookimpl
    def event_committed(self, event: Mapping[str, Any]) -> None:
        self.seen.append(event)
        raise RuntimeError("the mail server is down")


class MismatchedSignature:
    name = "mismatched-signature"

    @hookimpl
    def gate_reasons(self, cycle: Any, weather: str) -> list[Reason]:
        return []


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


def _analysed_cycle(app: Qualizyklus) -> tuple[Network, Any]:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    complete_analysis(app, net, cycle_id)
    return net, cycle_id


@pytest.mark.parametrize("broken", [RaisingGate, WrongTypeGate])
def test_a_failing_gate_blocks_the_transition_naming_the_plugin(engine_with, broken) -> None:
    app = engine_with(broken())
    net, cycle_id = _analysed_cycle(app)
    version = app.cycle(cycle_id)["version"]

    with pytest.raises(GateRefused) as refused:
        app.advance_phase(cycle_id, actor_id=net.coordinator)

    (reason,) = refused.value.reasons
    assert reason.code == "plugin-failed"
    assert broken.name in reason.de
    assert app.cycle(cycle_id)["version"] == version


def test_a_hanging_gate_blocks_the_transition_after_the_time_limit(engine_with) -> None:
    app = engine_with(HangingGate())
    app.extensions.timeout = 0.3
    net, cycle_id = _analysed_cycle(app)

    started = time.monotonic()
    with pytest.raises(GateRefused) as refused:
        app.advance_phase(cycle_id, actor_id=net.coordinator)

    assert time.monotonic() - started < 2.5
    assert "hanging-gate" in refused.value.reasons[0].de
    assert app.cycle(cycle_id)["phase"] == "analyse"


def test_a_validation_hook_objects_naming_the_field_and_nothing_is_written(engine_with) -> None:
    app = engine_with(ObjectingValidator())
    net, cycle_id = _analysed_cycle(app)
    app.advance_phase(cycle_id, actor_id=net.coordinator)
    version = app.cycle(cycle_id)["version"]

    with pytest.raises(InvalidInput) as refused:
        app.plan_measure(cycle_id, actor_id=net.coordinator, title="Elterncafé")
    assert refused.value.field == "resources"
    assert app.cycle(cycle_id)["version"] == version

    app.plan_measure(cycle_id, actor_id=net.coordinator, title="Elterncafé", resources="2 h/Woche")
    assert app.cycle(cycle_id)["version"] == version + 1


def test_a_failing_validation_hook_refuses_the_command_naming_the_plugin(engine_with) -> None:
    app = engine_with(RaisingValidator())
    net = register_network(app)
    cycle_id = start_cycle(app, net)

    with pytest.raises(PluginFailed) as refused:
        app.record_assessment(
            cycle_id,
            actor_id=net.coordinator,
            theme_id="network",
            criterion_id="partners-known",
            value=3,
        )
    assert refused.value.plugin == "raising-validator"
    assert app.cycle(cycle_id)["assessments"] == {}


def test_a_failing_insight_is_left_out_with_a_notice_and_the_others_still_show(
    engine_with,
) -> None:
    app = engine_with(GoodInsight(), RaisingInsight())
    net, cycle_id = _analysed_cycle(app)

    gathered = app.insights(cycle_id, actor_id=net.viewer)

    assert [insight.id for insight in gathered.items] == ["ratings"]
    assert gathered.items[0].figures[0].value == 2
    (notice,) = gathered.notices
    assert notice.plugin == "raising-insight"
    assert notice.message.de == "Das Plugin „raising-insight“ hat einen Fehler gemeldet."
    assert notice.message.en == "The plugin 'raising-insight' reported an error."


class HangingInsight:
    name = "hanging-insight"

    @hookimpl
    def insights(self) -> list[Insight]:
        time.sleep(1)
        return []


class WrongTypeInsight:
    name = "wrong-type-insight"

    @hookimpl
    def insights(self) -> Any:
        return "a chart"


@pytest.mark.parametrize(
    ("plugin", "german", "english"),
    [
        (RaisingInsight, "hat einen Fehler gemeldet.", "reported an error."),
        (HangingInsight, "hat nicht rechtzeitig geantwortet.", "did not answer in time."),
        (WrongTypeInsight, "hat eine unbrauchbare Antwort geliefert.", "cannot be used."),
    ],
)
def test_a_failing_plugins_notice_is_written_in_each_language_alone(
    engine_with, plugin: Any, german: str, english: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = engine_with(plugin())
    app.extensions.timeout = 0.3
    net, cycle_id = _analysed_cycle(app)

    (notice,) = app.insights(cycle_id, actor_id=net.viewer).notices

    assert notice.message.de == f"Das Plugin „{plugin.name}“ {german}"
    assert notice.message.en.startswith(f"The plugin '{plugin.name}' ")
    assert notice.message.en.endswith(english)
    for english_word in ("did not", "answer", "returned", "Error:", "raised"):
        assert english_word not in notice.message.de
    assert any(plugin.name in record.getMessage() for record in caplog.records)  # the detail


def test_event_subscribers_hear_each_stored_event_and_their_failure_undoes_nothing(
    engine_with,
) -> None:
    recorder = EventRecorder()
    app = engine_with(recorder)
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    app.extensions.drain()

    names = [event["name"] for event in recorder.seen]
    assert names[-2:] == ["CycleRegistered", "CycleStarted"]
    started = recorder.seen[-1]
    assert started["aggregate_id"] == cycle_id
    assert started["actor_id"] == net.coordinator
    assert started["data"]["themes"] == ["network", "families"]
    assert app.cycle(cycle_id)["version"] == 1


def test_a_plugin_with_a_mismatched_hook_signature_is_refused_and_the_rest_load() -> None:
    loaded = build_plugin_manager(
        entry_point_group=None, plugins=(SampleThemes(), MismatchedSignature(), GoodInsight())
    )

    assert set(loaded.refused) == {"mismatched-signature"}
    assert "weather" in loaded.refused["mismatched-signature"]
    assert {row["name"] for row in loaded.describe()} == {"sample-themes", "good-insight"}


def test_two_plugins_registering_the_same_theme_id_stop_the_start(settings: Settings) -> None:
    with pytest.raises(CatalogueError, match="network"):
        open_engine(settings, plugins=(SampleThemes(), NetworkOnly()), entry_point_group=None)


def test_cycles_of_an_uninstalled_theme_still_load_replay_verify_and_show_their_data(
    settings: Settings,
) -> None:
    with open_engine(settings, plugins=(SampleThemes(),), entry_point_group=None) as before:
        net, cycle_id = _analysed_cycle(before)
        state_before = before.cycle(cycle_id)

    with open_engine(settings, plugins=(NetworkOnly(),), entry_point_group=None) as after:
        state = after.cycle(cycle_id)
        assert state["uninstalled_themes"] == ["families"]
        assert state["assessments"] == state_before["assessments"]
        assert state["version"] == state_before["version"]
        assert verify(after).ok
        summary = {s["theme_id"]: s for s in after.assessment_summary(cycle_id)}
        assert summary["families"]["installed"] is False
        assert summary["families"]["raw_ratings"]["low-threshold"]
        assert summary["network"]["installed"] is True
        with pytest.raises(InvalidInput) as refused:
            after.record_assessment(
                cycle_id,
                actor_id=net.coordinator,
                theme_id="families",
                criterion_id="low-threshold",
                value=4,
            )
        assert refused.value.field == "theme_id"


class WelcomingSubscriber:
    """Answers every new cycle with a comment: a plugin calling back into the engine."""

    name = "welcoming-subscriber"

    def __init__(self) -> None:
        self.app: Qualizyklus | None = None

    @hookimpl
    def event_committed(self, event: Mapping[str, Any]) -> None:
        if event["name"] == "CycleStarted" and self.app is not None:
            self.app.add_comment(
                event["aggregate_id"], actor_id="koordination", text="Willkommen im Zyklus!"
            )


def test_a_subscriber_may_call_back_into_the_engine_without_deadlock(engine_with) -> None:
    subscriber = WelcomingSubscriber()
    app = engine_with(subscriber)
    subscriber.app = app
    app.extensions.timeout = 2
    net = register_network(app)

    cycle_id = start_cycle(app, net)
    app.extensions.drain()
    app.extensions.drain()  # the comment's own event is delivered after the first round

    comments = list(app.cycle(cycle_id)["comments"].values())
    assert [c["text"] for c in comments] == ["Willkommen im Zyklus!"]


class HangingSubscriber:
    name = "hanging-subscriber"

    @hookimpl
    def event_committed(self, event: Mapping[str, Any]) -> None:
        time.sleep(1.5)


def test_a_hanging_subscriber_never_slows_commands_and_is_cut_off(engine_with) -> None:
    recorder = EventRecorder()
    app = engine_with(HangingSubscriber(), recorder)
    app.extensions.timeout = 0.2
    net = register_network(app)
    cycle_id = start_cycle(app, net)

    time.sleep(0.5)  # the pump is stuck in the hanging subscriber by now
    started = time.monotonic()
    app.add_comment(cycle_id, actor_id=net.coordinator, text="Weiter geht's")
    assert time.monotonic() - started < 1.0  # far less than the subscriber hangs (1.5 s)

    app.extensions.drain()
    assert app.extensions.cut_off == {"hanging-subscriber"}
    assert recorder.seen[-1]["name"] == "CommentAdded"


class BrokenCatalogue:
    name = "broken-catalogue"

    @hookimpl
    def register_themes(self) -> list[Any]:
        raise KeyError("criteria.csv")


def test_a_plugin_whose_catalogue_fails_is_refused_and_the_rest_start(settings: Settings) -> None:
    with open_engine(
        settings, plugins=(BrokenCatalogue(), SampleThemes()), entry_point_group=None
    ) as app:
        assert set(app.themes) == {"network", "families"}
        assert app.plugins is not None
        assert "criteria.csv" in app.plugins.refused["broken-catalogue"]
        assert "broken-catalogue" not in {row["name"] for row in app.plugins.describe()}


def test_a_duplicate_theme_id_names_both_plugins(settings: Settings) -> None:
    with pytest.raises(CatalogueError) as refused:
        open_engine(settings, plugins=(SampleThemes(), NetworkOnly()), entry_point_group=None)
    assert "sample-themes" in str(refused.value)
    assert "network-only" in str(refused.value)
