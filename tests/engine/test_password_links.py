"""One-time password links and request limits in the store (SQLite and PostgreSQL), and the
link mails' texts: no mail server, no Flask."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.application.invitation_messages import LinkMail, message_text, subject
from engine.application.invitations import LinkSettings
from engine.application.service import Qualizyklus
from engine.infrastructure.password_links import INVITATION, RESET
from engine.infrastructure.request_limits import Window
from engine.infrastructure.settings import SettingsError

NOW = 1_780_000_000.0  # 2026-05-28, 20:26 UTC


def test_a_link_works_once_until_it_runs_out(app: Qualizyklus) -> None:
    links = app.profiles.links
    secret = links.issue("p-1", INVITATION, 3600, now=NOW)

    assert links.find(secret, now=NOW + 3599) is not None
    assert links.find(secret, now=NOW + 3600) is None  # run out
    assert links.use(secret, now=NOW + 10) is not None
    assert links.use(secret, now=NOW + 11) is None  # used
    assert links.find(secret, now=NOW + 12) is None


def test_a_newer_link_ends_the_older_and_using_one_ends_all(app: Qualizyklus) -> None:
    links = app.profiles.links
    older = links.issue("p-1", INVITATION, 3600, now=NOW)
    newer = links.issue("p-1", RESET, 3600, now=NOW + 1)
    someone_elses = links.issue("p-2", RESET, 3600, now=NOW + 2)

    assert links.find(older, now=NOW + 3) is None
    found = links.find(newer, now=NOW + 3)
    assert found is not None and (found.person_id, found.purpose) == ("p-1", RESET)
    assert links.use(newer, now=NOW + 4) is not None
    assert links.pending("p-1", now=NOW + 5) is None
    assert links.find(someone_elses, now=NOW + 5) is not None


def test_only_the_hash_of_a_secret_is_stored(app: Qualizyklus) -> None:
    secret = app.profiles.links.issue("p-1", RESET, 60)

    links = app.profiles.links
    rows = links._datastore.rows(f"SELECT * FROM {links._table}")

    assert secret not in repr([dict(row) for row in rows])


def test_nonsense_is_no_link(app: Qualizyklus) -> None:
    assert app.profiles.links.find("") is None
    assert app.profiles.links.find("x" * 500) is None
    with pytest.raises(ValueError, match="purpose"):
        app.profiles.links.issue("p-1", "anything", 60)


def test_a_request_limit_counts_per_key_within_its_window(app: Qualizyklus) -> None:
    limits = app.profiles.request_limits
    window = Window(most=2, length=timedelta(minutes=10))

    assert [limits.take("a", window, now=NOW + n) for n in range(2)] == [0, 0]
    assert limits.take("a", window, now=NOW + 60) == 540  # until the window ends
    assert limits.take("b", window, now=NOW + 60) == 0  # another key
    assert limits.take("a", window, now=NOW + 600) == 0  # a new window


def test_link_lifetimes_and_base_url_come_from_the_environment() -> None:
    settings = LinkSettings.from_environ(
        {
            "QUALIZYKLUS_BASE_URL": "https://qz.example/",
            "QUALIZYKLUS_INVITATION_HOURS": "24",
            "QUALIZYKLUS_RESET_MINUTES": "15",
        }
    )

    assert settings.lifetime(INVITATION) == timedelta(hours=24)
    assert settings.lifetime(RESET) == timedelta(minutes=15)
    assert settings.url("abc") == "https://qz.example/password/abc"
    assert LinkSettings.from_environ({}).lifetime(INVITATION) == timedelta(hours=72)
    with pytest.raises(SettingsError, match="QUALIZYKLUS_BASE_URL"):
        LinkSettings.from_environ({}).url("abc")
    with pytest.raises(SettingsError, match="QUALIZYKLUS_RESET_MINUTES"):
        LinkSettings.from_environ({"QUALIZYKLUS_RESET_MINUTES": "0"})


@pytest.mark.parametrize(
    ("language", "purpose", "words"),
    [
        (
            "de",
            INVITATION,
            ["Guten Tag Nina,", "zur Organisation „LK Nord“", "bis 28.05.2026, 22:26 Uhr"],
        ),
        (
            "en",
            INVITATION,
            ["Hello Nina,", "to the organisation “LK Nord”", "until 2026-05-28, 22:26"],
        ),
        ("de", RESET, ["neues Passwort angefordert", "Ihr Passwort bleibt dann unverändert"]),
        ("en", RESET, ["a new password was requested", "your password stays unchanged"]),
    ],
)
def test_a_link_mail_is_written_in_the_recipients_language(
    language: str, purpose: str, words: list[str]
) -> None:
    mail = LinkMail(
        purpose, "Nina", "n@x.example", "https://qz/password/s", NOW, language, "LK Nord"
    )

    text = message_text(mail)

    for word in words:
        assert word in text
    assert "https://qz/password/s" in text
    assert ("Passwort" in subject(mail)) == (language == "de")
