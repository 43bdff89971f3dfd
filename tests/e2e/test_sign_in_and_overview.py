"""Signing in, finding a cycle, keyboard use, accessibility, roles and tenancy, in Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    COORDINATOR,
    OTHER_COORDINATOR,
    OTHER_SLUG,
    SLUG,
    VIEWER,
    LiveServer,
    assert_accessible,
    sign_in,
)

pytestmark = pytest.mark.shared_server  # read only: one server for the module

RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"
CLOSED = "Qualitätszyklus 2024 – Landkreis Musterland"
PHASES = [
    "Bestands- und Bedarfsanalyse",
    "Zielbestimmung und Maßnahmenplanung",
    "Umsetzung",
    "Evaluation und Weiterentwicklung",
    "Abgeschlossen",
]
PHASE_CHANGE = re.compile(r"Weiter zur Phase|Zyklus abschließen|Phase wieder öffnen")


def open_running_cycle(page: Page) -> None:
    """From the organisation page to the running cycle's overview."""
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=RUNNING).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RUNNING)


def tab_stops(page: Page, count: int) -> list[dict[str, str]]:
    """Press Tab ``count`` times; what has the focus after each press, and its outline."""
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(
            page.evaluate(
                """() => {
                  const el = document.activeElement;
                  const style = getComputedStyle(el);
                  return {tag: el.tagName.toLowerCase(), text: el.innerText || el.value || "",
                          outline: style.outlineStyle, width: style.outlineWidth};
                }"""
            )
        )
    return stops


