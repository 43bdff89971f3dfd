"""Tokens: hashed at rest, bound to one organisation and role, expiring, revocable, recorded."""

from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from engine.application.tokens import (
    Token,
    create_token,
    hash_secret,
    revoke_token,
    today,
    token_store,
    tokens_of,
)
from engine.cli.main import main
from engine.demo.networks import DEMO_PASSWORD
from engine.domain.errors import Forbidden
from tests.api.conftest import OWN, Api, engine_of, new_token, person_id

BASE_URL = "https://localhost"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def database_file(app: Flask) -> Path:
    return Path(app.config["QUALIZYKLUS_DATABASE"].removeprefix("sqlite:///"))


def test_only_the_hash_of_a_secret_is_stored(api_app: Flask) -> None:
    secret = new_token(api_app, OWN.slug, "viewer")
    engine_of(api_app).close()  # flush everything to the file
    stored = database_file(api_app).read_bytes()
    assert secret.encode() not in stored
    assert secret.split("_", 1)[1].encode() not in stored
    rows = sqlite3.connect(database_file(api_app)).execute(
        "SELECT secret_hash FROM qualizyklus_api_tokens"
    )
    assert [hash_secret(secret)] == [row[0] for row in rows]


def test_a_token_works_until_it_is_revoked(api_app: Flask) -> None:
    secret = new_token(api_app, OWN.slug, "viewer")
    api = Api(api_app, secret)
    assert api.get(f"/api/v1/organisations/{OWN.slug}").status_code == 200
    engine = engine_of(api_app)
    [token] = [t for t in tokens_of(engine, _organisation_id(api_app)) if t.name == "test viewer"]
    revoke_token(engine, token.token_id, actor_id=person_id(OWN.slug, "coordinator"))
    refused = api.get(f"/api/v1/organisations/{OWN.slug}")
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert token.actor_id not in engine.organisation_by_slug(OWN.slug)["members"]


def test_an_expired_token_is_refused(api_app: Flask) -> None:
    store = token_store(engine_of(api_app))
    secret = "qz_expired-secret-for-the-test"
    for days, name in ((-1, "gestern"), (0, "heute")):
        store.insert(
            Token(
                token_id=f"t{days + 1}",
                organisation_id=_organisation_id(api_app),
                role="viewer",
                name=name,
                created_by="system",
                created_at="2020-01-01T00:00:00+00:00",
                expires_on=today() + timedelta(days=days),
                revoked_at="",
            ),
            hash_secret(secret + name),
        )
    assert Api(api_app, secret + "gestern").get("/api/v1/themes").status_code == 401
    # valid through its last day (themes need no membership)
    assert Api(api_app, secret + "heute").get("/api/v1/themes").status_code == 200


