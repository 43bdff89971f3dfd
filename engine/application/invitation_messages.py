"""The mails with a one-time link to set a password: an invitation, or "Passwort vergessen".

Each mail is written in one language, the recipient's (German or English), plain text, marked
as sent automatically. The link's expiry is given in Berlin time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from zoneinfo import ZoneInfo

from engine.infrastructure.password_links import INVITATION

BERLIN = ZoneInfo("Europe/Berlin")
LANGUAGES = ("de", "en")


@dataclass(frozen=True)
class LinkMail:
    """What a link mail says: to whom, the link, until when, and in which language."""

    purpose: str
    display_name: str
    email: str
    url: str
    expires_at: float
    language: str = "de"
    organisation: str = ""


def _until(mail: LinkMail) -> str:
    moment = datetime.fromtimestamp(mail.expires_at, BERLIN)
    if mail.language == "en":
        return f"{moment:%Y-%m-%d, %H:%M} (Berlin time)"
    return f"{moment:%d.%m.%Y, %H:%M} Uhr"


def subject(mail: LinkMail) -> str:
    """The subject line in the mail's language."""
    if mail.language == "en":
        if mail.purpose == INVITATION:
            return "Qualizyklus: your invitation – set your password"
        return "Qualizyklus: set a new password"
    if mail.purpose == INVITATION:
        return "Qualizyklus: Ihre Einladung – Passwort festlegen"
    return "Qualizyklus: neues Passwort festlegen"


def _german(mail: LinkMail) -> list[str]:
    if mail.purpose == INVITATION:
        where = f" zur Organisation „{mail.organisation}“" if mail.organisation else ""
        opening = [
            f"Sie sind zu Qualizyklus eingeladen{where}. Qualizyklus begleitet die "
            "Qualitätsentwicklung in Netzwerken Frühe Hilfen.",
            "",
            "Über diesen Link legen Sie Ihr Passwort fest; danach melden Sie sich mit Ihrer "
            "E-Mail-Adresse und diesem Passwort an:",
        ]
        closing = "Haben Sie keine Einladung erwartet, können Sie diese Nachricht löschen."
    else:
        opening = [
            "für Ihren Zugang zu Qualizyklus wurde ein neues Passwort angefordert. Über diesen "
            "Link legen Sie es fest:",
        ]
        closing = (
            "Haben Sie nichts angefordert, können Sie diese Nachricht löschen; Ihr Passwort "
            "bleibt dann unverändert."
        )
    return [
        f"Guten Tag {mail.display_name},",
        "",
        *opening,
        "",
        mail.url,
        "",
        f"Der Link gilt bis {_until(mail)} und nur einmal. Ein früher gesendeter Link gilt "
        "nicht mehr. Ist er abgelaufen, fordern Sie auf der Anmeldeseite über „Passwort "
        "vergessen“ einen neuen an.",
        "",
        closing,
    ]


def _english(mail: LinkMail) -> list[str]:
    if mail.purpose == INVITATION:
        where = f" to the organisation “{mail.organisation}”" if mail.organisation else ""
        opening = [
            f"You are invited to Qualizyklus{where}. Qualizyklus supports quality development "
            "in early-help networks (Frühe Hilfen).",
            "",
            "Set your password with this link; then sign in with your e-mail address and that "
            "password:",
        ]
        closing = "If you did not expect an invitation, you can delete this message."
    else:
        opening = [
            "a new password was requested for your Qualizyklus account. Set it with this link:",
        ]
        closing = (
            "If you did not ask for it, you can delete this message; your password stays unchanged."
        )
    return [
        f"Hello {mail.display_name},",
        "",
        *opening,
        "",
        mail.url,
        "",
        f"The link works until {_until(mail)} and only once. A link sent earlier no longer "
        "works. If it has run out, ask for a new one with “Forgot your password?” on the "
        "sign-in page.",
        "",
        closing,
    ]


def message_text(mail: LinkMail) -> str:
    """The body in the mail's language."""
    lines = _english(mail) if mail.language == "en" else _german(mail)
    automatic = (
        "Qualizyklus sent this message automatically."
        if mail.language == "en"
        else "Diese Nachricht hat Qualizyklus automatisch gesendet."
    )
    return "\n".join([*lines, "", "-- ", automatic, ""])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def compose(mail: LinkMail, *, sender: str) -> EmailMessage:
    """The e-mail (plain text, UTF-8, marked as sent automatically)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((_one_line(mail.display_name), mail.email))
    message["Subject"] = subject(mail)
    message["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2].strip(" >") or None
    message["Message-ID"] = make_msgid("password-link", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message["Content-Language"] = mail.language
    message.set_content(message_text(mail))
    return message
