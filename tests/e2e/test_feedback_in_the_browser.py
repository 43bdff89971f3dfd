"""Feedback where the person looks, in a real Chromium: a refused form opens with an error
summary that has the focus and links to each field (following a link focuses the field); a
refused phase change is explained next to its button; a saved rating is confirmed next to the
criterion the page lands on; an advanced phase is confirmed at the top, with the focus on it.
Screenshots at 1280 px and 390 px: test-artifacts/screenshots/feedback-*.png.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import COORDINATOR, SCREENSHOTS, SLUG, assert_accessible, sign_in

THEME = "Politisch-strukturelle Verankerung"
TITLE = "Zyklus mit Rückmeldungen"
NEED = "Der Ausschuss kennt die Frühen Hilfen kaum."
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def shots(page: Page, label: str) -> None:
    """Screenshots of the viewport as the person sees it now, at 1280 px and at 390 px."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, size in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=SCREENSHOTS / f"feedback-{label}-{name}.png")
    page.set_viewport_size(DESKTOP)


def test_a_refused_form_opens_with_a_focused_summary_whose_links_focus_each_field(
    page: Page,
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, COORDINATOR)
    page.goto(f"/o/{SLUG}/cycles/new")
    page.get_by_label("Titel").fill("")

    with page.expect_response(re.compile(r"/cycles/new$")) as answer:
        page.get_by_role("button", name="Zyklus beginnen").click()

    assert answer.value.status == 400
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", name="Es gibt ein Problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Fehler: "))
    # read out first, without a script: the browser moves the focus by ``autofocus`` once the
    # page is parsed (on a busy machine a moment after the response), so wait for it
    expect(page.locator(".error-summary")).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["Geben Sie dem Zyklus einen Titel.", "Wählen Sie mindestens ein Thema."]
    )
    shots(page, "error-summary")
    assert_accessible(page)

    summary.get_by_role("link", name="Wählen Sie mindestens ein Thema.").click()
    expect(page.get_by_role("group", name="Themen").get_by_role("checkbox").first).to_be_focused()
    summary.get_by_role("link", name="Geben Sie dem Zyklus einen Titel.").click()
    expect(page.get_by_label("Titel")).to_be_focused()
    page.keyboard.type(TITLE)  # the person can type at once
    expect(page.get_by_label("Titel")).to_have_value(TITLE)


def test_phase_changes_and_ratings_are_answered_where_the_person_is(page: Page) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, COORDINATOR)
    page.goto(f"/o/{SLUG}/cycles/new")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_role("group", name="Themen").get_by_role("checkbox", name=THEME).check()
    page.get_by_label("Beginn").fill("2027-01-01")
    page.get_by_label("Ende", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Zyklus beginnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    overview = page.url

    # Too early: refused in place, with every reason next to the button
    advance = page.get_by_role(
        "button", name=re.compile("^Weiter zur Phase „Zielbestimmung und Maßnahmenplanung“")
    )
    with page.expect_response(re.compile(r"/advance$")) as answer:
        advance.click()
    assert answer.value.status == 409
    expect(page).to_have_title(re.compile(r"^Fehler: "))
    blocked = page.locator("#advance-blocked")
    expect(blocked).to_contain_text("ist noch nicht möglich")
    expect(blocked.get_by_role("listitem")).to_contain_text(
        ["Es ist noch kein Entwicklungsbedarf festgehalten.", "Es sind noch keine Prioritäten"]
    )
    box, button = blocked.bounding_box(), advance.bounding_box()
    assert box and button and 0 <= button["y"] - (box["y"] + box["height"]) < 80  # right above
    expect(advance).to_have_attribute("aria-describedby", "advance-blocked")
    page.get_by_role("alert").get_by_role("link").click()
    expect(blocked).to_be_focused()
    expect(blocked).to_be_in_viewport()
    shots(page, "blocked-phase-change")

    # A whole theme rated in one save: confirmed at the top of that theme's form, focused
    page.goto(overview + "analyse")
    form = page.locator("form.theme-rating-form").first
    criteria = form.locator("article.criterion")
    count = criteria.count()
    for n in range(count):
        criteria.nth(n).get_by_role("radio").last.check()
    form.get_by_role("button", name=re.compile("^Einschätzungen speichern")).click()
    form = page.locator("form.theme-rating-form").first
    saved = form.get_by_role("status")
    expect(saved).to_have_text(re.compile(f"Ihre {count} Einschätzungen sind gespeichert."))
    expect(saved).to_be_focused()
    expect(saved).to_be_in_viewport()
    for n in range(count):
        expect(form.locator("article.criterion").nth(n).locator(".own dd")).not_to_have_text(
            "noch keine"
        )
    shots(page, "rating-saved")
    assert_accessible(page)
    assert page.get_by_role("status").count() == 1  # once, where it happened

    findings = page.get_by_role("region", name="Stärken und Entwicklungsbedarfe")
    findings.get_by_role("radio", name="Entwicklungsbedarf").check()
    findings.get_by_label("Beschreibung").fill(NEED)
    findings.get_by_role("button", name="Befund festhalten").click()
    expect(
        page.get_by_role("region", name="Stärken und Entwicklungsbedarfe").get_by_role("status")
    ).to_have_text(re.compile("Der Entwicklungsbedarf ist festgehalten."))
    priorities = page.get_by_role("region", name="Prioritäten")
    priorities.get_by_label(f"Rang für: {NEED}").fill("1")
    priorities.get_by_role("button", name="Prioritäten speichern").click()
    expect(page.get_by_role("region", name="Prioritäten").get_by_role("status")).to_be_in_viewport()

    # The phase moves on: said at the top, and the focus is there
    page.goto(overview)
    page.get_by_role(
        "button", name="Weiter zur Phase „Zielbestimmung und Maßnahmenplanung“"
    ).click()
    banner = page.get_by_role("status")
    expect(banner).to_have_text(
        re.compile("Die Phase „Zielbestimmung und Maßnahmenplanung“ hat begonnen.")
    )
    expect(banner).to_be_focused()
    expect(banner).to_be_in_viewport()
    expect(page).not_to_have_title(re.compile("Fehler"))
    shots(page, "phase-advanced")
    assert_accessible(page)
    page.reload()
    expect(page.get_by_role("status")).to_have_count(0)  # said once
