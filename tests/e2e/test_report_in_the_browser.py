"""The report page in a browser: accessible, with a print button where JavaScript runs and a
link to the PDF that prints without it; printed by the browser, the site's header stays off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SLUG, VIEWER, assert_accessible, sign_in

pytestmark = pytest.mark.shared_server  # read only: one server for the module

RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"


def test_the_report_page_offers_print_and_pdf(page: Page) -> None:
    sign_in(page, VIEWER)
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=RUNNING).click()
    page.get_by_role("link", name="Qualitätsbericht").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Qualitätsbericht")
    expect(page.get_by_role("heading", name="Auf einen Blick")).to_be_visible()
    expect(page.get_by_role("button", name="Diese Seite drucken")).to_be_visible()
    pdf_link = page.get_by_role("link", name="Drucken (PDF)")
    expect(pdf_link).to_have_attribute("href", re.compile(r"/report\.pdf$"))
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".report-actions")).to_be_hidden()
