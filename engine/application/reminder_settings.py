"""How reminders are sent: how far ahead, the address for links, the mail server.

Read from QUALIZYKLUS_REMINDER_DAYS, QUALIZYKLUS_BASE_URL and QUALIZYKLUS_SMTP_*
(docs/operations.md); engine/application/reminders.py uses them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr

from engine.infrastructure.settings import SettingsError

DEFAULT_DAYS = 14
SMTP_TIMEOUT = 30.0
SMTPS_PORT = 465


def _whole_number(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        msg = f"{name} must be a whole number, not {raw!r}"
        raise SettingsError(msg) from None
    if value < 0:
        msg = f"{name} must not be negative: {raw!r}"
        raise SettingsError(msg)
    return value


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    msg = f"{name} must be 1 or 0 (true or false), not {raw!r}"
    raise SettingsError(msg)


@dataclass(frozen=True)
class ReminderSettings:
    """How far ahead to remind (QUALIZYKLUS_REMINDER_DAYS) and the address for links in mails."""

    days: int = DEFAULT_DAYS
    base_url: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ReminderSettings:
        """Read QUALIZYKLUS_REMINDER_DAYS and QUALIZYKLUS_BASE_URL."""
        environ = os.environ if environ is None else environ
        return cls(
            days=_whole_number(environ, "QUALIZYKLUS_REMINDER_DAYS", DEFAULT_DAYS),
            base_url=environ.get("QUALIZYKLUS_BASE_URL", "").strip().rstrip("/"),
        )


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to deliver mail (QUALIZYKLUS_SMTP_*)."""

    host: str
    sender: str
    port: int = 587
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = True
    timeout: float = SMTP_TIMEOUT

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        """Read the QUALIZYKLUS_SMTP_* variables; host and sender are required."""
        environ = os.environ if environ is None else environ
        host = environ.get("QUALIZYKLUS_SMTP_HOST", "").strip()
        sender = environ.get("QUALIZYKLUS_SMTP_FROM", "").strip()
        missing = [
            name
            for name, value in (("QUALIZYKLUS_SMTP_HOST", host), ("QUALIZYKLUS_SMTP_FROM", sender))
            if not value
        ]
        if missing:
            msg = f"{' and '.join(missing)} must be set to send e-mail"
            raise SettingsError(msg)
        if "@" not in parseaddr(sender)[1]:
            msg = f"QUALIZYKLUS_SMTP_FROM must be an e-mail address, not {sender!r}"
            raise SettingsError(msg)
        port = _whole_number(environ, "QUALIZYKLUS_SMTP_PORT", 587)
        if not 0 < port < 65536:
            msg = f"QUALIZYKLUS_SMTP_PORT must be a port number, not {port}"
            raise SettingsError(msg)
        user = environ.get("QUALIZYKLUS_SMTP_USER", "").strip()
        password = environ.get("QUALIZYKLUS_SMTP_PASSWORD", "")
        if user and not password:
            msg = "QUALIZYKLUS_SMTP_PASSWORD must be set with QUALIZYKLUS_SMTP_USER"
            raise SettingsError(msg)
        return cls(
            host=host,
            sender=sender,
            port=port,
            user=user,
            password=password,
            starttls=_flag(environ, "QUALIZYKLUS_SMTP_STARTTLS", True),
        )

    @property
    def implicit_tls(self) -> bool:
        """Whether the server speaks TLS from the start (port 465, "SMTPS")."""
        return self.port == SMTPS_PORT
