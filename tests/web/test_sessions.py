"""Sessions end on the server: a copied cookie dies at sign-out, with a new password, with
"sign out everywhere", with erasure, when idle and when too old; and sign-in failures never
tell whether an address has an account."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from flask_login.utils import encode_cookie

from engine.cli.main import main
from engine.demo.networks import DEMO_PASSWORD
from engine.infrastructure.login_sessions import SessionPolicy
from engine.infrastructure.sign_in_throttle import CLIENT
from tests.web.conftest import (
    ADMIN,
    BASE_URL,
    COORDINATOR,
    VIEWER,
    get,
    post_form,
    sign_in,
)
from web.app import create_app

PAGE = "/o/lk-musterland/"
API = "/api/v1/organisations/lk-musterland"
COOKIE = "qualizyklus_session"
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*')


def copy_of_cookie(app: Flask, client: FlaskClient, remote: str = "127.0.0.1") -> FlaskClient:
    """Another browser holding a copy of the client's session cookie (as an attacker would)."""
    cookie = client.get_cookie(COOKIE, domain="localhost")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value, domain="localhost", secure=True)
    return thief


def signed_in(client: FlaskClient) -> bool:
    """Whether the client reaches the organisation page (else it is sent to sign in)."""
    response = get(client, PAGE)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
    return response.status_code == 200


def run_cli(web_app: Flask, *args: str) -> str:
    """Run a `qualizyklus` command against the web application's store."""
    result = CliRunner().invoke(
        main, list(args), env={"QUALIZYKLUS_DATABASE": web_app.config["QUALIZYKLUS_DATABASE"]}
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_cookie_copied_before_sign_out_is_refused_after_it(
    web_app: Flask, client: FlaskClient
) -> None:
    sign_in(client, COORDINATOR)
    thief = copy_of_cookie(web_app, client)
    assert signed_in(thief) and get(thief, API).status_code == 200  # the copy worked until now

    assert post_form(client, PAGE, "/logout", {}).status_code == 302

    assert not signed_in(thief)
    assert get(thief, API).status_code == 401
    assert not signed_in(client)


def test_a_remember_me_cookie_alone_signs_nobody_in(web_app: Flask, client: FlaskClient) -> None:
    person_id = web_app.extensions["qualizyklus"].profiles.by_email(COORDINATOR)["person_id"]
    with web_app.test_request_context():
        forged = encode_cookie(person_id)  # signed with the application's own key
    client.set_cookie("remember_token", forged, domain="localhost", secure=True)
    assert not signed_in(client)
    assert get(client, API).status_code == 401


def test_a_new_password_ends_every_session_of_the_person(
    web_app: Flask, client: FlaskClient
) -> None:
    other_browser = web_app.test_client()
    sign_in(client, COORDINATOR)
    sign_in(other_browser, COORDINATOR)
    someone_else = web_app.test_client()
    sign_in(someone_else, VIEWER)
    result = CliRunner().invoke(
        main,
        ["users", "set-password", COORDINATOR, "--password-stdin"],
        input="ein ganz neues Passwort\n",
        env={"QUALIZYKLUS_DATABASE": web_app.config["QUALIZYKLUS_DATABASE"]},
    )
    assert result.exit_code == 0, result.output

    assert not signed_in(client) and not signed_in(other_browser)
    assert signed_in(someone_else)
    assert sign_in(client, COORDINATOR, "ein ganz neues Passwort").status_code == 302
    assert signed_in(client)


def test_sign_out_everywhere_on_the_command_line(web_app: Flask, client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    refused = CliRunner().invoke(
        main,
        ["users", "sign-out", "niemand@example.org"],
        env={"QUALIZYKLUS_DATABASE": web_app.config["QUALIZYKLUS_DATABASE"]},
    )
    assert refused.exit_code != 0 and "niemand@example.org" in refused.output
    assert signed_in(client)  # nothing changed

    assert "1 Sitzung(en) beendet" in run_cli(web_app, "users", "sign-out", COORDINATOR)
    assert not signed_in(client)


def test_an_administrator_signs_a_person_out_everywhere(
    web_app: Flask, client: FlaskClient
) -> None:
    coordinator = web_app.test_client()
    sign_in(coordinator, COORDINATOR)
    person_id = web_app.extensions["qualizyklus"].profiles.by_email(COORDINATOR)["person_id"]
    action = f"/admin/people/{person_id}/sign-out"
    prefix = f"signout-{_row_key(web_app, person_id)}"

    sign_in(client, ADMIN)
    page = get(client, "/admin/").get_data(as_text=True)
    assert "Überall abmelden: Anna Becker" in page
    assert client.post(action, base_url=BASE_URL).status_code == 400  # no CSRF token
    assert post_form(coordinator, PAGE, action, {}, prefix=prefix).status_code in (400, 404)
    assert signed_in(coordinator)  # neither refusal changed anything

    response = post_form(client, "/admin/", action, {}, prefix=prefix)
    assert response.status_code == 302
    assert "Anna Becker ist überall abgemeldet (1 Sitzung beendet)" in get(
        client, "/admin/"
    ).get_data(as_text=True)
    assert not signed_in(coordinator)
    assert get(client, "/admin/").status_code == 200  # the administrator's own session lives on


def _row_key(web_app: Flask, person_id: str) -> str:
    from web.ui.members_forms import row_key

    with web_app.app_context():
        return row_key(person_id)


def test_erasure_ends_the_sessions_of_the_erased_person(
    web_app: Flask, client: FlaskClient
) -> None:
    sign_in(client, VIEWER)
    assert signed_in(client)
    run_cli(web_app, "users", "erase", VIEWER, "--yes")
    assert not signed_in(client)
    assert sign_in(client, VIEWER).status_code == 401


@pytest.fixture
def short_sessions(
    demo_database: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Flask]:
    """The web application with sessions limited as the test's parameter says."""
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
            "QUALIZYKLUS_SESSION_POLICY": request.param,
        }
    )
    yield app
    app.extensions["qualizyklus"].close()


