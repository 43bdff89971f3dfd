"""The logic model page in a real Chromium: a coordinator reaches it from the cycle's navigation,
draws two elements and an arrow and removes the arrow again (ticking its box in the one removal
form of the list) with the keyboard only; the page has no serious axe-core violations.
Screenshots at 1280 px and 390 px: test-artifacts/screenshots/…-model-<width>.png."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import COORDINATOR, SLUG, assert_accessible, sign_in

RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"


def add_element(page: Page, column: str, title: str) -> None:
    """Choose the column by typing its start, type the title, send the form with Enter."""
    page.get_by_label("Spalte", exact=True).focus()
    page.keyboard.type(column[:4])
    page.get_by_label("Titel", exact=True).focus()
    page.keyboard.type(title)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Das Element ist gespeichert.")).to_be_visible()


def test_a_coordinator_draws_two_elements_and_an_arrow_with_the_keyboard(
    page: Page, screenshot: Callable[[str], Path]
) -> None:
    sign_in(page, COORDINATOR)
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=RUNNING).first.click()
    page.get_by_role("navigation", name="Seiten des Zyklus").get_by_role(
        "link", name="Wirkmodell"
    ).click()
    expect(page.get_by_role("heading", name="Wirkmodell", level=1)).to_be_visible()

    add_element(page, "Aktivitätsbereiche", "Babylotsen")
    add_element(page, "Resultate", "Zugang für Familien")
    page.get_by_label("Von", exact=True).focus()
    page.keyboard.type("Baby")
    page.get_by_label("führt zu", exact=True).focus()
    page.keyboard.type("Zuga")
    page.get_by_label("Annahme (optional)").focus()
    page.keyboard.type("Familien vertrauen dem Dienst")
    page.get_by_role("button", name="Pfeil speichern").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Der Pfeil ist gespeichert.")).to_be_visible()
    expect(page.get_by_text("Babylotsen → Zugang für Familien")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot("model-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("model-390")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390

    page.get_by_role("checkbox", name="Entfernen: Babylotsen → Zugang für Familien").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Pfeile entfernen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Die gewählten Pfeile sind entfernt.")).to_be_visible()
    expect(
        page.get_by_role("checkbox", name="Entfernen: Babylotsen → Zugang für Familien")
    ).to_have_count(0)
    expect(page.get_by_role("checkbox", name="Entfernen: Babylotsen")).to_be_visible()
