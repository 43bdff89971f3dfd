"""The state view travels: its PDF is the page printed (tagged, with language and title, nothing
outside the page box) and its CSV holds exactly the figures the page shows. Both keep the page's
anonymity (nothing under five organisations, names only of those that share) and its access
rules (a state coordinator of another Land is refused). The PDF's pages are saved as images
among the test artifacts (test-artifacts/state-pdf/) to be looked at."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from werkzeug.test import TestResponse

from engine.application.state_office import state_office
from tests.web.conftest import ADMIN, BASE_URL, COORDINATOR, get, sign_in
from tests.web.test_report_pdf import assert_tagged, text_outside_a4
from tests.web.test_state_view import (
    LAKO,
    LAKO_NI,
    LAND,
    Member,
    add_organisation,
    engine_of,
    lako,
    person,
    text_of,
)
from web.ui.state_files import COLUMNS, figures_sheet

__all__ = ["lako"]  # the fixture, used by name
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "state-pdf"
PDF = f"/land/{LAND}/report.pdf"
CSV = f"/land/{LAND}/figures.csv"
HEADER = [column.heading for column in COLUMNS]


def download(client: FlaskClient, path: str, language: str = "de") -> TestResponse:
    return client.get(path, base_url=BASE_URL, headers={"Accept-Language": language})


def csv_rows(response: TestResponse) -> list[dict[str, str]]:
    """The CSV's rows by heading, checking what a German Excel needs on the way."""
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    text = response.data.decode("utf-8").removeprefix("\ufeff")
    header, *rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in rows]


def pdf_text(response: TestResponse) -> str:
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(page.extract_text() for page in reader.pages)


def land_of_six(app: Flask, *, sharing: tuple[int, ...] = (2,)) -> list[Member]:
    """Six Bavarian organisations, those in ``sharing`` sharing their names."""
    return [add_organisation(engine_of(app), i, shares=i in sharing) for i in range(6)]


def test_the_pdf_is_tagged_with_language_and_title_and_stays_on_its_pages(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    land_of_six(web_app)
    sign_in(client, LAKO)

    names = {"de": "Landes%C3%BCbersicht%20-%20Bayern%20-%20", "en": "State%20view%20-%20Bayern"}
    for language, title in (("de", "Landesübersicht: Bayern"), ("en", "State view: Bayern")):
        response = download(client, PDF, language)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(response.data))
        assert assert_tagged(reader, language) == title
        assert text_outside_a4(reader) == []
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("inline;")
        assert f"filename*=UTF-8''{names[language]}" in disposition


def test_the_pdf_shows_what_the_page_shows_and_no_navigation(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    members = land_of_six(web_app)
    sign_in(client, LAKO)

    text = re.sub(r"\s+", " ", pdf_text(download(client, PDF)))

    assert "6 Organisationen nehmen teil" in text
    assert "Punktwerte je Thema und Jahr" in text and "Mittelwert" in text
    assert members[2].name in text
    for member in members[:2] + members[3:]:
        assert member.name not in text
    assert "Abmelden" not in text and "Als PDF" not in text  # the site's chrome stays off
    assert "Seite 1" in text


def test_the_pdf_pages_are_saved_as_images(client: FlaskClient, web_app: Flask, lako: str) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils, `make setup`) is not installed")
    land_of_six(web_app)
    sign_in(client, LAKO)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("state-*"):
        old.unlink()
    for language in ("de", "en"):
        pdf = ARTIFACTS / f"state-{language}.pdf"
        pdf.write_bytes(download(client, PDF, language).data)
        subprocess.run(
            [pdftoppm, "-png", "-r", "60", str(pdf), str(ARTIFACTS / f"state-{language}")],
            check=True,
            timeout=120,
        )
    assert len(list(ARTIFACTS.glob("state-de-*.png"))) == len(PdfReader(pdf).pages)


