"""Reflow (WCAG 1.4.10) in a real Chromium: every main page fits a 320 px wide window and a
1280 px window zoomed to 400 %, without scrolling sideways; tables scroll inside their own named,
focusable region; the header's navigation collapses into a "Menü" that works with the keyboard
and without JavaScript; the phases take little room. Screenshots at 390 px (a phone) and 1280 px
go to test-artifacts/screenshots/reflow-<role>-<page>-<width>.png.

400 % zoom is emulated as the browser does it: zooming a 1280 x 1024 window to 400 % leaves a
layout viewport of 320 x 256 CSS pixels drawn at 4 device pixels per CSS pixel, so the zoomed
context has viewport 320 x 256 and device_scale_factor 4 (media queries and layout see exactly
what they see under Ctrl-+ zoom). One signed-in context per role and zoom; each page is loaded
once per context and measured at every width by resizing the viewport.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import COORDINATOR, SCREENSHOTS, SLUG, LiveServer, sign_in

pytestmark = pytest.mark.shared_server  # read only: one server for the module

ADMIN = "admin@qualizyklus.example"
RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"
NARROW = {"width": 320, "height": 800}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ZOOMED = {"width": 320, "height": 256}
SCREENSHOT_HEIGHT = 4000  # the top of very long pages is enough to see the layout
CYCLE_PAGES = ("", "analyse", "plan", "implement", "review", "comments", "history", "as-of")

_OVERFLOW = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  duplicateIds: [...document.querySelectorAll('.table-scroll[aria-labelledby]')]
    .map((region) => region.getAttribute('aria-labelledby'))
    .filter((id) => document.querySelectorAll(`[id="${id}"]`).length !== 1),
  innerWidth: window.innerWidth,
  regions: [...document.querySelectorAll('table')].map((table) => {
    const region = table.closest('.table-scroll');
    const ids = (region && region.getAttribute('aria-labelledby') || '').split(' ');
    return region ? {
      role: region.getAttribute('role'), tabindex: region.getAttribute('tabindex'),
      name: ids.map((id) => (document.getElementById(id) || {}).textContent || '').join(' ').trim(),
    } : null;
  }),
})"""


@contextmanager
def opened(browser: Browser, server: LiveServer, **options: object) -> Iterator[BrowserContext]:
    """A German browser context on the live server, closed at the end of the block."""
    context = browser.new_context(
        base_url=server.url, locale="de-DE", timezone_id="Europe/Berlin", **options
    )
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


def fits(page: Page, where: str) -> None:
    """The document is no wider than the window; every table sits in a named, focusable region."""
    found = page.evaluate(_OVERFLOW)
    viewport = page.viewport_size or {}
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{where} at {viewport.get('width')} px scrolls sideways: "
        f"{found['scrollWidth']} > {found['innerWidth']}"
    )
    assert not found["duplicateIds"], f"{where}: region names by ambiguous ids"
    for region in found["regions"]:
        assert region is not None, f"{where}: a table without its scroll region"
        assert region["role"] == "region" and region["tabindex"] == "0", (where, region)
        assert region["name"], f"{where}: a table region without a name"


def screenshot(page: Page, role: str, name: str, width: int) -> None:
    """The top of the page (at most SCREENSHOT_HEIGHT px) as it is now."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = min(page.evaluate("document.documentElement.scrollHeight"), SCREENSHOT_HEIGHT)
    page.screenshot(
        path=SCREENSHOTS / f"reflow-{role}-{name}-{width}.png",
        full_page=True,
        clip={"x": 0, "y": 0, "width": width, "height": height},
    )


def check_pages(
    browser: Browser, server: LiveServer, page: Page, role: str, paths: dict[str, str]
) -> None:
    """Each page at 320 px, 390 px and 1280 px in ``page``'s context, then at 400 % zoom."""
    for name, path in paths.items():
        page.set_viewport_size(NARROW)
        page.goto(path)
        fits(page, name)
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            fits(page, name)
            screenshot(page, role, name, size["width"])
    state = page.context.storage_state()
    with opened(
        browser, server, viewport=ZOOMED, device_scale_factor=4, storage_state=state
    ) as zoomed:
        tab = zoomed.new_page()
        for name, path in paths.items():
            tab.goto(path)
            assert tab.evaluate("window.devicePixelRatio") == 4
            fits(tab, f"{name} (400 %)")


def cycle_paths(page: Page) -> dict[str, str]:
    """The running cycle's pages, found by following its link as a person does."""
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=RUNNING).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RUNNING)
    overview = re.sub(r"^https?://[^/]+", "", page.url)
    paths = {f"cycle-{name or 'overview'}": overview + name for name in CYCLE_PAGES}
    paths["cycle-report"] = overview + "report"
    return paths


def the_menu_opens_with_the_keyboard(page: Page) -> None:
    """At 320 px the account navigation hides behind "Menü"; Enter opens it; focus is visible."""
    page.set_viewport_size(NARROW)
    page.goto(f"/o/{SLUG}/")
    menu = page.locator("summary", has_text="Menü")
    sign_out = page.get_by_role("button", name="Abmelden", exact=True)
    expect(sign_out).to_be_hidden()
    menu.focus()
    outline = menu.evaluate("(el) => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), "the focused menu button shows no outline"
    page.keyboard.press("Enter")
    expect(sign_out).to_be_visible()
    account = page.get_by_role("navigation", name="Konto und Sprache")
    expect(account.get_by_role("link", name="Übersicht über die Jahre")).to_be_visible()
    screenshot(page, "coordinator", "menu-open", NARROW["width"])
    page.set_viewport_size(DESKTOP)
    expect(menu).to_be_hidden()
    expect(sign_out).to_be_visible()


def test_a_coordinators_pages_reflow_at_320_px_and_400_percent_zoom(
    page: Page, live_server: LiveServer, browser: Browser
) -> None:
    sign_in(page, COORDINATOR)
    the_menu_opens_with_the_keyboard(page)

    paths = {
        "organisation": f"/o/{SLUG}/",
        **cycle_paths(page),
        "dashboard": f"/o/{SLUG}/dashboard",
        "members": f"/o/{SLUG}/members",
        "reminders": "/reminders",
        "start-cycle": f"/o/{SLUG}/cycles/new",
    }
    check_pages(browser, live_server, page, "coordinator", paths)

    page.set_viewport_size(NARROW)
    page.goto(paths["cycle-implement"])
    stepper = page.get_by_role("list", name="Phasen des Zyklus").bounding_box()
    assert stepper is not None and stepper["height"] <= 160, stepper


def test_an_administrators_pages_reflow_at_320_px_and_400_percent_zoom(
    page: Page, live_server: LiveServer, browser: Browser
) -> None:
    check_pages(browser, live_server, page, "anonymous", {"sign-in": "/login"})
    page.set_viewport_size(DESKTOP)
    sign_in(page, ADMIN)
    paths = {
        "administration": "/admin/",
        "choose-land": "/land",
        "state-view": "/land/NI",
        "themes": "/themes",
    }
    check_pages(browser, live_server, page, "administrator", paths)
