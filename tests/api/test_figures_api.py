"""Figures through the API: the dashboard over the years, the caller's reminders, and the
state coordination office's Land view under the page's anonymity rules and access rules."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.application.reminders import DEFAULT_DAYS, member_reminders, today
from engine.application.state_office import state_office
from engine.readmodels import current, queries
from tests.api.conftest import OWN, Api, check_response, engine_of
from tests.api.test_tokens import BASE_URL, sign_in
from tests.web.conftest import ADMIN
from tests.web.test_state_view import LAKO, LAKO_NI, LAND, add_organisation, lako, person

__all__ = ["lako"]  # fixture


def session_get(client: FlaskClient, path: str) -> TestResponse:
    """GET with the browser's session cookie, the answer checked against the spec."""
    response = client.get(path, base_url=BASE_URL)
    check_response(client.application, "GET", path, response)
    return response


def test_the_dashboard_gives_the_pages_figures_over_the_years(viewer: Api) -> None:
    response = viewer.get(f"/api/v1/organisations/{OWN.slug}/dashboard")

    assert response.status_code == 200
    body = response.get_json()
    engine = engine_of(viewer.app)
    organisation_id = engine.organisation_by_slug(OWN.slug)["id"]
    expected = queries.dashboard(
        current(engine).view, organisation_id, on=today(), days=body["days"]
    )
    assert [row["year"] for row in body["years"]] == [row["year"] for row in expected["years"]]
    assert len(body["cycles"]) == len(
        viewer.get(f"/api/v1/organisations/{OWN.slug}/cycles").get_json()
    )
    assert len(body["theme_scores"]) == len(expected["theme_scores"]) > 0
    assert len(body["verdicts"]) == len(expected["verdicts"])
    assert body["lag"] >= 0


def test_reminders_are_the_callers_own(api_app: Flask) -> None:
    engine = engine_of(api_app)
    found = {}
    for someone in OWN.people:
        mine = member_reminders(engine, someone.person_id(OWN.slug), days=DEFAULT_DAYS, on=today())
        found[someone.email] = {r.measure.measure_id for r in mine}
    email, expected = max(found.items(), key=lambda item: len(item[1]))
    assert expected, "the demo has someone with measures due"
    client = api_app.test_client()
    sign_in(client, email)

    response = session_get(client, "/api/v1/reminders")

    assert response.status_code == 200
    rows = response.get_json()
    assert {row["measure_id"] for row in rows} == expected
    assert [row["days"] for row in rows] == sorted(row["days"] for row in rows)
    assert all(row["kind"] == ("overdue" if row["days"] < 0 else "due-soon") for row in rows)


def test_a_token_has_no_reminders_of_people(coordinator: Api) -> None:
    assert coordinator.get("/api/v1/reminders").get_json() == []


def test_the_land_view_keeps_the_pages_anonymity(api_app: Flask, lako: str) -> None:
    engine = engine_of(api_app)
    members = [add_organisation(engine, i, shares=(i == 0)) for i in range(4)]
    client = api_app.test_client()
    sign_in(client, LAKO)

    four = session_get(client, f"/api/v1/lands/{LAND}")

    assert four.status_code == 200
    body = four.get_json()
    assert body["shown"] is False and body["organisations"] is None
    text = four.get_data(as_text=True)
    for member in members:  # not even the one that chose to share
        assert member.name not in text and member.slug not in text
    members.append(add_organisation(engine, 4))
    five = session_get(client, f"/api/v1/lands/{LAND}").get_json()
    assert five["shown"] is True and five["organisations"] == 5
    assert [row["name"] for row in five["shared"]] == [members[0].name]
    # one named beside four that do not share: the theme's figure would give theirs away
    assert five["themes"] == []


def test_only_the_lands_office_and_administrators_see_a_land(
    api_app: Flask, lako: str, coordinator: Api
) -> None:
    engine = engine_of(api_app)
    state_office(engine).grant(person(engine, LAKO_NI, "LaKo Niedersachsen"), "NI")
    other_land = api_app.test_client()
    sign_in(other_land, LAKO_NI)
    refused = session_get(other_land, f"/api/v1/lands/{LAND}")
    assert refused.status_code == 403
    assert session_get(other_land, "/api/v1/lands/NI").status_code == 200
    assert session_get(other_land, "/api/v1/lands").get_json() == [{"code": "NI"}]
    admin = api_app.test_client()
    sign_in(admin, ADMIN)
    assert session_get(admin, f"/api/v1/lands/{LAND}").status_code == 200
    assert session_get(admin, "/api/v1/lands/XX").status_code == 404
    assert {"code": LAND} in session_get(admin, "/api/v1/lands").get_json()
    assert coordinator.get(f"/api/v1/lands/{LAND}").status_code == 404  # a token
    member = api_app.test_client()
    sign_in(member, OWN.people[0].email)
    assert session_get(member, f"/api/v1/lands/{LAND}").status_code == 404
    assert session_get(member, "/api/v1/lands").get_json() == []
    assert coordinator.get("/api/v1/lands").get_json() == []
