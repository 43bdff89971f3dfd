"""The audit pages and the members page in a real Chromium: a change made in the browser shows in
the history with the person's name, a German label and an intact seal chain, in the difference
between two versions and in the cycle as it stood before. (Adding a member by invitation:
test_invitations_in_the_browser.py.) On a phone (390 px) the members and a goal's recorded
values read as cards, nothing scrolls sideways (screenshots *-members-390.png, *-values-390.png)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import COORDINATOR, SLUG, assert_accessible, sign_in

RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"
COORDINATOR_NAME = "Anna Becker"
REASON = "Die Ziele werden nach dem Beschluss des Jugendhilfeausschusses angepasst."
PLAN = "Zielbestimmung und Maßnahmenplanung"
PHONE = {"width": 390, "height": 844}
WIDTH = "(element) => element.getBoundingClientRect().width"
SIDEWAYS = """(table) => { const region = table.closest('.table-scroll');
  return region.scrollWidth - region.clientWidth; }"""


def current_phase(page: Page) -> Locator:
    """The phase the stepper marks as the current step."""
    return page.get_by_role("list", name="Phasen des Zyklus").locator("[aria-current=step]")


def cycle_nav(page: Page, label: str) -> None:
    """Follow one of the cycle's page links (Überblick, Verlauf, Stand am, …)."""
    page.get_by_role("navigation", name="Seiten des Zyklus").get_by_role(
        "link", name=label, exact=True
    ).click()


def event_count(page: Page) -> int:
    """The number of events the history page reports (unfiltered)."""
    count = page.locator("p.event-count")
    expect(count).to_have_text(re.compile(r"^\s*\d+ Ereignisse\."))
    return int(count.inner_text().split()[0])


