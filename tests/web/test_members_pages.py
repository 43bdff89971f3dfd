"""The members page: coordinators add people, change roles, remove and erase members, choose
themes; everyone else is refused and nothing is written."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.application.audit import history, verify
from engine.application.service import Qualizyklus
from engine.infrastructure.profiles import pseudonym
from tests.engine.test_reminders import MailServer, body
from tests.web.conftest import (
    CONTRIBUTOR,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    cycle_ids,
    get,
    post_form,
    sign_in,
)
from tests.web.mailing import link_path, mail_server, mailing, mails_to, set_password
from web.ui.members_forms import row_key

__all__ = ["mail_server", "mailing"]  # fixtures

SLUG = "lk-musterland"
MEMBERS = f"/o/{SLUG}/members"
NEW_PASSWORD = "ein-langes-startpasswort"


@pytest.fixture
def app(web_app: Flask) -> Qualizyklus:
    engine: Qualizyklus = web_app.extensions["qualizyklus"]
    return engine


@pytest.fixture
def coordinator(client: FlaskClient) -> FlaskClient:
    sign_in(client, COORDINATOR)
    return client


def person_id(app: Qualizyklus, email: str) -> str:
    profile = app.profiles.by_email(email)
    assert profile is not None
    return str(profile["person_id"])


def organisation(app: Qualizyklus) -> dict[str, Any]:
    return app.organisation_by_slug(SLUG)


def post(client: FlaskClient, action: str, data: dict[str, Any]) -> TestResponse:
    return post_form(client, MEMBERS, f"{MEMBERS}{action}", data)


def error_of(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    assert found is not None, f"no error next to {field_id}"
    return found.group(1)


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_coordinators_see_members_with_name_email_and_role(coordinator: FlaskClient) -> None:
    response = get(coordinator, MEMBERS)
    html = plain(response.get_data(as_text=True))

    assert response.status_code == 200
    assert "Anna Becker (Sie) a.becker@musterland.example Netzwerkkoordination" in html
    assert "Jana Wolff j.wolff@musterland.example Fachkraft / Netzwerkpartner" in html
    assert "Petra König p.koenig@musterland.example Lesezugriff" in html
    assert "Rolle vergeben" in html  # the organisation's recent changes


@pytest.mark.parametrize("email", [CONTRIBUTOR, VIEWER])
def test_contributors_and_viewers_are_refused_and_nothing_is_written(
    client: FlaskClient, app: Qualizyklus, email: str
) -> None:
    sign_in(client, email)
    before = organisation(app)
    people = len(app.profiles.everyone())
    jana = row_key(person_id(app, CONTRIBUTOR))
    member = person_id(app, "m.yilmaz@musterland.example")
    form_page = f"/o/{SLUG}/"
    attempts = [
        ("/add", {"add-email": OTHER_COORDINATOR, "add-role": "viewer"}),
        (
            "/new",
            {
                "new-name": "Neu",
                "new-email": "neu@example.org",
                "new-role": "coordinator",
            },
        ),
        (f"/{member}/role", {f"role-{jana}-role": "coordinator"}),
        (f"/{member}/remove", {f"remove-{jana}-reason": "weg"}),
        (f"/{member}/erase", {f"erase-{jana}-confirm": "y"}),
        ("/themes", {"themes-themes": ["impact-orientation"]}),
    ]

    assert get(client, MEMBERS).status_code == 403
    for action, data in attempts:
        assert post_form(client, form_page, f"{MEMBERS}{action}", data).status_code == 403
    assert organisation(app) == before
    assert len(app.profiles.everyone()) == people
    assert app.profiles.get(member) is not None


def test_another_organisations_coordinator_gets_404(client: FlaskClient, app: Qualizyklus) -> None:
    sign_in(client, OTHER_COORDINATOR)
    before = organisation(app)

    assert get(client, MEMBERS).status_code == 404
    response = post_form(
        client, "/o/beispielstadt/", f"{MEMBERS}/add", {"add-email": VIEWER, "add-role": "viewer"}
    )
    assert response.status_code == 404
    assert organisation(app) == before


def test_a_coordinator_adds_a_new_person_and_changes_the_role_recorded_with_the_actor(
    coordinator: FlaskClient, app: Qualizyklus, client: FlaskClient, mailing: MailServer
) -> None:
    anna = person_id(app, COORDINATOR)
    added = post(
        coordinator,
        "/new",
        {
            "new-name": "Berta Brandt",
            "new-email": "B.Brandt@Musterland.example",
            "new-role": "viewer",
            "new-language": "en",
        },
    )
    assert added.status_code == 302
    berta = person_id(app, "b.brandt@musterland.example")
    assert organisation(app)["members"][berta] == "viewer"
    page = get(coordinator, MEMBERS).get_data(as_text=True)
    assert "Berta Brandt ist jetzt Mitglied: Lesezugriff." in page

    key = row_key(berta)
    changed = post(
        coordinator,
        f"/{berta}/role",
        {f"role-{key}-role": "contributor", f"role-{key}-reason": "Leitet das Elterncafé"},
    )
    assert changed.status_code == 302
    assert organisation(app)["members"][berta] == "contributor"

    entries = history(app, UUID(organisation(app)["id"]))
    granted, promoted = entries[-2], entries[-1]
    assert (granted["event"], granted["actor_id"]) == ("RoleGranted", anna)
    assert granted["changes"] == [{"path": f"members.{berta}", "before": None, "after": "viewer"}]
    assert (promoted["event"], promoted["actor_id"]) == ("RoleGranted", anna)
    assert promoted["reason"] == "Leitet das Elterncafé"
    assert promoted["changes"][0]["after"] == "contributor"

    [invitation] = mails_to(mailing, "b.brandt@musterland.example")
    assert invitation["Subject"] == "Qualizyklus: your invitation – set your password"
    assert "to the organisation “Landkreis Musterland”" in body(invitation)
    assert set_password(client, link_path(invitation), NEW_PASSWORD).status_code == 302
    sign_in(client, "b.brandt@musterland.example", NEW_PASSWORD)
    assert get(client, f"/o/{SLUG}/").status_code == 200


def test_a_coordinator_adds_an_existing_person_by_email(
    coordinator: FlaskClient, app: Qualizyklus
) -> None:
    lukas = person_id(app, OTHER_COORDINATOR)
    response = post(
        coordinator, "/add", {"add-email": OTHER_COORDINATOR.upper(), "add-role": "viewer"}
    )

    assert response.status_code == 302
    assert organisation(app)["members"][lukas] == "viewer"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"add-email": "niemand@example.org", "add-role": "viewer"}, "add-email", "Niemand"),
        ({"add-email": VIEWER, "add-role": "contributor"}, "add-email", "schon Mitglied"),
        ({"add-email": "kein-at-zeichen", "add-role": "viewer"}, "add-email", "gültige"),
        ({"add-email": OTHER_COORDINATOR, "add-role": "boss"}, "add-role", ""),
    ],
)
def test_adding_with_bad_input_shows_the_error_next_to_the_field_and_writes_nothing(
    coordinator: FlaskClient, app: Qualizyklus, data: dict[str, str], field: str, message: str
) -> None:
    before = organisation(app)
    response = post(coordinator, "/add", data)

    assert response.status_code == 400
    assert message in error_of(response.get_data(as_text=True), field)
    assert organisation(app) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"new-language": "fr"}, "new-language", ""),
        ({"new-email": VIEWER}, "new-email", "schon vergeben"),
        ({"new-name": "   "}, "new-name", ""),
    ],
)
def test_a_new_person_with_bad_input_is_refused_next_to_the_field(
    coordinator: FlaskClient, app: Qualizyklus, changes: dict[str, str], field: str, message: str
) -> None:
    before = organisation(app)
    people = len(app.profiles.everyone())
    data = {
        "new-name": "Carla Clausen",
        "new-email": "c.clausen@musterland.example",
        "new-role": "viewer",
        "new-language": "de",
        **changes,
    }
    response = post(coordinator, "/new", data)

    assert response.status_code == 400
    assert message in error_of(response.get_data(as_text=True), field)
    assert organisation(app) == before
    assert len(app.profiles.everyone()) == people


def test_the_last_coordinator_can_be_neither_removed_nor_demoted(
    coordinator: FlaskClient, app: Qualizyklus
) -> None:
    anna = person_id(app, COORDINATOR)
    key = row_key(anna)
    before = organisation(app)

    removed = post(coordinator, f"/{anna}/remove", {f"remove-{key}-reason": "Ruhestand"})
    demoted = post(coordinator, f"/{anna}/role", {f"role-{key}-role": "viewer"})

    assert removed.status_code == demoted.status_code == 400
    refusal = "Die letzte Netzwerkkoordination kann nicht entfernt werden."
    assert refusal in error_of(removed.get_data(as_text=True), f"remove-{key}-reason")
    assert refusal in error_of(demoted.get_data(as_text=True), f"role-{key}-role")
    assert organisation(app) == before


def test_a_member_is_removed_with_a_reason(coordinator: FlaskClient, app: Qualizyklus) -> None:
    mehmet = person_id(app, "m.yilmaz@musterland.example")
    key = row_key(mehmet)

    missing = post(coordinator, f"/{mehmet}/remove", {f"remove-{key}-reason": ""})
    assert missing.status_code == 400
    assert error_of(missing.get_data(as_text=True), f"remove-{key}-reason")
    assert mehmet in organisation(app)["members"]

    removed = post(coordinator, f"/{mehmet}/remove", {f"remove-{key}-reason": "Stelle gewechselt"})
    assert removed.status_code == 302
    assert mehmet not in organisation(app)["members"]
    last = history(app, UUID(organisation(app)["id"]))[-1]
    assert (last["event"], last["reason"]) == ("RoleRevoked", "Stelle gewechselt")
    assert app.profiles.get(mehmet) is not None  # removing is not erasing


def test_unknown_members_get_404(coordinator: FlaskClient) -> None:
    response = post(coordinator, "/person-unknown/remove", {"remove-x-reason": "?"})
    assert response.status_code == 404


def test_the_coordinator_chooses_the_organisations_themes_on_their_own_page(
    coordinator: FlaskClient, app: Qualizyklus
) -> None:
    anna = person_id(app, COORDINATOR)
    theme_ids = sorted(app.themes)
    themes_page = f"/o/{SLUG}/themes"
    assert themes_page in get(coordinator, MEMBERS).get_data(as_text=True)  # linked from here

    none = post_form(coordinator, themes_page, themes_page, {"themes": []})
    assert none.status_code == 400
    assert "mindestens ein Thema" in error_of(none.get_data(as_text=True), "themes")
    assert organisation(app)["themes"] is None

    chosen = post_form(coordinator, themes_page, themes_page, {"themes": theme_ids[:1]})
    assert chosen.status_code == 302
    assert organisation(app)["themes"] == theme_ids[:1]
    last = history(app, UUID(organisation(app)["id"]))[-1]
    assert (last["event"], last["actor_id"]) == ("ThemesChosen", anna)
    page = get(coordinator, themes_page).get_data(as_text=True)
    assert re.search(
        rf'value="{theme_ids[0]}"[^>]*checked|checked[^>]*value="{theme_ids[0]}"', page
    )
    assert "Die Themenauswahl ist gespeichert." in page

    same = post_form(coordinator, themes_page, themes_page, {"themes": theme_ids[:1]})
    assert same.status_code == 400
    assert "schon die gewählte Auswahl" in error_of(same.get_data(as_text=True), "themes")
    assert history(app, UUID(organisation(app)["id"]))[-1] == last


def test_erasing_a_person_leaves_a_pseudonym_in_the_cycle_history_and_the_chain_verifies(
    coordinator: FlaskClient, app: Qualizyklus
) -> None:
    jana = person_id(app, CONTRIBUTOR)
    key = row_key(jana)
    cycle_id = cycle_ids(coordinator, SLUG)[0]

    unconfirmed = post(coordinator, f"/{jana}/erase", {})
    assert unconfirmed.status_code == 400
    assert "bestätigen" in error_of(unconfirmed.get_data(as_text=True), f"erase-{key}-confirm")
    assert app.profiles.get(jana) is not None

    erased = post(coordinator, f"/{jana}/erase", {f"erase-{key}-confirm": "y"})
    assert erased.status_code == 302
    assert app.profiles.get(jana) is None
    assert app.profiles.by_email(CONTRIBUTOR) is None
    assert jana not in organisation(app)["members"]

    page = get(coordinator, f"/o/{SLUG}/cycles/{cycle_id}/history?person={jana}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert pseudonym(jana) in html
    assert "Jana Wolff" not in html and CONTRIBUTOR not in html
    assert "Prüfkette intakt" in html and "gebrochen" not in html
    assert verify(app).ok


def test_a_person_of_another_organisation_cannot_be_erased_here(
    coordinator: FlaskClient, app: Qualizyklus
) -> None:
    lukas = person_id(app, OTHER_COORDINATOR)
    post(coordinator, "/add", {"add-email": OTHER_COORDINATOR, "add-role": "viewer"})
    before = organisation(app)

    response = post(coordinator, f"/{lukas}/erase", {f"erase-{row_key(lukas)}-confirm": "y"})

    assert response.status_code == 400
    message = error_of(response.get_data(as_text=True), f"erase-{row_key(lukas)}-confirm")
    assert "weiteren Organisationen" in message
    assert app.profiles.get(lukas) is not None
    assert organisation(app) == before


def test_coordinators_cannot_erase_themselves(coordinator: FlaskClient, app: Qualizyklus) -> None:
    anna = person_id(app, COORDINATOR)
    response = post(coordinator, f"/{anna}/erase", {f"erase-{row_key(anna)}-confirm": "y"})

    assert response.status_code == 400
    assert app.profiles.get(anna) is not None


def test_a_coordinator_who_steps_down_goes_back_to_the_organisation(
    coordinator: FlaskClient, app: Qualizyklus
) -> None:
    anna = person_id(app, COORDINATOR)
    jana = person_id(app, CONTRIBUTOR)
    post(coordinator, f"/{jana}/role", {f"role-{row_key(jana)}-role": "coordinator"})

    response = post(coordinator, f"/{anna}/role", {f"role-{row_key(anna)}-role": "contributor"})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/o/{SLUG}/"
    assert organisation(app)["members"][anna] == "contributor"
    assert get(coordinator, MEMBERS).status_code == 403
