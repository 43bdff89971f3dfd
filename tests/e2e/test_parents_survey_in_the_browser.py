"""Parents fill in the survey in a real Chromium on a phone-sized window (390 px): in Arabic
(right to left, one question per page) and in Leichte Sprache (all on one page); axe finds
nothing on any page, no page scrolls sideways, also at 200 % zoom. Screenshots go to
test-artifacts/screenshots/parents-survey-*.png."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from playwright.sync_api import Browser, Page, expect

from engine.application.bootstrap import open_engine
from engine.infrastructure.settings import Settings
from tests.e2e.conftest import COORDINATOR, SCREENSHOTS, SLUG, axe, serving, sign_in

PHONE = {"width": 390, "height": 844}
WIDE = """() => [...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && !e.closest('.table-scroll, .visually-hidden, .hp, .skip-link'))
  .map((e) => e.tagName + '.' + e.className + '#' + e.id)"""
ZOOMED = {"width": 640, "height": 400}  # 1280 x 800 at 200 %


def _survey(database: Path, answers: int = 0) -> tuple[str, str]:
    """An open survey on the demo's running cycle of the first organisation (with answers)."""
    engine = open_engine(Settings(database=f"sqlite:///{database}"))
    try:
        organisation = engine.organisation_by_slug("lk-musterland")
        coordinator = next(
            member_id
            for member_id, role in organisation["members"].items()
            if role == "coordinator"
        )
        cycle = next(
            c
            for c in engine.cycles_of(UUID(organisation["id"]))
            if c["phase"] != "closed" and "parent-participation" in c["themes"]
        )
        survey_id = engine.create_survey(
            UUID(cycle["id"]),
            actor_id=coordinator,
            title="Elternbefragung",
            question_set_id="parents-good-practice",
            closes_on=date.today() + timedelta(days=30),
        )
        for n in range(answers):
            engine.answer_survey(
                UUID(cycle["id"]),
                survey_id,
                language=("de", "ar")[n % 2],
                choices={"heard": ["yes"], "rating": [str(n % 5 + 1)]},
                texts={"open": "Mehr Termine am Nachmittag"} if n == 0 else {},
            )
        return cycle["id"], survey_id
    finally:
        engine.close()


def _check(page: Page, label: str) -> None:
    """A screenshot for the eye; axe finds nothing, nothing scrolls sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"parents-survey-{label}.png", full_page=True)
    assert axe(page) == [], (page.url, axe(page))
    assert page.evaluate(WIDE) == [], page.url
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_parents_fill_in_the_survey_in_arabic_and_in_leichte_sprache_at_390_px(
    browser: Browser, demo_database: Path, tmp_path: Path
) -> None:
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    cycle_id, survey_id = _survey(database)
    with serving(database, tmp_path) as server:
        context = browser.new_context(base_url=server.url, viewport=PHONE, locale="de-DE")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"/befragung/{cycle_id}/{survey_id}")
        _check(page, "languages-390")
        page.get_by_role("link", name="العربية").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        _check(page, "ar-layout-390")
        page.get_by_role("link", name="سؤال واحد في كل صفحة").click()
        expect(page.get_by_text("السؤال 1 من 6")).to_be_visible()
        page.get_by_label("من العائلة أو الأصدقاء").check()
        _check(page, "ar-question-1-390")
        page.get_by_role("button", name="التالي").click()
        page.get_by_label("نعم").check()
        page.get_by_role("button", name="التالي").click()
        page.get_by_role("button", name="التالي").click()
        page.get_by_role("button", name="التالي").click()
        page.get_by_label("راضٍ جدًا", exact=True).check()
        _check(page, "ar-smiley-390")
        page.get_by_role("button", name="التالي").click()
        page.get_by_label("هل تود أن تخبرنا بشيء آخر؟ من فضلك لا تكتب أي أسماء.").fill("شكرا")
        page.get_by_role("button", name="التالي").click()
        page.get_by_role("button", name="إرسال الإجابات").click()
        expect(page.get_by_role("heading", name="شكرًا جزيلًا!")).to_be_visible()
        _check(page, "ar-thanks-390")

        page.goto(f"/befragung/{cycle_id}/{survey_id}/ls")
        page.get_by_role("link", name="Alle Fragen auf einer Seite").click()
        page.get_by_label("Von meiner Familie oder von Freunden.").check()
        page.get_by_label("Ja.", exact=True).check()
        page.get_by_label("Sehr gut.").check()
        _check(page, "ls-all-390")
        page.set_viewport_size(ZOOMED)
        page.evaluate("() => { document.body.style.zoom = '2'; }")
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        page.evaluate("() => { document.body.style.zoom = ''; }")
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name="Antworten abschicken").click()
        expect(page.get_by_role("heading", name="Vielen Dank!")).to_be_visible()
        cookies = context.cookies()
        assert [c["name"] for c in cookies] == []  # the draft is gone once sent
        context.close()
        logged = [
            line
            for line in server.log.read_text(encoding="utf-8", errors="replace").splitlines()
            if "/befragung/" in line
        ]
        assert logged  # the parents' requests are logged, without address or browser
        assert not [line for line in logged if "127.0.0.1" in line or "Chrome" in line]
    engine = open_engine(Settings(database=f"sqlite:///{database}"))
    try:
        survey = engine.survey(UUID(cycle_id), survey_id)
        assert survey["by_language"] == {"ar": 1, "ls": 1}
    finally:
        engine.close()


def test_the_coordinator_sees_results_and_free_texts_accessibly_at_1280_and_390_px(
    browser: Browser, demo_database: Path, tmp_path: Path
) -> None:
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    cycle_id, survey_id = _survey(database, answers=6)
    with serving(database, tmp_path) as server:
        context = browser.new_context(
            base_url=server.url, viewport={"width": 1280, "height": 900}, locale="de-DE"
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, COORDINATOR)
        page.goto(f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}")
        expect(page.get_by_text("Mehr Termine am Nachmittag")).to_be_visible()
        expect(page.get_by_role("heading", name="Freie Antworten")).to_be_visible()
        _check(page, "results-1280")
        page.set_viewport_size(PHONE)
        _check(page, "results-390")
        page.goto(f"/o/{SLUG}/cycles/{cycle_id}/surveys")
        _check(page, "list-390")
        context.close()
