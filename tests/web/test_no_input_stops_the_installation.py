"""No input can stop the installation: a NUL (or another control character) is refused at the
edge with an error naming the field, and an event the read models cannot take stops neither
other organisations' pages nor the follower; the administrator sees what was set aside.

The PostgreSQL tests run the web application on a real PostgreSQL database with the demo
loaded (PostgreSQL's text cannot hold NUL: there the hole was).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.demo.networks import DEMO_REFERENCE_DAY
from engine.readmodels import Follower, read_model
from engine.readmodels import view as projection_view
from tests.api.conftest import OTHER, OWN, Api, engine_of, new_token
from tests.conftest import PostgresServer, put_demo, shared_folder
from tests.engine.stories import Network
from tests.engine.test_set_aside import (
    CYCLE_STARTED,
    as_an_older_version,
    bad_start,
    fixed_cycle_started,
)
from tests.web.conftest import ADMIN, get, post_form, sign_in
from web.app import create_app

START = {
    "themes": ["impact-orientation"],
    "period_start": "2027-01-01",
    "period_end": "2027-12-31",
}


@pytest.fixture(scope="module")
def postgres_demo(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PostgreSQL schema with the demo, for this module (a copy of the run's template)."""
    schema = f"t_{secrets.token_hex(6)}"
    with postgres_server.connect() as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = postgres_server.url(schema)
    shared = shared_folder(tmp_path_factory)
    put_demo(url, shared, today=DEMO_REFERENCE_DAY, server=postgres_server)
    return url


@pytest.fixture
def pg_app(postgres_demo: str, tmp_path: str) -> Iterator[Flask]:
    """The web application on the PostgreSQL demo (each test sees the others' writes)."""
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": postgres_demo,
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": f"{tmp_path}/attachments",
        }
    )
    yield app
    engine_of(app).close()


def organisation_etag(api: Api, slug: str) -> str:
    """The organisation's ETag (If-Match of a new cycle)."""
    return api.version(f"/api/v1/organisations/{slug}")


@pytest.mark.parametrize(
    ("body", "field", "status", "message"),
    [
        ({"title": "Zyklus\u0000über die API"}, "title", 422, "control characters"),
        ({"title": "Zyklus\u001b[31m"}, "title", 422, "control characters"),
        # A lone surrogate makes the body unreadable JSON text: 400, still naming the field.
        ({"title": "Zyklus \ud800"}, "title", 400, "lone surrogate"),
        (
            {"title": "Zyklus", "themes": ["impact-orientation\u0000"]},
            "themes.0",
            422,
            "control characters",
        ),
    ],
)
def test_a_nul_title_through_the_api_on_postgres_is_refused_naming_the_field_and_nothing_written(
    pg_app: Flask, body: dict[str, object], field: str, status: int, message: str
) -> None:
    api = Api(pg_app, new_token(pg_app, OWN.slug, "coordinator"))
    engine = engine_of(pg_app)
    before = engine.recorder.max_notification_id()
    refused = api.post(
        f"/api/v1/organisations/{OWN.slug}/cycles",
        json={**START, **body},
        headers={"If-Match": organisation_etag(api, OWN.slug)},
    )
    assert refused.status_code == status, refused.get_json()
    problem = refused.get_json()
    assert list(problem["errors"]) == [field]
    assert message in problem["errors"][field][0]
    assert engine.recorder.max_notification_id() == before


