"""Rating session pages: a coordinator opens a session, a participant joins by code without an
account and rates blind, the facilitator screen and its live endpoint show counts and, after the
reveal, the distribution; round 2 and a finding from a discussion note; refusals change nothing.
"""

from __future__ import annotations

import re
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import BASE_URL, CONTRIBUTOR, COORDINATOR, get, post_form, sign_in
from tests.web.test_analyse_page import SLUG, engine_of, new_cycle

KEY = "parent-participation/involved-in-analysis"


def open_session(client: FlaskClient, cycle_id: str) -> tuple[str, str]:
    """Open a session on one criterion through the form; the screen's path and the code."""
    sign_in(client, COORDINATOR)
    page = f"/o/{SLUG}/cycles/{cycle_id}/sessions"
    response = post_form(
        client, page, page, {"title": "Netzwerktreffen", "minutes": "60", "criteria": [KEY]}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    screen = response.headers["Location"]
    html = get(client, screen).get_data(as_text=True)
    code = re.search(r'class="live-code"[^>]*>([A-Z0-9]{6})<', html)
    assert code is not None
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', html)
    assert "<svg" in html  # the QR code, inline
    return screen, code.group(1)


def join(web_app: Flask, code: str) -> FlaskClient:
    """A phone without an account that joined the session."""
    phone = web_app.test_client()
    response = post_form(
        phone, f"/s/{code}", f"/s/{code}/join", {"field": "Jugendhilfe", "display_name": ""}
    )
    assert response.status_code == 302
    return phone


def test_a_participant_joins_by_code_and_rates_blind_until_the_reveal(web_app: Flask) -> None:
    coordinator = web_app.test_client()
    cycle_id = new_cycle(web_app)
    screen, code = open_session(coordinator, cycle_id)
    assert (
        get(web_app.test_client(), f"/s?code={code.lower()}")
        .headers["Location"]
        .endswith(f"/s/{code}")
    )
    phones = [join(web_app, code), join(web_app, code)]
    page = get(phones[0], f"/s/{code}").get_data(as_text=True)
    assert 'type="radio"' in page and "Ergebnis der Gruppe" not in page
    for phone, level in zip(phones, ("2", "6"), strict=True):
        saved = post_form(phone, f"/s/{code}", f"/s/{code}/rate", {f"rate-{KEY}": level})
        assert saved.status_code == 302
    page = get(phones[0], f"/s/{code}").get_data(as_text=True)
    assert "Ihre Einschätzungen sind gespeichert." in page
    assert "Ergebnis der Gruppe" not in page
    live = get(coordinator, f"{screen}/live.json").get_json()
    assert (live["joined"], live["rated"]) == (2, 2)
    assert "noch verdeckt" in live["html"]
    post_form(coordinator, screen, f"{screen}/reveal", {})
    page = get(phones[1], f"/s/{code}").get_data(as_text=True)
    assert "Ergebnis der Gruppe, Runde 1" in page
    assert "live-bars" in get(coordinator, f"{screen}/live.json").get_json()["html"]
    cycle = engine_of(web_app).cycle(UUID(cycle_id))
    assert len(cycle["assessments"][KEY]) == 2


def test_round_two_and_a_note_as_a_finding(web_app: Flask) -> None:
    coordinator = web_app.test_client()
    cycle_id = new_cycle(web_app)
    screen, code = open_session(coordinator, cycle_id)
    phone = join(web_app, code)
    post_form(phone, f"/s/{code}", f"/s/{code}/rate", {f"rate-{KEY}": "1"})
    post_form(coordinator, screen, f"{screen}/reveal", {})
    post_form(coordinator, screen, f"{screen}/round", {"criteria": [KEY]})
    post_form(phone, f"/s/{code}", f"/s/{code}/rate", {f"rate-{KEY}": "3"})
    post_form(coordinator, screen, f"{screen}/reveal", {})
    html = get(coordinator, screen).get_data(as_text=True)
    assert "Runde 1: 1 Einschätzung," in html and "Runde 2: 1 Einschätzung," in html
    finding = post_form(
        coordinator,
        screen,
        f"{screen}/finding",
        {"criterion": KEY, "kind": "need", "text": "Eltern früher einbeziehen"},
    )
    assert finding.status_code == 302
    analyse = get(coordinator, f"/o/{SLUG}/cycles/{cycle_id}/analyse").get_data(as_text=True)
    assert "Eltern früher einbeziehen" in analyse
    history = get(coordinator, f"/o/{SLUG}/cycles/{cycle_id}/history")
    assert history.status_code == 200
    assert "Neue Runde einer Sitzung eröffnet" in history.get_data(as_text=True)


def test_closed_sessions_unknown_codes_and_strangers_are_refused(web_app: Flask) -> None:
    coordinator = web_app.test_client()
    cycle_id = new_cycle(web_app)
    screen, code = open_session(coordinator, cycle_id)
    phone = join(web_app, code)
    assert get(web_app.test_client(), "/s/ZZZZZZ").status_code == 404
    bad = post_form(phone, f"/s/{code}", f"/s/{code}/rate", {f"rate-{KEY}": "99"})
    assert bad.status_code == 400
    contributor = web_app.test_client()
    sign_in(contributor, CONTRIBUTOR)
    assert get(contributor, screen).status_code == 403
    assert get(contributor, f"{screen}/live.json").status_code == 403
    post_form(coordinator, screen, f"{screen}/close", {})
    closed = get(phone, f"/s/{code}")
    assert closed.status_code == 410 and "beendet" in closed.get_data(as_text=True)
    late = web_app.test_client()
    refused = late.post(f"/s/{code}/join", data={"field": "Bildung"}, base_url=BASE_URL)
    assert refused.status_code in (400, 410)


def test_the_coordinator_erases_a_participants_name_on_the_sessions_page(web_app: Flask) -> None:
    coordinator = web_app.test_client()
    cycle_id = new_cycle(web_app)
    _, code = open_session(coordinator, cycle_id)
    phone = web_app.test_client()
    post_form(
        phone, f"/s/{code}", f"/s/{code}/join", {"field": "Bildung", "display_name": "Frau Test"}
    )
    page = f"/o/{SLUG}/cycles/{cycle_id}/sessions"
    html = get(coordinator, page).get_data(as_text=True)
    action = re.search(r'action="([^"]*/participants/p-[0-9a-f]+/erase)"', html)
    assert action is not None and "Frau Test" in html
    assert post_form(coordinator, page, action.group(1), {}).status_code == 302
    assert "Frau Test" not in get(coordinator, page).get_data(as_text=True)
