"""API test fixtures: the demo in a real SQLite file (copied per test), bearer tokens, and a
client that checks every response against the OpenAPI spec the app serves."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest
import schemathesis
from flask import Flask
from werkzeug.test import TestResponse

from engine.application.service import Qualizyklus
from engine.application.tokens import create_token
from engine.demo.networks import DEMO_ORGANISATIONS
from web.attachments import organisation_files

OWN = DEMO_ORGANISATIONS[0]  # lk-musterland
OTHER = DEMO_ORGANISATIONS[1]  # beispielstadt
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def api_app(web_app: Flask) -> Flask:
    """The web application on a fresh copy of the demo store (as for the web tests)."""
    return web_app


def engine_of(app: Flask) -> Qualizyklus:
    """The engine behind the app."""
    found: Qualizyklus = app.extensions["qualizyklus"]
    return found


def person_id(slug: str, role: str) -> str:
    """The demo person with this role in this organisation."""
    demo = next(o for o in DEMO_ORGANISATIONS if o.slug == slug)
    return next(p for p in demo.people if p.role == role).person_id(slug)


def new_token(app: Flask, slug: str, role: str, **options: Any) -> str:
    """A fresh token's secret, created by the organisation's coordinator."""
    engine = engine_of(app)
    organisation = engine.organisation_by_slug(slug)
    created = create_token(
        engine,
        UUID(organisation["id"]),
        actor_id=person_id(slug, "coordinator"),
        role=role,
        name=f"test {role}",
        **options,
    )
    return created.secret


_SPEC: dict[str, Any] = {}


def spec_schema(app: Flask) -> Any:
    """The served spec as a schemathesis schema (loaded once per run)."""
    if "schema" not in _SPEC:
        _SPEC["schema"] = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return _SPEC["schema"]


@dataclass
class Api:
    """A client for the API that checks every response against the spec.

    Responses to requests the spec has no operation for (an unknown path) must still be
    problem details.
    """

    app: Flask
    secret: str | None

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> TestResponse:
        """Send a request (with the bearer token) and validate the answer."""
        sent = dict(headers or {})
        if self.secret is not None:
            sent.setdefault("Authorization", f"Bearer {self.secret}")
        client = self.app.test_client()
        response = client.open(path, method=method, headers=sent, **kwargs)
        check_response(self.app, method, path, response)
        return response

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        """GET."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        """POST."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        """PUT."""
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        """DELETE."""
        return self.request("DELETE", path, **kwargs)

    def version(self, path: str) -> str:
        """The ETag of a resource (to send back in If-Match)."""
        response = self.get(path)
        assert response.status_code == 200, response.get_data(as_text=True)
        return str(response.headers["ETag"])


def check_response(app: Flask, method: str, path: str, response: TestResponse) -> None:
    """The response conforms to the spec: status, content type, body schema, headers."""
    operation = spec_schema(app).find_operation_by_path(method, path.split("?", 1)[0])
    if response.status_code >= 400:
        assert response.mimetype == PROBLEM_JSON, (response.status_code, response.data[:300])
        body = response.get_json()
        assert body["status"] == response.status_code
        assert "Traceback" not in response.get_data(as_text=True)
    if operation is not None:
        operation.validate_response(response)


@pytest.fixture
def coordinator(api_app: Flask) -> Api:
    """The API as a coordinator's token of lk-musterland."""
    return Api(api_app, new_token(api_app, OWN.slug, "coordinator"))


@pytest.fixture
def contributor(api_app: Flask) -> Api:
    """The API as a contributor's token of lk-musterland."""
    return Api(api_app, new_token(api_app, OWN.slug, "contributor"))


@pytest.fixture
def viewer(api_app: Flask) -> Api:
    """The API as a viewer's token of lk-musterland."""
    return Api(api_app, new_token(api_app, OWN.slug, "viewer"))


@pytest.fixture
def other(api_app: Flask) -> Api:
    """The API as a coordinator's token of beispielstadt (another tenant)."""
    return Api(api_app, new_token(api_app, OTHER.slug, "coordinator"))


@pytest.fixture
def anonymous(api_app: Flask) -> Api:
    """The API without credentials."""
    return Api(api_app, None)


def cycles(api: Api, slug: str = OWN.slug) -> list[dict[str, Any]]:
    """An organisation's cycles, newest first."""
    response = api.get(f"/api/v1/organisations/{slug}/cycles")
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.get_json()
    return found


def uploaded(app: Flask, slug: str, content: bytes) -> str:
    """Store content as the organisation's upload (through the pages; the API has no upload)
    and return its SHA-256."""
    organisation_id = engine_of(app).organisation_by_slug(slug)["id"]
    store = organisation_files(app.config, organisation_id)
    return store.store(io.BytesIO(content), limit=len(content)).sha256


def running_cycle(api: Api, slug: str = OWN.slug) -> str:
    """The id of the organisation's running cycle (the demo's newest)."""
    return str(cycles(api, slug)[0]["id"])
