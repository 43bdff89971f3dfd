"""Insight figures are known by their key across the years, never by their position.

A theme may return more figures once there is a previous cycle (the previous cycle's value
beside this one's). The read model of the closed cycles' figures keeps each under its key, so
the series over the years hold one figure each, whatever its position in a given year.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.domain.catalogue import CatalogueError, Text
from engine.domain.contributions import Figure, Insight
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower, queries
from tests.engine.keyed_figures import INSIGHT_ID, KeyedThemes, two_closed_cycles
from tests.engine.stories import register_network


@pytest.fixture
def keyed_app(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with the sample themes and the growing insight only."""
    app = open_engine(settings, plugins=(KeyedThemes(),), entry_point_group=None)
    yield app
    app.close()


def test_each_series_over_the_years_holds_its_own_figure(keyed_app: Qualizyklus) -> None:
    net = register_network(keyed_app)
    first, second = two_closed_cycles(keyed_app, net)
    follower = Follower(keyed_app)
    follower.catch_up()
    assert follower.refresh_insights() == 2

    series = queries.insights_over_years(follower.view, str(net.organisation_id))["network"]

    by_key = {
        entry["key"]: [(point["cycle_id"], point["value"]) for point in entry["points"]]
        for entry in series
        if entry["insight_id"] == INSIGHT_ID
    }
    assert by_key == {
        "rated": [(str(first), 1.0), (str(second), 2.0)],
        "mean-progress": [(str(first), 40.0), (str(second), 55.0)],
        "mean-progress-previous": [(str(second), 40.0)],
    }
    labels = {
        entry["key"]: entry["label"]["de"] for entry in series if entry["insight_id"] == INSIGHT_ID
    }
    assert labels["mean-progress"] == "Mittlerer Fortschritt"
    assert labels["mean-progress-previous"] == "Mittlerer Fortschritt im Vorzyklus"
    # the rows follow the newest cycle's order: the previous cycle's value first
    assert [entry["key"] for entry in series if entry["insight_id"] == INSIGHT_ID] == [
        "mean-progress-previous",
        "rated",
        "mean-progress",
    ]


def test_the_read_model_keeps_each_figure_under_its_key_and_position(
    keyed_app: Qualizyklus,
) -> None:
    net = register_network(keyed_app)
    _, second = two_closed_cycles(keyed_app, net)
    follower = Follower(keyed_app)
    follower.catch_up()
    follower.refresh_insights()

    rows = follower.view.query(
        "SELECT figure_key, figure, label_de, value FROM qz_insight_figures "
        "WHERE cycle_id = ? AND insight_id = ? ORDER BY figure",
        (str(second), INSIGHT_ID),
    )

    assert [(r["figure_key"], r["figure"], r["value"]) for r in rows] == [
        ("mean-progress-previous", 0, 40.0),
        ("rated", 1, 2.0),
        ("mean-progress", 2, 55.0),
    ]


def test_a_figure_without_a_key_is_keyed_by_its_german_label() -> None:
    figure = Figure(Text("Kriterien bewertet", "Criteria rated"), 3)

    assert figure.key == "Kriterien bewertet"
    assert Figure(Text("Kriterien bewertet"), 3, key="rated").key == "rated"


def test_a_key_is_a_slug_and_unique_within_an_insight() -> None:
    with pytest.raises(CatalogueError):
        Figure(Text("Mittel"), 1, key="Mean Progress")
    with pytest.raises(ValueError, match="'mean'"):
        Insight(
            "network",
            "twice",
            Text("Doppelt"),
            figures=(Figure(Text("A"), 1, key="mean"), Figure(Text("B"), 2, key="mean")),
        )
    with pytest.raises(ValueError, match="'Anteil'"):  # unkeyed figures with one label
        Insight("network", "twice", Text("Doppelt"), figures=(Figure(Text("Anteil"), 1),) * 2)
