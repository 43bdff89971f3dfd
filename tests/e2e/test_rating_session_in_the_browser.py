"""A rating session in a real Chromium on `qualizyklus serve`: a participant on a phone (390 px,
and 320 px without sideways scrolling) joins by code and rates the round in one form; the
facilitator's projector screen (1280 px) shows a new rating within a second or two without a
reload, reveals the distribution by keyboard. axe finds no serious violation on either.
Screenshots: test-artifacts/screenshots/rating-session-<label>.png.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from playwright.sync_api import Browser, Page, expect

from engine.application.bootstrap import open_engine
from engine.demo.networks import DEMO_ORGANISATIONS
from engine.infrastructure.settings import Settings
from tests.e2e.conftest import (
    COORDINATOR,
    SCREENSHOTS,
    SLUG,
    LiveServer,
    assert_accessible,
    sign_in,
)
from tests.e2e.conftest import serving as serve_store

CRITERIA = [
    "parent-participation/involved-in-analysis",
    "political-anchoring/agenda-committees",
]


@pytest.fixture(scope="module")
def meeting(
    demo_database: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, UUID, str, str]]:
    """One server for the module, with a new cycle in its analysis and a session on it."""
    folder = tmp_path_factory.mktemp("rating-session")
    database = folder / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    organisation = next(o for o in DEMO_ORGANISATIONS if o.slug == SLUG)
    actor = next(p for p in organisation.people if p.email == COORDINATOR).person_id(SLUG)
    with open_engine(Settings(database=f"sqlite:///{database}")) as app:
        found = app.organisation_by_slug(SLUG)
        cycle_id = app.start_cycle(
            UUID(found["id"]),
            actor_id=actor,
            title="Qualitätszyklus 2027",
            themes=sorted({key.split("/")[0] for key in CRITERIA}),
            period_start="2027-01-01",
            period_end="2027-12-31",
        )
        opened = app.open_rating_session(
            cycle_id,
            actor_id=actor,
            title="Netzwerktreffen Frühjahr",
            criteria=CRITERIA,
            ends_at=datetime.now(UTC) + timedelta(hours=2),
        )
    with serve_store(database, folder) as server:
        yield server, cycle_id, opened["session_id"], opened["code"]


def shot(page: Page, label: str) -> None:
    """Save the page as test-artifacts/screenshots/rating-session-<label>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"rating-session-{label}.png", full_page=True)


def rate_on_a_phone(page: Page, code: str) -> None:
    """Join by typing the code, choose a field, rate every criterion, save."""
    page.goto("/s")
    page.get_by_label("Sitzungscode").fill(code.lower())
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Jugendhilfe").check()
    page.get_by_role("button", name="Teilnehmen").click()
    for fieldset in page.locator("fieldset.live-criterion").all():
        fieldset.locator("input[type=radio]").nth(1).check()
    page.get_by_role("button", name="Einschätzungen speichern").click()
    expect(page.get_by_text("Ihre Einschätzungen sind gespeichert.").first).to_be_visible()


def test_a_participant_rates_on_a_phone_without_an_account(
    browser: Browser, meeting: tuple[LiveServer, UUID, str, str]
) -> None:
    server, _, _, code = meeting
    context = browser.new_context(
        base_url=server.url, locale="de-DE", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    try:
        rate_on_a_phone(page, code)
        assert page.locator("input[type=radio]:checked").count() >= 1
        assert page.get_by_text("Ergebnis der Gruppe").count() == 0  # blind
        shot(page, "phone-390")
        assert_accessible(page)
        page.set_viewport_size({"width": 320, "height": 700})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        shot(page, "phone-320")
    finally:
        context.close()


def test_the_facilitator_screen_updates_live_and_reveals_by_keyboard(
    browser: Browser, meeting: tuple[LiveServer, UUID, str, str]
) -> None:
    server, cycle_id, session_id, code = meeting
    screen_context = browser.new_context(
        base_url=server.url, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    phone_context = browser.new_context(
        base_url=server.url, locale="de-DE", viewport={"width": 390, "height": 844}
    )
    screen = screen_context.new_page()
    try:
        sign_in(screen, COORDINATOR)
        screen.goto(f"/o/{SLUG}/cycles/{cycle_id}/sessions/{session_id}")
        expect(screen.locator(".qr svg")).to_be_visible()
        counts = screen.locator("[data-count=joined]")
        before = counts.inner_text()
        url = screen.url
        rate_on_a_phone(phone_context.new_page(), code)
        expect(counts).not_to_have_text(before, timeout=3_000)  # no reload: the script's poll
        assert screen.url == url
        reveal = screen.get_by_role("button", name="Alle Ergebnisse dieser Runde aufdecken")
        reveal.focus()
        screen.keyboard.press("Enter")
        expect(screen.locator("table.live-bars").first).to_be_visible()
        shot(screen, "screen-1280")
        assert_accessible(screen)
    finally:
        screen_context.close()
        phone_context.close()
