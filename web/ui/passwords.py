"""Setting a password with a one-time link, and asking for one ("Passwort vergessen").

The link comes by mail (engine.application.invitations): from an invitation, or from the form
here. The form answers every address alike, known or not; the link's page refuses a used,
replaced or run-out link with a page that says so and how to get a new one.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from engine.application.invitations import TooManyRequests, request_reset, set_password_with_link
from engine.infrastructure.passwords import MIN_LENGTH, PasswordTooWeak
from web.forms import Form, add_error, text
from web.i18n import language
from web.mail import outbox
from web.services import engine
from web.ui import blueprint


class ForgotForm(Form):
    """The address to send a link to."""

    email = EmailField(
        _l("E-Mail-Adresse"),
        validators=[
            DataRequired(message=_l("Bitte geben Sie Ihre E-Mail-Adresse an.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )


class NewPasswordForm(Form):
    """A new password, typed twice."""

    password = PasswordField(
        _l("Neues Passwort"),
        validators=[
            DataRequired(message=_l("Bitte geben Sie ein Passwort an.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Neues Passwort wiederholen"),
        validators=[
            DataRequired(message=_l("Bitte wiederholen Sie das Passwort.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def too_short() -> str:
    """The password rule, as the refusal says it."""
    return str(
        ngettext(
            "Das Passwort braucht mindestens %(num)s Zeichen.",
            "Das Passwort braucht mindestens %(num)s Zeichen.",
            MIN_LENGTH,
        )
    )


@blueprint.route("/password/forgot", methods=["GET", "POST"])
def password_forgot() -> str | tuple[str, int]:
    """Ask for a link to set a new password; every address gets the same answer."""
    form = ForgotForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form), 400 if form.errors else 200
    sending = outbox(background=True)
    if sending is None:
        return render_template("auth/forgot.html", form=form, mail_missing=True), 503
    result = request_reset(
        engine().profiles,
        sending,
        text(form.email),
        remote=request.remote_addr or "-",
        language=language(),
    )
    if isinstance(result, TooManyRequests):
        minutes = max(1, (result.seconds + 59) // 60)
        add_error(
            form.email,
            ngettext(
                "Zu viele Anfragen. Bitte versuchen Sie es in %(num)s Minute erneut.",
                "Zu viele Anfragen. Bitte versuchen Sie es in %(num)s Minuten erneut.",
                minutes,
            ),
        )
        return render_template("auth/forgot.html", form=form), 429
    minutes = int(sending.links.reset.total_seconds() // 60)
    return render_template("auth/forgot_sent.html", minutes=minutes)


@blueprint.route("/password/<secret>", methods=["GET", "POST"])
def password_set(secret: str) -> str | tuple[str, int] | Response:
    """Set a password with a live link; a dead link gets a page that says so (410)."""
    profiles = engine().profiles
    link = profiles.links.find(secret)
    if link is None:
        return render_template("auth/link_dead.html"), 410
    profile = profiles.get(link.person_id)
    if profile is None:
        return render_template("auth/link_dead.html"), 410
    form = NewPasswordForm()
    shown = {"form": form, "name": profile["display_name"], "purpose": link.purpose}
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("auth/set_password.html", min_length=MIN_LENGTH, **shown), status
    if text(form.password) != text(form.confirm):
        add_error(form.confirm, _("Die beiden Eingaben stimmen nicht überein."))
    else:
        try:
            done = set_password_with_link(profiles, secret, text(form.password))
        except PasswordTooWeak:
            add_error(form.password, too_short())
        else:
            if done is None:
                return render_template("auth/link_dead.html"), 410
            flash(_("Ihr Passwort ist gespeichert. Bitte melden Sie sich jetzt damit an."))
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/set_password.html", min_length=MIN_LENGTH, **shown), 400
