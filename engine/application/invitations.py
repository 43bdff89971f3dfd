"""People get in without a password handed over: invitations and "Passwort vergessen" by mail.

A coordinator or an administrator who adds a person sends an *invitation*; anyone may ask for
a *reset* link on the sign-in page. Either way the person gets a mail with a one-time link
(engine.infrastructure.password_links) built from ``QUALIZYKLUS_BASE_URL``, and sets a password
there; the link then stops working, as does any older one. Names and addresses stay in the
profile store; nothing of this becomes an event.

A reset request never tells whether the address belongs to anyone: the answer is the same, the
address is counted against its limit either way, and an unknown address costs the same
database work as a known one (the mail itself goes out in the background, see
``deliver_in_background``). Requests are limited per address and per client
(engine.infrastructure.request_limits); beyond the address's limit nothing more is sent (the
latest mail's link still works), beyond the client's the client is told to wait.
"""

from __future__ import annotations

import hashlib
import logging
import os
import smtplib
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage

from engine.application.invitation_messages import LANGUAGES, LinkMail, compose
from engine.application.mailer import SmtpMailer
from engine.application.reminder_settings import SmtpSettings
from engine.application.reminder_settings import _whole_number as whole_number
from engine.infrastructure.password_links import INVITATION, RESET, PasswordLink
from engine.infrastructure.passwords import hash_password
from engine.infrastructure.profiles import ProfileStore
from engine.infrastructure.request_limits import RESET_ADDRESS, RESET_CLIENT, reset_keys
from engine.infrastructure.settings import SettingsError

log = logging.getLogger(__name__)

DEFAULT_INVITATION_HOURS = 72
DEFAULT_RESET_MINUTES = 60
LINK_PATH = "/password/"
"""Where a link leads on the installation: ``<base URL>/password/<secret>``."""


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    value = whole_number(environ, name, default)
    if value == 0:
        msg = f"{name} must be a positive whole number, not 0"
        raise SettingsError(msg)
    return value


@dataclass(frozen=True)
class LinkSettings:
    """Where links lead (QUALIZYKLUS_BASE_URL) and how long they work.

    QUALIZYKLUS_INVITATION_HOURS (default 72) and QUALIZYKLUS_RESET_MINUTES (default 60).
    """

    base_url: str = ""
    invitation: timedelta = timedelta(hours=DEFAULT_INVITATION_HOURS)
    reset: timedelta = timedelta(minutes=DEFAULT_RESET_MINUTES)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> LinkSettings:
        """Read the settings; a lifetime that is not a positive whole number is refused."""
        environ = os.environ if environ is None else environ
        hours = _positive(environ, "QUALIZYKLUS_INVITATION_HOURS", DEFAULT_INVITATION_HOURS)
        minutes = _positive(environ, "QUALIZYKLUS_RESET_MINUTES", DEFAULT_RESET_MINUTES)
        return cls(
            base_url=environ.get("QUALIZYKLUS_BASE_URL", "").strip().rstrip("/"),
            invitation=timedelta(hours=hours),
            reset=timedelta(minutes=minutes),
        )

    def lifetime(self, purpose: str) -> timedelta:
        """How long a link for this purpose works."""
        return self.invitation if purpose == INVITATION else self.reset

    def url(self, secret: str) -> str:
        """The link of a secret; refused without a base URL (a link must not trust the Host
        header of whoever asked)."""
        if not self.base_url.startswith(("https://", "http://")):
            msg = "QUALIZYKLUS_BASE_URL must be set (https://…) to send password links"
            raise SettingsError(msg)
        return f"{self.base_url}{LINK_PATH}{secret}"


@dataclass(frozen=True)
class Outbox:
    """Everything sending a link needs: the settings and who delivers the message."""

    links: LinkSettings
    sender: str
    deliver: Callable[[EmailMessage], None]

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, *, background: bool = False
    ) -> Outbox:
        """Links and SMTP from the environment; SettingsError when mail is not set up."""
        smtp = SmtpSettings.from_environ(environ)
        links = LinkSettings.from_environ(environ)
        links.url("check")  # refuse a missing base URL now, before anything is issued
        return cls(links, smtp.sender, deliver_in_background(smtp) if background else send(smtp))


