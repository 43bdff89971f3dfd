"""Inviting a person by mail to set their password (members page and administration alike).

Nobody types or hands over a password: a new person gets a mail with a one-time link
(engine.application.invitations); a person who has not set a password yet can be invited again
(the older link stops working).
"""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from typing import Any

from flask import current_app, flash
from flask_babel import gettext as _

from engine.application.invitations import Outbox, send_link
from engine.infrastructure.password_links import INVITATION
from web.i18n import short_date
from web.mail import outbox
from web.services import engine


def mail_missing() -> str:
    """Why no invitation can go out (mail is not set up), for the form."""
    return str(
        _(
            "Einladungen gehen per E-Mail, aber der E-Mail-Versand ist in dieser Installation "
            "nicht eingerichtet. Bitte wenden Sie sich an die Administration."
        )
    )


def invitation_outbox() -> Outbox | None:
    """The outbox for invitations (delivered at once, so that a failure can be told)."""
    return outbox(background=False)


def invite(
    sending: Outbox, person_id: str, name: str, *, language: str, organisation: str = ""
) -> bool:
    """Mail the person an invitation link; a message on the page says whether it went out."""
    try:
        link = send_link(
            engine().profiles,
            sending,
            person_id,
            purpose=INVITATION,
            language=language,
            organisation=organisation,
        )
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.error("invitation for %s not sent: %s", person_id, error)
        flash(
            _(
                "Die Einladung an %(name)s konnte nicht gesendet werden (der Mailserver hat "
                "nicht angenommen). Bitte senden Sie sie später erneut.",
                name=name,
            ),
            "error",
        )
        return False
    flash(
        _(
            "Die Einladung an %(name)s ist gesendet. Der Link gilt bis %(until)s.",
            name=name,
            until=short_date(datetime.fromtimestamp(link.expires_at, UTC)),
        )
    )
    return True


def invitation_state(profile: dict[str, Any] | None) -> str:
    """'' for someone who can sign in; 'pending' while a link is live; 'none' otherwise."""
    if profile is None or profile["password_hash"] or not profile["email"]:
        return ""
    live = engine().profiles.links.pending(profile["person_id"])
    return "pending" if live is not None and live.purpose == INVITATION else "none"