def test_unknown_and_malformed_credentials_are_refused(api_app: Flask) -> None:
    for header in ("Bearer qz_nope", "Bearer ", "Basic abc", "Bearer " + "x" * 500):
        response = Api(api_app, None).get("/api/v1/themes", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_creation_and_revocation_are_in_the_organisations_history(coordinator: Api) -> None:
    engine = engine_of(coordinator.app)
    organisation_id = _organisation_id(coordinator.app)
    created = create_token(
        engine,
        organisation_id,
        actor_id=person_id(OWN.slug, "coordinator"),
        role="contributor",
        name="Berichtswesen",
    )
    revoke_token(engine, created.token.token_id, actor_id=person_id(OWN.slug, "coordinator"))
    history = coordinator.get(f"/api/v1/organisations/{OWN.slug}/history?per_page=100")
    entries = [e for e in history.get_json() if created.token.actor_id in str(e["changes"])]
    assert [(e["event"], e["actor_id"]) for e in entries] == [
        ("RoleGranted", person_id(OWN.slug, "coordinator")),
        ("RoleRevoked", person_id(OWN.slug, "coordinator")),
    ]
    assert all("API" in e["reason"] for e in entries)
    assert created.secret not in history.get_data(as_text=True)
    assert "Berichtswesen" not in history.get_data(as_text=True)  # names stay out of events


def test_only_coordinators_create_and_revoke_tokens(api_app: Flask) -> None:
    engine = engine_of(api_app)
    organisation_id = _organisation_id(api_app)
    with pytest.raises(Forbidden):
        create_token(
            engine,
            organisation_id,
            actor_id=person_id(OWN.slug, "contributor"),
            role="viewer",
            name="x",
        )
    secret = new_token(api_app, OWN.slug, "viewer")
    token = token_store(engine).by_secret(secret)
    assert token is not None
    with pytest.raises(Forbidden):
        revoke_token(engine, token.token_id, actor_id=person_id(OWN.slug, "contributor"))


def test_the_command_line_creates_lists_and_revokes_tokens(
    api_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine_of(api_app).close()
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", api_app.config["QUALIZYKLUS_DATABASE"])
    runner = CliRunner()
    created = runner.invoke(
        main,
        [
            "tokens",
            "create",
            "--org",
            OWN.slug,
            "--role",
            "contributor",
            "--name",
            "Tabellen",
            "--expires",
            (today() + timedelta(days=30)).isoformat(),
        ],
    )
    assert created.exit_code == 0, created.output
    token_id = re.search(r"id: (\w+)", created.output).group(1)  # type: ignore[union-attr]
    secret = re.search(r"secret: (\S+)", created.output).group(1)  # type: ignore[union-attr]
    listed = runner.invoke(main, ["tokens", "list", "--org", OWN.slug])
    assert token_id in listed.output and "Tabellen" in listed.output
    assert secret not in listed.output
    revoked = runner.invoke(main, ["tokens", "revoke", token_id])
    assert revoked.exit_code == 0, revoked.output
    listed = runner.invoke(main, ["tokens", "list", "--org", OWN.slug, "--json"])
    assert '"active": false' in listed.output
    past = runner.invoke(
        main,
        [
            "tokens",
            "create",
            "--org",
            OWN.slug,
            "--role",
            "viewer",
            "--name",
            "x",
            "--expires",
            "2000-01-01",
        ],
    )
    assert past.exit_code != 0


def _organisation_id(app: Flask) -> UUID:
    return UUID(engine_of(app).organisation_by_slug(OWN.slug)["id"])


# The coordinator's page ----------------------------------------------------------------------


def _csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path, base_url=BASE_URL).get_data(as_text=True)
    found = CSRF.search(page)
    assert found is not None, path
    return found.group(1) or found.group(2)


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post(
        "/login",
        data={"csrf_token": _csrf(client, "/login"), "email": email, "password": DEMO_PASSWORD},
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}/login"},
    )
    assert response.status_code == 302


def test_a_coordinator_creates_a_token_on_the_page_and_sees_the_secret_once(
    api_app: Flask,
) -> None:
    client = api_app.test_client()
    sign_in(client, OWN.people[0].email)
    page = f"/o/{OWN.slug}/tokens"
    response = client.post(
        page,
        data={
            "csrf_token": _csrf(client, page),
            "token-name": "Landesauswertung",
            "token-role": "viewer",
            "token-expires_on": "",
        },
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}{page}"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    secret = re.search(r'value="(qz_[^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert response.headers["Cache-Control"] == "no-store"
    assert secret not in client.get(page, base_url=BASE_URL).get_data(as_text=True)
    assert Api(api_app, secret).get(f"/api/v1/organisations/{OWN.slug}").status_code == 200

    token = token_store(engine_of(api_app)).by_secret(secret)
    assert token is not None and token.role == "viewer"
    action = f"/o/{OWN.slug}/tokens/{token.token_id}/revoke"
    revoked = client.post(
        action,
        data={"csrf_token": _csrf(client, page)},
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}{page}"},
    )
    assert revoked.status_code == 302
    assert Api(api_app, secret).get(f"/api/v1/organisations/{OWN.slug}").status_code == 401


def test_the_token_page_is_for_coordinators_of_the_organisation_only(api_app: Flask) -> None:
    client = api_app.test_client()
    sign_in(client, OWN.people[1].email)  # a contributor
    assert client.get(f"/o/{OWN.slug}/tokens", base_url=BASE_URL).status_code == 403
    assert client.get("/o/beispielstadt/tokens", base_url=BASE_URL).status_code == 404
