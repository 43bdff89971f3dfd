"""The themes "Wirkungsorientierung" and "Beteiligung und Partizipation von Eltern" in a real
Chromium: their templates fill the plan forms with the theme's own fields (impact step, IOOI
level, participation level), and their gates stop the cycle, in German, until a goal has a
baseline and a target and until parents' feedback is recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import COORDINATOR, SLUG, assert_accessible, sign_in

TITLE = "Qualitätszyklus 2027 – Wirkung und Beteiligung"
IMPACT = "Wirkungsorientierung"
PARTICIPATION = "Beteiligung und Partizipation von Eltern"
GOAL = "Mehr Familien mit Neugeborenen erreichen"  # a template of the impact theme
MEASURE = "Planungswerkstatt mit Eltern"  # a template of the participation theme
NEED = "Eltern sind an der Planung der Angebote bisher kaum beteiligt."
IMPACT_REASON = (
    f"Dem Wirkungsziel „{GOAL}“ fehlen noch Ausgangswert und Zielwert. Bitte beim Ziel "
    "Ausgangswert und Zielwert des Indikators eintragen, damit sich später zeigen lässt, was "
    "sich verändert hat."
)
PARENTS_REASON = (
    "Es sind noch keine Rückmeldungen von Eltern festgehalten. Rückmeldungen von Eltern "
    "festhalten (zum Beispiel aus dem Elterncafé, von Feedbackkarten oder aus einer "
    "Befragung), damit die Bewertung auch ihre Sicht enthält; danach kann der Zyklus "
    "abgeschlossen werden. Eine beendete Elternbefragung mit mindestens fünf Antworten zählt "
    "ebenfalls."
)
PARENTS_FEEDBACK = "In der Planungswerkstatt wünschten sich Eltern Termine am Nachmittag."
CYCLE_URL = re.compile(rf"/o/{SLUG}/cycles/[0-9a-f-]{{36}}/$")


def current_phase(page: Page) -> Locator:
    """The phase the stepper marks as the current step."""
    return page.get_by_role("list", name="Phasen des Zyklus").locator("[aria-current=step]")


def reasons(page: Page) -> Locator:
    """The overview's "Dafür fehlt noch" list (or the review's list before closing)."""
    return page.locator("ul.reasons > li")


def advance(page: Page, overview: str, to: str) -> None:
    """On the overview: every gate passes, and the button moves the cycle to the next phase."""
    page.goto(overview)
    expect(page.get_by_text("Alle Voraussetzungen sind erfüllt.")).to_be_visible()
    page.get_by_role("button", name=f"Weiter zur Phase „{to}“").click()
    expect(current_phase(page)).to_have_text(to)


def template_link(page: Page, title: str) -> Locator:
    """The "Vorlage verwenden" link of a template (its title is visually hidden in the link)."""
    name = re.compile(rf"^Vorlage verwenden\s*:\s*{re.escape(title)}$")
    return page.get_by_role("link", name=name)


def selected(select: Locator) -> Locator:
    """The option a select shows as chosen."""
    return select.locator("option:checked")


def facts(item: Locator, term: str) -> Locator:
    """The value of a term in a goal's or measure's description lists on the plan page."""
    return (
        item.locator("dl > div")
        .filter(has=item.page.locator("dt").get_by_text(term, exact=True))
        .locator("dd")
    )


def start_and_analyse(page: Page) -> str:
    """Start a cycle with both themes, rate one criterion of each, choose a need; the overview."""
    sign_in(page, COORDINATOR)
    page.get_by_role("link", name="Neuen Zyklus beginnen").click()
    page.get_by_label("Titel").fill(TITLE)
    themes = page.get_by_role("group", name="Themen")
    themes.get_by_role("checkbox", name=IMPACT).check()
    themes.get_by_role("checkbox", name=PARTICIPATION).check()
    page.get_by_label("Beginn").fill("2027-01-01")
    page.get_by_label("Ende", exact=True).fill("2027-12-31")
    page.get_by_role("button", name="Zyklus beginnen").click()
    expect(page).to_have_url(CYCLE_URL)
    overview = page.url
    expect(page.get_by_text(f"Themen: {IMPACT}, {PARTICIPATION}")).to_be_visible()

    page.goto(overview + "analyse")
    for theme in (IMPACT, PARTICIPATION):
        region = page.get_by_role("region", name=theme, exact=True)
        region.locator("article.criterion").first.get_by_role("radio").last.check()
        region.get_by_role("button", name=re.compile("^Einschätzungen speichern")).click()
        expect(page.get_by_role("status")).to_contain_text("Ihre Einschätzung ist gespeichert.")
    findings = page.get_by_role("region", name="Stärken und Entwicklungsbedarfe")
    findings.get_by_role("radio", name="Entwicklungsbedarf").check()
    findings.get_by_label("Thema").select_option(label=PARTICIPATION)
    findings.get_by_label("Beschreibung").fill(NEED)
    findings.get_by_role("button", name="Befund festhalten").click()
    priorities = page.get_by_role("region", name="Prioritäten")
    priorities.get_by_label(f"Rang für: {NEED}").fill("1")
    priorities.get_by_role("button", name="Prioritäten speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Die Prioritäten sind gespeichert.")
    advance(page, overview, "Zielbestimmung und Maßnahmenplanung")
    return overview


def test_theme_templates_fields_and_gates_carry_a_cycle_from_planning_to_its_close(
    page: Page, screenshot: Callable[[str], Path]
) -> None:
    overview = start_and_analyse(page)

    # A goal from an impact-orientation template: impact step and IOOI level as selects ------
    page.goto(overview + "plan")
    template_link(page, GOAL).click()
    expect(page).to_have_url(re.compile(r"plan\?template=impact-orientation/[\w-]+#new-goal$"))
    goals = page.get_by_role("region", name="Ziele", exact=True)
    expect(goals.locator(".template-note")).to_contain_text(f"Vorlage: {GOAL}")
    expect(goals.get_by_label("Ziel", exact=True)).to_have_value(GOAL)
    expect(selected(goals.get_by_label("Thema"))).to_have_text(IMPACT)
    theme_fields = goals.get_by_role("group", name=f"Angaben des Themas „{IMPACT}“")
    step = theme_fields.get_by_label("Stufe der Wirkungstreppe")
    level = theme_fields.get_by_label("IOOI-Ebene")
    expect(step).to_have_js_property("tagName", "SELECT")
    expect(level).to_have_js_property("tagName", "SELECT")
    expect(selected(step)).to_have_text("2 – Zielgruppen werden erreicht")
    expect(selected(level)).to_have_text("Output (Leistungen, Stufen 1–3)")
    expect(step.locator("option")).to_have_count(8)  # "– bitte wählen –" and the seven steps
    expect(level.locator("option")).to_have_count(5)
    assert_accessible(page)

    # The template suggests a baseline and a target; this network has no figures yet
    expect(goals.get_by_label("Ausgangswert", exact=True)).not_to_have_value("")
    expect(goals.get_by_label("Zielwert", exact=True)).not_to_have_value("")
    goals.get_by_label("Ausgangswert", exact=True).fill("")
    goals.get_by_label("Zielwert", exact=True).fill("")
    goals.get_by_label("Indikator").fill("Anteil der Familien mit Willkommensbesuch")
    goals.get_by_label("Einheit").fill("Prozent")
    goals.get_by_label("Zu erreichen bis").fill("2027-11-30")
    goals.get_by_role("button", name="Ziel festlegen").click()

    expect(page.get_by_role("status")).to_contain_text("Das Ziel ist festgelegt.")
    goal = page.get_by_role("article", name=GOAL)
    expect(facts(goal, "Thema")).to_have_text(IMPACT)
    expect(facts(goal, "Ausgangswert")).to_have_text("offen")
    expect(facts(goal, "Stufe der Wirkungstreppe")).to_have_text("2 – Zielgruppen werden erreicht")
    expect(facts(goal, "IOOI-Ebene")).to_have_text("Output (Leistungen, Stufen 1–3)")

    # A measure from a participation template, with its participation level ------------------
    template_link(page, MEASURE).click()
    measures = page.get_by_role("region", name="Maßnahmen", exact=True)
    expect(measures.get_by_label("Maßnahme", exact=True)).to_have_value(MEASURE)
    theme_fields = measures.get_by_role("group", name=f"Angaben des Themas „{PARTICIPATION}“")
    ladder = theme_fields.get_by_label("Beteiligungsstufe")
    expect(ladder).to_have_js_property("tagName", "SELECT")
    expect(selected(ladder)).to_have_text("Mitbestimmung")
    expect(ladder.locator("option")).to_have_text(
        [
            "– bitte wählen –",
            "Instrumentalisierung",
            "Anweisung",
            "Information",
            "Anhörung",
            "Einbeziehung",
            "Mitbestimmung",
            re.compile("^[Tt]eilweise Entscheidungskompetenz$"),
            "Entscheidungsmacht",
            "Selbstorganisation",
        ]
    )
    phases = theme_fields.get_by_role("group", name="Eltern beteiligt in den Phasen")
    expect(phases.get_by_role("checkbox", name="Planung")).to_be_checked()
    assert_accessible(page)
    assert screenshot("plan-with-theme-fields").stat().st_size > 0

    ladder.select_option(label="Entscheidungsmacht")
    phases.get_by_role("checkbox", name="Evaluation").check()
    measures.get_by_label("Trägt bei zum Ziel").select_option(label=GOAL)
    measures.get_by_label("Verantwortlich").select_option(label="Jana Wolff")
    measures.get_by_label("Fertig bis").fill("2027-06-30")
    measures.get_by_role("button", name="Maßnahme planen").click()

    expect(page.get_by_role("status")).to_contain_text("Die Maßnahme ist geplant.")
    measure = page.get_by_role("article", name=MEASURE)
    expect(facts(measure, "Beteiligungsstufe")).to_have_text("Entscheidungsmacht")
    expect(facts(measure, "Eltern beteiligt in den Phasen")).to_have_text(
        re.compile(r"^Planung, Evaluation$")
    )

    # The impact gate: the goal lacks baseline and target ------------------------------------
    page.goto(overview)
    expect(page.get_by_text("Dafür fehlt noch:")).to_be_visible()
    expect(reasons(page)).to_have_text([IMPACT_REASON])
    with page.expect_response(re.compile(r"/advance$")) as answer:
        page.get_by_role("button", name="Weiter zur Phase „Umsetzung“").click()
    assert answer.value.status == 409
    expect(page.locator("#advance-blocked")).to_contain_text(IMPACT_REASON)
    expect(current_phase(page)).to_have_text("Zielbestimmung und Maßnahmenplanung")

    page.goto(overview + "plan")
    goal = page.get_by_role("article", name=GOAL)
    goal.get_by_text("Ziel ändern").click()
    goal.get_by_label("Ausgangswert").fill("38")
    goal.get_by_label("Zielwert").fill("45")
    goal.get_by_label("Grund der Änderung (freiwillig)").fill("Zahlen der Geburtsklinik 2026")
    goal.get_by_role("button", name="Änderung speichern").click()
    expect(page.get_by_role("status")).to_contain_text("Das Ziel ist geändert.")
    goal = page.get_by_role("article", name=GOAL)
    expect(facts(goal, "Ausgangswert")).to_have_text("38 Prozent")
    expect(facts(goal, "Zielwert")).to_have_text("45 Prozent")
    expect(facts(goal, "Stufe der Wirkungstreppe")).to_have_text("2 – Zielgruppen werden erreicht")
    advance(page, overview, "Umsetzung")

    # Implementation: the measure is done ------------------------------------------------------
    page.goto(overview + "implement")
    row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile(MEASURE)))
    row.get_by_text("Status ändern").click()
    row.get_by_label("Neuer Status").select_option(label="erledigt")
    row.get_by_role("button", name="Status speichern").click()
    expect(page.get_by_role("region", name="erledigt (1)")).to_contain_text(MEASURE)
    advance(page, overview, "Evaluation und Weiterentwicklung")

    # Review: the parents' feedback gate, passed by recording parents' feedback ---------------
    page.goto(overview + "review")
    closing = page.get_by_role("region", name="Abschluss")
    expect(closing).to_contain_text("Bevor der Zyklus abgeschlossen werden kann, fehlt noch:")
    expect(closing.locator("ul.reasons > li")).to_have_text(
        [f"Das Ziel „{GOAL}“ ist noch nicht bewertet.", PARENTS_REASON]
    )
    page.goto(overview)
    expect(reasons(page)).to_contain_text([PARENTS_REASON])

    page.goto(overview + "review")
    feedback = page.get_by_role("region", name="Rückmeldungen")
    feedback.get_by_label("Von wem?").select_option(label="Eltern")
    feedback.get_by_label("Thema (optional)").select_option(label=PARTICIPATION)
    feedback.get_by_label("Rückmeldung", exact=True).fill(PARENTS_FEEDBACK)
    feedback.get_by_role("button", name="Rückmeldung speichern").click()
    expect(page.get_by_role("region", name="Eltern (1)")).to_contain_text(PARENTS_FEEDBACK)
    closing = page.get_by_role("region", name="Abschluss")
    expect(closing.locator("ul.reasons > li")).to_have_text(
        [f"Das Ziel „{GOAL}“ ist noch nicht bewertet."]
    )

    goal = page.get_by_role("region", name=GOAL, exact=True)
    goal.get_by_role("radio", name="teilweise erreicht").check()
    goal.get_by_label("Belege").fill("Willkommensbesuche bei 42 Prozent der Geburten.")
    goal.get_by_role("button", name="Bewertung speichern").click()
    expect(page.get_by_role("region", name="Abschluss")).to_contain_text(
        "Alle Voraussetzungen für den Abschluss sind erfüllt."
    )
    assert_accessible(page)

    page.goto(overview)
    expect(page.get_by_text("Alle Voraussetzungen sind erfüllt.")).to_be_visible()
    page.get_by_label("Zusammenfassung").fill("Eltern haben die Planung erstmals mitentschieden.")
    page.get_by_role("button", name="Zyklus abschließen").click()
    expect(current_phase(page)).to_have_text("Abgeschlossen")
