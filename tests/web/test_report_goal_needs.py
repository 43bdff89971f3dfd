"""The report's goal table names the needs (findings of kind "need") each goal answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask_babel import Babel

from web.reports.glance import GOAL_COLUMNS, columns
from web.reports.sections import goals_grid


@pytest.fixture(autouse=True)
def _context() -> Iterator[None]:
    app = Flask(__name__)
    app.config["BABEL_DEFAULT_LOCALE"] = "de"
    Babel(app)
    with app.test_request_context():
        yield


def goal(title: str, need_ids: list[str]) -> dict[str, Any]:
    return {
        "title": title,
        "theme_id": None,
        "indicator": "Anzahl Familien",
        "unit": "Familien",
        "baseline": 3,
        "target": 7,
        "values": [],
        "need_ids": need_ids,
    }


CYCLE: dict[str, Any] = {
    "findings": {
        "f1": {"kind": "need", "text": "Familien früher erreichen", "withdrawn": False},
        "f2": {"kind": "need", "text": "Mehr Angebote am Abend", "withdrawn": False},
    },
    "goals": {
        "g1": goal("Mehr Familien erreichen", ["f1", "f2", "gone"]),
        "g2": goal("Bericht an den Ausschuss", []),
    },
}


def test_each_goal_row_names_the_needs_it_answers() -> None:
    grid = goals_grid(CYCLE, {})

    needs = grid.columns.index("Entwicklungsbedarfe")
    assert grid.rows[0][needs] == "Familien früher erreichen; Mehr Angebote am Abend"
    assert grid.rows[1][needs] == "–"


def test_the_summary_keeps_goal_latest_value_target_and_verdict() -> None:
    summary = columns(goals_grid(CYCLE, {}), GOAL_COLUMNS)

    assert summary.columns == ("Ziel", "Letzter Wert", "Zielwert", "Bewertung")
