"""The JSON API under /api/v1: flask-smorest, described by OpenAPI, problem details for errors.

``init_app(app)`` mounts it; the factory calls it after the UI's error pages are registered,
so that the API's error handlers can take over API requests only (web/api/errors.py).
"""

from __future__ import annotations

import http
from typing import Any

from flask import Flask
from flask_smorest import Api  # type: ignore[import-untyped]
from flask_smorest.utils import prepare_response  # type: ignore[import-untyped]

from web.api import errors
from web.api.schemas import ProblemSchema

TITLE = "Qualizyklus API"
VERSION = "1.0.0"
PREFIX = errors.PREFIX


class QualizyklusApi(Api):
    """flask-smorest's Api with problem details as the documented shape of every error."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        """Installed by ``init_app`` beside the UI's handlers instead (see errors.install)."""

    def _register_responses(self) -> None:
        """Every error response is application/problem+json with the problem schema."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, errors.PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default: dict[str, Any] = {
            "description": "An error, as problem details (RFC 9457)",
            "schema": self.ERROR_SCHEMA,
        }
        prepare_response(default, self.spec, errors.PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


SPEC_OPTIONS: dict[str, Any] = {
    "info": {
        "description": (
            "Everything the Qualizyklus UI does, for machines. Authenticate with a bearer "
            "token (created by a coordinator: members page or `qualizyklus tokens create`), or "
            "from the browser with the session cookie and the page's CSRF token in X-CSRFToken. "
            'Reads answer ETag: "<version>"; writes need it back in If-Match (412 when stale, '
            "428 when missing). Every error is application/problem+json. Lists are paginated "
            "(page, per_page) with Link headers."
        ),
    },
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer"},
            "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "qualizyklus_session"},
        }
    },
    "security": [{"bearerAuth": []}, {"sessionCookie": []}],
}


def init_app(app: Flask) -> QualizyklusApi:
    """Mount the API, its spec (/api/v1/openapi.json) and its page of operations (/api/v1/)."""
    from web.api import (
        analysis,
        audit,
        cycles,
        docs,
        exports,
        free_texts,
        organisations,
        overview,
        phases,
        plans,
        records,
        sessions,
        settings,
        surveys,
        theme_records,
        themes,
        uploads,
    )
    from web.api.common import API_BLUEPRINTS

    app.config.setdefault("API_TITLE", TITLE)
    app.config.setdefault("API_VERSION", VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", SPEC_OPTIONS)
    api = QualizyklusApi(app)
    for module in (
        themes,
        organisations,
        cycles,
        analysis,
        plans,
        records,
        phases,
        audit,
        exports,
        settings,
        overview,
        uploads,
        sessions,
        surveys,
        theme_records,
    ):
        assert module.blueprint in API_BLUEPRINTS
    assert free_texts.blueprint in API_BLUEPRINTS
    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=PREFIX)
    app.register_blueprint(docs.blueprint, url_prefix=PREFIX)
    errors.install(app)
    app.extensions["qualizyklus-api"] = api
    return api
