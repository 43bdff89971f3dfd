"""The one cookie of the parents' pages: a half-filled form, signed and bound to one survey.

It holds the answers given so far (option ids and texts) and nothing else; it lives on the
parent's device only, is limited to the survey's own path, and is cleared once the answers
are sent.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

COOKIE = "survey_draft"
MAX_AGE = 14 * 24 * 3600
"""Two weeks: long enough to finish later, no longer."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-draft")


def load(survey_id: str) -> dict[str, Any]:
    """The draft of this survey from the request's cookie (empty if none, foreign or forged)."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {"choices": {}, "texts": {}}
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return {"choices": {}, "texts": {}}
    if not isinstance(data, dict) or data.get("survey") != survey_id:
        return {"choices": {}, "texts": {}}
    return {"choices": dict(data.get("choices") or {}), "texts": dict(data.get("texts") or {})}


def save(response: Response, survey_id: str, path: str, draft: dict[str, Any]) -> None:
    """Keep the draft in the cookie of the survey's path."""
    value = _serializer().dumps({"survey": survey_id, **draft})
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        path=path,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )


def sent() -> bool:
    """Whether the browser sent a draft (only then is there one to forget: an answer given on
    one page without a draft sets no cookie at all)."""
    return COOKIE in request.cookies


def clear(response: Response, path: str) -> None:
    """Forget the draft (after sending)."""
    response.delete_cookie(COOKIE, path=path)
