"""A coordinator runs a cycle through the pages, in a real Chromium: start it, work through
analysis, planning, implementation and review, close it; go back a phase with a reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import COORDINATOR, SLUG, assert_accessible, sign_in

TITLE = "Qualitätszyklus 2027 – Frühe Hilfen im Landkreis"
THEME = "Politisch-strukturelle Verankerung"
NEED = "Der Jugendhilfeausschuss kennt die Frühen Hilfen kaum."
GOAL = "Jährlicher Bericht im Jugendhilfeausschuss"
MEASURE = "Sachstandsbericht für den Jugendhilfeausschuss"
LESSON = "Ein fester Termin im Sitzungskalender macht den Bericht selbstverständlich."
FEEDBACK = "Der Ausschuss wünscht sich Zahlen zu erreichten Familien."
SUMMARY = "Der Jugendhilfeausschuss hat den ersten Bericht gehört und Mittel zugesagt."
RUNNING = "Qualitätszyklus 2025/26 – Landkreis Musterland"
CLOSED = "Qualitätszyklus 2024 – Landkreis Musterland"
CYCLE_URL = re.compile(rf"/o/{SLUG}/cycles/[0-9a-f-]{{36}}/$")


def current_phase(page: Page) -> Locator:
    """The phase the stepper marks as the current step."""
    return page.get_by_role("list", name="Phasen des Zyklus").locator("[aria-current=step]")


def error_of(page: Page, field: Locator) -> Locator:
    """The error message a form field points to with aria-describedby."""
    expect(field).to_have_attribute("aria-invalid", "true")
    ids = (field.get_attribute("aria-describedby") or "").split()
    errors = [ident for ident in ids if ident.endswith("-error")]
    assert errors, f"no error linked from the field ({ids})"
    return page.locator(f"[id='{errors[0]}']")


def open_cycle(page: Page, title: str) -> None:
    """From the organisation page to a cycle's overview."""
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def advance(page: Page, overview: str, to: str) -> None:
    """On the overview: every gate passes, and the button moves the cycle to the next phase."""
    page.goto(overview)
    expect(page.get_by_text("Alle Voraussetzungen sind erfüllt.")).to_be_visible()
    page.get_by_role("button", name=f"Weiter zur Phase „{to}“").click()
    expect(current_phase(page)).to_have_text(to)