def send(smtp: SmtpSettings) -> Callable[[EmailMessage], None]:
    """Deliver at once (the caller learns of a failure: ``smtplib.SMTPException``/``OSError``)."""

    def deliver(message: EmailMessage) -> None:
        with SmtpMailer(smtp) as mailer:
            mailer.send(message)

    return deliver


def deliver_in_background(smtp: SmtpSettings) -> Callable[[EmailMessage], None]:
    """Deliver in a thread of its own, so that the answer does not wait for the mail server
    (and its timing tells nothing); a failure is logged without the address."""

    def work(message: EmailMessage) -> None:
        try:
            send(smtp)(message)
        except (smtplib.SMTPException, OSError) as error:  # logged: nobody waits for it
            log.error("a password link mail was not delivered: %s", type(error).__name__)

    def deliver(message: EmailMessage) -> None:
        threading.Thread(target=work, args=(message,), name="password-link-mail").start()

    return deliver


def language_of(language: str) -> str:
    """A mail language we write (German unless English is asked for)."""
    return language if language in LANGUAGES else "de"


def send_link(
    profiles: ProfileStore,
    outbox: Outbox,
    person_id: str,
    *,
    purpose: str = INVITATION,
    language: str = "de",
    organisation: str = "",
) -> PasswordLink:
    """Issue a link for the person (older ones end) and mail it; returns the link.

    Raises LookupError for a person without a profile or address, and what the delivery
    raises when it cannot send.
    """
    profile = profiles.get(person_id)
    if profile is None or not profile["email"]:
        msg = f"person {person_id} has no e-mail address"
        raise LookupError(msg)
    lifetime = outbox.links.lifetime(purpose).total_seconds()
    secret = profiles.links.issue(person_id, purpose, lifetime)
    link = profiles.links.find(secret)
    assert link is not None  # just issued
    mail = LinkMail(
        purpose=purpose,
        display_name=profile["display_name"],
        email=profile["email"],
        url=outbox.links.url(secret),
        expires_at=link.expires_at,
        language=language_of(language),
        organisation=organisation,
    )
    outbox.deliver(compose(mail, sender=outbox.sender))
    log.info("%s link sent to person %s", purpose, person_id)
    return link


@dataclass(frozen=True)
class TooManyRequests:
    """The client asked too often: the next request is possible in ``seconds``."""

    seconds: int


def request_reset(
    profiles: ProfileStore, outbox: Outbox, email: str, *, remote: str, language: str = "de"
) -> TooManyRequests | None:
    """Mail a reset link if the address is someone's and within its limit; None means
    "answered as always", whatever happened behind it."""
    address, client = reset_keys(email, remote)
    wait = profiles.request_limits.take(client, RESET_CLIENT)
    if wait:
        log.warning("password link requests from %s: wait %s s", remote, wait)
        return TooManyRequests(wait)
    over = profiles.request_limits.take(address, RESET_ADDRESS)
    profile = profiles.by_email(email) if email.strip() else None
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:12]
    if profile is None or over:
        nobody = f"nobody-{digest}"  # the same database work as for a known address:
        profiles.get(nobody)
        profiles.links.revoke(nobody)
        profiles.links.find(nobody)
        why = "over its limit" if over else "unknown"
        log.info("password link for address %s from %s not sent: %s", digest, remote, why)
        return None
    send_link(profiles, outbox, profile["person_id"], purpose=RESET, language=language)
    return None


def set_password_with_link(profiles: ProfileStore, secret: str, password: str) -> str | None:
    """Set the password through a live link; the person id, or None for a dead link.

    A password the rules refuse raises ``PasswordTooWeak`` before anything changes (the link
    stays usable). Success ends the link (and any other of the person), every session of the
    person and the failed sign-ins counted for the address.
    """
    password_hash = hash_password(password)
    link = profiles.links.use(secret)
    if link is None:
        return None
    if not profiles.set_password_hash(link.person_id, password_hash):
        return None  # erased meanwhile
    return link.person_id
