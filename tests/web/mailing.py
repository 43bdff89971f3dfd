"""Mail for web tests: the reminders' real SMTP server (aiosmtpd on 127.0.0.1) and an app that
sends password links to it, with the links read back from the messages."""

from __future__ import annotations

import re
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.engine.test_reminders import MailServer, body, mail_server
from tests.web.conftest import post_form

BASE_URL = "https://qz.kreis.example"
__all__ = ["mail_server", "mailing"]  # fixtures, imported where they are used

LINK = re.compile(r"https://qz\.kreis\.example(/password/[A-Za-z0-9_-]+)")


@pytest.fixture
def mailing(web_app: Flask, mail_server: MailServer) -> MailServer:
    """The web app set up to mail password links through the local server."""
    web_app.config.update(mail_server.environ(), QUALIZYKLUS_BASE_URL=BASE_URL)
    return mail_server


def mails_to(
    server: MailServer, address: str, count: int = 1, wait: float = 5.0
) -> list[EmailMessage]:
    """The messages for ``address``, waiting (a little) until ``count`` of them arrived."""
    deadline = time.monotonic() + wait
    while len(server.to(address)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return server.to(address)


def link_path(message: EmailMessage) -> str:
    """The path of the one password link in a message (the base URL is the configured one)."""
    found = LINK.findall(body(message))
    assert len(found) == 1, body(message)
    return str(urlsplit(BASE_URL + found[0]).path)


def set_password(
    client: FlaskClient, path: str, password: str, confirm: str | None = None
) -> TestResponse:
    """Set a password on a link's page, as a browser does."""
    return post_form(
        client,
        path,
        path,
        {"password": password, "confirm": password if confirm is None else confirm},
    )
