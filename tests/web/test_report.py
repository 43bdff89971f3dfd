"""The Qualitätsbericht: the printable page and the PDF say what the cycle holds (themes' sections,
goals, measures, indicator values, lessons, the seal's state), in the reader's language, to
members of the cycle's organisation only."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from engine import hookimpl
from engine.application.audit import history
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from tests.web.conftest import (
    BASE_URL,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    cycle_ids,
    get,
    sign_in,
)
from web.app import create_app

SLUG = "lk-musterland"


def engine_of(web_app: Flask) -> Qualizyklus:
    found: Qualizyklus = web_app.extensions["qualizyklus"]
    return found


def plain(markup: str) -> str:
    """The page's text: tags and SVG drawings removed, entities decoded, spaces collapsed."""
    text = re.sub(r"<svg.*?</svg>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def report_text(client: FlaskClient, cycle_id: str, **headers: str) -> str:
    response = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report", base_url=BASE_URL, headers=headers)
    assert response.status_code == 200
    return plain(response.get_data(as_text=True))


def pdf_of(client: FlaskClient, cycle_id: str, **headers: str) -> PdfReader:
    response = client.get(
        f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL, headers=headers
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.data))


def pdf_text(reader: PdfReader) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def language_of(reader: PdfReader) -> str:
    """The document's language (the catalogue's /Lang)."""
    catalogue: Any = reader.trailer["/Root"].get_object()
    return str(catalogue["/Lang"])


def values_shown(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


@pytest.fixture
def cycles(client: FlaskClient) -> tuple[str, str]:
    """The running and the closed demo cycle, signed in as the organisation's viewer."""
    sign_in(client, VIEWER)
    running, closed = cycle_ids(client, SLUG)[:2]
    return running, closed


def test_the_report_shows_every_theme_section_goal_measure_and_indicator_value(
    client: FlaskClient, web_app: Flask, cycles: tuple[str, str]
) -> None:
    running, _closed = cycles
    cycle = engine_of(web_app).cycle(UUID(running))
    themes = engine_of(web_app).themes

    text = report_text(client, running)

    assert "Qualitätsbericht" in text and "Landkreis Musterland" in text
    assert "Phase Umsetzung" in text and "Erstellt von Petra König" in text
    assert "Zeitraum 01.01.2025 – 31.12.2026" in text
    for theme_id in cycle["themes"]:
        assert themes[theme_id].title.de in text
    for goal in cycle["goals"].values():
        assert goal["title"] in text
        for value in goal["values"]:
            measured = value["measured_on"].strftime("%d.%m.%Y")
            assert f"{measured} {values_shown(value['value'])} {goal['unit']}" in text
    for measure in cycle["measures"].values():
        assert measure["title"] in text
    assert "Anna Becker" in text  # responsible, by display name
    assert 'role="img"' in get(client, f"/o/{SLUG}/cycles/{running}/report").get_data(as_text=True)


def test_the_report_of_a_closed_cycle_shows_reviews_lessons_and_the_closing(
    client: FlaskClient, web_app: Flask, cycles: tuple[str, str]
) -> None:
    _running, closed = cycles
    cycle = engine_of(web_app).cycle(UUID(closed))

    text = report_text(client, closed)

    assert cycle["lessons"]
    for lesson in cycle["lessons"].values():
        assert lesson["text"] in text
    assert "Bewertung der Ziele" in text and "erreicht" in text
    assert cycle["closing"]["summary"] in text


def test_the_report_states_that_the_seals_are_intact(
    client: FlaskClient, web_app: Flask, cycles: tuple[str, str]
) -> None:
    running, _closed = cycles
    events = engine_of(web_app).version_of(UUID(running))

    text = report_text(client, running)

    assert "Prüfsiegel unversehrt" in text
    assert "Die Prüfsiegel sind unversehrt" in text
    assert f"Zyklus: Prüfkette intakt ({events} Ereignisse)" in text
    assert "Organisation: Prüfkette intakt" in text


def _tamper(web_app: Flask, cycle_id: str, version: int) -> None:
    """Change a stored event's JSON directly in the SQLite file, as someone with file access."""
    path = Settings(database=web_app.config["QUALIZYKLUS_DATABASE"]).sqlite_path()
    key = UUID(cycle_id).hex
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    (stored,) = connection.execute(
        "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = ?",
        (key, version),
    ).fetchone()
    state = {**json.loads(stored), "reason": "Nachträglich geschönt."}
    connection.execute(
        "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
        (json.dumps(state, ensure_ascii=False).encode("utf-8"), key, version),
    )
    connection.close()


def test_an_altered_stored_event_shows_the_seal_broken_in_page_and_pdf(
    client: FlaskClient, web_app: Flask, cycles: tuple[str, str]
) -> None:
    running, _closed = cycles
    version = next(e["version"] for e in history(engine_of(web_app), UUID(running)) if e["reason"])
    _tamper(web_app, running, version)

    text = report_text(client, running)
    assert "Prüfsiegel gebrochen" in text
    assert "Achtung: Eine Prüfkette ist gebrochen." in text
    assert f"Zyklus: Prüfkette gebrochen bei Version {version}." in text
    assert "Organisation: Prüfkette intakt" in text
    assert "unversehrt" not in text

    in_pdf = pdf_text(pdf_of(client, running))
    assert f"Prüfkette gebrochen bei Version {version}." in in_pdf


def test_the_pdf_holds_the_same_goals_measures_and_metadata(
    client: FlaskClient, web_app: Flask, cycles: tuple[str, str]
) -> None:
    running, _closed = cycles
    cycle = engine_of(web_app).cycle(UUID(running))

    reader = pdf_of(client, running)
    text = pdf_text(reader)

    for goal in cycle["goals"].values():
        assert goal["title"] in text
    for measure in cycle["measures"].values():
        assert measure["title"] in text
    assert "Prüfkette intakt" in text and "Die Prüfsiegel sind unversehrt" in text
    assert reader.metadata is not None
    assert reader.metadata.title == f"Qualitätsbericht: {cycle['title']}"
    assert reader.metadata.author == "Petra König"
    assert language_of(reader) == "de"
    assert len(reader.pages) > 2


def test_an_english_reader_gets_the_report_and_the_pdf_in_english(
    client: FlaskClient, web_app: Flask, cycles: tuple[str, str]
) -> None:
    running, _closed = cycles
    cycle = engine_of(web_app).cycle(UUID(running))
    themes = engine_of(web_app).themes
    english = {"Accept-Language": "en"}

    page = client.get(
        f"/o/{SLUG}/cycles/{running}/report", base_url=BASE_URL, headers=english
    ).get_data(as_text=True)
    text = plain(page)

    assert '<html lang="en">' in page
    assert "Period Jan 1, 2025 – Dec 31, 2026" in text
    assert "Goals" in text and "Measures" in text and "Baseline" in text
    assert "Seal chain intact" in text
    for theme_id in cycle["themes"]:
        assert themes[theme_id].title.en in text

    reader = pdf_of(client, running, **english)
    assert language_of(reader) == "en"
    assert "Seal chain intact" in pdf_text(reader)


class BrokenReport:
    """A theme plugin whose report section fails."""

    name = "broken-report"

    @hookimpl
    def report_sections(self) -> list[Any]:
        raise RuntimeError("the statistics office is unreachable")


def test_a_failing_plugin_is_named_and_the_other_sections_still_show(
    demo_database: Path, tmp_path: Path
) -> None:
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "x",
            "QUALIZYKLUS_EXTRA_PLUGINS": (BrokenReport(),),
        }
    )
    try:
        client = app.test_client()
        sign_in(client, COORDINATOR)
        running = cycle_ids(client, SLUG)[0]
        themes = engine_of(app).themes

        text = report_text(client, running)

        assert "Das Plugin „broken-report“ hat einen Fehler gemeldet" in text
        for theme_id in engine_of(app).cycle(UUID(running))["themes"]:
            assert themes[theme_id].title.de in text
        assert "broken-report" in pdf_text(pdf_of(client, running))
    finally:
        engine_of(app).close()


