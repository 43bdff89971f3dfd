"""A viewer (Lesezugriff, e.g. a member of the Jugendhilfeausschuss) in a real Chromium: reads
every page of the running cycle without finding a form that changes anything, is kept out of
the members page, and a command forged in the browser is refused without changing the cycle."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import SLUG, VIEWER, LiveServer, assert_accessible, sign_in

pytestmark = pytest.mark.shared_server  # read only: one server for the module

RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"
READ_ONLY_POSTS = {"/logout": "Abmelden", "/language": "English"}
"""The only forms a viewer may send by POST: signing out and choosing the language."""
PAGES = {
    "overview": "",
    "analyse": "analyse",
    "plan": "plan",
    "implement": "implement",
    "review": "review",
    "history": "history",
    "as-of": "as-of?version=1",
    "comments": "comments",
    "diff": "diff",
}

_SUBMITTERS = """() => Array.from(
  document.querySelectorAll("button, input[type=submit], input[type=image]")
).filter((el) => el.type === "submit" || el.type === "image").map((el) => {
  const form = el.form;
  const method = (el.getAttribute("formmethod") || (form && form.getAttribute("method"))
                  || "get").toLowerCase();
  const action = new URL(el.getAttribute("formaction") || (form && form.action)
                         || location.href, location.href);
  return {label: (el.innerText || el.value || "").trim(), method, path: action.pathname,
          inForm: form !== null};
})"""

_FORMS = """() => Array.from(document.forms).map((form) => ({
  method: (form.getAttribute("method") || "get").toLowerCase(),
  path: new URL(form.action, location.href).pathname,
  writes: form.querySelectorAll("textarea, input[type=file]").length,
}))"""


def open_running_cycle(page: Page) -> str:
    """From the organisation page to the running cycle's overview; its URL."""
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=RUNNING).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RUNNING)
    return page.url


def history_figures(page: Page, overview: str) -> tuple[int, int]:
    """The number of events the history reports, and the version of its newest row."""
    page.goto(overview + "history")
    count = page.locator("p.event-count")
    expect(count).to_have_text(re.compile(r"^\s*\d+ Ereignisse\."))
    total = int(count.inner_text().split()[0])
    newest = page.locator("table.history tbody tr").first.get_by_role("rowheader")
    return total, int(newest.inner_text().split()[0])


@pytest.mark.parametrize("which", list(PAGES))
def test_a_viewer_reads_every_page_of_the_running_cycle_and_finds_no_form_that_changes_it(
    page: Page, live_server: LiveServer, which: str
) -> None:
    sign_in(page, VIEWER)
    overview = open_running_cycle(page)

    response = page.goto(overview + PAGES[which])

    assert response is not None
    assert response.status == 200, f"{which}: {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_text(RUNNING)
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    submitters: list[dict[str, Any]] = page.evaluate(_SUBMITTERS)
    posting = [s for s in submitters if s["method"] == "post"]
    assert posting, "the sign-out and language buttons post"
    assert {s["path"]: s["label"] for s in posting} == READ_ONLY_POSTS, posting
    forms: list[dict[str, Any]] = page.evaluate(_FORMS)
    for form in forms:
        if form["method"] == "post":
            assert form["path"] in READ_ONLY_POSTS, f"{which}: a form posts to {form['path']}"
        else:
            own = live_server.path(overview) + PAGES[which].split("?")[0]
            # the history's "compare the chosen entries" reads the comparison page
            compare = live_server.path(overview) + "diff" if which == "history" else own
            assert form["path"] in (own, compare), form
        assert form["writes"] == 0, f"{which}: a form with text or file inputs: {form}"
    expect(page.locator("textarea, input[type=file]")).to_have_count(0)
    if which == "implement":
        expect(page.get_by_text("Ihre Rolle erlaubt nur das Lesen.")).to_be_visible()
        expect(page.locator("details.status-change")).to_have_count(0)
    if which == "overview":
        expect(page.locator("ul.reasons > li")).to_have_count(4)
        expect(page.get_by_text("Zu einer früheren Phase zurückkehren")).to_have_count(0)
    assert_accessible(page)


def test_the_members_page_refuses_a_viewer_with_403(page: Page) -> None:
    sign_in(page, VIEWER)
    expect(page.get_by_text("Ihre Rolle: Lesezugriff")).to_be_visible()
    expect(page.get_by_role("link", name="Mitglieder und Rollen")).to_have_count(0)

    response = page.goto(f"/o/{SLUG}/members")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Fehler 403")
    expect(page.get_by_text("Ihre Rolle erlaubt diese Aktion nicht.")).to_be_visible()
    expect(page.get_by_text("Person anlegen und einladen")).to_have_count(0)


def test_commands_forged_in_the_viewers_browser_are_refused_and_the_cycle_stays_unchanged(
    page: Page, live_server: LiveServer
) -> None:
    sign_in(page, VIEWER)
    overview = open_running_cycle(page)
    token = page.locator("input[name=csrf_token]").first.input_value()
    assert token, "the sign-out form carries the session's CSRF token"
    page.goto(overview + "implement")
    measure = (page.locator("tr[id^=measure-]").first.get_attribute("id") or "")[8:]
    goal = (page.locator("section.goal[id^=goal-]").first.get_attribute("id") or "")[5:]
    assert measure and goal
    before = history_figures(page, overview)

    # Without a token the request is refused as forged (400) …
    unsigned = page.request.post(overview + "advance", form={"advance-version": str(before[1])})
    assert unsigned.status == 400, unsigned.status

    # … and with the session's valid token the viewer's role refuses it (403)
    commands = {
        "advance": {"advance-version": str(before[1])},
        "reopen": {"reopen-to_phase": "plan", "reopen-reason": "Gefälscht"},
        "close": {"close-summary": "Gefälscht"},
        "comments": {"comment-subject": "cycle", "comment-text": "Gefälscht"},
        f"implement/measures/{measure}/status": {
            f"m-{measure}-status": "done",
            f"m-{measure}-version": str(before[1]),
        },
        f"implement/goals/{goal}/values": {
            f"g-{goal}-value": "99",
            f"g-{goal}-measured_on": "2026-01-15",
        },
        "analyse/findings": {"finding-kind": "need", "finding-text": "Gefälscht"},
        "plan/goals": {"new-goal-title": "Gefälscht"},
    }
    for command, fields in commands.items():
        response = page.request.post(
            overview + command, form={"csrf_token": token, **fields}, max_redirects=0
        )
        assert response.status == 403, f"{command}: {response.status}"
    members = page.request.post(
        f"/o/{SLUG}/members/new",
        form={
            "csrf_token": token,
            "new-name": "Gefälscht",
            "new-email": "gefaelscht@musterland.example",
            "new-language": "de",
            "new-role": "coordinator",
        },
        max_redirects=0,
    )
    assert members.status == 403, members.status

    assert history_figures(page, overview) == before
    page.goto(overview)
    stepper = page.get_by_role("list", name="Phasen des Zyklus")
    expect(stepper.locator("[aria-current=step]")).to_have_text("Umsetzung")
    expect(page.get_by_text("Gefälscht")).to_have_count(0)
