"""Mail from the web application: the outbox for password links, set up from the environment.

The settings are the command line's (``QUALIZYKLUS_SMTP_*``, ``QUALIZYKLUS_BASE_URL``,
``QUALIZYKLUS_INVITATION_HOURS``, ``QUALIZYKLUS_RESET_MINUTES``; docs/operations.md); the app's
configuration may give any of them too (it wins), so that one app can be set up in code.
"""

from __future__ import annotations

import os

from flask import current_app

from engine.application.invitations import Outbox
from engine.infrastructure.settings import SettingsError

MAIL_SETTINGS = (
    "QUALIZYKLUS_SMTP_",
    "QUALIZYKLUS_BASE_URL",
    "QUALIZYKLUS_INVITATION_HOURS",
    "QUALIZYKLUS_RESET_MINUTES",
)


def mail_environ() -> dict[str, str]:
    """The environment, with the mail settings of the app's configuration on top."""
    configured = {
        name: str(value)
        for name, value in current_app.config.items()
        if name.startswith(MAIL_SETTINGS) and value is not None
    }
    return {**os.environ, **configured}


def outbox(*, background: bool = False) -> Outbox | None:
    """Where password links go out, or None when mail is not set up (logged)."""
    try:
        return Outbox.from_environ(mail_environ(), background=background)
    except SettingsError as error:
        current_app.logger.warning("password links cannot be mailed: %s", error)
        return None


def mail_ready() -> bool:
    """Whether password links can be mailed (for a notice on the page; nothing logged)."""
    try:
        Outbox.from_environ(mail_environ())
    except SettingsError:
        return False
    return True
