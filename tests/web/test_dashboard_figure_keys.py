"""The dashboard's insight figures over the years: each row shows its own figure every year.

Two closed cycles whose theme returns two figures for the first and three for the follow-up
(the previous cycle's value first): a row never shows another figure's value, and "nicht
erhoben" stands only where the figure really was absent.
"""

from __future__ import annotations

import html as markup
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.infrastructure.passwords import hash_password
from engine.readmodels import Follower
from tests.engine.keyed_figures import KeyedThemes, two_closed_cycles
from tests.engine.stories import register_network
from tests.web.conftest import get, sign_in
from web.app import create_app

PASSWORD = "Figuren-mit-Schlüssel-2025"
VIEWER_EMAIL = "ausschuss@beispiel.example"
ROW = re.compile(r'<tr><th scope="row">(?P<label>[^<]*)</th>(?P<cells>.*?)</tr>', re.S)
CELL = re.compile(r'<td class="number">([^<]*)</td>')


@pytest.fixture
def keyed_web_app(tmp_path: Path) -> Iterator[Flask]:
    """The web app on a fresh store with the sample themes and the growing insight."""
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{tmp_path}/qualizyklus.db",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
            "QUALIZYKLUS_EXTRA_PLUGINS": [KeyedThemes()],
        }
    )
    yield app
    app.extensions["qualizyklus"].close()


def insight_rows(page: str) -> dict[str, list[str]]:
    """The dashboard's insight table: each row's label and its cells, one per cycle."""
    start = page.index('id="insights-network-heading"')
    table = page[start : page.index("</table>", start)]
    return {
        markup.unescape(row["label"]): [markup.unescape(c) for c in CELL.findall(row["cells"])]
        for row in ROW.finditer(table)
    }


def test_each_row_shows_its_own_figure_in_each_year(
    keyed_web_app: Flask, client: FlaskClient
) -> None:
    engine: Qualizyklus = keyed_web_app.extensions["qualizyklus"]
    net = register_network(engine, slug="lk-schluessel")
    engine.profiles.put(net.viewer, display_name="Petra König", email=VIEWER_EMAIL)
    engine.profiles.set_password_hash(net.viewer, hash_password(PASSWORD))
    two_closed_cycles(engine, net)
    follower = Follower(engine)
    follower.catch_up()
    follower.refresh_insights()
    sign_in(client, VIEWER_EMAIL, PASSWORD)

    page = get(client, "/o/lk-schluessel/dashboard").get_data(as_text=True)

    heading = page.index('id="insights-network-heading"')
    columns = re.findall(
        r'<th scope="col">([^<]*)</th>', page[heading : page.index("</thead>", heading)]
    )
    assert columns == ["Kennzahl", "2024", "2025"]
    assert insight_rows(page) == {
        "Fortschritt im Netzwerk: Mittlerer Fortschritt im Vorzyklus": ["nicht erhoben", "40 %"],
        "Fortschritt im Netzwerk: Bewertete Kriterien": ["1", "2"],
        "Fortschritt im Netzwerk: Mittlerer Fortschritt": ["40 %", "55 %"],
    }
