"""The state view's files in a real Chromium: the state coordinator finds the PDF and the CSV
beside the figures, at desktop width and on a phone, and both downloads hold what the page
shows and no organisation that does not share."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.conftest import LiveServer, sign_in
from tests.e2e.test_state_view_in_the_browser import (
    LAKO_EMAIL,
    LAKO_PASSWORD,
    NOT_SHARING,
    SHARING,
    land_server,
)

__all__ = ["land_server"]  # the fixture, used by name


def test_the_state_coordinator_takes_the_figures_away(
    page: Page, land_server: LiveServer, screenshot: Callable[[str], Path]
) -> None:
    sign_in(page, LAKO_EMAIL, LAKO_PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/land")
    pdf_link = page.get_by_role("link", name="Als PDF (zum Drucken)")
    csv_link = page.get_by_role("link", name="Kennzahlen als CSV")
    expect(pdf_link).to_be_visible()
    expect(csv_link).to_be_visible()
    screenshot("1280")
    page.set_viewport_size({"width": 390, "height": 844})
    expect(csv_link).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("390")

    pdf = page.request.get(str(pdf_link.get_attribute("href")))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    figures = page.request.get(str(csv_link.get_attribute("href")))
    table = figures.body().decode("utf-8-sig")

    assert pdf.headers["content-type"] == "application/pdf"
    assert "Niedersachsen" in text and SHARING in text
    assert figures.headers["content-type"] == "text/csv; charset=utf-8"
    assert table.startswith("Bereich;Jahr;") and SHARING in table
    for name in NOT_SHARING:
        assert name not in text and name not in table
