"""`qualizyklus reminders send|list` against a real store and a real local SMTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from click.testing import CliRunner, Result

from engine.application.reminders import sent_reminders
from engine.application.service import Qualizyklus
from engine.cli.main import main
from engine.infrastructure.settings import Settings
from tests.engine.stories import Network, register_network
from tests.engine.test_reminders import (
    DAYS,
    ON,
    PEOPLE,
    SENDER,
    MailServer,
    body,
    free_port,
    implementing,
    with_people,
)

Run = Callable[..., Result]
SMTP_NAMES = ("HOST", "PORT", "USER", "PASSWORD", "FROM", "STARTTLS")
SUMMARY = "Nachrichten / messages: {}, Erinnerungen / reminders: {}, übersprungen / skipped: {}"


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A running local SMTP server."""
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def run(settings: Settings, mail_server: MailServer, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run `qualizyklus` against the test's store, mailing through the local server."""
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", settings.database)
    monkeypatch.setenv("QUALIZYKLUS_REMINDER_DAYS", str(DAYS))
    monkeypatch.setenv("QUALIZYKLUS_BASE_URL", "https://qz.lk-beispiel.example")
    for name in SMTP_NAMES:
        monkeypatch.delenv(f"QUALIZYKLUS_SMTP_{name}", raising=False)
    for name, value in mail_server.environ().items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, ["reminders", *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def net(app: Qualizyklus) -> Network:
    """Landkreis Beispiel with an overdue measure of the midwife's, one due soon of the
    paediatrician's and one of the midwife's due in 20 days."""
    network = with_people(app, register_network(app))
    implementing(
        app,
        network,
        {"hers": (-3, ""), "his": (5, network.paediatrician), "later": (20, "")},
    )
    return network


def recorded(app: Qualizyklus) -> list[tuple[str, str, str]]:
    """What the store records as sent: member, measure, kind."""
    return [(r["member_id"], r["measure_id"], r["kind"]) for r in sent_reminders(app).everything()]


def test_send_mails_each_member_once_and_a_second_run_sends_nothing(
    app: Qualizyklus, net: Network, run: Run, mail_server: MailServer
) -> None:
    first = run("send", "--on", ON.isoformat())

    assert first.exit_code == 0, first.output
    assert SUMMARY.format(2, 2, 0) + ", fehlgeschlagen / failed: 0" in first.output
    assert f"gesendet / sent: {net.midwife} (1)" in first.output
    [hers] = mail_server.to(PEOPLE["hebamme"][1])
    assert hers["From"] == SENDER
    assert body(hers).startswith("Guten Tag Hanna Hebamme,")
    assert "überfällig seit 3 Tagen" in body(hers)
    assert "https://qz.lk-beispiel.example/o/lk-beispiel/cycles/" in body(hers)
    assert "Maßnahme later" not in body(hers)
    assert sorted(recorded(app)) == [
        (net.midwife, "hers", "overdue"),
        (net.paediatrician, "his", "due-soon"),
    ]

    second = run("send", "--on", ON.isoformat())

    assert second.exit_code == 0
    assert SUMMARY.format(0, 0, 0) in second.output
    assert len(mail_server.received) == 2


def test_days_overrides_the_configured_window(
    app: Qualizyklus, net: Network, run: Run, mail_server: MailServer
) -> None:
    result = run("send", "--on", ON.isoformat(), "--days", "20")

    assert result.exit_code == 0
    assert SUMMARY.format(2, 3, 0) in result.output
    assert "Maßnahme later" in body(mail_server.to(PEOPLE["hebamme"][1])[0])
    assert "in den nächsten 20 Tagen" in body(mail_server.received[0])


def test_a_dry_run_shows_what_would_be_sent_and_sends_and_records_nothing(
    app: Qualizyklus, net: Network, run: Run, mail_server: MailServer
) -> None:
    result = run("send", "--dry-run", "--on", ON.isoformat())

    assert result.exit_code == 0
    assert "Probelauf, nichts gesendet / dry run, nothing sent" in result.output
    assert f"würde senden / would send: {net.paediatrician} (1)" in result.output
    assert SUMMARY.format(2, 2, 0) in result.output
    assert mail_server.received == []
    assert recorded(app) == []


def test_a_refused_delivery_exits_1_records_nothing_and_goes_out_on_the_next_run(
    app: Qualizyklus, net: Network, run: Run, mail_server: MailServer
) -> None:
    mail_server.refused.add(PEOPLE["hebamme"][1])

    refused = run("send", "--on", ON.isoformat())

    assert refused.exit_code == 1
    assert f"fehlgeschlagen / failed: {net.midwife}: SMTPRecipientsRefused" in refused.stderr
    assert "fehlgeschlagen / failed: 1" in refused.stdout
    assert recorded(app) == [(net.paediatrician, "his", "due-soon")]

    mail_server.refused.clear()
    retried = run("send", "--on", ON.isoformat())

    assert retried.exit_code == 0
    assert SUMMARY.format(1, 1, 0) in retried.output
    assert len(mail_server.to(PEOPLE["hebamme"][1])) == 1
    assert len(recorded(app)) == 2


@pytest.mark.parametrize(
    ("unset", "wrong", "complaint"),
    [
        ("QUALIZYKLUS_SMTP_HOST", {}, "QUALIZYKLUS_SMTP_HOST must be set"),
        ("QUALIZYKLUS_SMTP_FROM", {}, "QUALIZYKLUS_SMTP_FROM must be set"),
        ("", {"QUALIZYKLUS_SMTP_PORT": "25x"}, "QUALIZYKLUS_SMTP_PORT must be a whole number"),
        ("", {"QUALIZYKLUS_REMINDER_DAYS": "zwei"}, "QUALIZYKLUS_REMINDER_DAYS must be a whole"),
    ],
)
def test_missing_or_invalid_settings_are_a_usage_error_and_nothing_is_sent(
    app: Qualizyklus,
    net: Network,
    run: Run,
    mail_server: MailServer,
    monkeypatch: pytest.MonkeyPatch,
    unset: str,
    wrong: dict[str, str],
    complaint: str,
) -> None:
    if unset:
        monkeypatch.delenv(unset)
    for name, value in wrong.items():
        monkeypatch.setenv(name, value)

    result = run("send", "--on", ON.isoformat())

    assert result.exit_code == 2
    assert complaint in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr  # no usage text
    assert mail_server.received == []
    assert recorded(app) == []


def test_an_unreachable_mail_server_exits_1_and_records_nothing(
    app: Qualizyklus, net: Network, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALIZYKLUS_SMTP_PORT", str(free_port()))  # nothing listens there

    result = run("send", "--on", ON.isoformat())

    assert result.exit_code == 1
    assert "MailServerUnavailable" in result.stderr
    assert "fehlgeschlagen / failed: 2" in result.stdout
    assert recorded(app) == []


def test_list_shows_what_is_due_by_member_and_sends_nothing(
    app: Qualizyklus, net: Network, run: Run, mail_server: MailServer
) -> None:
    before = run("list", "--on", ON.isoformat())

    assert before.exit_code == 0
    lines = before.output.splitlines()
    assert lines[0] == f"{net.midwife}:"
    assert "überfällig seit 3 Tagen (fällig am 30.05.2025)" in lines[1]
    assert "lk-beispiel / Qualitätszyklus 2025 / Maßnahme hers" in lines[1]
    assert lines[2] == f"{net.paediatrician}:"
    assert "fällig in 5 Tagen" in lines[3]
    assert lines[-1] == "Erinnerungen / reminders: 2"
    assert "Maßnahme later" not in before.output
    assert mail_server.received == [] and recorded(app) == []

    run("send", "--on", ON.isoformat())
    after = run("list", "--on", ON.isoformat(), "--member", net.midwife)

    assert "[gesendet / sent]" in after.output
    assert net.paediatrician not in after.output
    assert after.output.splitlines()[-1] == "Erinnerungen / reminders: 1"


def test_send_before_init_of_the_reminders_table_says_to_run_init(
    app: Qualizyklus, net: Network, run: Run, mail_server: MailServer
) -> None:
    datastore = app.factory.datastore  # type: ignore[attr-defined]
    table = "qualizyklus_reminders_sent"
    schema = getattr(datastore, "schema", "")
    with datastore.transaction(commit=True) as cursor:
        cursor.execute(f"DROP TABLE {schema + '.' if schema else ''}{table}")

    result = run("send", "--on", ON.isoformat())

    assert result.exit_code == 1
    assert "qualizyklus init" in result.output
    assert mail_server.received == []
