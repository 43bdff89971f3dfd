"""The pytest fixtures plugin authors get (engine.testing, loaded through the pytest11 entry point).

They give a real SQLite store with the schema created, an engine with the installed plugins,
engines with extra plugins for one test, and a network of three people to start cycles with.
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from typing import Any

import pytest

from engine import Criterion, Text, Theme, hookimpl, numeric_scale
from engine.application.service import Qualizyklus
from engine.domain.contributions import Figure, Insight
from engine.domain.errors import InvalidInput
from engine.infrastructure.settings import Settings
from engine.testing import Network, PluginEngineFactory, network, start_cycle

PROBE = Theme(
    id="probe",
    version="1",
    title=Text("Probe", "Probe"),
    description=Text("Ein Thema nur für diesen Test", "A theme for this test only"),
    quality_dimension=3,
    criteria=(Criterion("known", Text("Bekannt", "Known"), numeric_scale("s", Text("1-5"), 1, 5)),),
)


class ProbePlugin:
    """A theme and an insight, as a plugin object defined in a test."""

    name = "probe-plugin"

    @hookimpl
    def register_themes(self) -> list[Theme]:
        return [PROBE]

    @hookimpl
    def insights(self, cycle: Any) -> list[Insight]:
        return [Insight("probe", "themes", Text("Themen"), (Figure(Text("Themen"), 1),))]


def test_the_fixtures_come_from_the_pytest11_entry_point() -> None:
    (plugin,) = [e for e in entry_points(group="pytest11") if e.value == "engine.testing"]
    assert plugin.name == "qualizyklus"
    assert plugin.dist is not None and plugin.dist.name == "qualizyklus"


def test_the_engine_never_imports_pytest_outside_engine_testing() -> None:
    code = (
        "import sys, engine, engine.application.bootstrap, engine.cli, engine.extensions.hookdoc,"
        " engine.application.service\n"
        "assert 'pytest' not in sys.modules and '_pytest' not in sys.modules, 'pytest imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_qualizyklus_settings_is_a_fresh_sqlite_store_with_the_schema(
    qualizyklus_settings: Settings, tmp_path: Any
) -> None:
    assert qualizyklus_settings.is_sqlite
    path = qualizyklus_settings.sqlite_path()
    assert path.is_file() and path.is_relative_to(tmp_path)
    with Qualizyklus(qualizyklus_settings) as engine:  # no table creation: init has done it
        assert engine.organisation_ids() == []


def test_qualizyklus_engine_has_every_installed_plugin(qualizyklus_engine: Qualizyklus) -> None:
    assert qualizyklus_engine.plugins is not None
    names = {row["name"] for row in qualizyklus_engine.plugins.describe()}
    installed = {e.name for e in entry_points(group="qualizyklus")}
    assert installed <= names | set(qualizyklus_engine.plugins.refused)
    assert {"impact-orientation", "parent-participation", "political-anchoring"} <= names
    assert "probe" not in qualizyklus_engine.themes


def test_qualizyklus_plugin_adds_a_plugin_for_one_test(
    qualizyklus_plugin: PluginEngineFactory,
) -> None:
    engine = qualizyklus_plugin(ProbePlugin())
    assert "probe" in engine.themes
    assert "impact-orientation" in engine.themes

    alone = qualizyklus_plugin(ProbePlugin(), installed=False)
    assert list(alone.themes) == ["probe"]

    net = network(alone)
    cycle_id = start_cycle(alone, net, ["probe"])
    (insight,) = alone.insights(cycle_id, actor_id=net.viewer).items
    assert insight.theme_id == "probe"


def test_qualizyklus_plugin_does_not_register_an_installed_plugin_twice(
    qualizyklus_plugin: PluginEngineFactory,
) -> None:
    (installed,) = [e for e in entry_points(group="qualizyklus") if e.name == "impact-orientation"]
    engine = qualizyklus_plugin(installed.load())
    assert engine.plugins is not None
    assert engine.plugins.refused == {}
    assert "impact-orientation" in engine.themes


def test_the_plugin_of_one_test_is_gone_in_the_next(qualizyklus_engine: Qualizyklus) -> None:
    assert "probe" not in qualizyklus_engine.themes


def test_qualizyklus_network_has_a_coordinator_a_contributor_and_a_viewer(
    qualizyklus_engine: Qualizyklus, qualizyklus_network: Network
) -> None:
    organisation = qualizyklus_engine.organisation(qualizyklus_network.organisation_id)
    assert organisation["members"] == {
        qualizyklus_network.coordinator: "coordinator",
        qualizyklus_network.contributor: "contributor",
        qualizyklus_network.viewer: "viewer",
    }
    assert organisation["slug"] == qualizyklus_network.slug
    cycle_id = start_cycle(qualizyklus_engine, qualizyklus_network, ["impact-orientation"])
    assert qualizyklus_engine.cycle(cycle_id)["phase"] == "analyse"


def test_network_can_choose_themes_and_register_more_organisations(
    qualizyklus_engine: Qualizyklus,
) -> None:
    first = network(qualizyklus_engine, themes=["impact-orientation"])
    second = network(qualizyklus_engine, slug="stadt-beispiel")
    assert qualizyklus_engine.organisation(first.organisation_id)["themes"] == [
        "impact-orientation"
    ]
    assert qualizyklus_engine.organisation(second.organisation_id)["themes"] is None
    with pytest.raises(InvalidInput) as refused:
        start_cycle(qualizyklus_engine, first, ["parent-participation"])
    assert refused.value.field == "themes"
