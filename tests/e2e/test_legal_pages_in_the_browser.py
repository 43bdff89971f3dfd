"""The footer's pages in a real Chromium, at a desktop width and on a phone: a visitor who is not
signed in and a signed-in coordinator follow the footer's links to the Impressum, the
Datenschutzerklärung, the Erklärung zur Barrierefreiheit and the Leichte Sprache page; each is
axe clean and fits the window. Screenshots: test-artifacts/screenshots/legal-<page>-<width>.png.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.e2e.conftest import (
    COORDINATOR,
    SCREENSHOTS,
    LiveServer,
    assert_accessible,
    sign_in,
)

WIDTHS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
PAGES = (
    ("Impressum", "impressum", "Impressum"),
    ("Datenschutz", "datenschutz", "Datenschutzerklärung"),
    ("Barrierefreiheit", "barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ("Leichte Sprache", "leichte-sprache", "Qualizyklus in Leichter Sprache"),
)

pytestmark = pytest.mark.shared_server  # read only: one server for the module


def follow_the_footer(page: Page, label: str) -> None:
    """Visit every footer page from the footer, as a person does: axe clean, no sideways scroll."""
    for link, slug, heading in PAGES:
        footer = page.get_by_role("contentinfo")
        footer.get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(footer.get_by_role("link", name=link, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        width = page.evaluate("() => window.innerWidth")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, slug
        assert_accessible(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"legal-{label}-{slug}-{width}.png", full_page=True)


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_a_visitor_follows_the_footer_to_every_legal_page(
    browser: Browser, live_server: LiveServer, size: str
) -> None:
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        viewport=WIDTHS[size],
    )
    try:
        page = context.new_page()
        page.goto("/login")
        follow_the_footer(page, "visitor")
        page.get_by_role("contentinfo").get_by_role("link", name="Hilfe").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Handbuch")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTHS[size]["width"]
        assert_accessible(page)
        width = WIDTHS[size]["width"]
        page.screenshot(path=SCREENSHOTS / f"legal-visitor-hilfe-{width}.png")
    finally:
        context.close()


@pytest.mark.parametrize("size", sorted(WIDTHS))
def test_a_signed_in_coordinator_finds_the_same_footer(
    browser: Browser, live_server: LiveServer, size: str
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    try:
        page = context.new_page()
        page.set_viewport_size(WIDTHS["desktop"])  # on a phone "Abmelden" is in the menu
        sign_in(page, COORDINATOR)
        page.set_viewport_size(WIDTHS[size])
        follow_the_footer(page, "coordinator")
        still_signed_in = page.get_by_role("button", name="Abmelden", include_hidden=True)
        expect(still_signed_in).to_be_attached()  # on a phone inside the closed menu
    finally:
        context.close()


def test_the_browser_shows_the_favicon(page: Page) -> None:
    page.goto("/login")
    icons = page.locator('link[rel="icon"]')
    expect(icons).to_have_count(2)
    for href in icons.evaluate_all("(links) => links.map((link) => link.href)"):
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith("image/"), href
