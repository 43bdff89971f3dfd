"""Everyone lands where they work: after signing in and at "/".

The administrator on the administration, a state coordinator on the Land's view, a member of
one organisation on its page, a member of several on a choice; a safe ``next`` goes first, an
unsafe one (another site, a scheme, backslashes) is ignored.
"""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import SYSTEM_ACTOR, Qualizyklus
from engine.application.state_office import state_office
from engine.demo.networks import DEMO_PASSWORD
from engine.infrastructure.passwords import hash_password
from tests.web.conftest import ADMIN, COORDINATOR, OTHER_COORDINATOR, get, post_form, sign_in

PASSWORD = "ein langes Passwort für Tests"


@pytest.fixture
def app(web_app: Flask) -> Qualizyklus:
    engine: Qualizyklus = web_app.extensions["qualizyklus"]
    return engine


def person_id(app: Qualizyklus, email: str) -> str:
    profile = app.profiles.by_email(email)
    assert profile is not None
    return str(profile["person_id"])


def landing(client: FlaskClient, email: str, password: str | None = None) -> str:
    """Where signing in leads, and check that "/" leads there too."""
    signed_in = sign_in(client, email, password) if password else sign_in(client, email)
    assert signed_in.status_code == 302
    first = signed_in.headers["Location"]
    if first == "/":
        first = get(client, "/").headers.get("Location", "/")
    return first


def test_the_administrator_lands_on_the_administration(client: FlaskClient) -> None:
    assert landing(client, ADMIN) == "/admin/"
    assert get(client, "/admin/").status_code == 200


def test_a_state_coordinator_lands_on_the_lands_view(client: FlaskClient, app: Qualizyklus) -> None:
    app.profiles.put("person-lako", display_name="LaKo Niedersachsen", email="lako@ni.example")
    app.profiles.set_password_hash("person-lako", hash_password(PASSWORD))
    state_office(app).grant("person-lako", "NI")

    assert landing(client, "lako@ni.example", PASSWORD) == "/land"
    assert get(client, "/land").status_code == 200


def test_a_member_of_one_organisation_lands_on_its_page(client: FlaskClient) -> None:
    assert landing(client, COORDINATOR) == "/o/lk-musterland/"


def test_a_member_of_several_organisations_chooses(client: FlaskClient, app: Qualizyklus) -> None:
    other = app.organisation_by_slug("beispielstadt")
    app.grant_role(
        UUID(other["id"]),
        actor_id=SYSTEM_ACTOR,
        member_id=person_id(app, COORDINATOR),
        role="viewer",
        as_administrator=True,
    )

    sign_in(client, COORDINATOR)
    choice = get(client, "/")

    assert choice.status_code == 200
    html = choice.get_data(as_text=True)
    assert 'href="/o/lk-musterland/"' in html and 'href="/o/beispielstadt/"' in html


def test_the_choice_of_organisations_stays_open_to_the_administrator(
    client: FlaskClient,
) -> None:
    sign_in(client, ADMIN)

    page = get(client, "/organisations")

    assert page.status_code == 200
    assert "Meine Organisationen" in page.get_data(as_text=True)


def sign_in_with_next(client: FlaskClient, email: str, target: str) -> str:
    """Sign in from a page that asked for ``next``; where it leads."""
    page = "/login?" + urlencode({"next": target})
    signed_in = post_form(client, page, page, {"email": email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    return signed_in.headers["Location"]


@pytest.mark.parametrize("email", [ADMIN, COORDINATOR])
def test_a_safe_next_wins(client: FlaskClient, email: str) -> None:
    assert sign_in_with_next(client, email, "/reminders?x=1") == "/reminders?x=1"


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/\t/x"],
)
def test_an_unsafe_next_is_ignored(client: FlaskClient, target: str) -> None:
    assert sign_in_with_next(client, OTHER_COORDINATOR, target) == "/"
