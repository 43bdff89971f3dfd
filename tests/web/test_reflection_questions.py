"""Each phase's page shows the reflection questions its themes ask for that phase: grouped by
theme, each theme collapsible, in the reader's language; the other phases' questions stay on
their own pages."""

from __future__ import annotations

import re
from uuid import UUID

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.domain.catalogue import Criterion, Text, Theme, numeric_scale
from tests.web.conftest import BASE_URL, COORDINATOR, cycle_ids, sign_in

SLUG = "lk-musterland"
PAGES = {"plan": "plan", "implement": "implement", "review": "review"}


def questions(theme: Theme, phase: str, language: str = "de") -> list[str]:
    """The theme's questions for a phase, in the catalogue's order: the theme-wide ones first."""
    per_criterion = (q for c in theme.criteria for q in c.reflection_questions.get(phase, ()))
    return [
        question.get(language)
        for question in (*theme.reflection_questions.get(phase, ()), *per_criterion)
    ]


def reflection_section(html: str, phase: str) -> str:
    found = re.search(
        rf'<section class="reflection" aria-labelledby="reflection-{phase}-heading">'
        r"(.*?)</section>",
        html,
        re.S,
    )
    assert found is not None, f"no reflection questions on the {phase} page"
    return found.group(1)


def unescaped(html: str) -> str:
    return html.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")


@pytest.fixture
def running(client: FlaskClient, web_app: Flask) -> tuple[Qualizyklus, str]:
    sign_in(client, COORDINATOR)
    return web_app.extensions["qualizyklus"], cycle_ids(client, SLUG)[0]


@pytest.mark.parametrize("phase", sorted(PAGES))
def test_each_phase_page_shows_its_themes_questions_for_that_phase_grouped_by_theme(
    client: FlaskClient, running: tuple[Qualizyklus, str], phase: str
) -> None:
    app, cycle_id = running
    cycle = app.cycle(UUID(cycle_id))
    html = client.get(f"/o/{SLUG}/cycles/{cycle_id}/{PAGES[phase]}", base_url=BASE_URL).text
    section = unescaped(reflection_section(html, phase))
    groups = re.findall(
        r'<details class="reflection-theme">\s*<summary>(.*?) \(\d+ Fragen?\)</summary>'
        r"(.*?)</details>",
        section,
        re.S,
    )
    themes = [app.themes[theme_id] for theme_id in cycle["themes"]]
    asking = [theme for theme in themes if questions(theme, phase)]

    assert "Reflexionsfragen für diese Phase" in section
    assert [title for title, _ in groups] == [theme.title.de for theme in asking]
    for theme, (_title, body) in zip(asking, groups, strict=True):
        listed = re.findall(r"<li>(.*?) <small>", body, re.S)
        assert listed == questions(theme, phase)
    others = {q for t in themes for p in ("analyse", *PAGES) if p != phase for q in questions(t, p)}
    assert not any(question in section for question in others - set(questions_of(themes, phase)))


def questions_of(themes: list[Theme], phase: str) -> list[str]:
    return [q for theme in themes for q in questions(theme, phase)]


def test_every_phase_with_a_page_has_questions_in_the_built_in_themes(
    running: tuple[Qualizyklus, str],
) -> None:
    app, _ = running
    themes = list(app.themes.values())

    for phase in PAGES:
        assert questions_of(themes, phase), f"no theme asks anything for {phase}"


def test_the_questions_are_shown_in_the_readers_language(
    client: FlaskClient, running: tuple[Qualizyklus, str]
) -> None:
    app, cycle_id = running
    themes = [app.themes[t] for t in app.cycle(UUID(cycle_id))["themes"]]
    html = client.get(
        f"/o/{SLUG}/cycles/{cycle_id}/review",
        base_url=BASE_URL,
        headers={"Accept-Language": "en"},
    ).text
    section = unescaped(reflection_section(html, "review"))
    english = [q for theme in themes for q in questions(theme, "review", "en")]
    german = [q for q in questions_of(themes, "review") if q not in english]

    assert "Reflection questions for this phase" in section
    assert english and all(question in section for question in english)
    assert german and not any(question in section for question in german)
    assert all(f"<summary>{t.title.get('en')} (" in section for t in themes)


def sample_theme(theme_id: str, phases: tuple[str, ...]) -> Theme:
    """A theme of one criterion asking one question in each of ``phases``."""
    return Theme(
        id=theme_id,
        version="1.0.0",
        title=Text(f"Thema {theme_id}", f"Theme {theme_id}"),
        description=Text("Beschreibung", "Description"),
        quality_dimension=3,
        criteria=(
            Criterion(
                id="kriterium",
                title=Text("Ein Kriterium", "A criterion"),
                scale=numeric_scale("eins-bis-fuenf", Text("1 bis 5", "1 to 5"), 1, 5),
                reflection_questions={
                    p: (Text(f"Frage für {p}?", f"Question for {p}?"),) for p in phases
                },
            ),
        ),
    )


def render_questions(
    web_app: Flask, phase: str, theme_ids: list[str], themes: dict[str, Theme]
) -> str:
    with web_app.test_request_context("/"):
        return render_template_string(
            '{% with phase = p %}{% include "ui/_reflection_questions.html" %}{% endwith %}',
            p=phase,
            page={"cycle": {"themes": theme_ids}},
            themes=themes,
        )


def test_themes_without_questions_for_the_phase_and_uninstalled_ones_are_left_out(
    web_app: Flask,
) -> None:
    themes = {
        "asks-in-plan": sample_theme("asks-in-plan", ("analyse", "plan")),
        "asks-in-review": sample_theme("asks-in-review", ("review",)),
    }
    cycle_themes = ["asks-in-plan", "asks-in-review", "uninstalled"]

    plan = render_questions(web_app, "plan", cycle_themes, themes)
    implement = render_questions(web_app, "implement", cycle_themes, themes)

    assert "<summary>Thema asks-in-plan (1 Frage)</summary>" in plan
    assert "Frage für plan?" in plan and "Frage für analyse?" not in plan
    assert "asks-in-review" not in plan and "uninstalled" not in plan
    assert implement.strip() == ""
