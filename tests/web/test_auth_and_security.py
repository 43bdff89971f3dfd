"""Signing in and out, throttling, security headers, cookies, and the tenancy rule."""

from __future__ import annotations

import logging

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import (
    BASE_URL,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    cycle_ids,
    get,
    post_form,
    sign_in,
)


def test_pages_need_a_sign_in(client: FlaskClient) -> None:
    response = get(client, "/o/lk-musterland/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_a_coordinator_signs_in_and_lands_on_the_organisation(client: FlaskClient) -> None:
    response = sign_in(client, COORDINATOR)
    assert response.status_code == 302
    home = get(client, "/")
    assert home.headers["Location"] == "/o/lk-musterland/"
    page = get(client, "/o/lk-musterland/").get_data(as_text=True)
    assert "Qualitätszyklus 2024 – Landkreis Musterland" in page
    assert "Neuen Zyklus beginnen" in page


def test_wrong_credentials_are_refused_alike_and_logged(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="web.accounts"):
        wrong_password = sign_in(client, COORDINATOR, "falsches-passwort")
        unknown = sign_in(client, "niemand@example.org", "falsches-passwort")
    assert wrong_password.status_code == unknown.status_code == 401
    message = "E-Mail-Adresse oder Passwort ist nicht richtig."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert len([r for r in caplog.records if "failed sign-in" in r.getMessage()]) == 2
    assert COORDINATOR not in caplog.text  # the address is logged as a hash only


def test_repeated_failures_make_the_next_attempt_wait(client: FlaskClient) -> None:
    for _ in range(4):
        sign_in(client, COORDINATOR, "falsches-passwort")
    throttled = sign_in(client, COORDINATOR)  # even the right password must wait now
    assert throttled.status_code == 429
    assert "Zu viele Fehlversuche" in throttled.get_data(as_text=True)
    assert get(client, "/o/lk-musterland/").status_code == 302


def test_the_session_is_renewed_at_sign_in(client: FlaskClient) -> None:
    get(client, "/login")
    before = client.get_cookie("qualizyklus_session", domain="localhost")
    sign_in(client, COORDINATOR)
    after = client.get_cookie("qualizyklus_session", domain="localhost")
    assert before is not None and after is not None
    assert before.value != after.value
    assert after.secure and after.http_only and after.same_site == "Lax"


def test_a_form_without_csrf_token_is_refused(client: FlaskClient) -> None:
    response = client.post(
        "/login",
        data={"email": COORDINATOR, "password": "qualizyklus-demo"},
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}/login"},
    )
    assert response.status_code == 400
    assert get(client, "/o/lk-musterland/").status_code == 302


def test_sign_out_needs_a_post_and_ends_the_session(client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    assert get(client, "/logout").status_code == 405
    response = post_form(client, "/o/lk-musterland/", "/logout", {})
    assert response.status_code == 302
    assert get(client, "/o/lk-musterland/").status_code == 302


def test_every_page_carries_the_security_headers(client: FlaskClient) -> None:
    response = get(client, "/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_member_of_one_organisation_reaches_nothing_of_another(client: FlaskClient) -> None:
    sign_in(client, OTHER_COORDINATOR)
    foreign = cycle_ids(client, "beispielstadt")  # their own cycles, for the URL shape
    sign_in(client, COORDINATOR)
    own = cycle_ids(client, "lk-musterland")
    for path in (
        "/o/beispielstadt/",
        "/o/beispielstadt/cycles/new",
        f"/o/beispielstadt/cycles/{foreign[0]}/",
        f"/o/lk-musterland/cycles/{foreign[0]}/",  # another organisation's cycle under mine
        "/o/gibt-es-nicht/",
        f"/o/beispielstadt/cycles/{own[0]}/",  # my cycle under another organisation
    ):
        assert get(client, path).status_code == 404, path


def test_a_viewer_sees_the_cycle_but_cannot_change_its_phase(client: FlaskClient) -> None:
    sign_in(client, VIEWER)
    running = cycle_ids(client, "lk-musterland")[0]
    page = get(client, f"/o/lk-musterland/cycles/{running}/")
    assert page.status_code == 200
    assert "Weiter zur Phase" not in page.get_data(as_text=True)
    refused = post_form(
        client,
        f"/o/lk-musterland/cycles/{running}/",
        f"/o/lk-musterland/cycles/{running}/advance",
        {},
    )
    assert refused.status_code == 403
    assert get(client, "/o/lk-musterland/cycles/new").status_code == 403


def test_english_is_chosen_by_the_browser_or_by_the_reader(client: FlaskClient) -> None:
    page = client.get("/login", base_url=BASE_URL, headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="en">' in page.get_data(as_text=True)
    post_form(client, "/login", "/language", {"language": "de", "next": "/login"})
    page = client.get("/login", base_url=BASE_URL, headers={"Accept-Language": "en-GB,en"})
    assert '<html lang="de">' in page.get_data(as_text=True)
