"""A rating session as a participant sees it on a phone: join by code, rate blind, no account.

The pseudonymous participant id lives in a signed cookie for that one session (its path is the
session's own address, it ends with the session). Plain forms, no JavaScript: the whole round is
one form with one radio group per criterion, saved by one button; a changed mind replaces the
earlier rating. A criterion's distribution appears only after the facilitator revealed it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from engine.application.rating_session_codes import normalise_code
from engine.domain.errors import DomainError, InvalidInput, NotFound
from engine.domain.rating_sessions import FIELDS, SessionRefused, TooManyRequests
from web.feedback import tell
from web.services import engine
from web.ui import blueprint
from web.ui.common import refusal_text

COOKIE_PREFIX = "qz_session_"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="rating-session")


def _client() -> str:
    return request.remote_addr or ""


def participant_of(code: str) -> str | None:
    """The participant id the signed cookie holds for this session's code, if any."""
    raw = request.cookies.get(COOKIE_PREFIX + code)
    if not raw:
        return None
    try:
        found = _signer().loads(raw)
    except BadSignature:
        return None
    return found if isinstance(found, str) else None


def _target(code: str) -> tuple[UUID, str]:
    try:
        return engine().find_session(code, client=_client())
    except TooManyRequests as error:
        abort(Response(_refused_page(refusal_text(error)), 429))
    except NotFound:
        abort(404)


def _refused_page(message: str) -> str:
    return render_template("ui/session_refused.html", message=message)


@blueprint.get("/s")
def session_code() -> Response | tuple[str, int] | str:
    """Where a participant types the session's code."""
    typed = request.args.get("code", "")
    if typed:
        code = normalise_code(typed)
        try:
            engine().find_session(code, client=_client())
        except TooManyRequests as error:
            page = render_template("ui/session_code.html", error=refusal_text(error), typed=typed)
            return page, 429
        except NotFound as error:
            return render_template("ui/session_code.html", error=refusal_text(error), typed=typed)
        return redirect(url_for("ui.session_page", code=code))
    return render_template("ui/session_code.html", error="", typed="")


@blueprint.get("/s/<code>")
def session_page(code: str) -> tuple[str, int] | str:
    """Join (without the cookie) or rate the current round's criteria (with it)."""
    cycle_id, session_id = _target(code)
    participant = participant_of(code)
    view = engine().participant_view(cycle_id, session_id, participant_id=participant or "")
    if not view["open"]:
        return _refused_page(_closed_text(view)), 410
    if view["joined_as"] is None:
        return render_template("ui/session_join.html", view=view, fields=FIELDS, error=""), 200
    return render_template("ui/session_rate.html", view=view, errors={}), 200


def _closed_text(view: dict[str, Any]) -> str:
    if view["closed"]:
        return str(_("Diese Sitzung ist beendet. Vielen Dank fürs Mitmachen!"))
    return str(_("Diese Sitzung ist abgelaufen oder nimmt gerade keine Einschätzungen an."))


@blueprint.post("/s/<code>/join")
def session_join(code: str) -> Response | tuple[str, int]:
    """Join as a new pseudonymous participant (a name is optional)."""
    cycle_id, session_id = _target(code)
    field = request.form.get("field", "")
    try:
        engine().count_join(_client())
        joined = engine().join_rating_session(
            cycle_id, session_id, field=field, display_name=request.form.get("display_name", "")
        )
    except TooManyRequests as error:
        return _refused_page(refusal_text(error)), 429
    except SessionRefused as error:
        return _refused_page(refusal_text(error)), 410
    except InvalidInput as error:
        view = engine().participant_view(cycle_id, session_id, participant_id="")
        page = render_template(
            "ui/session_join.html", view=view, fields=FIELDS, error=refusal_text(error)
        )
        return page, 400
    response = redirect(url_for("ui.session_page", code=normalise_code(code)))
    response.set_cookie(
        COOKIE_PREFIX + normalise_code(code),
        _signer().dumps(joined.participant_id),
        max_age=2 * 24 * 3600,
        path=f"/s/{normalise_code(code)}",
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


@blueprint.post("/s/<code>/rate")
def session_rate(code: str) -> Response | tuple[str, int]:
    """Save the round's ratings given in the form (each criterion once; a new one replaces)."""
    cycle_id, session_id = _target(code)
    participant = participant_of(code)
    if participant is None:
        return redirect(url_for("ui.session_page", code=code))
    view = engine().participant_view(cycle_id, session_id, participant_id=participant)
    errors: dict[str, str] = {}
    saved = 0
    for item in view["criteria"]:
        given = request.form.get(f"rate-{item['key']}", "")
        try:
            if not given or _same(item, given):
                continue
            engine().rate_in_session(
                cycle_id,
                session_id,
                participant_id=participant,
                theme_id=item["theme_id"],
                criterion_id=item["criterion_id"],
                value=_value(item, given),
            )
            saved += 1
        except SessionRefused as error:
            return _refused_page(refusal_text(error)), 410
        except DomainError as error:
            errors[item["key"]] = refusal_text(error)
    if errors:
        view = engine().participant_view(cycle_id, session_id, participant_id=participant)
        return render_template("ui/session_rate.html", view=view, errors=errors), 400
    tell(
        _("Ihre Einschätzungen sind gespeichert.")
        if saved
        else _("Es gab keine neue Einschätzung zu speichern.")
    )
    return redirect(url_for("ui.session_page", code=code))


def _same(item: dict[str, Any], given: str) -> bool:
    return item["mine"] is not None and _value(item, given) == item["mine"]


def _value(item: dict[str, Any], given: str) -> float | str:
    """The chosen level (the form sends its position) as the scale's value."""
    levels = item["levels"]
    if not given.isdigit() or int(given) >= len(levels):
        raise InvalidInput("value", "Diese Stufe gibt es nicht.", "No such level.")
    value: float | str = levels[int(given)]["value"]
    return value
