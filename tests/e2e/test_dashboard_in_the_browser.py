"""The dashboard in a real Chromium: charts with accessible names, no axe violations, and the
table view of a chart opened with the keyboard alone; the parents' survey figures over four
years at 1280 and 390 px (screenshots test-artifacts/screenshots/dashboard-surveys-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from engine.application.bootstrap import open_engine
from engine.infrastructure.settings import Settings
from tests.conftest import copy_sqlite
from tests.e2e.conftest import SCREENSHOTS, SLUG, VIEWER, LiveServer, axe, serving, sign_in
from tests.web.survey_years import EMAIL, PASSWORD, build
from tests.web.survey_years import SLUG as SURVEY_SLUG

pytestmark = pytest.mark.shared_server  # read only: one server for the module


def test_a_viewer_reads_the_dashboard_charts_and_opens_a_table_with_the_keyboard(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, VIEWER)
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name="Übersicht über die Jahre").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht über die Jahre")

    charts = page.get_by_role("img")
    assert charts.count() >= 3
    for index in range(charts.count()):
        name = charts.nth(index).evaluate(
            "(svg) => svg.getAttribute('aria-labelledby').split(' ')"
            ".map((id) => document.getElementById(id).textContent).join(' ')"
        )
        assert len(name.strip()) > 20, f"chart {index} has no meaningful name"
    expect(
        page.get_by_role("img", name="Kennzahl: Mehr Familien mit Neugeborenen erreichen")
    ).to_be_visible()

    violations = axe(page)
    assert violations == [], [(v["id"], v["impact"], v["targets"]) for v in violations]

    details = page.locator("details").filter(has_text="Tabelle anzeigen").first
    summary = details.locator("summary")
    table = details.locator("table")
    expect(table).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Wert")).to_be_visible()


def test_the_parents_survey_figures_read_well_over_the_years_at_1280_and_390_px(
    browser: Browser, demo_database: Path, tmp_path: Path
) -> None:
    database = tmp_path / "qualizyklus.db"
    copy_sqlite(demo_database, database)
    engine = open_engine(Settings(database=f"sqlite:///{database}"))
    try:
        build(engine)
    finally:
        engine.close()
    with serving(database, tmp_path) as server:
        context = browser.new_context(
            base_url=server.url, viewport={"width": 1280, "height": 900}, locale="de-DE"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, EMAIL, PASSWORD)
        page.goto(f"/o/{SURVEY_SLUG}/dashboard")
        chart = page.get_by_role("img", name="Elternbefragungen: Anteile über die Jahre")
        expect(chart).to_be_visible()
        expect(chart.locator("text.chart-missing").first).to_have_text("nicht erhoben")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        chart.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / "dashboard-surveys-1280.png", full_page=True)
        assert axe(page) == []
        page.set_viewport_size({"width": 390, "height": 844})
        chart.scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOTS / "dashboard-surveys-390.png", full_page=True)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        box = chart.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        context.close()
