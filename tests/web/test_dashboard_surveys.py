"""The parents' survey figures on the dashboard over the years, from the read models only.

Four closed years (tests/web/survey_years.py): a year without a survey and a year whose only
survey has four answers show "nicht erhoben", never 0 and never the four; the two years with
surveys of at least five answers show their figures. The API gives exactly the figures the
page shows. Every event of the cycles is removed from the store before the page is read, so
a page that replayed a cycle could not show them.
"""

from __future__ import annotations

import html as markup
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.bootstrap import open_store
from engine.application.service import Qualizyklus
from engine.application.tokens import create_token
from engine.domain.errors import NotFound
from engine.infrastructure.settings import Settings
from tests.plugins.theme_cycles import COORDINATOR
from tests.web.conftest import get, sign_in
from tests.web.survey_years import EMAIL, EXPECTED, PASSWORD, SLUG, SurveyYears, build
from web.app import create_app

CHART = "shares-parent-participation-parents-surveys"
ROW = re.compile(r'<tr><th scope="row">(?P<label>[^<]*)</th>(?P<cells>.*?)</tr>', re.S)
CELL = re.compile(r'<td class="number">([^<]*)</td>')


def _config(tmp_path: Path) -> dict[str, object]:
    return {
        "QUALIZYKLUS_DATABASE": f"sqlite:///{tmp_path}/qualizyklus.db",
        "SECRET_KEY": "test-secret",
        "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
    }


def forget_cycles(database: Path, cycles: list[UUID]) -> int:
    """Remove every stored event and snapshot of ``cycles``; how many rows went."""
    removed = 0
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
        for table in tables:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            if "originator_id" in columns:
                marks = ", ".join("?" * len(cycles))
                removed += connection.execute(
                    f"DELETE FROM {table} WHERE originator_id IN ({marks})",
                    [cycle.hex for cycle in cycles],
                ).rowcount
    return removed


@pytest.fixture
def survey_years(tmp_path: Path) -> Iterator[tuple[Flask, SurveyYears, str]]:
    """The web app on the four years, whose cycles' events are gone from the store; and a
    viewer's API token."""
    open_store(
        Settings(database=f"sqlite:///{tmp_path}/qualizyklus.db"), create_tables=True
    ).close()
    built = create_app(_config(tmp_path))
    engine: Qualizyklus = built.extensions["qualizyklus"]
    years = build(engine)
    secret = create_token(
        engine, years.organisation_id, actor_id=COORDINATOR, role="viewer", name="Ausschuss"
    ).secret
    engine.close()
    assert forget_cycles(tmp_path / "qualizyklus.db", list(years.cycles.values())) > 0
    app = create_app(_config(tmp_path))
    yield app, years, secret
    app.extensions["qualizyklus"].close()


def survey_table(page: str) -> tuple[list[str], dict[str, list[str]]]:
    """The survey chart's table: its columns (the years) and per figure its cells."""
    start = page.index(f'<caption id="{CHART}-table"')
    table = page[start : page.index("</table>", start)]
    head = table[: table.index("</thead>")]
    columns = re.findall(r'<th scope="col">([^<]*)</th>', head)[1:]
    rows = {
        markup.unescape(row["label"]): [markup.unescape(c) for c in CELL.findall(row["cells"])]
        for row in ROW.finditer(table)
    }
    return columns, rows


def test_the_dashboard_shows_the_survey_figures_per_year_from_the_read_models_alone(
    survey_years: tuple[Flask, SurveyYears, str],
) -> None:
    app, years, _ = survey_years
    engine: Qualizyklus = app.extensions["qualizyklus"]
    with pytest.raises(NotFound):  # the cycles cannot be replayed any more
        engine.cycle(years.cycles[2025])
    client: FlaskClient = app.test_client()
    sign_in(client, EMAIL, PASSWORD)

    page = get(client, f"/o/{SLUG}/dashboard").get_data(as_text=True)

    columns, rows = survey_table(page)
    assert columns == ["2022", "2023", "2024", "2025"]
    assert list(rows) == [  # shares only: the chart's numbers
        "fühlten sich gehört (Antwort „Ja“)",
        "zufrieden oder sehr zufrieden mit den Angeboten",
        "Anteil auf Papier",
    ]
    for label, cells in rows.items():
        expected = EXPECTED[label]
        assert cells == [expected.get(year, "nicht erhoben") for year in (2022, 2023, 2024, 2025)]
    description = re.search(rf'<desc id="{CHART}-d">([^<]*)</desc>', page)
    assert description is not None
    alternative = markup.unescape(description.group(1))
    assert "2022: nicht erhoben; 2023: fühlten sich gehört (Antwort „Ja“) 37,5 %" in alternative
    assert "2024: nicht erhoben; 2025:" in alternative
    insights = page[page.index('id="insights-parent-participation-heading"') :]
    insights = insights[: insights.index("</table>")]
    table = {
        markup.unescape(row["label"]): [markup.unescape(c) for c in CELL.findall(row["cells"])]
        for row in ROW.finditer(insights)
    }
    for label, expected in EXPECTED.items():  # the counts too, in the theme's table
        assert table[f"Elternbefragungen: {label}"] == [
            expected.get(year, "nicht erhoben") for year in (2022, 2023, 2024, 2025)
        ]


def test_the_api_gives_exactly_the_survey_figures_the_page_shows(
    survey_years: tuple[Flask, SurveyYears, str],
) -> None:
    app, years, secret = survey_years
    client: FlaskClient = app.test_client()
    sign_in(client, EMAIL, PASSWORD)
    page = get(client, f"/o/{SLUG}/dashboard").get_data(as_text=True)
    _, shown = survey_table(page)

    response = app.test_client().get(
        f"/api/v1/organisations/{SLUG}/dashboard", headers={"Authorization": f"Bearer {secret}"}
    )

    assert response.status_code == 200
    served = [
        entry
        for entry in response.get_json()["insights"]["parent-participation"]
        if entry["insight_id"] == "parents-surveys"
    ]
    by_year = {
        entry["label"]["de"]: {point["year"]: point["value"] for point in entry["points"]}
        for entry in served
    }
    assert by_year == {
        "Antworten": {2023: 8, 2025: 11},
        "fühlten sich gehört (Antwort „Ja“)": {2023: 37.5, 2025: 45.5},
        "zufrieden oder sehr zufrieden mit den Angeboten": {2023: 62.5, 2025: 63.6},
        "davon auf Papier": {2023: 2, 2025: 1},
        "Anteil auf Papier": {2023: 25, 2025: 9.1},
    }  # nothing for 2022 (no survey) nor 2024 (four answers)
    for label, cells in shown.items():
        values = by_year[label]
        assert [
            cell if cell == "nicht erhoben" else float(cell.removesuffix(" %").replace(",", "."))
            for cell in cells
        ] == [values.get(year, "nicht erhoben") for year in (2022, 2023, 2024, 2025)]
    assert {entry["key"] for entry in served} == {
        "survey-answers",
        "survey-heard",
        "survey-satisfied",
        "survey-paper-answers",
        "survey-paper-share",
    }
    cycle_ids = {str(cycle_id) for cycle_id in years.cycles.values()}
    assert {p["cycle_id"] for e in served for p in e["points"]} < cycle_ids
