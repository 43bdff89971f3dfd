"""The dashboard in a real Chromium: charts with accessible names, no axe violations, and the
table view of a chart opened with the keyboard alone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SLUG, VIEWER, LiveServer, axe, sign_in

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
