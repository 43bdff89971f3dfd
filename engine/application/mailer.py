"""Delivering mail through an SMTP server (for the reminders)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol

from engine.application.reminder_settings import SmtpSettings


class MailServerUnavailable(smtplib.SMTPException):
    """No session with the mail server: it cannot be reached, or refuses TLS or sign-in.

    Every further message would fail the same way, so a run stops at the first one.
    """


class Mailer(Protocol):
    """Delivers one message or raises (``smtplib.SMTPException`` or ``OSError``)."""

    def send(self, message: EmailMessage) -> None:
        """Hand the message to the mail server."""


class SmtpMailer:
    """Delivery through an SMTP server: one connection, reopened after a failure."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.implicit_tls:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        except (smtplib.SMTPException, OSError) as error:
            raise MailServerUnavailable(f"{s.host}:{s.port}: {error}") from error
        try:
            if s.starttls and not s.implicit_tls:
                smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, s.password)
        except (smtplib.SMTPException, OSError) as error:
            smtp.close()
            raise MailServerUnavailable(f"{s.host}:{s.port}: {error}") from error
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> None:
        """Send one message; after any failure the next message gets a fresh connection.

        Raises ``MailServerUnavailable`` when no session with the server comes about
        (connection, TLS or sign-in), other ``smtplib.SMTPException``s when it refuses this
        message.
        """
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Say goodbye to the server (quietly, if it has gone already)."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
