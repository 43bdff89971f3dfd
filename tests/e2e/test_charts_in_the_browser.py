"""The dashboard's charts at desktop (1280 px) and phone (390 px) width: every chart fits its
box, names its series in a legend where it has several, and is saved as a screenshot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SLUG, VIEWER, LiveServer, sign_in

pytestmark = pytest.mark.shared_server  # read only: one server for the module


@pytest.mark.parametrize("width", [1280, 390])
def test_the_dashboard_charts_fit_at_desktop_and_phone_width(
    page: Page, live_server: LiveServer, screenshot: Callable[[str], Path], width: int
) -> None:
    sign_in(page, VIEWER)  # at desktop width: on a phone the sign-out button sits in the menu
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"/o/{SLUG}/")
    if width < 960:  # the header's links are in the menu (a disclosure) on narrow screens
        page.get_by_text("Menü").click()
    page.get_by_role("link", name="Übersicht über die Jahre").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Übersicht über die Jahre")

    charts = page.locator("svg.chart")
    assert charts.count() >= 3
    for index in range(charts.count()):
        box = charts.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    outside = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart text')].filter((t) => {
             const svg = t.ownerSVGElement.getBoundingClientRect();
             const r = t.getBoundingClientRect();
             return r.left < svg.left - 1 || r.right > svg.right + 1;
           }).map((t) => t.textContent)"""
    )
    assert outside == []
    legends = page.locator("svg.chart g.chart-legend")
    assert legends.count() >= 1
    page_shot = screenshot(f"dashboard-{width}")
    for index in range(min(charts.count(), 5)):  # each chart up close, for a look
        charts.nth(index).screenshot(
            path=page_shot.with_name(f"{page_shot.stem}-chart-{index}.png")
        )