def test_a_phase_change_in_the_browser_shows_in_history_diff_and_as_of(page: Page) -> None:
    sign_in(page, COORDINATOR)
    page.get_by_role("link", name=RUNNING).click()
    overview = page.url
    cycle_nav(page, "Verlauf")
    before = event_count(page)

    # The change: back to planning, with a reason
    page.goto(overview)
    page.get_by_text("Zu einer früheren Phase zurückkehren").click()
    page.get_by_label("Zurück zur Phase").select_option(label=PLAN)
    page.get_by_label("Begründung").fill(REASON)
    page.get_by_role("button", name="Phase wieder öffnen").click()
    expect(current_phase(page)).to_have_text(PLAN)
    latest = before + 1

    # History: newest first, with name, German label, reason and the change itself
    cycle_nav(page, "Verlauf")
    expect(page.get_by_role("heading", level=2, name="Verlauf")).to_be_visible()
    assert event_count(page) == latest
    chains = page.get_by_role("region", name="Prüfkette").locator("li.chain")
    expect(chains).to_have_count(2)
    expect(chains.first).to_contain_text(f"Zyklus: Prüfkette intakt ({latest} Ereignisse).")
    expect(chains.last).to_contain_text(
        re.compile(r"Organisation:\s+Prüfkette intakt \(\d+ Ereignisse\)")
    )
    expect(page.get_by_text("Prüfkette gebrochen")).to_have_count(0)
    newest = page.locator("table.history tbody tr").first
    expect(newest.get_by_role("rowheader")).to_have_text(str(latest))
    cells = newest.get_by_role("cell")  # compare, when, who, what, why, changes
    expect(cells.nth(2)).to_have_text(COORDINATOR_NAME)
    expect(cells.nth(3)).to_contain_text("Frühere Phase wieder geöffnet")
    expect(cells.nth(4)).to_have_text(REASON)
    phase = (
        cells.nth(5)
        .locator("ul.changes > li")
        .filter(has=page.locator(".path").get_by_text("Phase", exact=True))
    )
    expect(phase.locator(".before")).to_contain_text("Umsetzung")
    expect(phase.locator(".after")).to_contain_text(PLAN)
    assert_accessible(page)

    # Filtering by person and kind finds exactly this event
    filters = page.get_by_role("search", name="Verlauf filtern")
    filters.get_by_label("Art des Ereignisses").select_option(label="Frühere Phase wieder geöffnet")
    filters.get_by_label("Person").select_option(label=COORDINATOR_NAME)
    filters.get_by_role("button", name="Filtern").click()
    expect(page.locator("p.event-count")).to_have_text(
        re.compile(rf"^\s*1 von {latest} Ereignissen passen zum Filter\.")
    )
    expect(page.locator("table.history tbody tr")).to_have_count(1)

    # Diff: from the row's link to the change between the two versions
    page.locator("table.history tbody tr").first.get_by_role(
        "link", name=f"Vergleich mit Version {before}"
    ).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Versionen vergleichen")
    expect(page.get_by_label("Vom Eintrag")).to_have_value(str(before))
    expect(page.get_by_label("Bis zum Eintrag")).to_have_value(str(latest))
    expect(page.locator("dl.versions dd").last).to_contain_text(
        f"Frühere Phase wieder geöffnet – {COORDINATOR_NAME}"
    )
    table = page.get_by_role("table", name=f"Unterschiede zwischen Version {before} und Version")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Feld", f"In Version {before}", f"In Version {latest}"]
    )
    row = table.get_by_role("row").filter(
        has=page.locator(".path").get_by_text("Phase", exact=True)
    )
    expect(row.get_by_role("cell")).to_have_text(["Umsetzung", PLAN])
    assert_accessible(page)

    # As of an earlier version: the earlier phase, while the header shows today's
    cycle_nav(page, "Stand am")
    page.get_by_label("oder nach einem Eintrag aus dem Verlauf").select_option(str(before))
    page.get_by_role("button", name="Anzeigen").click()
    banner = page.locator(".as-of-banner")
    expect(banner.get_by_role("heading")).to_have_text(f"Stand nach Version {before} von {latest}")
    facts = page.locator("section.as-of > dl.facts").first
    expect(facts.locator("dt:text-is('Phase') + dd")).to_have_text("Umsetzung")
    expect(current_phase(page)).to_have_text(PLAN)
    expect(banner.get_by_role("link", name="Was hat sich seitdem geändert?")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("oder nach einem Eintrag aus dem Verlauf").select_option("1")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator(".as-of-banner").get_by_role("heading")).to_have_text(
        f"Stand nach Version 1 von {latest}"
    )
    expect(
        page.locator("section.as-of > dl.facts").first.locator("dt:text-is('Phase') + dd")
    ).to_have_text("Bestands- und Bedarfsanalyse")


def test_members_and_recorded_values_read_as_cards_on_a_phone_without_scrolling_sideways(
    page: Page, screenshot: Callable[[str], Path]
) -> None:
    sign_in(page, COORDINATOR)
    page.set_viewport_size(PHONE)
    page.goto(f"/o/{SLUG}/members")
    members = page.locator("table.members")
    expect(members.locator("tbody tr")).to_have_count(4)
    assert members.locator("thead").evaluate(WIDTH) <= 1  # the headings sit in each card
    assert members.evaluate(SIDEWAYS) == 0
    change = members.get_by_role("button", name="Rolle ändern").first
    assert_within_phone(change)
    screenshot("members-390")

    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=RUNNING).first.click()
    cycle_nav(page, "Umsetzung")
    values = page.locator("table.values").first
    correct = values.get_by_role("link", name=re.compile("^Korrigieren")).first
    expect(correct).to_be_visible()
    assert values.evaluate(SIDEWAYS) == 0
    assert_within_phone(correct)
    screenshot("values-390")
    assert_accessible(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/o/{SLUG}/members")
    assert page.locator("table.members thead").evaluate(WIDTH) > 600  # a table on a desktop
    screenshot("members-1280")


def assert_within_phone(element: Locator) -> None:
    """The element lies wholly inside the phone's 390 px."""
    box = element.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
