"""`qualizyklus users create --invite` and `users invite` against a real store and a real
local SMTP server: the person gets a one-time link, never a password handed over."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from engine.application.invitations import set_password_with_link
from engine.application.service import Qualizyklus
from engine.cli.main import main
from engine.infrastructure.passwords import check_password
from engine.infrastructure.settings import Settings
from tests.engine.test_reminders import MailServer, body, mail_server

__all__ = ["mail_server"]  # the reminders' SMTP server fixture

Run = Callable[..., Result]
BASE_URL = "https://qz.lk-beispiel.example"
EMAIL = "h.hebamme@lk-beispiel.example"
PASSWORD = "ein langes neues Passwort"


@pytest.fixture
def run(settings: Settings, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `qualizyklus users …` against the test's store, mailing through the local server."""
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", settings.database)
    monkeypatch.setenv("QUALIZYKLUS_BASE_URL", BASE_URL)
    for name, value in mail_server.environ().items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, ["users", *args], catch_exceptions=False)

    return invoke


def secret_in(server: MailServer, index: int = -1) -> str:
    found = re.findall(
        rf"{re.escape(BASE_URL)}/password/([A-Za-z0-9_-]+)", body(server.received[index])
    )
    assert len(found) == 1
    return str(found[0])


def test_a_person_created_with_invite_sets_their_own_password(
    run: Run, app: Qualizyklus, mail_server: MailServer
) -> None:
    created = run("create", "--email", EMAIL, "--name", "Hanna Hebamme", "--invite")

    assert created.exit_code == 0, created.output
    assert "Link gesendet / link sent (invitation), 72 h" in created.output
    profile = app.profiles.by_email(EMAIL)
    assert profile is not None and profile["password_hash"] == ""
    [mail] = mail_server.to(EMAIL)
    assert mail["Subject"] == "Qualizyklus: Ihre Einladung – Passwort festlegen"
    assert set_password_with_link(app.profiles, secret_in(mail_server), PASSWORD)
    profile = app.profiles.by_email(EMAIL)
    assert profile is not None and check_password(profile["password_hash"], PASSWORD)


def test_invite_again_ends_the_older_link_and_writes_in_the_chosen_language(
    run: Run, app: Qualizyklus, mail_server: MailServer
) -> None:
    run("create", "--email", EMAIL, "--name", "Hanna Hebamme", "--invite")
    first = secret_in(mail_server)

    again = run("invite", EMAIL, "--language", "en")

    assert again.exit_code == 0, again.output
    assert mail_server.received[-1]["Subject"] == "Qualizyklus: your invitation – set your password"
    assert app.profiles.links.find(first) is None
    assert app.profiles.links.find(secret_in(mail_server)) is not None


def test_someone_with_a_password_gets_a_reset_link(
    run: Run, app: Qualizyklus, mail_server: MailServer
) -> None:
    app.profiles.put("p-1", display_name="Kai", email="k@lk-beispiel.example")
    set_up = CliRunner().invoke(
        main,
        ["users", "set-password", "k@lk-beispiel.example", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert set_up.exit_code == 0, set_up.output

    sent = run("invite", "k@lk-beispiel.example")

    assert "(reset)" in sent.output
    assert mail_server.received[-1]["Subject"] == "Qualizyklus: neues Passwort festlegen"


def test_without_mail_settings_nothing_is_created_and_the_command_says_why(
    run: Run, app: Qualizyklus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUALIZYKLUS_SMTP_HOST")

    refused = run("create", "--email", EMAIL, "--name", "Hanna Hebamme", "--invite")

    assert refused.exit_code == 2
    assert "QUALIZYKLUS_SMTP_HOST" in refused.output
    assert app.profiles.by_email(EMAIL) is None


def test_without_a_base_url_no_link_goes_out(
    run: Run, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUALIZYKLUS_BASE_URL")

    refused = run("invite", EMAIL)

    assert refused.exit_code == 2
    assert "QUALIZYKLUS_BASE_URL" in refused.output
    assert mail_server.received == []


def test_an_unknown_address_is_refused(run: Run, mail_server: MailServer) -> None:
    refused = run("invite", "niemand@lk-beispiel.example")

    assert refused.exit_code == 1
    assert "no person with" in refused.output
    assert mail_server.received == []


@pytest.mark.parametrize(
    "command",
    [
        ["users", "set-password", "niemand@lk-beispiel.example"],
        ["users", "create", "--email", "k@lk-beispiel.example", "--name", "Kai"],
    ],
    ids=["set-password-unknown", "create-existing"],
)
def test_a_refused_person_is_named_before_a_password_is_asked_for(
    run: Run, app: Qualizyklus, command: list[str]
) -> None:
    app.profiles.put("p-1", display_name="Kai", email="k@lk-beispiel.example")
    before = app.profiles.get("p-1")

    refused = CliRunner().invoke(main, command, input="")

    assert refused.exit_code == 1, refused.output
    assert "Passwort / password" not in refused.output
    assert "niemand@" in refused.output or "exists already" in refused.output
    assert app.profiles.get("p-1") == before
