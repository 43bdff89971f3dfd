"""The model's table view and its report section: values and progress of the linked goals,
a section for a cycle with a model and none without, and the section in the real report's PDF
(its pages saved under test-artifacts/logic-model/ to be looked at), beside the drawing
printed on its own on A4 landscape."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from pypdf import PdfReader

from engine import ReportSection, hookimpl
from plugins.impact_orientation import report
from plugins.impact_orientation.logic_model.model import model_of
from plugins.impact_orientation.logic_model.report import logic_model_section, report_drawing
from plugins.impact_orientation.logic_model.sample import generated_records, sample_records
from plugins.impact_orientation.logic_model.table import (
    assumption_paragraphs,
    goal_rows,
    report_tables,
)
from tests.conftest import copy_sqlite
from tests.plugins.test_logic_model_checks import goal
from tests.plugins.test_logic_model_model import cycle_of
from tests.web.conftest import BASE_URL, COORDINATOR, VIEWER, sign_in
from web.app import create_app

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "logic-model"
SLUG = "lk-musterland"


def measured_cycle() -> dict[str, Any]:
    goals = {
        "g1": goal(
            "Mehr Familien erreichen",
            values=[
                {"value": 45, "measured_on": "2025-03-01"},
                {"value": 50, "measured_on": "2025-09-15"},
            ],
        ),
        "g2": goal("Begleitung angenommen", baseline=None),
    }
    return cycle_of(sample_records(["g1", "g2"]), goals=goals)


def test_linked_goals_show_latest_value_target_and_progress() -> None:
    cycle = measured_cycle()
    rows = goal_rows(model_of(cycle), cycle, "de")
    assert [r["title"] for r in rows] == ["Mehr Familien erreichen", "Begleitung angenommen"]
    first, second = rows
    assert first["results"] == ["Mehr Familien mit Neugeborenen erreicht"]
    assert first["latest"] == "50 % (15.09.2025)"
    assert first["target"] == "60 %"
    assert first["progress"] == "50 %"
    assert first["progress_value"] == 50.0
    assert second["progress"] == "Ausgangs- oder Zielwert fehlt"
    assert goal_rows(model_of(cycle), cycle, "en")[0]["latest"] == "50% (2025-09-15)"


def test_report_tables_list_elements_with_what_they_lead_to_and_the_goals() -> None:
    cycle = measured_cycle()
    model = model_of(cycle)
    elements, goals = report_tables(model, cycle)
    assert len(elements.rows) == 16
    by_title = {row[1] if isinstance(row[1], str) else row[1].de: row for row in elements.rows}
    assert by_title["Netzwerkkoordination mit einer halben Stelle finanziert"][2] == (
        "Netzwerktreffen und Qualitätszirkel [1]"
    )
    assert by_title["Gesetzlicher Auftrag (KKG) und Bundesstiftung Frühe Hilfen"][2] == (
        "Familien ab der Schwangerschaft früh erreichen"  # no assumption, no number
    )
    assert by_title["Kinder wachsen gesund und geschützt auf (Stufe 7 · Impact)"][2] == "–"
    assert goals.rows[0][5].de == "50 %"  # type: ignore[union-attr]
    assumptions = assumption_paragraphs(model)
    assert len(assumptions) == 11
    assert assumptions[0].de == (
        "(1) „Netzwerkkoordination mit einer halben Stelle finanziert“ → „Netzwerktreffen und "
        "Qualitätszirkel“: unter der Annahme, dass die Stelle dauerhaft besetzt ist"
    )


def sections(cycle: Mapping[str, Any]) -> list[ReportSection]:
    return report.report_sections(cycle, None)


def test_the_report_has_the_model_section_only_when_there_is_a_model() -> None:
    with_model = sections(measured_cycle())
    assert [s.title.de for s in with_model] == ["Wirkungsorientierung", "Wirkmodell des Netzwerks"]
    section = with_model[1]
    assert section.paragraphs[0].de.startswith("Wirkmodell in vier Spalten")
    assert section.paragraphs[0].de.endswith("die Nummern verweisen auf die Annahmen.")
    assert section.paragraphs[1].de.startswith("(1) „Netzwerkkoordination")
    assert len(section.tables) == 2
    without = cycle_of({}, goals={"g1": goal("Mehr Familien erreichen")})
    assert [s.title.de for s in sections(without)] == ["Wirkungsorientierung"]
    assert sections({**without, "themes": []}) == []


class SampleModel:
    """Gives the report a model where the cycle has none yet (the records' commands are not
    on this branch): the logic model section of the sample, tied to the cycle's impact goals."""

    name = "logic-model-sample"

    @hookimpl
    def report_sections(
        self, cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
    ) -> list[ReportSection]:
        if "impact-orientation" not in cycle["themes"] or not model_of(cycle).is_empty:
            return []
        goal_ids = [g for g, v in cycle["goals"].items() if v["theme_id"] == "impact-orientation"]
        found = logic_model_section(
            {**cycle, "records": {"impact-orientation": sample_records(goal_ids)}}
        )
        return [found] if found is not None else []


@pytest.fixture
def sample_app(demo_database: Path, tmp_path: Path) -> Iterator[Flask]:
    database = tmp_path / "qualizyklus.db"
    copy_sqlite(demo_database, database)
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
            "QUALIZYKLUS_PDF_CACHE": tmp_path / "pdf-cache",
            "QUALIZYKLUS_EXTRA_PLUGINS": [SampleModel()],
        }
    )
    yield app
    app.extensions["qualizyklus"].close()