def test_a_coordinator_finds_the_running_cycle_by_year_and_sees_why_it_cannot_advance(
    page: Page,
) -> None:
    sign_in(page, COORDINATOR)

    expect(page).to_have_url(re.compile(rf"/o/{SLUG}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    years = page.locator("main section h2")
    expect(years).to_have_text(["2025", "2024"])
    for year, title, phase in (("2025", RUNNING, "Umsetzung"), ("2024", CLOSED, "Abgeschlossen")):
        row = page.get_by_role("region", name=year).get_by_role("row").filter(has_text=title)
        expect(row.get_by_role("cell")).to_have_text([title, re.compile(year), phase])
    session = [c for c in page.context.cookies() if c["name"] == "qualizyklus_session"]
    assert session and session[0]["secure"], "the session cookie is Secure, even on 127.0.0.1"

    page.get_by_role("link", name=RUNNING).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(RUNNING)
    stepper = page.get_by_role("list", name="Phasen des Zyklus")
    expect(stepper.get_by_role("listitem")).to_have_text(PHASES)
    expect(stepper.locator("[aria-current=step]")).to_have_text("Umsetzung")
    expect(page.get_by_text("Dafür fehlt noch:")).to_be_visible()
    reasons = page.locator("ul.reasons > li")
    expect(reasons).to_have_count(4)
    for reason in reasons.all_inner_texts():
        assert re.fullmatch(
            r"Die Maßnahme „.+“ ist noch „(geplant|läuft|blockiert)“ "
            r"\(nötig: erledigt, verworfen oder übertragen\)\.",
            reason,
        ), reason
    expect(
        page.get_by_role("button", name="Weiter zur Phase „Evaluation und Weiterentwicklung“")
    ).to_be_visible()


@pytest.mark.parametrize("signed_in", [False, True], ids=["sign-in-page", "organisation-page"])
def test_the_skip_link_is_the_first_tab_stop_and_moves_the_focus_to_main(
    page: Page, signed_in: bool
) -> None:
    if signed_in:
        sign_in(page, COORDINATOR)
        page.goto(f"/o/{SLUG}/")
    else:
        page.goto("/login")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    expect(page).to_have_url(re.compile(r"#main$"))


def test_every_focused_link_and_button_shows_an_outline(page: Page) -> None:
    sign_in(page, COORDINATOR)
    open_running_cycle(page)

    stops = [s for s in tab_stops(page, 25) if s["tag"] in ("a", "button", "summary")]

    assert len(stops) >= 10, stops
    invisible = [s for s in stops if s["outline"] == "none" or s["width"] in ("0px", "")]
    assert not invisible, f"focused without a visible outline: {invisible}"


@pytest.mark.parametrize(
    "where",
    [
        "sign-in",
        "sign-in-refused",
        "organisation",
        "overview",
        "start-form",
        "members",
        "administration",
        "overview-in-english",
    ],
)
def test_axe_finds_no_serious_or_critical_violation(
    page: Page, live_server: LiveServer, where: str
) -> None:
    if where == "sign-in":
        page.goto("/login")
    elif where == "sign-in-refused":
        sign_in_attempt(page, COORDINATOR, "wrong password")
        expect(page.locator(".error")).to_be_visible()
    elif where == "administration":
        sign_in(page, "admin@qualizyklus.example")
        page.goto("/admin/")
        expect(page.locator("h1")).to_have_text("Administration der Installation")
    else:
        sign_in(page, COORDINATOR)
        if where == "organisation":
            page.goto(f"/o/{SLUG}/")
        elif where == "overview":
            open_running_cycle(page)
        elif where == "overview-in-english":
            page.get_by_role("button", name="English").click()
            open_running_cycle(page)
            expect(page.locator("html")).to_have_attribute("lang", "en")
        elif where == "members":
            page.goto(f"/o/{SLUG}/members")
        else:
            page.goto(f"/o/{SLUG}/cycles/new")

    assert_accessible(page)


def sign_in_attempt(page: Page, email: str, password: str) -> None:
    """Fill and send the sign-in form without expecting success."""
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()


def test_a_viewer_sees_the_cycle_but_no_button_that_changes_its_phase(page: Page) -> None:
    sign_in(page, VIEWER)
    expect(page.get_by_role("link", name="Neuen Zyklus beginnen")).to_have_count(0)

    open_running_cycle(page)

    expect(page.locator("ul.reasons > li")).to_have_count(4)
    expect(page.get_by_role("button", name=PHASE_CHANGE)).to_have_count(0)


def test_another_organisations_urls_show_the_404_page(page: Page) -> None:
    sign_in(page, COORDINATOR)
    open_running_cycle(page)
    overview = page.url
    start_form = overview.split("/cycles/")[0] + "/cycles/new"
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()

    sign_in(page, OTHER_COORDINATOR)
    expect(page).to_have_url(re.compile(rf"/o/{OTHER_SLUG}/$"))

    for url in (f"/o/{SLUG}/", overview, start_form, f"/o/{SLUG}/cycles/not-a-cycle/"):
        response = page.goto(url)
        assert response is not None
        assert response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Fehler 404")
        expect(page.get_by_text("Diese Seite gibt es nicht")).to_be_visible()
        expect(page.get_by_text(RUNNING)).to_have_count(0)


def test_an_end_before_the_start_is_shown_next_to_the_field_and_nothing_is_created(
    page: Page,
) -> None:
    sign_in(page, COORDINATOR)
    page.goto(f"/o/{SLUG}/")
    cycles_before = page.get_by_role("row").count()
    page.get_by_role("link", name="Neuen Zyklus beginnen").click()

    page.get_by_label("Titel").fill("Zyklus mit verdrehtem Zeitraum")
    page.get_by_role("group", name="Themen").get_by_role("checkbox").first.check()
    page.get_by_label("Beginn").fill("2026-06-01")
    page.get_by_label("Ende", exact=True).fill("2026-01-31")
    page.get_by_role("button", name="Zyklus beginnen").click()

    end = page.get_by_label("Ende", exact=True)
    expect(end).to_have_attribute("aria-invalid", "true")
    described_by = end.get_attribute("aria-describedby") or ""
    errors = [page.locator(f"[id='{ident}']") for ident in described_by.split()]
    assert errors, "the end date's error is linked by aria-describedby"
    error = errors[-1]
    expect(error).to_be_visible()
    expect(error).to_have_class(re.compile(r"\berror\b"))
    expect(error).not_to_be_empty()
    expect(end.locator("xpath=ancestor::div[contains(@class,'field')]")).to_contain_text(
        error.inner_text()
    )
    expect(page.get_by_label("Titel")).to_have_value("Zyklus mit verdrehtem Zeitraum")
    assert_accessible(page)

    page.goto(f"/o/{SLUG}/")
    expect(page.get_by_role("row")).to_have_count(cycles_before)
    expect(page.get_by_text("Zyklus mit verdrehtem Zeitraum")).to_have_count(0)
