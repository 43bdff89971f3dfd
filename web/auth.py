"""Signing in and out, the language choice, and the guards every view uses.

Every sign-in starts a session record on the server (engine.infrastructure.login_sessions) whose
secret the
signed cookie carries; each request is let in only while that record lives. Signing out ends
it, so a copy of the cookie is refused afterwards, by every worker and host alike.

Tenancy rule: a person who is not a member of an organisation gets 404 for anything of it,
whatever the URL, so that nobody can even learn which organisations and cycles exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from engine.domain.errors import NotFound
from engine.domain.organisation import ROLE_PERMISSIONS
from engine.infrastructure.login_sessions import LoginSessionStore, SessionPolicy
from web.accounts import Account, Throttled, account_of, authenticate
from web.extensions import login_manager
from web.forms import Form, add_error, text
from web.services import engine

blueprint = Blueprint("auth", __name__)
MAX_NEXT = 2000
"""A longer ``next`` is no page of ours."""
SESSION_SECRET = "sid"
"""The key in Flask's signed session under which the server-side session's secret travels."""


class SignInForm(Form):
    """E-mail address and password."""

    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Passwort"), validators=[DataRequired(), Length(max=1024)])


def sessions() -> LoginSessionStore:
    """The server-side sign-in sessions (shared by every worker)."""
    return engine().profiles.sessions


def session_policy() -> SessionPolicy:
    """The configured idle and absolute limits of a session."""
    policy: SessionPolicy = current_app.config["QUALIZYKLUS_SESSION_POLICY"]
    return policy


@login_manager.user_loader
def _load_user(person_id: str) -> Account | None:
    """The signed-in account, only while the session record behind the cookie lives.

    Flask-Login calls this for the session cookie and for a remember-me cookie alike; neither
    carries a live session secret unless this server started it, so both are covered.
    """
    secret = session.get(SESSION_SECRET)
    profile = (
        engine().profiles.signed_in(secret, session_policy()) if isinstance(secret, str) else None
    )
    live = profile is not None and profile["person_id"] == person_id
    account = account_of(profile) if live else None
    if account is None:
        _forget_session()
    return account


def _forget_session() -> None:
    """Clear Flask's session but keep the chosen language."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language


def init_login(app: Any) -> None:
    """Configure Flask-Login: where to sign in, and the message shown there."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Bitte melden Sie sich an.")
    login_manager.session_protection = "strong"


@blueprint.route("/login", methods=["GET", "POST"])
def sign_in() -> str | Response | tuple[str, int]:
    """The sign-in form; success renews the session and goes where the person wanted."""
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in.html", form=form)
    result = authenticate(
        engine().profiles, text(form.email), text(form.password), remote=request.remote_addr or "-"
    )
    if isinstance(result, Throttled):
        message = _(
            "Zu viele Fehlversuche. Bitte versuchen Sie es in %(seconds)s Sekunden erneut.",
            seconds=result.seconds,
        )
        add_error(form.password, message)
        return render_template("auth/sign_in.html", form=form), 429
    if result is None:
        add_error(form.password, _("E-Mail-Adresse oder Passwort ist nicht richtig."))
        return render_template("auth/sign_in.html", form=form), 401
    target = _safe_next(request.args.get("next"))
    _forget_session()  # a new session at sign-in: nothing survives from before
    session[SESSION_SECRET] = sessions().start(result.person_id, session_policy())
    session.permanent = True
    login_user(result)
    current_app.logger.info("sign-in of person %s", result.person_id)
    return redirect(target or url_for("ui.home"))  # "/" sends each person where they work


@blueprint.post("/logout")
@login_required
def sign_out() -> Response:
    """Sign out: end the session on the server (a copied cookie dies too) and forget it."""
    secret = session.get(SESSION_SECRET)
    if isinstance(secret, str):
        sessions().end(secret)
    logout_user()
    session.clear()
    flash(_("Sie sind abgemeldet."))
    return redirect(url_for("auth.sign_in"))


@blueprint.post("/language")
def choose_language() -> Response:
    """Remember the chosen language (de or en) and go back."""
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
    return redirect(_safe_next(request.form.get("next")) or url_for("ui.home"))


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (no scheme, no host) may be a redirect target.

    Backslashes and control characters are refused too: browsers read ``/\\host`` as
    ``//host``.
    """
    if not target or len(target) > MAX_NEXT:
        return None
    if "\\" in target or any(ord(character) < 32 or ord(character) == 127 for character in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@dataclass(frozen=True)
class Membership:
    """The signed-in person's role in one organisation."""

    organisation: dict[str, Any]
    role: str

    def can(self, permission: str) -> bool:
        """Whether the role carries the permission (e.g. 'plan', 'rate', 'manage-members')."""
        return permission in ROLE_PERMISSIONS[self.role]


def membership(slug: str, permission: str = "read") -> Membership:
    """The caller's membership of the organisation: 404 for non-members, 403 without the right."""
    try:
        organisation = engine().organisation_by_slug(slug)
    except NotFound:
        abort(404)
    return member_of(organisation, permission)


def member_of(organisation: dict[str, Any], permission: str = "read") -> Membership:
    """The caller's membership of this organisation: 404 for non-members, 403 without the right."""
    role = organisation["members"].get(current_user.get_id())
    if role is None:
        abort(404)
    found = Membership(organisation, role)
    if not found.can(permission):
        abort(403)
    return found
