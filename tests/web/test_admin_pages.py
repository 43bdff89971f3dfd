"""The installation's administration: only administrators see it (404 for everyone else);
they register organisations, create people and give or take the administration right."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.application.audit import history
from engine.application.service import Qualizyklus
from tests.engine.test_reminders import MailServer
from tests.web.conftest import (
    ADMIN,
    CONTRIBUTOR,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    get,
    post_form,
    sign_in,
)
from tests.web.mailing import link_path, mail_server, mailing, mails_to, set_password
from web.ui.members_forms import row_key

__all__ = ["mail_server", "mailing"]  # fixtures

NEW_PASSWORD = "ein-langes-startpasswort"


@pytest.fixture
def app(web_app: Flask) -> Qualizyklus:
    engine: Qualizyklus = web_app.extensions["qualizyklus"]
    return engine


@pytest.fixture
def admin(client: FlaskClient) -> FlaskClient:
    sign_in(client, ADMIN)
    return client


def person_id(app: Qualizyklus, email: str) -> str:
    profile = app.profiles.by_email(email)
    assert profile is not None
    return str(profile["person_id"])


def post(client: FlaskClient, action: str, data: dict[str, Any]) -> TestResponse:
    return post_form(client, "/admin/", action, data)


def error_of(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    assert found is not None, f"no error next to {field_id}"
    return found.group(1)


def snapshot(app: Qualizyklus) -> tuple[list[UUID], list[dict[str, Any]]]:
    return app.organisation_ids(), app.profiles.everyone()


def test_anonymous_visitors_get_404(client: FlaskClient) -> None:
    assert get(client, "/admin/").status_code == 404


@pytest.mark.parametrize("email", [COORDINATOR, CONTRIBUTOR, VIEWER, OTHER_COORDINATOR])
def test_everyone_but_administrators_gets_404_and_writes_nothing(
    client: FlaskClient, app: Qualizyklus, email: str
) -> None:
    sign_in(client, email)
    before = snapshot(app)
    me = person_id(app, email)
    attempts = [
        (
            "/admin/organisations",
            {
                "org-name": "Kreis X",
                "org-slug": "kreis-x",
                "org-land": "BY",
                "org-coordinator": email,
            },
        ),
        (
            "/admin/people",
            {"person-name": "X", "person-email": "x@example.org", "person-language": "de"},
        ),
        (f"/admin/people/{me}/admin", {f"right-{row_key(me)}-grant": "1"}),
    ]

    assert get(client, "/admin/").status_code == 404
    for action, data in attempts:
        assert post_form(client, "/login", action, data).status_code == 404
    assert snapshot(app) == before
    assert not app.profiles.get(me)["is_admin"]  # type: ignore[index]


def test_administrators_see_organisations_and_people(admin: FlaskClient) -> None:
    response = get(admin, "/admin/")
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))

    assert response.status_code == 200
    assert "Landkreis Musterland lk-musterland Niedersachsen Anna Becker 4 2" in html
    assert "Stadt Beispielstadt beispielstadt Nordrhein-Westfalen Lukas Schmidt" in html
    assert "Jana Wolff j.wolff@musterland.example Landkreis Musterland: Fachkraft" in html
    assert "Demo-Administration (Sie) admin@qualizyklus.example" in html


def test_an_administrator_creates_a_person_and_an_organisation_for_them(
    admin: FlaskClient, app: Qualizyklus, client: FlaskClient, mailing: MailServer
) -> None:
    created = post(
        admin,
        "/admin/people",
        {
            "person-name": "Clara Kühn",
            "person-email": "c.kuehn@kreis-nord.example",
            "person-language": "de",
        },
    )
    assert created.status_code == 302
    clara = person_id(app, "c.kuehn@kreis-nord.example")
    assert not app.profiles.get(clara)["is_admin"]  # type: ignore[index]
    assert app.profiles.get(clara)["password_hash"] == ""  # type: ignore[index]
    [invitation] = mails_to(mailing, "c.kuehn@kreis-nord.example")
    assert invitation["Subject"] == "Qualizyklus: Ihre Einladung – Passwort festlegen"

    registered = post(
        admin,
        "/admin/organisations",
        {
            "org-name": "Landkreis Nord",
            "org-slug": "lk-nord",
            "org-land": "SH",
            "org-coordinator": "c.kuehn@kreis-nord.example",
        },
    )
    assert registered.status_code == 302
    organisation = app.organisation_by_slug("lk-nord")
    assert (organisation["name"], organisation["land"]) == ("Landkreis Nord", "SH")
    assert organisation["members"] == {clara: "coordinator"}
    first = history(app, UUID(organisation["id"]))[0]
    assert (first["event"], first["actor_id"]) == (
        "OrganisationRegistered",
        person_id(app, ADMIN),
    )
    assert "Landkreis Nord" in get(admin, "/admin/").get_data(as_text=True)

    assert set_password(client, link_path(invitation), NEW_PASSWORD).status_code == 302
    sign_in(client, "c.kuehn@kreis-nord.example", NEW_PASSWORD)
    assert get(client, "/o/lk-nord/members").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"org-slug": "Ungültig!"}, "org-slug", "a-z"),
        ({"org-slug": "lk-musterland"}, "org-slug", "schon vergeben"),
        ({"org-coordinator": "niemand@example.org"}, "org-coordinator", "Niemand"),
        ({"org-land": ""}, "org-land", "Land"),
        ({"org-land": "XX"}, "org-land", ""),
        ({"org-name": ""}, "org-name", ""),
    ],
)
def test_a_bad_organisation_is_refused_next_to_the_field_and_nothing_is_written(
    admin: FlaskClient, app: Qualizyklus, changes: dict[str, str], field: str, message: str
) -> None:
    before = snapshot(app)
    data = {
        "org-name": "Landkreis Süd",
        "org-slug": "lk-sued",
        "org-land": "BY",
        "org-coordinator": COORDINATOR,
        **changes,
    }
    response = post(admin, "/admin/organisations", data)

    assert response.status_code == 400
    assert message in error_of(response.get_data(as_text=True), field)
    assert snapshot(app) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person-language": "fr"}, "person-language", ""),
        ({"person-email": COORDINATOR}, "person-email", "schon vergeben"),
        ({"person-email": "ohne-at"}, "person-email", "gültige"),
        ({"person-name": ""}, "person-name", ""),
    ],
)
def test_a_bad_person_is_refused_next_to_the_field_and_nothing_is_written(
    admin: FlaskClient, app: Qualizyklus, changes: dict[str, str], field: str, message: str
) -> None:
    before = snapshot(app)
    data = {
        "person-name": "Dora Dietz",
        "person-email": "d.dietz@example.org",
        "person-language": "de",
        **changes,
    }
    response = post(admin, "/admin/people", data)

    assert response.status_code == 400
    assert message in error_of(response.get_data(as_text=True), field)
    assert snapshot(app) == before


def test_an_administrator_gives_and_takes_the_administration_right(
    admin: FlaskClient, app: Qualizyklus, client: FlaskClient
) -> None:
    anna = person_id(app, COORDINATOR)
    field = f"right-{row_key(anna)}-grant"

    assert post(admin, f"/admin/people/{anna}/admin", {field: "1"}).status_code == 302
    assert app.profiles.get(anna)["is_admin"]  # type: ignore[index]
    assert post(admin, f"/admin/people/{anna}/admin", {field: "0"}).status_code == 302
    assert not app.profiles.get(anna)["is_admin"]  # type: ignore[index]


def test_a_new_administrator_sees_the_administration(admin: FlaskClient, app: Qualizyklus) -> None:
    anna = person_id(app, COORDINATOR)
    post(admin, f"/admin/people/{anna}/admin", {f"right-{row_key(anna)}-grant": "1"})

    sign_in(admin, COORDINATOR)
    assert get(admin, "/admin/").status_code == 200


def test_administrators_cannot_take_their_own_right(admin: FlaskClient, app: Qualizyklus) -> None:
    me = person_id(app, ADMIN)
    response = post(admin, f"/admin/people/{me}/admin", {f"right-{row_key(me)}-grant": "0"})

    assert response.status_code == 400
    assert "nicht selbst entziehen" in response.get_data(as_text=True)
    assert app.profiles.get(me)["is_admin"]  # type: ignore[index]
    assert post(admin, "/admin/people/person-unknown/admin", {}).status_code == 404
