"""The blind first round on the cycle's history, state-as-of, diff and dashboard pages: a
member who has not rated a criterion sees who rated it and when, never the level; after
rating it, or once the analysis is over, everything shows."""

from __future__ import annotations

import html
import re
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import OWN, engine_of, person_id
from tests.api.test_blind_ratings import _cycle_with_two_ratings
from tests.web.conftest import CONTRIBUTOR, get, sign_in

YILMAZ = "m.yilmaz@musterland.example"  # the second contributor: has not rated
HIDDEN = "Wert verdeckt (blinde erste Runde)"


def _text(client: FlaskClient, email: str, path: str) -> str:
    """The visible text of a page as the person sees it (signed in anew)."""
    sign_in(client, email)
    page = get(client, path)
    assert page.status_code == 200, path
    shown = re.sub(r"<[^>]+>", " ", page.get_data(as_text=True))
    return html.unescape(re.sub(r"\s+", " ", shown))


def _trail(client: FlaskClient, email: str, cycle_id: str) -> dict[str, str]:
    base = f"/o/{OWN.slug}/cycles/{cycle_id}"
    return {
        name: _text(client, email, base + path)
        for name, path in (
            ("history", "/history"),
            ("diff", "/diff?from=1&to=3"),
            ("as-of", "/as-of?version=3"),
        )
    }


def test_the_trail_pages_show_who_rated_but_the_level_only_to_those_who_rated(
    web_app: Flask, client: FlaskClient
) -> None:
    cycle_id = _cycle_with_two_ratings(web_app)  # Anna Becker 1, Jana Wolff 5

    blind = _trail(client, YILMAZ, cycle_id)
    for name in ("history", "diff"):
        assert "Anna Becker Erfasst am" in blind[name], name
        assert "Jana Wolff" in blind[name] and HIDDEN in blind[name], name
        assert "Wert 1" not in blind[name] and "Wert 5" not in blind[name], name
    assert "2 Einschätzungen zu 1 Kriterien" in blind["as-of"]  # recorded, so counted

    rated = _trail(client, CONTRIBUTOR, cycle_id)
    for name in ("history", "diff"):
        assert "Wert 1" in rated[name] and "Wert 5" in rated[name], name
        assert HIDDEN not in rated[name], name


def _end_analysis(app: Flask, cycle_id: str) -> None:
    engine, coordinator = engine_of(app), person_id(OWN.slug, "coordinator")
    found = UUID(cycle_id)
    engine.record_finding(found, actor_id=coordinator, finding_id="n", kind="need", text="Mehr")
    engine.set_priorities(found, actor_id=coordinator, finding_ids=["n"])
    engine.advance_phase(found, actor_id=coordinator)


def test_after_the_analysis_the_trail_pages_show_every_level(
    web_app: Flask, client: FlaskClient
) -> None:
    cycle_id = _cycle_with_two_ratings(web_app)
    _end_analysis(web_app, cycle_id)

    shown = _trail(client, YILMAZ, cycle_id)
    for name in ("history", "diff"):
        assert "Wert 5" in shown[name] and HIDDEN not in shown[name], name


def _ratings_chart(text: str) -> str:
    start = text.index("Beteiligung und Partizipation von Eltern: Bewertung je Kriterium")
    return text[start : start + 600]


def test_the_dashboard_shows_a_running_analysis_ratings_only_to_those_who_rated(
    web_app: Flask, client: FlaskClient
) -> None:
    cycle_id = _cycle_with_two_ratings(web_app)
    dashboard = f"/o/{OWN.slug}/dashboard"

    assert "2027" not in _ratings_chart(_text(client, YILMAZ, dashboard))
    assert "2027" in _ratings_chart(_text(client, CONTRIBUTOR, dashboard))

    _end_analysis(web_app, cycle_id)
    assert "2027" in _ratings_chart(_text(client, YILMAZ, dashboard))
