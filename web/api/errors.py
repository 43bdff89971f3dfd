"""One JSON shape for every error of the API: RFC 9457 problem details.

``{"type", "title", "status", "detail", "code"}``, plus ``errors`` (field -> messages) for
invalid input and ``reasons`` for a refused phase change. The handlers are installed on the
application beside the UI's error pages: a request under the API's prefix gets problem+json,
every other request the page it got before. No stack trace ever reaches a client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException, InternalServerError

from engine.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    GateRefused,
    InvalidInput,
    NotAllowedInPhase,
    NotFound,
    PluginFailed,
    StoreDamaged,
    StoreUnavailable,
)
from web.problems import ApiProblem
from web.schema_messages import german, german_messages

PROBLEM_JSON = "application/problem+json"
PREFIX = "/api/v1"
TYPE_BASE = "https://qualizyklus.de/problems/"
"""Problem types are URIs under this base, ending in the engine's stable error code."""
GERMAN_DETAIL = {
    400: "Die Anfrage ist fehlerhaft.",
    401: "Bitte melden Sie sich an oder senden Sie einen gültigen Token.",
    403: "Dafür fehlt Ihnen die Berechtigung.",
    404: "Nicht gefunden.",
    405: "Diese Methode ist für diese Adresse nicht erlaubt.",
    406: "Diese Antwortform kann nicht geliefert werden.",
    409: "Die Anfrage steht im Widerspruch zum aktuellen Stand.",
    412: "Die gesendete Version ist nicht die gespeicherte.",
    413: "Der Inhalt der Anfrage ist zu groß.",
    415: "Dieses Inhaltsformat wird nicht angenommen.",
    422: "Die Daten der Anfrage sind ungültig.",
    428: "Diese Anfrage braucht die gelesene Version im Kopf If-Match.",
    429: "Zu viele Anfragen; bitte versuchen Sie es später erneut.",
    500: "Ein unerwarteter Fehler ist aufgetreten. Er wurde protokolliert.",
    503: "Der Dienst ist gerade nicht erreichbar; bitte später erneut versuchen.",
}
"""The German detail of a problem whose cause gave none of its own, by status."""


def is_api_request() -> bool:
    """Whether the current request is addressed to the API."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def problem(
    status: int,
    code: str | None,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem-details response."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": f"{TYPE_BASE}{code}" if code else "about:blank",
        "title": phrase,
        "status": status,
        "detail": detail,
        "code": code or _slug(phrase),
    }
    body.update({key: value for key, value in extra.items() if value is not None})
    fallback = GERMAN_DETAIL[500 if status >= 500 else 400]
    body.setdefault("detail_de", GERMAN_DETAIL.get(status, fallback))
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(dict(headers or {}))
    response.headers["Cache-Control"] = "no-store"
    return response


def _slug(phrase: str) -> str:
    return phrase.lower().replace(" ", "-").replace("'", "")


def domain_status(error: DomainError) -> int:
    """The HTTP status of an engine refusal."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, Conflict):
        return 412  # the If-Match version is not (or no longer) the stored one
    if isinstance(error, InvalidInput):
        return 422
    if isinstance(error, GateRefused | NotAllowedInPhase | PluginFailed):
        return 409
    if error.code == "import-refused":
        return 422
    return 409


def domain_problem(error: DomainError) -> Response:
    """An engine refusal as problem details (both languages; English as ``detail``)."""
    status = domain_status(error)
    extra: dict[str, Any] = {"detail_de": error.de}
    headers: dict[str, str] = {}
    if isinstance(error, InvalidInput):
        extra["errors"] = input_errors(error, "en")
        extra["errors_de"] = input_errors(error, "de")
        extra["detail_de"] = "; ".join(
            f"{name}: {' '.join(found)}" for name, found in extra["errors_de"].items()
        )
    if isinstance(error, GateRefused):
        extra["reasons"] = [reason.as_dict() for reason in error.reasons]
    if isinstance(error, Conflict):
        extra["code"] = "precondition-failed"
        if error.actual is not None:
            headers["ETag"] = f'"{error.actual}"'
    if isinstance(error, NotFound):  # the same answer whether missing or hidden
        return problem(404, "not-found", "Not found.", detail_de="Nicht gefunden.")
    code = extra.pop("code", error.code)
    return problem(status, code, error.en, headers=headers, **extra)


SEND_IDS = {
    "en": "Send one of these ids: {ids}.",
    "de": "Senden Sie eine dieser Kennungen: {ids}.",
}
"""What a client is told when the engine's message names labels (a scale's levels) only."""