@pytest.mark.parametrize(
    "short_sessions",
    [SessionPolicy(idle=timedelta(seconds=2), max_age=timedelta(hours=1))],
    indirect=True,
)
def test_an_idle_session_expires_on_the_server(short_sessions: Flask) -> None:
    client = short_sessions.test_client()
    sign_in(client, COORDINATOR)
    thief = copy_of_cookie(short_sessions, client)
    for _ in range(6):  # in use: it lives on past the idle limit
        time.sleep(0.4)
        assert signed_in(client)
    time.sleep(2.6)
    assert not signed_in(thief)  # the cookie itself is still valid; the server says no
    assert not signed_in(client)


@pytest.mark.parametrize(
    "short_sessions",
    [SessionPolicy(idle=timedelta(hours=1), max_age=timedelta(seconds=3))],
    indirect=True,
)
def test_a_session_ends_at_the_absolute_limit_however_busy(short_sessions: Flask) -> None:
    client = short_sessions.test_client()
    sign_in(client, COORDINATOR)
    signed_in_by = time.monotonic()  # the session began before this (during the sign-in)
    while time.monotonic() - signed_in_by < 1.2:
        assert signed_in(client)
        time.sleep(0.3)
    time.sleep(max(0.0, 3.3 - (time.monotonic() - signed_in_by)))
    assert not signed_in(client)


def _attempts(app: Flask, email: str, remote: str, count: int = 5) -> list[tuple[int, str]]:
    """``count`` failed sign-ins for ``email`` from ``remote``: statuses and normalised pages."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = remote
    seen = []
    for _ in range(count):
        response = sign_in(client, email, "falsches-passwort")
        page = CSRF_VALUE.sub(r"\1", response.get_data(as_text=True))
        seen.append((response.status_code, page.replace(email, "ADDRESS")))
    return seen


def test_known_and_unknown_addresses_are_answered_alike(web_app: Flask) -> None:
    known = _attempts(web_app, COORDINATOR, "192.0.2.1")
    unknown = _attempts(web_app, "niemand@musterland.example", "192.0.2.2")

    assert [status for status, _ in known] == [401, 401, 401, 429, 429]
    assert [status for status, _ in unknown] == [401, 401, 401, 429, 429]
    assert [page for _, page in known] == [page for _, page in unknown]
    assert "Zu viele Fehlversuche" in known[3][1]


def test_the_address_is_throttled_as_typed_from_any_client(web_app: Flask) -> None:
    _attempts(web_app, "Niemand@Musterland.example", "192.0.2.1", count=3)
    again = _attempts(web_app, " niemand@musterland.EXAMPLE ", "192.0.2.9", count=1)
    assert [status for status, _ in again] == [429]


def test_a_client_failing_for_many_addresses_must_wait(web_app: Flask) -> None:
    client = web_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.5"
    statuses = [
        sign_in(client, f"person{n}@example.org", "falsches-passwort").status_code
        for n in range(CLIENT.free + 1)
    ]
    assert statuses == [401] * CLIENT.free + [429]
    other = web_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.6"
    assert sign_in(other, COORDINATOR, DEMO_PASSWORD).status_code == 302


def test_behind_a_proxy_clients_are_told_apart_by_x_forwarded_for(web_app: Flask) -> None:
    proxied = create_app({**web_app.config, "QUALIZYKLUS_PROXY_COUNT": 1})
    try:
        client = proxied.test_client()
        client.environ_base["REMOTE_ADDR"] = "10.0.0.1"  # the proxy, the same for everyone
        client.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.5"
        for n in range(CLIENT.free):
            sign_in(client, f"person{n}@example.org", "falsches-passwort")
        assert sign_in(client, "fresh@example.org", "falsches-passwort").status_code == 429
        other = proxied.test_client()
        other.environ_base["REMOTE_ADDR"] = "10.0.0.1"
        other.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.6"
        assert sign_in(other, COORDINATOR, DEMO_PASSWORD).status_code == 302
    finally:
        proxied.extensions["qualizyklus"].close()
