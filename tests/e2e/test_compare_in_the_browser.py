"""Comparing in a real Chromium: a coordinator opens the history, picks two entries, compares
them, and reads the result without internal keys, ids or whole checksums, on a wide screen and
on a phone (the page no wider than the screen); the phase pages show their reflection questions.
Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import COORDINATOR, assert_accessible, sign_in

pytestmark = pytest.mark.shared_server  # read only: one server for the module

RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"
LEAKS = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[0-9a-f]{12}\b|\b[0-9a-f]{64}\b|\w\[\d+\]")


def cycle_nav(page: Page, label: str) -> None:
    """Follow one of the cycle's page links (Verlauf, Planung, …)."""
    page.get_by_role("navigation", name="Seiten des Zyklus").get_by_role(
        "link", name=label, exact=True
    ).click()


def shown_text(page: Page) -> str:
    """What the main part of the page shows (closed <details> hold their text back)."""
    return page.locator("main").inner_text()


def wider_than_the_screen(page: Page) -> bool:
    return bool(
        page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_picking_two_entries_in_the_history_compares_them_in_words(
    page: Page, screenshot: Callable[[str], Path], width: int
) -> None:
    sign_in(page, COORDINATOR)
    page.set_viewport_size({"width": width, "height": 900})
    page.get_by_role("link", name=RUNNING).click()
    cycle_nav(page, "Verlauf")
    rows = page.locator("table.history tbody tr")
    newest = int(rows.first.locator("th").inner_text().split()[0])
    older = newest - 6
    assert LEAKS.findall(shown_text(page)) == []
    assert not wider_than_the_screen(page)
    screenshot("history")

    page.get_by_role("radio", name=f"von Version {older}").check()
    page.get_by_role("radio", name=f"bis Version {newest}").check()
    page.get_by_role("button", name="Gewählte Einträge vergleichen").click()

    expect(page.get_by_role("heading", level=2)).to_have_text("Versionen vergleichen")
    expect(page.get_by_label("Vom Eintrag")).to_have_value(str(older))
    expect(page.get_by_label("Bis zum Eintrag")).to_have_value(str(newest))
    table = page.get_by_role(
        "table", name=f"Unterschiede zwischen Version {older} und Version {newest}"
    )
    expect(table).to_be_visible()
    expect(table.locator(".path").first).to_contain_text("›")
    text = shown_text(page)
    assert LEAKS.findall(text) == [], LEAKS.findall(text)
    assert "Messwerte ›" in text and "Messwert" in text
    assert not wider_than_the_screen(page)
    assert_accessible(page)
    screenshot("diff")

    # The other way: the stand after one chosen entry
    cycle_nav(page, "Stand am")
    page.get_by_label("oder nach einem Eintrag aus dem Verlauf").select_option(str(older))
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator(".as-of-banner").get_by_role("heading")).to_contain_text(
        f"Stand nach Version {older}"
    )
    text = shown_text(page)
    assert LEAKS.findall(text) == [], LEAKS.findall(text)
    assert "Beteiligungsstufe" in text
    assert not wider_than_the_screen(page)
    screenshot("as-of")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_plan_page_shows_the_reflection_questions_of_planning_by_theme(
    page: Page, screenshot: Callable[[str], Path], width: int
) -> None:
    sign_in(page, COORDINATOR)
    page.set_viewport_size({"width": width, "height": 900})
    page.get_by_role("link", name=RUNNING).click()
    cycle_nav(page, "Planung")
    section = page.get_by_role("region", name="Reflexionsfragen für diese Phase")
    themes = section.locator("details.reflection-theme")

    expect(themes).to_have_count(3)
    first = themes.first
    expect(first.locator("li").first).to_be_hidden()
    first.locator("summary").click()
    expect(first.locator("li").first).to_be_visible()
    expect(first.locator("li").first).to_contain_text("?")
    assert not wider_than_the_screen(page)
    section.scroll_into_view_if_needed()
    screenshot("reflection")
