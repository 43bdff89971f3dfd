"""Which results of the logic model were reached, over the years: a keyed figure per result
element (its record id carries over from one cycle to the next), kept when each cycle closes
and shown by the dashboard as one row per result with a column per year."""

from __future__ import annotations

import html as markup
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask

from engine import Insight, hookimpl
from engine.application.service import Qualizyklus
from engine.infrastructure.passwords import hash_password
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower
from plugins.impact_orientation.logic_model.insights import (
    logic_model_insights,
    reached_share,
    result_key,
)
from plugins.impact_orientation.logic_model.model import model_of
from plugins.impact_orientation.logic_model.sample import sample_records
from tests.plugins.test_logic_model_checks import goal
from tests.plugins.test_logic_model_model import cycle_of
from tests.plugins.theme_cycles import COORDINATOR, IMPACT, Network
from tests.web.conftest import BASE_URL, sign_in
from web.app import create_app

PASSWORD = "Wirkmodell-über-die-Jahre-2025"
EMAIL = "koordination@heidekreis.example"
ROW = re.compile(r'<tr><th scope="row">(?P<label>[^<]*)</th>(?P<cells>.*?)</tr>', re.S)
CELL = re.compile(r'<td class="number">([^<]*)</td>')


def test_a_result_is_reached_when_every_linked_goal_is_judged_reached() -> None:
    goals = {
        "g1": goal("Mehr Familien erreichen", review={"verdict": "reached", "evidence": "x"}),
        "g2": goal("Begleitung angenommen", review={"verdict": "partly", "evidence": "x"}),
    }
    records = sample_records(["g1", "g2"])
    records["element"]["re-sicherheit"]["attrs"]["goal_ids"] = ["g1", "g2"]
    cycle = cycle_of(records, goals=goals, phase="closed")
    model = model_of(cycle)
    assert reached_share(model.element("re-erreicht"), cycle) == 100.0
    assert reached_share(model.element("re-angenommen"), cycle) == 0.0
    assert reached_share(model.element("re-sicherheit"), cycle) == 50.0
    assert reached_share(model.element("re-aufwachsen"), cycle) is None
    (insight,) = logic_model_insights(cycle)
    figures = {f.key: f.value for f in insight.figures}
    assert figures["results-reached"] == 1
    assert figures["result-re-erreicht"] == 100.0
    assert figures["result-re-aufwachsen"] == "–"  # no goal: not stored over the years
    assert "„Mehr Familien mit Neugeborenen erreicht“" in insight.text.de  # type: ignore[union-attr]


def test_result_keys_are_slugs_that_keep_different_ids_apart() -> None:
    assert result_key("re-erreicht") == "result-re-erreicht"
    uuid_like = "7F3A_Ergebnis/1"
    key = result_key(uuid_like)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", key)
    assert key != result_key("7f3a-ergebnis-1")
    assert len(result_key("x" * 200)) <= 63


class SampleModel:
    """Gives the insights the sample model where a cycle has none (the records' commands are
    not on this branch); the first year ties both results to goals, the second only one."""

    name = "logic-model-sample"

    @hookimpl
    def insights(
        self, cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
    ) -> list[Insight]:
        if IMPACT not in cycle["themes"] or not model_of(cycle).is_empty:
            return []
        goal_ids = sorted(cycle["goals"])
        records = sample_records(goal_ids)
        return logic_model_insights({**cycle, "records": {IMPACT: records}})


@pytest.fixture
def dashboard_app(tmp_path: Path) -> Iterator[Flask]:
    database = f"sqlite:///{tmp_path}/qualizyklus.db"
    Qualizyklus(Settings(database=database), create_tables=True).close()  # qualizyklus init
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": database,
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
            "QUALIZYKLUS_EXTRA_PLUGINS": [SampleModel()],
        }
    )
    yield app
    app.extensions["qualizyklus"].close()


def closed_year(network: Network, year: int, verdicts: list[str], follows: UUID | None) -> UUID:
    """An impact cycle of ``year`` with a goal per verdict, judged so, and closed."""
    cycle_id = network.start([IMPACT], year=year, follows=follows)
    network.analyse(cycle_id)
    for index, _verdict in enumerate(verdicts, 1):
        network.goal(
            cycle_id, f"ziel-{index}", IMPACT, attrs={"impact_step": 2, "iooi_level": "output"}
        )
        network.measure(cycle_id, f"massnahme-{index}", IMPACT, goal_id=f"ziel-{index}")
    network.advance(cycle_id)
    for index, _verdict in enumerate(verdicts, 1):
        network.move(cycle_id, f"massnahme-{index}", "done")
        network.value(cycle_id, f"ziel-{index}", 5, date(year, 9, 1).isoformat())
    network.advance(cycle_id)
    for index, verdict in enumerate(verdicts, 1):
        network.engine.review_goal(
            cycle_id,
            actor_id=COORDINATOR,
            goal_id=f"ziel-{index}",
            verdict=verdict,
            evidence="Auswertung in der Steuerungsgruppe.",
        )
    network.close(cycle_id)
    return cycle_id


def insight_rows(page: str) -> dict[str, list[str]]:
    start = page.index(f'id="insights-{IMPACT}-heading"')
    table = page[start : page.index("</table>", start)]
    return {
        markup.unescape(row["label"]): [markup.unescape(c) for c in CELL.findall(row["cells"])]
        for row in ROW.finditer(table)
    }


def test_the_dashboard_shows_each_result_reached_over_two_years(dashboard_app: Flask) -> None:
    engine = dashboard_app.extensions["qualizyklus"]
    network = Network.register(engine)
    engine.profiles.put(COORDINATOR, display_name="Anna Becker", email=EMAIL)
    engine.profiles.set_password_hash(COORDINATOR, hash_password(PASSWORD))
    first = closed_year(network, 2024, ["partly", "reached"], None)
    closed_year(network, 2025, ["reached", "reached"], first)
    follower = Follower(engine)
    follower.catch_up()
    follower.refresh_insights()
    client = dashboard_app.test_client()
    sign_in(client, EMAIL, PASSWORD)

    response = client.get("/o/lk-heidekreis/dashboard", base_url=BASE_URL)
    assert response.status_code == 200
    rows = insight_rows(response.get_data(as_text=True))

    prefix = "Resultate des Wirkmodells: "
    assert rows[prefix + "Erreichte Resultate"] == ["1 von 2 mit Zielen", "2 von 2 mit Zielen"]
    assert rows[prefix + "Mehr Familien mit Neugeborenen erreicht"] == ["0 %", "100 %"]
    assert rows[prefix + "Vermittelte Familien nehmen die Begleitung an"] == ["100 %", "100 %"]
    assert prefix + "Kinder wachsen gesund und geschützt auf" not in rows  # never had a goal