def impact_cycle(app: Flask) -> UUID:
    """The demo's running cycle with the impact theme (it has the demo's sample model)."""
    engine = app.extensions["qualizyklus"]
    organisation = engine.organisation_by_slug(SLUG)
    for summary in engine.cycles_of(UUID(str(organisation["id"]))):
        cycle_id = UUID(str(summary["id"]))
        cycle = engine.cycle(cycle_id)
        if "impact-orientation" in cycle["themes"] and cycle["closing"] is None:
            return cycle_id
    raise AssertionError("the demo has a running cycle with the impact theme")


def without_model(app: Flask, cycle_id: UUID) -> None:
    """Remove every record of the cycle's model (the demo gives each impact cycle one)."""
    engine = app.extensions["qualizyklus"]
    profile = engine.profiles.by_email(COORDINATOR)
    model = engine.cycle(cycle_id)["records"].get("impact-orientation", {})
    removals = [{"kind": kind, "record_id": key} for kind, found in model.items() for key in found]
    engine.change_records(
        cycle_id,
        actor_id=str(profile["person_id"]),
        theme_id="impact-orientation",
        removals=removals,
        reason="Test ohne Modell",
    )
    assert not any(engine.cycle(cycle_id)["records"].get("impact-orientation", {}).values())


def save_pages(pdf: bytes, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(ARTIFACTS / f"{name}.pdf"), str(ARTIFACTS / name)],
            check=True,
        )


def landscape_pages(pdf: bytes) -> list[str]:
    """The text of each A4 landscape page of a PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    return [
        page.extract_text()
        for page in reader.pages
        if float(page.mediabox.width) > float(page.mediabox.height)
    ]


HEADINGS = re.compile(r"Rahmenbedingungen\s+Konzept\s+Aktivitätsbereiche\s+Resultate")
CAPTION = "Wirkmodell des Netzwerks: Wirkmodell in vier Spalten"


def drawing_pages(pdf: bytes) -> list[str]:
    """The landscape pages from the drawing's column headings to its caption (text alternative)."""
    pages = landscape_pages(pdf)
    first = next(i for i, text in enumerate(pages) if HEADINGS.search(text))
    last = next(i for i, text in enumerate(pages) if CAPTION in " ".join(text.split()))
    return pages[first : last + 1]


def test_the_report_page_and_pdf_carry_the_model_drawn(sample_app: Flask) -> None:
    client = sample_app.test_client()
    sign_in(client, VIEWER)
    cycle_id = impact_cycle(sample_app)
    page = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report", base_url=BASE_URL)
    html = page.get_data(as_text=True)
    start = html.index('<figure class="report-drawing"')
    figure = html[start : html.index("</figure>", start)]
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img" id="wirkmodell-bericht"' in figure
    assert "Familienhebammen und" in figure  # a box's text, in the SVG
    assert "Wirkmodell in vier Spalten" in figure  # the text alternative under it
    response = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Wirkmodell des Netzwerks" in text
    assert "die Stelle dauerhaft besetzt ist" in text
    drawn = drawing_pages(response.data)
    assert len(drawn) == 1  # the sample fits one page, with its text alternative
    assert "Familienhebammen und" in drawn[0]
    save_pages(response.data, "report")


def test_the_report_has_no_drawing_without_a_model(web_app: Flask) -> None:
    client = web_app.test_client()
    sign_in(client, VIEWER)
    cycle_id = impact_cycle(web_app)
    without_model(web_app, cycle_id)
    html = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report", base_url=BASE_URL)
    assert html.status_code == 200
    assert "report-drawing" not in html.get_data(as_text=True)


class LargeModel(SampleModel):
    """The generated model of 60 elements and 120 arrows in the report."""

    name = "logic-model-large"

    @hookimpl
    def report_sections(
        self, cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
    ) -> list[ReportSection]:
        if "impact-orientation" not in cycle["themes"] or not model_of(cycle).is_empty:
            return []
        found = logic_model_section(
            {**cycle, "records": {"impact-orientation": generated_records()}}
        )
        return [found] if found is not None else []


def test_a_model_of_60_elements_prints_page_wide_in_bands(
    demo_database: Path, tmp_path: Path
) -> None:
    database = tmp_path / "qualizyklus.db"
    copy_sqlite(demo_database, database)
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
            "QUALIZYKLUS_PDF_CACHE": tmp_path / "pdf-cache",
            "QUALIZYKLUS_EXTRA_PLUGINS": [LargeModel()],
        }
    )
    try:
        client = app.test_client()
        sign_in(client, VIEWER)
        cycle_id = impact_cycle(app)
        without_model(app, cycle_id)  # the plugin above draws the large model instead
        response = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL)
    finally:
        app.extensions["qualizyklus"].close()
    assert response.status_code == 200
    bands = drawing_pages(response.data)
    assert len(bands) >= 4  # three times as tall as wide: a page per band, not shrunk to one
    assert all("Stufe" in band for band in bands)  # each band shows boxes
    save_pages(response.data, "report-60-120")


@pytest.mark.parametrize("name", ["sample", "generated-60-120"])
def test_the_drawing_prints_on_a4_landscape(name: str) -> None:
    from weasyprint import HTML  # type: ignore[import-untyped]

    records = sample_records() if name == "sample" else generated_records()
    svg = report_drawing(cycle_of(records), "de")
    page = (
        "<html><head><style>@page { size: A4 landscape; margin: 10mm; } "
        "svg { width: 100%; height: auto; }</style></head><body>" + svg + "</body></html>"
    )
    pdf = HTML(string=page).write_pdf()
    assert pdf is not None
    reader = PdfReader(io.BytesIO(pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert width > height  # landscape
    assert "Rahmenbedingungen" in reader.pages[0].extract_text()
    save_pages(pdf, f"drawing-{name}")