def test_the_csv_holds_the_figures_of_the_page(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    members = land_of_six(web_app)
    sign_in(client, LAKO)
    html = get(client, "/land").get_data(as_text=True)

    response = download(client, CSV)
    rows = csv_rows(response)

    shown_mean = re.findall(r"<tr><th scope=\"row\">2025</th><td>6</td><td>([^<]+)</td>", html)
    means = [r for r in rows if r["Bereich"] == "Punktwerte" and r["Kennzahl-Code"] == "mean"]
    assert len(means) == 1 and shown_mean
    mean = means[0]
    assert (mean["Jahr"], mean["Organisationen"], mean["Einheit"]) == ("2025", "6", "%")
    assert f"{mean['Wert']} %" == shown_mean[0]  # "41,7" beside the page's "41,7 %"
    assert {r["Kennzahl-Code"] for r in rows if r["Bereich"] == "Punktwerte"} == {
        "mean",
        "median",
        "q1",
        "q3",
    }
    assert "Noch keine Ziele über genügend Organisationen." in text_of(html)
    assert [r for r in rows if r["Bereich"] in ("Ziele", "Maßnahmen")] == []
    phases = [r for r in rows if r["Bereich"] == "Phasen"]
    assert [(r["Kennzahl-Code"], r["Wert"], r["Organisationen"]) for r in phases] == [
        ("phase-analyse", "6", "6")
    ]
    assert phases[0]["Kennzahl"] == "Neuester Zyklus in Phase Bestands- und Bedarfsanalyse"
    named = [r for r in rows if r["Bereich"] == "Namentlich geteilt"]
    assert [r["Organisation"] for r in named] == [members[2].name]
    assert named[0]["Wert"] == f"{round(members[2].score * 100, 1):g}".replace(".", ",")
    body = response.data.decode("utf-8")
    for member in members[:2] + members[3:]:
        assert member.name not in body and member.slug not in body
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Kennzahlen der Landesuebersicht - Bayern')
    assert "filename*=UTF-8''Kennzahlen%20der%20Landes%C3%BCbersicht%20-%20Bayern%20-%20" in (
        disposition
    )


def test_english_readers_get_the_same_csv(client: FlaskClient, web_app: Flask, lako: str) -> None:
    land_of_six(web_app)
    sign_in(client, LAKO)

    assert download(client, CSV, "en").data == download(client, CSV, "de").data


def test_four_organisations_give_nothing_away_in_the_files(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    members = [add_organisation(engine_of(web_app), i, shares=(i == 0)) for i in range(4)]
    sign_in(client, LAKO)

    page = get(client, "/land").get_data(as_text=True)
    assert "figures.csv" not in page and "report.pdf" not in page  # nothing to take away
    assert csv_rows(download(client, CSV)) == []
    text = re.sub(r"\s+", " ", pdf_text(download(client, PDF)))
    assert "weniger als 5 Organisationen" in text
    for member in members:  # not even the one that chose to share
        assert member.name not in text


def test_a_theme_figure_the_page_leaves_out_stays_out_of_the_csv(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    # Two of six share: the theme's figure less their named scores would give the other four
    # away, so the page leaves the figure out; the CSV too.
    members = land_of_six(web_app, sharing=(1, 4))
    sign_in(client, LAKO)

    page = text_of(get(client, "/land").get_data(as_text=True))
    rows = csv_rows(download(client, CSV))

    assert "Noch keine Punktwerte über genügend Organisationen." in page
    assert [r for r in rows if r["Bereich"] == "Punktwerte"] == []
    named = {r["Organisation"] for r in rows if r["Bereich"] == "Namentlich geteilt"}
    assert named == {members[1].name, members[4].name}


def test_the_page_links_its_files(client: FlaskClient, web_app: Flask, lako: str) -> None:
    land_of_six(web_app)
    sign_in(client, LAKO)

    html = get(client, "/land").get_data(as_text=True)

    assert f'href="{PDF}"' in html and f'href="{CSV}"' in html
    assert 'media="print" href="/static/state-print.css"' in html


def test_only_the_lands_state_coordinator_and_administrators_get_the_files(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    app = engine_of(web_app)
    state_office(app).grant(person(app, LAKO_NI, "LaKo Niedersachsen"), "NI")
    land_of_six(web_app)

    sign_in(client, LAKO_NI)
    for path in (PDF, CSV):
        refused = get(client, path)
        assert refused.status_code == 403
        assert b"Netzwerk Oberbayern" not in refused.data
    assert get(client, "/land/NI/figures.csv").status_code == 200

    with web_app.test_client() as member:
        sign_in(member, COORDINATOR)
        for path in (PDF, CSV, "/land/XX/figures.csv"):
            assert get(member, path).status_code == 404

    with web_app.test_client() as admin:
        sign_in(admin, ADMIN)
        assert len(csv_rows(get(admin, CSV))) > 0
        assert get(admin, "/land/XX/report.pdf").status_code == 404

    for path in (PDF, CSV):
        signed_out = get(web_app.test_client(), path)
        assert signed_out.status_code == 302
        assert signed_out.headers["Location"].startswith("/login?next=")


def test_goal_measure_and_phase_figures_are_rows_with_their_shares(web_app: Flask) -> None:
    data = {
        "shown": True,
        "themes": [],
        "goals": [{"year": 2025, "organisations": 7, "goals": 8, "verdicts": {"reached": 3}}],
        "measures": [{"year": 2025, "organisations": 6, "measures": 3, "statuses": {"done": 1}}],
        "phases": {"organisations": 7, "counts": {"implement": 5, "review": 2}},
        "shared": [],
    }
    with web_app.test_request_context(headers={"Accept-Language": "en"}):
        rows = [dict(zip(HEADER, row, strict=True)) for row in figures_sheet(data, {}).rows]

    found = {(r["Bereich"], r["Kennzahl-Code"]): (r["Kennzahl"], r["Wert"]) for r in rows}
    assert found == {
        ("Ziele", "goals"): ("Ziele", 8),
        ("Ziele", "verdict-reached"): ("Anteil erreicht", 37.5),
        ("Ziele", "verdict-partly"): ("Anteil teilweise erreicht", 0.0),
        ("Ziele", "verdict-not"): ("Anteil nicht erreicht", 0.0),
        ("Ziele", "verdict-open"): ("Anteil noch offen", 0.0),
        ("Maßnahmen", "measures"): ("Maßnahmen", 3),
        ("Maßnahmen", "done"): ("Anteil erledigt", 33.3),
        ("Phasen", "phase-implement"): ("Neuester Zyklus in Phase Umsetzung", 5),
        ("Phasen", "phase-review"): (
            "Neuester Zyklus in Phase Evaluation und Weiterentwicklung",
            2,
        ),
    }
    assert {r["Organisationen"] for r in rows if r["Bereich"] == "Ziele"} == {7}
    assert figures_sheet({**data, "shown": False}, {}).rows == ()
