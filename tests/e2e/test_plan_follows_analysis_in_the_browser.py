"""Planning follows the analysis, in a real Chromium: a goal from a template arrives with its
indicator, unit and suggested figures, names the prioritised need it answers; a measure outside
the period is marked; a second value for a day asks first; a value is corrected with a reason;
the theme choice is a page of the organisation. Screenshots at 1280 and 390 px."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from playwright.sync_api import Page, expect

from engine.application.bootstrap import open_engine
from engine.infrastructure.settings import Settings
from tests.e2e.conftest import COORDINATOR, SLUG, LiveServer, assert_accessible, sign_in

THEME = "impact-orientation"
NEED = "Familien mit Neugeborenen werden spät erreicht."
TEMPLATE = "Mehr Familien mit Neugeborenen erreichen"


def cycle_in_plan(server: LiveServer) -> UUID:
    """A 2027 cycle with the impact theme rated once, a prioritised need, in its plan phase
    (prepared through the engine on the server's store; the pages see it at once)."""
    app = open_engine(Settings(database=f"sqlite:///{server.database}"))
    try:
        organisation = app.organisation_by_slug(SLUG)
        coordinator = next(
            m for m, role in organisation["members"].items() if role == "coordinator"
        )
        cycle_id = app.start_cycle(
            UUID(organisation["id"]),
            actor_id=coordinator,
            title="Qualitätszyklus 2027",
            themes=[THEME],
            period_start="2027-01-01",
            period_end="2027-12-31",
        )
        criterion = app.themes[THEME].criteria[0]
        scale = criterion.scale
        value = scale.levels[0].id if scale.kind == "levels" else int(scale.minimum)
        app.record_assessment(
            cycle_id, actor_id=coordinator, theme_id=THEME, criterion_id=criterion.id, value=value
        )
        app.record_finding(
            cycle_id, actor_id=coordinator, kind="need", finding_id="need-1", text=NEED
        )
        app.set_priorities(cycle_id, actor_id=coordinator, finding_ids=["need-1"])
        app.advance_phase(cycle_id, actor_id=coordinator)
        return cycle_id
    finally:
        app.close()


def at_both_widths(page: Page, screenshot: Callable[[str], Path], label: str) -> None:
    """Screenshots at 1280 px and at 390 px (a phone), back to 1280 afterwards."""
    page.set_viewport_size({"width": 1280, "height": 900})
    assert screenshot(f"{label}-1280").stat().st_size > 0
    page.set_viewport_size({"width": 390, "height": 844})
    assert screenshot(f"{label}-390").stat().st_size > 0
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_goal_from_a_template_arrives_filled_and_a_value_is_corrected(
    page: Page, live_server: LiveServer, screenshot: Callable[[str], Path]
) -> None:
    cycle_id = cycle_in_plan(live_server)
    overview = f"/o/{SLUG}/cycles/{cycle_id}/"
    sign_in(page, COORDINATOR)

    # A goal from a template: everything the template knows is filled in ----------------
    page.goto(overview + "plan")
    page.get_by_role(
        "link", name=re.compile(rf"^Vorlage verwenden\s*:\s*{re.escape(TEMPLATE)}$")
    ).click()
    goals = page.get_by_role("region", name="Ziele")
    expect(goals.get_by_label("Ziel", exact=True)).to_have_value(TEMPLATE)
    expect(goals.get_by_label("Indikator")).to_have_value(
        "Anteil der Familien mit Neugeborenen, die ein Willkommensangebot erhalten"
    )
    expect(goals.get_by_label("Einheit")).to_have_value("%")
    expect(goals.get_by_label("Ausgangswert")).to_have_value("40")
    expect(goals.get_by_label("Zielwert")).to_have_value("60")
    needs = goals.get_by_role("group", name="Antwortet auf die Entwicklungsbedarfe")
    needs.get_by_role("checkbox", name=NEED).check()
    at_both_widths(page, screenshot, "template-filled")
    goals.get_by_role("button", name="Ziel festlegen").click()
    goal = page.get_by_role("article", name=TEMPLATE)
    expect(goal).to_contain_text("Antwortet auf die Entwicklungsbedarfe:")
    expect(goal).to_contain_text(NEED)

    # Measures: viewers are not offered as responsible; one outside the period is marked
    measures = page.get_by_role("region", name="Maßnahmen")
    responsible = measures.get_by_label("Verantwortlich")
    expect(responsible.locator("option", has_text="Petra König")).to_have_count(0)
    measures.get_by_label("Maßnahme", exact=True).fill("Willkommensbesuche")
    measures.get_by_label("Trägt bei zum Ziel").select_option(label=TEMPLATE)
    responsible.select_option(label="Jana Wolff")
    measures.get_by_label("Beginn").fill("2027-11-01")
    measures.get_by_label("Fertig bis").fill("2028-02-28")
    measures.get_by_role("button", name="Maßnahme planen").click()
    measure = page.get_by_role("article", name="Willkommensbesuche")
    expect(measure).to_contain_text("außerhalb des Zeitraums des Zyklus")
    assert_accessible(page)
    measure.scroll_into_view_if_needed()
    at_both_widths(page, screenshot, "plan")

    page.goto(overview)
    page.get_by_role("button", name="Weiter zur Phase „Umsetzung“").click()

    # Implement: a value, a second one for the same day asks first ----------------------
    page.goto(overview + "implement")
    region = page.get_by_role("region", name=TEMPLATE)
    region.get_by_label("Wert", exact=True).fill("45")
    region.get_by_label("Gemessen am").fill("2027-03-01")
    region.get_by_role("button", name="Wert speichern").click()
    expect(page.get_by_role("region", name=TEMPLATE)).to_contain_text("01.03.2027")
    region = page.get_by_role("region", name=TEMPLATE)
    region.get_by_label("Wert", exact=True).fill("50")
    region.get_by_label("Gemessen am").fill("2027-03-01")
    with page.expect_response(re.compile(r"/values$")) as answer:
        region.get_by_role("button", name="Wert speichern").click()
    assert answer.value.status == 409
    region = page.get_by_role("region", name=TEMPLATE)
    expect(region).to_contain_text("Für den 01.03.2027 ist schon ein Wert erfasst")
    region.scroll_into_view_if_needed()
    at_both_widths(page, screenshot, "asks-first")
    region.get_by_label("Ja, den bisherigen Wert dieses Tages ersetzen").check()
    region.get_by_role("button", name="Wert speichern").click()
    values = page.get_by_role("region", name=TEMPLATE).get_by_role("table")
    expect(values.get_by_role("row")).to_have_count(2)  # the header and one value
    expect(values).to_contain_text("korrigiert, vorher 45")

    # Correct it on its own page, with a reason -------------------------------------------
    values.get_by_role("link", name=re.compile("^Korrigieren oder zurückziehen")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wert korrigieren oder zurückziehen")
    page.get_by_label("Richtiger Wert").fill("48")
    page.get_by_role("button", name="Korrektur speichern").click()
    expect(page.get_by_label("Grund der Korrektur")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    at_both_widths(page, screenshot, "correct")
    page.get_by_label("Grund der Korrektur").fill("Eine Familie war doppelt gezählt.")
    page.get_by_role("button", name="Korrektur speichern").click()
    values = page.get_by_role("region", name=TEMPLATE).get_by_role("table")
    expect(values).to_contain_text("48")
    expect(values).to_contain_text("korrigiert, vorher 50")

    # The theme choice: a page of the organisation ----------------------------------------
    page.goto(f"/o/{SLUG}/")
    page.get_by_role("link", name="Themen der Organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themen der Organisation")
    expect(page.get_by_role("group", name="Themen").get_by_role("checkbox")).to_have_count(3)
    assert_accessible(page)
    at_both_widths(page, screenshot, "themes")