def test_an_old_nul_event_on_postgres_stops_no_page_and_projects_made_safe(
    pg_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_of(pg_app)
    own = engine.organisation_by_slug(OWN.slug)
    coordinator = next(p for p in OWN.people if p.role == "coordinator")
    with as_an_older_version(monkeypatch):
        old = engine.start_cycle(
            UUID(own["id"]),
            actor_id=coordinator.person_id(OWN.slug),
            title="Alter\u0000Zyklus",
            themes=["impact-orientation"],
            period_start="2028-01-01",
            period_end="2028-12-31",
        )
    other_api = Api(pg_app, new_token(pg_app, OTHER.slug, "coordinator"))
    started = other_api.post(
        f"/api/v1/organisations/{OTHER.slug}/cycles",
        json={**START, "title": "Neuer Zyklus nebenan"},
        headers={"If-Match": organisation_etag(other_api, OTHER.slug)},
    )
    assert started.status_code == 201, started.get_json()

    follower = Follower(engine)
    follower.catch_up()  # what `qualizyklus projections run` does with news
    assert follower.behind() == 0
    assert follower.view.set_aside_events() == []
    titles = {
        row["cycle_id"]: row["title"]
        for row in read_model(engine).query("SELECT cycle_id, title FROM qz_cycles")
    }
    assert titles[started.get_json()["id"]] == "Neuer Zyklus nebenan"
    assert titles[str(old)] == "Alter\ufffdZyklus"

    client = pg_app.test_client()
    other_coordinator = next(p for p in OTHER.people if p.role == "coordinator")
    sign_in(client, other_coordinator.email)
    page = get(client, f"/o/{OTHER.slug}/")
    assert page.status_code == 200
    assert "Neuer Zyklus nebenan" in page.get_data(as_text=True)
    own_client = pg_app.test_client()
    sign_in(own_client, coordinator.email)
    assert get(own_client, f"/o/{OWN.slug}/").status_code == 200


def test_an_event_set_aside_on_postgres_shows_on_the_admin_page_and_pages_go_on(
    pg_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_of(pg_app)
    Follower(engine).catch_up()
    coordinator = next(p for p in OWN.people if p.role == "coordinator")

    own = Network(
        UUID(engine.organisation_by_slug(OWN.slug)["id"]),
        coordinator=coordinator.person_id(OWN.slug),
    )
    broken = bad_start(engine, own, monkeypatch, themes=["impact-orientation"])
    other_api = Api(pg_app, new_token(pg_app, OTHER.slug, "coordinator"))
    started = other_api.post(
        f"/api/v1/organisations/{OTHER.slug}/cycles",
        json={**START, "title": "Nach dem kaputten Zyklus"},
        headers={"If-Match": organisation_etag(other_api, OTHER.slug)},
    )
    assert started.status_code == 201

    client = pg_app.test_client()
    other_coordinator = next(p for p in OTHER.people if p.role == "coordinator")
    sign_in(client, other_coordinator.email)
    page = get(client, f"/o/{OTHER.slug}/")  # reads the read models, catching up first
    assert page.status_code == 200
    assert "Nach dem kaputten Zyklus" in page.get_data(as_text=True)

    admin = pg_app.test_client()
    sign_in(admin, ADMIN)
    html = get(admin, "/admin/").get_data(as_text=True)
    assert "Zurückgestellte Ereignisse (1)" in html
    assert str(broken) in html
    assert CYCLE_STARTED in html
    assert "ValueError" in html

    fixed = {**projection_view.HANDLERS_BY_TOPIC, CYCLE_STARTED: fixed_cycle_started}
    monkeypatch.setattr(projection_view, "HANDLERS_BY_TOPIC", fixed)
    assert Follower(engine).retry().applied == 1
    assert "Kein Ereignis ist zurückgestellt." in get(admin, "/admin/").get_data(as_text=True)


@pytest.mark.parametrize("title", ["Zyklus\x00", "Zyklus\x08", "Zyklus\x85"])
def test_a_control_character_in_a_form_field_gives_an_error_at_that_field(
    client: FlaskClient, web_app: Flask, title: str
) -> None:
    coordinator = next(p for p in OWN.people if p.role == "coordinator")
    sign_in(client, coordinator.email)
    engine = engine_of(web_app)
    before = engine.recorder.max_notification_id()
    page = f"/o/{OWN.slug}/cycles/new"
    refused = post_form(
        client,
        page,
        page,
        {
            "title": title,
            "themes": "impact-orientation",
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400  # a refused form, shown again
    assert 'id="title-error"' in html
    error = html.split('id="title-error"', 1)[1].split("</p>", 1)[0]
    assert "Steuerzeichen" in error
    assert engine.recorder.max_notification_id() == before
