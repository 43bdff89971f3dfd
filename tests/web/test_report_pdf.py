"""The report's PDF is the page printed by WeasyPrint: a tagged document with its language and
title, A4 pages, and no text outside the page box. Its pages are saved as images among the test
artifacts (test-artifacts/report-pdf/) to be looked at."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from tests.web.conftest import BASE_URL, VIEWER, cycle_ids, sign_in
from web.reports.pdf import StaticFetcher, render_pdf

SLUG = "lk-musterland"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report-pdf"
A4 = (595.28, 841.89)
"""A4 in points (portrait; a landscape page has the same sides turned)."""
TOLERANCE = 1.0


def pdf_bytes(client: FlaskClient, cycle_id: str, **headers: str) -> bytes:
    response = client.get(
        f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL, headers=headers
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return response.data


@pytest.fixture
def running(client: FlaskClient) -> str:
    """The demo's running cycle (its largest report), signed in as the organisation's viewer."""
    sign_in(client, VIEWER)
    return cycle_ids(client, SLUG)[0]


def catalogue_of(reader: PdfReader) -> Any:
    return reader.trailer["/Root"].get_object()


def assert_tagged(reader: PdfReader, language: str) -> str:
    """The PDF is tagged (PDF/UA: marked, a structure tree) in ``language``; its title, shown."""
    catalogue = catalogue_of(reader)
    assert catalogue["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in catalogue
    assert str(catalogue["/Lang"]) == language
    assert catalogue["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert reader.metadata is not None and reader.metadata.title
    return str(reader.metadata.title)


def test_the_pdf_is_tagged_with_its_language_and_title(client: FlaskClient, running: str) -> None:
    for language in ("de", "en"):
        reader = PdfReader(io.BytesIO(pdf_bytes(client, running, **{"Accept-Language": language})))

        assert assert_tagged(reader, language)


Matrix = tuple[float, float, float, float, float, float]


def apply(matrix: Any, x: float, y: float) -> tuple[float, float]:
    """A point in user space mapped by a PDF matrix (a b c d e f)."""
    a, b, c, d, e, f = (float(value) for value in matrix)
    return a * x + c * y + e, b * x + d * y + f


def compose(inner: Any, outer: Any) -> Matrix:
    """The matrix that applies ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = (float(value) for value in inner)
    (x0, y0), (xa, ya), (xc, yc) = (
        apply(outer, *p) for p in ((e, f), (a + e, b + f), (c + e, d + f))
    )
    return (xa - x0, ya - y0, xc - x0, yc - y0, x0, y0)


SHOWING = (b"Tj", b"TJ", b"'", b'"')
"""The operators that show text."""