def test_a_coordinator_runs_a_cycle_from_the_start_form_to_its_close(
    page: Page, screenshot: Callable[[str], Path]
) -> None:
    sign_in(page, COORDINATOR)

    # Start -----------------------------------------------------------------------------
    page.get_by_role("link", name="Neuen Zyklus beginnen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuen Zyklus beginnen")
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_role("group", name="Themen").get_by_role("checkbox", name=THEME).check()
    page.get_by_label("Beginn").fill("2027-01-01")
    page.get_by_label("Ende", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Zyklus beginnen").click()

    expect(page).to_have_url(CYCLE_URL)
    overview = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("01.01.2027 – 31.12.2027")).to_be_visible()
    expect(current_phase(page)).to_have_text("Bestands- und Bedarfsanalyse")
    expect(page.locator("ul.reasons > li")).to_have_text(
        [
            f"Für das Thema „{THEME}“ liegt noch keine Einschätzung vor.",
            "Es ist noch kein Entwicklungsbedarf festgehalten.",
            "Es sind noch keine Prioritäten gesetzt.",
        ]
    )

    # Too early: the advance is refused with every reason, and nothing changes
    with page.expect_response(re.compile(r"/advance$")) as answer:
        page.get_by_role(
            "button", name="Weiter zur Phase „Zielbestimmung und Maßnahmenplanung“"
        ).click()
    assert answer.value.status == 409
    expect(page.get_by_role("alert")).to_contain_text("Der Phasenwechsel ist noch nicht möglich.")
    expect(page.locator("#advance-blocked")).to_contain_text(
        "Es sind noch keine Prioritäten gesetzt."
    )
    expect(current_phase(page)).to_have_text("Bestands- und Bedarfsanalyse")

    # Analyse: rate every criterion of the theme, record a need, make it the priority -----
    page.get_by_role("navigation", name="Seiten des Zyklus").get_by_role(
        "link", name="Analyse"
    ).click()
    assert_accessible(page)
    criteria = page.locator("article.criterion")
    count = criteria.count()
    assert count > 0, "the theme's criteria are offered for rating"
    for n in range(count):
        criteria.nth(n).get_by_role("radio").last.check()
    page.get_by_role("button", name=re.compile("^Einschätzungen speichern")).click()
    for n in range(count):
        expect(page.locator("article.criterion").nth(n).locator(".own dd")).not_to_have_text(
            "noch keine"
        )
    findings = page.get_by_role("region", name="Stärken und Entwicklungsbedarfe")
    findings.get_by_role("radio", name="Entwicklungsbedarf").check()
    findings.get_by_label("Thema").select_option(label=THEME)
    findings.get_by_label("Beschreibung").fill(NEED)
    findings.get_by_role("button", name="Befund festhalten").click()
    priorities = page.get_by_role("region", name="Prioritäten")
    priorities.get_by_label(f"Rang für: {NEED}").fill("1")
    priorities.get_by_role("button", name="Prioritäten speichern").click()
    expect(page.get_by_role("region", name="Prioritäten").get_by_role("list").first).to_have_text(
        NEED
    )
    assert screenshot("analyse").stat().st_size > 0
    advance(page, overview, "Zielbestimmung und Maßnahmenplanung")

    # Plan: a goal with its indicator, a measure with owner and due date -----------------
    page.goto(overview + "plan")
    assert_accessible(page)
    goals = page.get_by_role("region", name="Ziele")
    goals.get_by_label("Ziel", exact=True).fill(GOAL)
    goals.get_by_label("Indikator").fill("Berichte im Ausschuss")
    goals.get_by_label("Einheit").fill("Berichte")
    goals.get_by_label("Ausgangswert").fill("0")
    goals.get_by_label("Zielwert").fill("1")
    goals.get_by_label("Zu erreichen bis").fill("2027-11-30")
    goals.get_by_role("button", name="Ziel festlegen").click()
    measures = page.get_by_role("region", name="Maßnahmen")
    measures.get_by_label("Maßnahme", exact=True).fill(MEASURE)
    measures.get_by_label("Trägt bei zum Ziel").select_option(label=GOAL)
    measures.get_by_label("Verantwortlich").select_option(label="Jana Wolff")
    measures.get_by_label("Fertig bis").fill("2027-09-30")
    measures.get_by_role("button", name="Maßnahme planen").click()
    expect(page.get_by_role("region", name="Maßnahmen")).to_contain_text(MEASURE)
    assert screenshot("plan").stat().st_size > 0
    advance(page, overview, "Umsetzung")

    # Implement: the measure is done, the indicator measured ----------------------------
    page.goto(overview + "implement")
    assert_accessible(page)
    row = page.get_by_role("row", name=re.compile(MEASURE))
    row.get_by_text("Status ändern").click()
    row.get_by_label("Neuer Status").select_option(label="erledigt")
    row.get_by_role("button", name="Status speichern").click()
    expect(page.get_by_role("region", name="erledigt (1)")).to_contain_text(MEASURE)
    goal = page.get_by_role("region", name=GOAL)
    goal.get_by_label("Wert", exact=True).fill("1")
    goal.get_by_label("Gemessen am").fill("2027-10-15")
    goal.get_by_label("Quelle").fill("Protokoll des Jugendhilfeausschusses")
    goal.get_by_role("button", name="Wert speichern").click()
    expect(page.get_by_role("region", name=GOAL)).to_contain_text("15.10.2027")
    assert screenshot("implement").stat().st_size > 0
    advance(page, overview, "Evaluation und Weiterentwicklung")

    # Review: the goal is judged with evidence, a lesson and a feedback are recorded ----
    page.goto(overview + "review")
    assert_accessible(page)
    expect(page.get_by_role("region", name="Abschluss")).to_contain_text(
        f"Das Ziel „{GOAL}“ ist noch nicht bewertet."
    )
    goal = page.get_by_role("region", name=GOAL)
    goal.get_by_role("radio", name="erreicht", exact=True).check()
    goal.get_by_label("Belege").fill("Bericht in der Ausschusssitzung vom 15.10.2027.")
    goal.get_by_role("button", name="Bewertung speichern").click()
    lessons = page.get_by_role("region", name="Was wir gelernt haben")
    lessons.get_by_label("Was haben Sie gelernt?").fill(LESSON)
    lessons.get_by_role("button", name="Erkenntnis speichern").click()
    expect(page.get_by_role("region", name="Was wir gelernt haben")).to_contain_text(LESSON)
    feedback = page.get_by_role("region", name="Rückmeldungen")
    feedback.get_by_label("Von wem?").select_option(label="Politik und Verwaltung")
    feedback.get_by_label("Rückmeldung").fill(FEEDBACK)
    feedback.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_role("region", name="Politik und Verwaltung (1)")).to_contain_text(FEEDBACK)
    assert screenshot("review").stat().st_size > 0

    # Close -----------------------------------------------------------------------------
    page.goto(overview)
    expect(page.get_by_text("Alle Voraussetzungen sind erfüllt.")).to_be_visible()
    page.get_by_label("Zusammenfassung").fill(SUMMARY)
    page.get_by_label("Wie geht es weiter?").fill("Der Bericht wird fester Tagesordnungspunkt.")
    page.get_by_role("button", name="Zyklus abschließen").click()

    expect(current_phase(page)).to_have_text("Abgeschlossen")
    expect(page.get_by_text("Der Zyklus ist abgeschlossen.")).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    assert screenshot("closed").stat().st_size > 0
    page.goto(f"/o/{SLUG}/")
    expect(page.locator("main section h2")).to_have_text(["2027", "2025", "2024"])
    row = page.get_by_role("region", name="2027").get_by_role("row").filter(has_text=TITLE)
    expect(row.get_by_role("cell")).to_have_text(
        [TITLE, "01.01.2027 – 31.12.2027", "Abgeschlossen"]
    )
    expect(row.get_by_role("link", name=TITLE)).to_have_attribute("href", urlsplit(overview).path)


