"""Web test fixtures: the demo installation in a real SQLite file, copied for each test."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.demo.networks import DEMO_PASSWORD

BASE_URL = "https://localhost"
COORDINATOR = "a.becker@musterland.example"
CONTRIBUTOR = "j.wolff@musterland.example"
VIEWER = "p.koenig@musterland.example"
OTHER_COORDINATOR = "l.schmidt@beispiel.example"
ADMIN = "admin@qualizyklus.example"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


@pytest.fixture
def client(web_app: Flask) -> FlaskClient:
    """A browser-like client over HTTPS (secure cookies are sent)."""
    return web_app.test_client()


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    page = client.get(path, base_url=BASE_URL)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found is not None, f"no CSRF token on {path} ({page.status_code})"
    return found.group(1) or found.group(2)


def post_form(
    client: FlaskClient, form_page: str, action: str, data: dict[str, Any], prefix: str = ""
) -> TestResponse:
    """Submit a form as a browser does: with the page's CSRF token and a same-site referrer.

    A form with a ``prefix`` carries its token as ``<prefix>-csrf_token``.
    """
    token = csrf_token(client, form_page)
    token_field = f"{prefix}-csrf_token" if prefix else "csrf_token"
    return client.post(
        action,
        data={token_field: token, **data},
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}{form_page}"},
    )


def sign_in(client: FlaskClient, email: str, password: str = DEMO_PASSWORD) -> TestResponse:
    """Sign in through the form."""
    return post_form(client, "/login", "/login", {"email": email, "password": password})


def get(client: FlaskClient, path: str) -> TestResponse:
    """A GET over HTTPS."""
    return client.get(path, base_url=BASE_URL)


def cycle_ids(client: FlaskClient, slug: str) -> list[str]:
    """The cycle ids linked from an organisation's page, newest first."""
    html = get(client, f"/o/{slug}/").get_data(as_text=True)
    return list(dict.fromkeys(re.findall(rf"/o/{slug}/cycles/([0-9a-f-]{{36}})/", html)))
