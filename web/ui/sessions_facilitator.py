"""The facilitator's side of a rating session (coordinators): open it, show the code and QR
code on the projector, watch joins and ratings arrive, reveal, open round 2, close, and turn a
discussion note into a finding with one button.

The screen updates itself: a tiny script asks ``…/live.json`` twice a second and swaps in the
server-rendered results when the cycle's version changed. Without JavaScript the page reloads
itself (a meta refresh) and has a reload link.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import segno
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from engine.domain.errors import DomainError
from web.access import CyclePage
from web.feedback import tell
from web.services import engine
from web.ui import blueprint
from web.ui.common import cycle_page, person, refusal_text

BASE = "/o/<slug>/cycles/<cycle_id>/sessions"


def qr_svg(link: str) -> Markup:
    """The join link as an inline SVG QR code (scales for print and projector)."""
    code = segno.make(link, error="m")
    svg = code.svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True)
    return Markup(svg)


def _criteria_choices(page: CyclePage) -> list[dict[str, Any]]:
    choices = []
    for theme_id in page.cycle["themes"]:
        theme = engine().themes.get(theme_id)
        if theme is None:
            continue
        for criterion in theme.criteria:
            choices.append(
                {"key": f"{theme.id}/{criterion.id}", "theme": theme, "criterion": criterion}
            )
    return choices


@blueprint.get(BASE)
@login_required
def sessions(slug: str, cycle_id: str) -> str:
    """The cycle's sessions and a form to open one."""
    page = cycle_page(slug, cycle_id, "moderate")
    return _sessions_page(page, "")


def _sessions_page(page: CyclePage, error: str) -> str:
    return render_template(
        "ui/sessions.html",
        page=page,
        sessions=engine().sessions_of_cycle(page.id, actor_id=person()),
        named=engine().named_participants(page.id, actor_id=person()),
        choices=_criteria_choices(page),
        error=error,
    )


@blueprint.post(BASE)
@login_required
def sessions_open(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Open a session on the chosen criteria, ending after the chosen minutes."""
    page = cycle_page(slug, cycle_id, "moderate")
    minutes = request.form.get("minutes", "120")
    try:
        ends_at = datetime.now(UTC) + timedelta(minutes=int(minutes) if minutes.isdigit() else 0)
        opened = engine().open_rating_session(
            page.id,
            actor_id=person(),
            title=request.form.get("title", ""),
            criteria=request.form.getlist("criteria"),
            ends_at=ends_at,
        )
    except DomainError as error:
        return _sessions_page(page, refusal_text(error)), 400
    tell(_("Die Sitzung ist eröffnet. Code: %(code)s", code=opened["code"]))
    return redirect(_screen_url(page, opened["session_id"]))


def _screen_url(page: CyclePage, session_id: str) -> str:
    return url_for("ui.session_screen", slug=page.slug, cycle_id=page.id, session_id=session_id)


def _results(page: CyclePage, session_id: str) -> dict[str, Any]:
    try:
        return engine().session_results(page.id, session_id, actor_id=person())
    except DomainError:
        abort(404)


@blueprint.get(BASE + "/<session_id>")
@login_required
def session_screen(slug: str, cycle_id: str, session_id: str) -> str:
    """The projector screen: code, QR code, counts, distributions after the reveal."""
    page = cycle_page(slug, cycle_id, "moderate")
    results = _results(page, session_id)
    link = url_for("ui.session_page", code=results["code"], _external=True)
    return render_template(
        "ui/session_screen.html", page=page, results=results, link=link, qr=qr_svg(link)
    )


@blueprint.get(BASE + "/<session_id>/live.json")
@login_required
def session_live(slug: str, cycle_id: str, session_id: str) -> dict[str, Any]:
    """The screen's changing part (counts and results) for the script, with the version."""
    page = cycle_page(slug, cycle_id, "moderate")
    results = _results(page, session_id)
    html = render_template("ui/_session_results.html", page=page, results=results)
    return {
        "version": results["version"],
        "joined": results["joined"],
        "rated": results["rated"],
        "raters": {
            item["key"]: {number: r["raters"] for number, r in item["rounds"].items()}
            for item in results["criteria"]
        },
        "html": html,
    }


def _act(page: CyclePage, session_id: str, command: Any, done: str) -> Response:
    try:
        command()
    except DomainError as error:
        flash(refusal_text(error), "error")
    else:
        tell(done)
    return redirect(_screen_url(page, session_id))


@blueprint.post(BASE + "/<session_id>/reveal")
@login_required
def session_reveal(slug: str, cycle_id: str, session_id: str) -> Response:
    """Reveal the current round's distributions (one criterion, or all)."""
    page = cycle_page(slug, cycle_id, "moderate")
    key = request.form.get("criterion")
    return _act(
        page,
        session_id,
        lambda: engine().reveal_session_results(
            page.id, session_id, actor_id=person(), criteria=[key] if key else None
        ),
        _("Die Ergebnisse sind aufgedeckt."),
    )


@blueprint.post(BASE + "/<session_id>/round")
@login_required
def session_round(slug: str, cycle_id: str, session_id: str) -> Response:
    """Open round 2 for the ticked criteria."""
    page = cycle_page(slug, cycle_id, "moderate")
    return _act(
        page,
        session_id,
        lambda: engine().open_rating_round(
            page.id, session_id, actor_id=person(), criteria=request.form.getlist("criteria")
        ),
        _("Runde 2 ist eröffnet."),
    )


@blueprint.post(BASE + "/<session_id>/close")
@login_required
def session_close(slug: str, cycle_id: str, session_id: str) -> Response:
    """End the session."""
    page = cycle_page(slug, cycle_id, "moderate")
    return _act(
        page,
        session_id,
        lambda: engine().close_rating_session(page.id, session_id, actor_id=person()),
        _("Die Sitzung ist beendet."),
    )


@blueprint.post(BASE + "/<session_id>/finding")
@login_required
def session_finding(slug: str, cycle_id: str, session_id: str) -> Response:
    """Record a criterion's discussion note as a strength or a need (one button each)."""
    page = cycle_page(slug, cycle_id, "moderate")
    theme_id, _sep, criterion_id = request.form.get("criterion", "").partition("/")
    kind = request.form.get("kind", "")
    return _act(
        page,
        session_id,
        lambda: engine().record_finding(
            page.id,
            actor_id=person(),
            kind=kind,
            text=request.form.get("text", ""),
            theme_id=theme_id or None,
            criterion_id=criterion_id or None,
        ),
        _("Die Stärke ist festgehalten.")
        if kind == "strength"
        else _("Der Entwicklungsbedarf ist festgehalten."),
    )


@blueprint.post(BASE + "/participants/<participant_id>/erase")
@login_required
def session_erase_name(slug: str, cycle_id: str, participant_id: str) -> Response:
    """Erase a participant's display name (the ratings stay, under a pseudonym)."""
    page = cycle_page(slug, cycle_id, "manage-members")
    try:
        engine().erase_participant_name(page.id, participant_id, actor_id=person())
    except DomainError as error:
        flash(refusal_text(error), "error")
    else:
        tell(_("Der Name ist gelöscht."))
    return redirect(url_for("ui.sessions", slug=page.slug, cycle_id=page.id))