def input_errors(error: InvalidInput, language: str) -> dict[str, list[str]]:
    """Every problem of an engine refusal by field, in English or German; where the message
    names labels, the ids to send follow."""
    found: dict[str, list[str]] = {}
    for one in error.problems:
        message = one.field_de if language == "de" else one.field_en
        if language == "de":
            message = german(message)
        if one.allowed:
            ids = ", ".join(one.allowed)
            message = f"{message.rstrip('.')}. {SEND_IDS[language].format(ids=ids)}"
        found.setdefault(one.field, []).append(message)
    return found


def http_problem(error: HTTPException) -> Response:
    """An HTTP error (routing, parsing, our own ``ApiProblem``) as problem details."""
    status = error.code or 500
    if isinstance(error, ApiProblem):
        return problem(
            status,
            error.problem_code,
            str(error.description),
            headers=error.extra_headers,
            **error.extra,
        )
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    messages = data.get("messages")
    if messages is not None:  # webargs: invalid request data
        errors = field_errors(messages)
        return problem(
            422,
            "invalid-input",
            "The request's data is invalid.",
            headers=headers,
            errors=errors,
            errors_de=german_messages(errors),
            detail_de=invalid_data_de(errors),
        )
    detail = HTTPStatus(status).description if status in HTTPStatus._value2member_map_ else ""
    return problem(status, None, detail or str(error.description), headers=headers)


def invalid_data_de(errors: dict[str, list[str]]) -> str:
    """The German detail of invalid request data: each field with its messages in German."""
    listed = "; ".join(
        f"{name}: {' '.join(found)}" for name, found in german_messages(errors).items()
    )
    return (
        f"Die Daten der Anfrage sind ungültig ({listed})."
        if listed
        else ("Die Daten der Anfrage sind ungültig.")
    )


def field_errors(messages: Any) -> dict[str, list[str]]:
    """webargs' nested messages ({location: {field: [...]}}) as {dotted.field: [messages]}."""
    found: dict[str, list[str]] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            found.setdefault(path or "_schema", []).extend(value)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, f"{path}.{index}")
        else:
            found.setdefault(path or "_schema", []).append(str(value))

    if isinstance(messages, dict):
        for location, by_field in messages.items():
            # The location (json, query, headers) is left out: the spec says where a field goes.
            walk(by_field, "" if location in ("json", "query", "headers", "path") else location)
    else:
        walk(messages, "")
    return found


def unavailable_problem(error: StoreUnavailable) -> Response:
    """The database cannot be reached: 503 with Retry-After (the request may be repeated)."""
    return problem(
        503,
        error.code,
        error.en,
        headers={"Retry-After": str(error.retry_after)},
        detail_de=error.de,
    )


def damaged_problem(error: StoreDamaged) -> Response:
    """Stored data failed verification: 500 naming it (``store-damaged``), logged."""
    current_app.logger.error("stored data failed verification: %s", error.detail, exc_info=error)
    return problem(500, error.code, error.en, detail_de=error.de)


def unexpected_problem(error: Exception) -> Response:
    """Anything else: logged with its trace on the server, a plain 500 for the client."""
    current_app.logger.exception("unexpected error in the API", exc_info=error)
    return problem(500, None, "An unexpected error occurred. It has been logged.")


Handler = Callable[[Any], Any]


def install(app: Flask) -> None:
    """Answer API requests with problem details; leave every other request to the UI's pages.

    Flask keeps one handler per exception class, so the UI's handlers (registered earlier
    by the factory) are wrapped: an API request gets problem+json, any other the old answer.
    """
    registered = app.error_handler_spec.setdefault(None, {}).setdefault(None, {})
    for exception_class, ours in (
        (HTTPException, http_problem),
        (DomainError, domain_problem),
        (StoreUnavailable, unavailable_problem),
        (StoreDamaged, damaged_problem),
        (Exception, unexpected_problem),
    ):
        previous = registered.get(exception_class)
        app.register_error_handler(exception_class, _either(ours, previous))


def _either(ours: Handler, previous: Handler | None) -> Handler:
    def handle(error: Any) -> Any:
        if is_api_request():
            try:
                return ours(error)
            except Exception:
                current_app.logger.exception("error while reporting an API error")
                return problem(500, None, "An unexpected error occurred. It has been logged.")
        if previous is not None:
            return previous(error)
        if isinstance(error, HTTPException):
            return error
        return InternalServerError()

    return handle
