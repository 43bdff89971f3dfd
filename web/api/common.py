"""What every resource module of the API shares: its blueprint, the error docs, command results.

Each blueprint authenticates every request before any view runs (so no route can forget it),
is exempt from the form CSRF check (web/api/auth.py checks the header for session callers),
and documents its errors as problem details.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Request, request
from flask_smorest import Blueprint  # type: ignore[import-untyped]
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from web.api.auth import caller, check_tenancy
from web.api.concurrency import ETAG_HEADER, IF_MATCH_PARAMETER, etag
from web.extensions import csrf
from web.problems import ApiProblem

F = TypeVar("F", bound=Callable[..., Any])

API_BLUEPRINTS: list[Blueprint] = []
"""Every blueprint of the API, in the order they are registered."""


class BodyParser(FlaskParser):
    """webargs' parser, reading JSON bodies through the app's strict reader (web/bodies.py).

    A body that is not JSON where JSON is expected is a 415; one that cannot be decoded or
    parsed safely a 400 (``MalformedBody``), before any of it reaches a schema.
    """

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            if req.content_length or req.headers.get("Transfer-Encoding"):
                raise ApiProblem(
                    415,
                    "unsupported-media-type",
                    "Send the body as application/json.",
                    detail_de="Senden Sie den Inhalt als application/json.",
                )
            return core.missing
        if not req.get_data(cache=True):
            return core.missing  # no body at all: the schema says whether one was needed
        return req.get_json()


class ApiBlueprint(Blueprint):
    """flask-smorest's blueprint with the strict body parser."""

    ARGUMENTS_PARSER = BodyParser()


def api_blueprint(name: str, import_name: str, description: str) -> Blueprint:
    """A blueprint of the API: every request is authenticated, then checked for tenancy."""
    blueprint = ApiBlueprint(name, import_name, description=description)
    blueprint.before_request(_authenticate)
    csrf.exempt(blueprint)
    API_BLUEPRINTS.append(blueprint)
    return blueprint


def _authenticate() -> None:
    caller()
    check_tenancy(request.view_args or {})


def reads(blueprint: Blueprint) -> Callable[[F], F]:
    """Document a read's errors: 401 without credentials, 404 for what the caller cannot see."""

    def decorate(view: F) -> F:
        view = blueprint.alt_response(401, response="UNAUTHORIZED")(view)
        return blueprint.alt_response(404, response="NOT_FOUND")(view)  # type: ignore[no-any-return]

    return decorate


def writes(blueprint: Blueprint) -> Callable[[F], F]:
    """Document a write: If-Match required, and its errors (403, 404, 409, 412, 422, 428)."""

    def decorate(view: F) -> F:
        view = reads(blueprint)(view)
        for status, name in (
            (403, "FORBIDDEN"),
            (409, "CONFLICT"),
            (412, "PRECONDITION_FAILED"),
            (422, "UNPROCESSABLE_ENTITY"),
            (428, "PRECONDITION_REQUIRED"),
        ):
            view = blueprint.alt_response(status, response=name)(view)
        return blueprint.doc(parameters=[IF_MATCH_PARAMETER])(view)  # type: ignore[no-any-return]

    return decorate


VERSIONED = {"ETag": ETAG_HEADER}
"""Headers of a response that carries the aggregate's version."""


def result(
    aggregate_id: object, version: int, item_id: str | None = None, status: int = 200
) -> tuple[dict[str, Any], int, dict[str, str]]:
    """A command's answer: the new version in the body and as ETag."""
    body = {"id": str(aggregate_id), "version": version, "item_id": item_id}
    return body, status, etag(version)