def misplaced(page: Any, number: int) -> list[tuple[int, str, float, float]]:
    """Text shown outside the page box, and form XObjects reaching out of it.

    Each text-showing operator is placed where pypdf's visitor sees it: its text matrix mapped by
    the current transformation (WeasyPrint draws the SVG charts' text in the page's own content,
    a glyph run at a time). A form XObject draws nothing outside its /BBox, so for those the box
    itself is checked against the page.
    """
    box = page.mediabox
    left, bottom, right, top = (float(v) for v in (box.left, box.bottom, box.right, box.top))
    found: list[tuple[int, str, float, float]] = []
    depth = [0]

    def inside(x: float, y: float) -> bool:
        return (
            left - TOLERANCE <= x <= right + TOLERANCE
            and bottom - TOLERANCE <= y <= top + TOLERANCE
        )

    def form(name: Any, cm: Any) -> None:
        drawing = page["/Resources"]["/XObject"][name].get_object()
        if drawing.get("/Subtype") != "/Form":
            return
        placed = compose(drawing.get("/Matrix", (1, 0, 0, 1, 0, 0)), cm)
        x0, y0, x1, y1 = (float(v) for v in drawing["/BBox"])
        for corner in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
            if not inside(*apply(placed, *corner)):
                found.append((number, f"drawing {name}", *apply(placed, *corner)))

    def before(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        if operator == b"Do":
            depth[0] += 1
            if depth[0] == 1:
                form(operands[0], cm)
        elif operator in SHOWING and not depth[0]:
            x, y = apply(cm, float(tm[4]), float(tm[5]))
            if not inside(x, y):
                found.append((number, repr(operands)[:60], x, y))

    def after(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        if operator == b"Do":
            depth[0] -= 1

    page.extract_text(visitor_operand_before=before, visitor_operand_after=after)
    return found


def text_outside_a4(reader: PdfReader) -> list[tuple[int, str, float, float]]:
    """Text outside the page box, on pages that must all be A4 (portrait or landscape)."""
    outside = []
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert sorted((float(box.width), float(box.height))) == pytest.approx(A4, abs=TOLERANCE)
        outside += misplaced(page, number)
    return outside


def test_every_page_is_a4_and_no_text_lies_outside_it(client: FlaskClient, running: str) -> None:
    for language in ("de", "en"):
        reader = PdfReader(io.BytesIO(pdf_bytes(client, running, **{"Accept-Language": language})))

        assert text_outside_a4(reader) == []
        assert len(reader.pages) > 2


def test_the_pages_are_saved_as_images(client: FlaskClient, running: str) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        message = "pdftoppm (poppler-utils, `make setup`) is not installed"
        if os.environ.get("CI"):  # as for PostgreSQL and Chromium: CI must not skip
            pytest.fail(f"CI needs {message}")
        pytest.skip(message)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob("report-*"):
        old.unlink()
    for language in ("de", "en"):
        pdf = ARTIFACTS / f"report-{language}.pdf"
        pdf.write_bytes(pdf_bytes(client, running, **{"Accept-Language": language}))
        subprocess.run(
            [pdftoppm, "-png", "-r", "60", str(pdf), str(ARTIFACTS / f"report-{language}")],
            check=True,
            timeout=120,
        )
    pages = len(PdfReader(ARTIFACTS / "report-de.pdf").pages)
    assert len(list(ARTIFACTS.glob("report-de-*.png"))) == pages


def test_the_summary_comes_first(client: FlaskClient, running: str) -> None:
    reader = PdfReader(io.BytesIO(pdf_bytes(client, running)))
    first = re.sub(r"\s+", " ", reader.pages[0].extract_text())

    assert "Auf einen Blick" in first
    assert "Mehr Familien mit Neugeborenen erreichen" in first
    assert "Wie geht es weiter?" in first and "Fällig: 31.10.2025" in first


def test_no_page_is_wasted(client: FlaskClient, running: str) -> None:
    for language, contents, themes, goals, measures in (
        ("de", "Inhalt", "Berichte der Themen", "Ziele", "Maßnahmen"),
        ("en", "Contents", "The themes’ reports", "Goals", "Measures"),
    ):
        reader = PdfReader(io.BytesIO(pdf_bytes(client, running, **{"Accept-Language": language})))
        pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]

        # the contents share page 2 with the first chapter, and list each chapter's page
        assert pages[1].startswith(contents)
        assert pages[1].count(themes) == 2  # in the contents and as the chapter's heading
        assert re.search(rf"{re.escape(themes)} ?(\. )+2\b", pages[1])
        # the two landscape chapters share their page
        assert any(
            re.search(rf"\b{goals}\b", page) and re.search(rf"\b{measures}\b", page)
            for page, box in zip(pages, reader.pages, strict=True)
            if float(box.mediabox.width) > float(box.mediabox.height)
        )


def test_no_table_is_printed_empty(client: FlaskClient, running: str) -> None:
    for cycle_id in cycle_ids(client, SLUG)[:2]:
        page = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report", base_url=BASE_URL)
        markup = page.get_data(as_text=True)

        assert "<table" in markup
        assert "Noch keine Einträge." in markup  # a theme's table without rows
        assert re.search(r"<tbody>\s*</tbody>", markup) is None


def test_the_page_links_the_pdf_without_javascript(client: FlaskClient, running: str) -> None:
    page = client.get(f"/o/{SLUG}/cycles/{running}/report", base_url=BASE_URL)
    markup = page.get_data(as_text=True)

    assert f'href="/o/{SLUG}/cycles/{running}/report.pdf"' in markup
    assert "data-print hidden" in markup  # the print-this-page button needs JavaScript


def long_table(rows: int) -> str:
    body = "".join(f"<tr><th scope='row'>Zeile {n}</th><td>{n}</td></tr>" for n in range(rows))
    return (
        '<!doctype html><html lang="de"><head><title>Lang</title>'
        '<link rel="stylesheet" href="/static/print.css">'
        '<link rel="stylesheet" href="/static/report-print.css"></head><body>'
        '<img src="file:///etc/hostname" alt="">'
        '<img src="http://example.invalid/x.png" alt="">'
        "<table class='report-table'><thead><tr><th scope='col'>Kopfzeile</th>"
        f"<th scope='col'>Wert</th></tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def test_a_long_table_repeats_its_header_on_every_page(web_app: Flask) -> None:
    static = (Path(str(web_app.static_folder)), str(web_app.static_url_path))
    pdf = render_pdf(long_table(150), base_url=BASE_URL, static=static, title="Lang", author="")
    reader = PdfReader(io.BytesIO(pdf))

    assert len(reader.pages) > 2
    for page in reader.pages:
        assert "Kopfzeile" in page.extract_text()
    assert reader.metadata is not None and reader.metadata.title == "Lang"


def test_weasyprint_reads_static_files_only(web_app: Flask) -> None:
    fetcher = StaticFetcher(Path(str(web_app.static_folder)), str(web_app.static_url_path))

    assert b"@page" in fetcher.fetch(f"{BASE_URL}/static/report-print.css").read()
    for refused in (
        "file:///etc/hostname",
        f"{BASE_URL}/static/../app.py",
        f"{BASE_URL}/static/%2e%2e/app.py",
        f"{BASE_URL}/o/{SLUG}/",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
