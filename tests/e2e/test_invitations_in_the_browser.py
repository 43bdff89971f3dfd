"""Invitations and "Passwort vergessen" in a real Chromium, with mail through a real SMTP server.

A coordinator invites a new person (nobody types a password for them); the invitation's link,
read from the mail the server received, leads to a page where the person sets a password (one
too short is refused next to the field); they sign in and land on the organisation's page. The
link then no longer works, and says so. Someone who forgot their password asks for a link on
the sign-in page and gets in the same way. Screenshots at 1280 px and 390 px.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import tests.e2e.conftest as e2e
from tests.e2e.conftest import (
    CONTRIBUTOR,
    COORDINATOR,
    SLUG,
    LiveServer,
    assert_accessible,
    serving,
    sign_in,
)
from tests.engine.test_reminders import MailServer, body, free_port, mail_server

__all__ = ["mail_server"]  # the reminders' SMTP server fixture

NEW_NAME = "Nina Hoffmann"
NEW_EMAIL = "n.hoffmann@musterland.example"
NEW_PASSWORD = "Familienzentrum am Markt 2027"
CONTRIBUTOR_ROLE = "Fachkraft / Netzwerkpartner"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def live_server(
    demo_database: Path, tmp_path: Path, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LiveServer]:
    """The demo served by gunicorn, mailing through the local server, with
    QUALIZYKLUS_BASE_URL set to the address it serves on."""
    port = free_port()
    monkeypatch.setattr(e2e, "_free_port", lambda: port)
    for name, value in mail_server.environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("QUALIZYKLUS_BASE_URL", f"http://127.0.0.1:{port}")
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    with serving(database, tmp_path) as server:
        yield server


def mail_to(server: MailServer, address: str, count: int = 1) -> EmailMessage:
    """The newest of ``count`` messages for ``address``, waiting until they arrived."""
    deadline = time.monotonic() + 10
    while len(server.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    received = server.to(address)
    assert len(received) == count, [m["Subject"] for m in received]
    return received[-1]


def link_in(message: EmailMessage, live_server: LiveServer) -> str:
    """The one password link in a message (built from the configured base URL)."""
    found = re.findall(rf"{re.escape(live_server.url)}/password/[A-Za-z0-9_-]+", body(message))
    assert len(found) == 1, body(message)
    return str(found[0])


def both_widths(page: Page, screenshot: Callable[[str], Path], label: str) -> None:
    """Screenshots at phone and desktop width; the page never scrolls sideways."""
    for name, size in (("390", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(size)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{label} is {width} px wide at {size['width']} px"
        screenshot(f"{label}-{name}")
    page.set_viewport_size(DESKTOP)


def set_password(page: Page, password: str) -> None:
    page.get_by_label("Neues Passwort", exact=True).fill(password)
    page.get_by_label("Neues Passwort wiederholen").fill(password)
    page.get_by_role("button", name="Passwort speichern").click()


def test_an_invited_person_sets_a_password_through_the_mailed_link_and_lands_on_the_organisation(
    page: Page, live_server: LiveServer, mail_server: MailServer, screenshot: Callable[[str], Path]
) -> None:
    sign_in(page, COORDINATOR)
    page.get_by_role("link", name="Mitglieder und Rollen").click()
    form = page.get_by_role("form", name="Neue Person")
    expect(form.get_by_label("Passwort")).to_have_count(0)  # nobody types a password for them
    form.get_by_label("Name").fill(NEW_NAME)
    form.get_by_label("E-Mail-Adresse").fill(NEW_EMAIL)
    form.get_by_label("Rolle").select_option(label=CONTRIBUTOR_ROLE)
    expect(form.get_by_label("Sprache der Einladung")).to_have_value("de")
    form.get_by_role("button", name="Person anlegen und einladen").click()

    status = page.get_by_role("status")
    expect(status).to_contain_text(f"{NEW_NAME} ist jetzt Mitglied: {CONTRIBUTOR_ROLE}.")
    expect(status).to_contain_text(f"Die Einladung an {NEW_NAME} ist gesendet.")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=NEW_NAME))
    expect(row).to_contain_text("eingeladen, noch kein Passwort")
    expect(row.get_by_role("button", name="Einladung erneut senden")).to_be_visible()
    assert_accessible(page)
    both_widths(page, screenshot, "members-invited")
    page.get_by_role("button", name="Abmelden").click()

    invitation = mail_to(mail_server, NEW_EMAIL)
    assert invitation["Subject"] == "Qualizyklus: Ihre Einladung – Passwort festlegen"
    link = link_in(invitation, live_server)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Passwort festlegen")
    expect(page.get_by_text(f"Willkommen, {NEW_NAME}!")).to_be_visible()
    set_password(page, "zu-kurz-123")
    field = page.get_by_label("Neues Passwort", exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#password-error")).to_have_text(
        "Das Passwort braucht mindestens 12 Zeichen."
    )
    assert_accessible(page)
    both_widths(page, screenshot, "set-password-refused")

    set_password(page, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text("Ihr Passwort ist gespeichert.")
    sign_in(page, NEW_EMAIL, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/o/{SLUG}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Landkreis Musterland")
    expect(page.locator(".site-header .who")).to_have_text(NEW_NAME)

    page.goto(link)  # once only
    expect(page.get_by_role("heading", level=1)).to_have_text("Dieser Link gilt nicht mehr")
    expect(page.get_by_role("link", name="Neuen Link anfordern")).to_be_visible()
    assert_accessible(page)
    both_widths(page, screenshot, "link-used")


def test_a_person_who_forgot_the_password_gets_a_link_from_the_sign_in_page(
    page: Page, live_server: LiveServer, mail_server: MailServer, screenshot: Callable[[str], Path]
) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Passwort vergessen?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Passwort vergessen")
    assert_accessible(page)
    both_widths(page, screenshot, "forgot")
    page.get_by_label("E-Mail-Adresse").fill(CONTRIBUTOR)
    page.get_by_role("button", name="Link senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte sehen Sie in Ihr Postfach")
    answer = page.locator("main").inner_text()
    both_widths(page, screenshot, "forgot-sent")

    page.goto("/password/forgot")  # an unknown address: the same answer, no mail
    page.get_by_label("E-Mail-Adresse").fill("niemand@musterland.example")
    page.get_by_role("button", name="Link senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte sehen Sie in Ihr Postfach")
    assert page.locator("main").inner_text() == answer

    message = mail_to(mail_server, CONTRIBUTOR)
    assert message["Subject"] == "Qualizyklus: neues Passwort festlegen"
    page.goto(link_in(message, live_server))
    set_password(page, NEW_PASSWORD)
    sign_in(page, CONTRIBUTOR, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(rf"/o/{SLUG}/$"))
    assert len(mail_server.received) == 1
