"""The session's signing serializer is built once per set of keys, not on every request, and a
rotated secret key still opens the sessions signed with its predecessor (a fallback) while a
cookie signed with an unknown key opens none."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import COORDINATOR, sign_in
from web.cookie_sessions import KeptSerializerSessionInterface


def test_the_serializer_is_kept_while_the_keys_stay_the_same(web_app: Flask) -> None:
    sessions = web_app.session_interface
    assert isinstance(sessions, KeptSerializerSessionInterface)

    first = sessions.get_signing_serializer(web_app)
    assert first is not None and sessions.get_signing_serializer(web_app) is first

    web_app.secret_key = "a-new-secret"
    renewed = sessions.get_signing_serializer(web_app)
    assert renewed is not first and sessions.get_signing_serializer(web_app) is renewed


def test_a_rotated_key_opens_sessions_of_its_fallback_and_not_of_an_unknown_key(
    web_app: Flask, client: FlaskClient
) -> None:
    assert sign_in(client, COORDINATOR).status_code == 302
    assert _signed_in(client)

    web_app.secret_key, web_app.config["SECRET_KEY_FALLBACKS"] = "rotated", ["test-secret"]
    assert _signed_in(client)  # the old key is a fallback

    web_app.secret_key, web_app.config["SECRET_KEY_FALLBACKS"] = "unknown", []
    assert not _signed_in(client)  # signed with keys it does not know


def _signed_in(client: FlaskClient) -> bool:
    """Whether the start page leads the client anywhere but to the sign-in form."""
    start = client.get("/")
    return "/login" not in start.headers.get("Location", "")