def test_a_coordinator_takes_the_running_cycle_back_to_planning_with_a_reason_and_on_again(
    page: Page,
) -> None:
    sign_in(page, COORDINATOR)
    open_cycle(page, RUNNING)
    expect(current_phase(page)).to_have_text("Umsetzung")

    page.get_by_text("Zu einer früheren Phase zurückkehren").click()
    page.get_by_role("button", name="Phase wieder öffnen").click()

    reason = page.get_by_label("Begründung")
    expect(error_of(page, reason)).to_be_visible()
    expect(current_phase(page)).to_have_text("Umsetzung")

    expect(page.get_by_label("Zurück zur Phase")).to_have_value("plan")
    reason.fill("Die Ziele müssen nach dem Beschluss des Jugendhilfeausschusses angepasst werden.")
    page.get_by_role("button", name="Phase wieder öffnen").click()

    expect(page).to_have_url(CYCLE_URL)
    expect(current_phase(page)).to_have_text("Zielbestimmung und Maßnahmenplanung")
    expect(page.get_by_text("Alle Voraussetzungen sind erfüllt.")).to_be_visible()

    page.get_by_role("button", name="Weiter zur Phase „Umsetzung“").click()

    expect(current_phase(page)).to_have_text("Umsetzung")
    expect(page.locator("ul.reasons > li")).to_have_count(4)


def test_a_closed_cycle_reopened_for_its_review_is_closed_again_with_a_new_summary(
    page: Page,
) -> None:
    sign_in(page, COORDINATOR)
    open_cycle(page, CLOSED)
    expect(current_phase(page)).to_have_text("Abgeschlossen")
    expect(page.get_by_text("Der Zyklus ist abgeschlossen.")).to_be_visible()

    page.get_by_text("Zu einer früheren Phase zurückkehren").click()
    expect(page.get_by_label("Zurück zur Phase")).to_have_value("review")
    page.get_by_label("Begründung").fill("Die Elternbefragung wird nachträglich ausgewertet.")
    page.get_by_role("button", name="Phase wieder öffnen").click()

    expect(current_phase(page)).to_have_text("Evaluation und Weiterentwicklung")
    expect(page.get_by_text("Alle Voraussetzungen sind erfüllt.")).to_be_visible()
    page.get_by_role("button", name="Zyklus abschließen").click()

    summary = page.get_by_label("Zusammenfassung")
    expect(error_of(page, summary)).to_be_visible()
    expect(current_phase(page)).to_have_text("Evaluation und Weiterentwicklung")

    summary.fill("Die Befragung bestätigt die Ergebnisse; Abendtermine werden ausgebaut.")
    page.get_by_label("Wie geht es weiter?").fill("Abendtermine im Zyklus 2025/26 erproben.")
    page.get_by_role("button", name="Zyklus abschließen").click()

    expect(page).to_have_url(CYCLE_URL)
    expect(current_phase(page)).to_have_text("Abgeschlossen")
    expect(page.get_by_text("Der Zyklus ist abgeschlossen.")).to_be_visible()
    expect(
        page.get_by_text("Die Befragung bestätigt die Ergebnisse; Abendtermine werden ausgebaut.")
    ).to_be_visible()
    expect(page.get_by_text("Abendtermine im Zyklus 2025/26 erproben.")).to_be_visible()
    expect(page.get_by_role("button", name="Zyklus abschließen")).to_have_count(0)
