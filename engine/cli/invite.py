"""Password links from the command line: `users invite EMAIL`, and `users create --invite`.

The person gets a mail with a one-time link to set their password, built from
``QUALIZYKLUS_BASE_URL`` and sent through ``QUALIZYKLUS_SMTP_*`` (docs/operations.md); any
older link of the person stops working. A person who has a password gets a reset link.
A mail server that does not take the mail exits 1; missing mail settings exit 2 (usage).
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

import click

from engine.application.invitations import Outbox, send_link
from engine.infrastructure.password_links import INVITATION, RESET
from engine.infrastructure.settings import SettingsError

Opener = Callable[[], Any]
LANGUAGE = click.option(
    "--language",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help="the mail's language",
)


def mail_outbox() -> Outbox:
    """The outbox from the environment, or a usage error naming what is missing."""
    try:
        return Outbox.from_environ()
    except SettingsError as error:
        raise click.UsageError(
            f"E-Mail-Versand nicht eingerichtet / e-mail is not set up: {error}"
        ) from None


def mail_link(app: Any, outbox: Outbox, profile: dict[str, Any], language: str) -> None:
    """Mail the person a link (an invitation, or a reset when they have a password)."""
    purpose = RESET if profile["password_hash"] else INVITATION
    try:
        send_link(app.profiles, outbox, profile["person_id"], purpose=purpose, language=language)
    except (smtplib.SMTPException, OSError) as error:
        raise click.ClickException(
            f"nicht gesendet / not sent: {type(error).__name__}: {error}"
        ) from None
    hours = outbox.links.lifetime(purpose).total_seconds() / 3600
    click.echo(f"Link gesendet / link sent ({purpose}), {hours:g} h gültig / valid")


def invite_command(open_engine: Opener) -> click.Command:
    """The `invite` command of the `users` group, opening the engine with ``open_engine``."""

    @click.command("invite")
    @click.argument("email")
    @LANGUAGE
    def invite(email: str, language: str) -> None:
        """Mail a one-time link to set a password (invitation or reset)."""
        outbox = mail_outbox()
        with open_engine() as app:
            profile = app.profiles.by_email(email)
            if profile is None:
                raise click.ClickException(f"Keine Person mit / no person with {email}")
            mail_link(app, outbox, profile, language)

    return invite