REPORT_PATHS = ("report", "report.pdf")


def running_id(web_app: Flask) -> str:
    """The demo's running cycle, read from the engine (no sign-in needed)."""
    engine = engine_of(web_app)
    organisation = engine.organisation_by_slug(SLUG)
    return str(engine.cycles_of(UUID(organisation["id"]))[0]["id"])


@pytest.mark.parametrize("path", REPORT_PATHS)
def test_signed_out_readers_are_sent_to_sign_in(
    client: FlaskClient, web_app: Flask, path: str
) -> None:
    response = get(client, f"/o/{SLUG}/cycles/{running_id(web_app)}/{path}")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", REPORT_PATHS)
def test_a_member_of_another_organisation_is_refused(client: FlaskClient, path: str) -> None:
    sign_in(client, COORDINATOR)
    running = cycle_ids(client, SLUG)[0]
    other = client.application.test_client()
    sign_in(other, OTHER_COORDINATOR)
    own_cycle = cycle_ids(other, "beispielstadt")[0]

    assert get(other, f"/o/{SLUG}/cycles/{running}/{path}").status_code == 404
    # Nor through the own organisation's address with the other organisation's cycle.
    assert get(other, f"/o/beispielstadt/cycles/{running}/{path}").status_code == 404
    assert get(other, f"/o/beispielstadt/cycles/{own_cycle}/{path}").status_code == 200


@pytest.mark.parametrize("path", REPORT_PATHS)
def test_an_unknown_cycle_is_not_found(client: FlaskClient, path: str) -> None:
    sign_in(client, COORDINATOR)
    unknown = "00000000-0000-0000-0000-000000000000"
    assert get(client, f"/o/{SLUG}/cycles/{unknown}/{path}").status_code == 404
    assert get(client, f"/o/{SLUG}/cycles/not-a-cycle/{path}").status_code == 404


def test_the_overview_links_the_report_and_the_exports(
    client: FlaskClient, cycles: tuple[str, str]
) -> None:
    running, _closed = cycles
    page = get(client, f"/o/{SLUG}/cycles/{running}/").get_data(as_text=True)

    base = f"/o/{SLUG}/cycles/{running}"
    for target in (
        "report",
        "report.pdf",
        "export/measures.csv",
        "export/goals.csv",
        "export/indicators.csv",
        "export/plan.xlsx",
    ):
        assert f'href="{base}/{target}"' in page
    assert "Qualitätsbericht" in page
