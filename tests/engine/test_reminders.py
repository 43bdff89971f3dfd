"""Reminders: which measures are due soon or overdue, and mailing them through a real SMTP server.

Landkreis Beispiel's midwife and paediatrician are responsible for measures with due dates
around 2 June 2025. The engine finds what is due within 14 days or overdue, mails each member
one message through a local SMTP server (aiosmtpd on 127.0.0.1) and records what went out, so
that running it again sends nothing twice.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from engine.application.reminders import (
    DUE_SOON,
    OVERDUE,
    ReminderSettings,
    SmtpMailer,
    SmtpSettings,
    member_reminders,
    reminders,
    send_reminders,
    sent_reminders,
)
from engine.application.service import Qualizyklus
from engine.domain.workflow import WorkflowRegistry, builtin_definitions, load_definition_file
from engine.infrastructure.settings import Settings, SettingsError
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import Network, cycle_in_phase, register_network
from tests.engine.test_workflow_definitions import builtin_text

ON = date(2025, 6, 2)
DAYS = 14
SENDER = "qualizyklus@lk-beispiel.example"
PEOPLE = {
    "koordination": ("Karin Koordination", "k.koordination@lk-beispiel.example"),
    "hebamme": ("Hanna Hebamme", "h.hebamme@lk-beispiel.example"),
    "kinderarzt": ("Dr. Kai Kinderarzt", "k.kinderarzt@lk-beispiel.example"),
    "ausschuss": ("Anton Ausschuss", "a.ausschuss@lk-beispiel.example"),
}


# A real SMTP server ---------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailServer:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it accepts.

    Recipients in ``refused`` are turned away with "550", as a real server does for an
    unknown mailbox.
    """

    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.received: list[EmailMessage] = []
        self.refused: set[str] = set()
        self.port = free_port()
        self.users = users
        signing_in: dict[str, Any] = {}
        if users is not None:  # sign-in required (over plain SMTP: the server is local)
            signing_in = {
                "authenticator": self.authenticate,
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **signing_in)

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """Let known users with their password in."""
        login, password = auth_data.login.decode(), auth_data.password.decode()
        assert self.users is not None
        return AuthResult(success=self.users.get(login) == password, handled=False)

    async def handle_RCPT(  # aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        """Accept a recipient unless it is refused."""
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message."""
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.received.append(parsed)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        """Listen."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()

    def settings(self) -> SmtpSettings:
        """Settings for delivering to this server (plain SMTP, no sign-in)."""
        return SmtpSettings(host="127.0.0.1", port=self.port, sender=SENDER, starttls=False)

    def environ(self) -> dict[str, str]:
        """The same as QUALIZYKLUS_SMTP_* variables."""
        return {
            "QUALIZYKLUS_SMTP_HOST": "127.0.0.1",
            "QUALIZYKLUS_SMTP_PORT": str(self.port),
            "QUALIZYKLUS_SMTP_FROM": SENDER,
            "QUALIZYKLUS_SMTP_STARTTLS": "0",
        }

    def to(self, address: str) -> list[EmailMessage]:
        """The messages received for one address."""
        return [m for m in self.received if address in str(m["To"])]


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    """A running local SMTP server."""
    server = MailServer()
    server.start()
    yield server
    server.stop()


def body(message: EmailMessage) -> str:
    """A message's plain-text body."""
    part = message.get_body(("plain",))
    assert part is not None
    return str(cast(EmailMessage, part).get_content()).replace("\r\n", "\n")


# The network and its measures ----------------------------------------------------------------


def with_people(app: Qualizyklus, net: Network) -> Network:
    """Give the network's people names and e-mail addresses."""
    for person_id, (name, email) in PEOPLE.items():
        app.profiles.put(person_id, display_name=name, email=email)
    return net


def plan(
    app: Qualizyklus, net: Network, cycle_id: UUID, measure_id: str, due: date, who: str = ""
) -> None:
    """Plan a measure due on a day (the midwife's unless someone else is named)."""
    app.plan_measure(
        cycle_id,
        actor_id=net.coordinator,
        measure_id=measure_id,
        title=f"Maßnahme {measure_id}",
        responsible_member_id=who or net.midwife,
        due=due,
    )


def implementing(app: Qualizyklus, net: Network, measures: dict[str, tuple[int, str]]) -> UUID:
    """A cycle in implementation with measures due so many days from ON, for someone.

    The cycle's own 'measure-1' (the midwife's) is due on 30 September 2025, far ahead.
    """
    cycle_id = cycle_in_phase(app, net, "implement")
    for measure_id, (offset, who) in measures.items():
        plan(app, net, cycle_id, measure_id, ON + timedelta(days=offset), who)
    return cycle_id


def found(app: Qualizyklus, on: date = ON, days: int = DAYS) -> dict[str, tuple[str, str, int]]:
    """Reminders by measure id: member, kind and days until due."""
    return {
        r.measure.measure_id: (r.member_id, r.kind, r.days)
        for r in reminders(app, on=on, days=days)
    }


@pytest.fixture
def net(app: Qualizyklus) -> Network:
    """Landkreis Beispiel, its people with profiles."""
    return with_people(app, register_network(app))


# Which measures are due ------------------------------------------------------------------------


def test_due_today_and_up_to_the_configured_days_ahead_is_due_soon_one_day_more_is_not(
    app: Qualizyklus, net: Network
) -> None:
    implementing(
        app,
        net,
        {"today": (0, ""), "last-day": (DAYS, ""), "day-after": (DAYS + 1, ""), "in-3": (3, "")},
    )

    assert found(app) == {
        "today": (net.midwife, DUE_SOON, 0),
        "in-3": (net.midwife, DUE_SOON, 3),
        "last-day": (net.midwife, DUE_SOON, DAYS),
    }
    # A wider window takes in the day after, and 'measure-1' only when it reaches it.
    assert "day-after" in found(app, days=DAYS + 1)
    assert "measure-1" not in found(app, days=DAYS + 1)


def test_a_measure_due_before_today_is_overdue_by_that_many_days(
    app: Qualizyklus, net: Network
) -> None:
    implementing(app, net, {"yesterday": (-1, ""), "last-month": (-30, net.paediatrician)})

    assert found(app) == {
        "last-month": (net.paediatrician, OVERDUE, -30),
        "yesterday": (net.midwife, OVERDUE, -1),
    }
    # Ordered by member, then oldest due date first.
    assert [r.member_id for r in reminders(app, on=ON, days=DAYS)] == [
        net.midwife,
        net.paediatrician,
    ]


def test_done_dropped_and_carried_over_measures_are_not_reminded_running_and_blocked_are(
    app: Qualizyklus, net: Network
) -> None:
    measures = {status: (-2, "") for status in ("done", "dropped", "carried-over", "running")}
    cycle_id = implementing(app, net, {**measures, "blocked": (-2, "")})
    for measure_id in (*measures, "blocked"):
        reason = "Kein Träger gefunden." if measure_id in ("dropped", "blocked") else ""
        status = measure_id
        app.change_measure_status(
            cycle_id, actor_id=net.coordinator, measure_id=measure_id, status=status, reason=reason
        )

    assert set(found(app)) == {"running", "blocked"}


@pytest.fixture
def app_without_gates(settings: Settings, tmp_path: Path) -> Iterator[Qualizyklus]:
    """A second engine on the same store with a workflow that closes without any gate."""
    text = builtin_text("standard-v2.toml").replace("version = 2", "version = 3")
    for gates in ('["measures-settled"]', '["goals-reviewed"]'):
        text = text.replace(f"gates = {gates}", "")
    definition = tmp_path / "standard-v3.toml"
    definition.write_text(text, encoding="utf-8")
    registry = WorkflowRegistry([*builtin_definitions(), load_definition_file(definition)])
    application = Qualizyklus(settings, themes=SAMPLE_THEMES, workflows=registry)
    yield application
    application.close()


def test_measures_of_a_closed_cycle_are_not_reminded(
    app: Qualizyklus, app_without_gates: Qualizyklus, net: Network
) -> None:
    cycle_id = implementing(app_without_gates, net, {"left-open": (-5, "")})
    assert app_without_gates.cycle(cycle_id)["workflow_version"] == 3
    assert "left-open" in found(app_without_gates)

    app_without_gates.advance_phase(cycle_id, actor_id=net.coordinator)  # to review
    assert "left-open" in found(app_without_gates)
    app_without_gates.close_cycle(cycle_id, actor_id=net.coordinator, summary="Abgeschlossen.")

    assert app_without_gates.cycle(cycle_id)["measures"]["left-open"]["status"] == "planned"
    assert found(app_without_gates) == {}
    assert found(app) == {}


def test_a_member_who_left_the_organisation_is_no_longer_reminded(
    app: Qualizyklus, net: Network
) -> None:
    implementing(app, net, {"hers": (-1, ""), "his": (-1, net.paediatrician)})
    assert set(found(app)) == {"hers", "his"}

    app.revoke_role(
        net.organisation_id, actor_id=net.coordinator, member_id=net.paediatrician, reason="Weg."
    )

    assert found(app) == {"hers": (net.midwife, OVERDUE, -1)}
    assert member_reminders(app, net.paediatrician, on=ON, days=DAYS) == ()


def test_a_members_in_app_list_holds_only_their_own_reminders_and_follows_changes(
    app: Qualizyklus, net: Network
) -> None:
    cycle_id = implementing(app, net, {"hers": (1, ""), "his": (-1, net.paediatrician)})

    mine = member_reminders(app, net.midwife, on=ON, days=DAYS)
    assert [(r.measure.measure_id, r.kind, r.days) for r in mine] == [("hers", DUE_SOON, 1)]
    assert member_reminders(app, net.viewer, on=ON, days=DAYS) == ()
    assert member_reminders(app, net.stranger, on=ON, days=DAYS) == ()

    # The list is kept between requests, but a change in the store shows at once.
    app.change_measure_status(cycle_id, actor_id=net.midwife, measure_id="hers", status="running")
    app.change_measure_status(cycle_id, actor_id=net.midwife, measure_id="hers", status="done")
    assert member_reminders(app, net.midwife, on=ON, days=DAYS) == ()


# Sending -----------------------------------------------------------------------------------------

SETTINGS = ReminderSettings(days=DAYS, base_url="https://qz.lk-beispiel.example")


def send(app: Qualizyklus, server: MailServer, *, on: date = ON, dry_run: bool = False) -> Any:
    """One run of sending, through the local server."""
    with SmtpMailer(server.settings()) as mailer:
        return send_reminders(app, mailer, sender=SENDER, settings=SETTINGS, on=on, dry_run=dry_run)


def test_each_member_gets_one_message_with_their_reminders_german_first(
    app: Qualizyklus, net: Network, mail_server: MailServer
) -> None:
    cycle_id = implementing(
        app,
        net,
        {"soon": (DAYS, ""), "late": (-1, ""), "his": (0, net.paediatrician), "later": (20, "")},
    )

    report = send(app, mail_server)

    assert (report.messages, report.reminders, report.failed, report.skipped) == (2, 3, [], [])
    assert len(mail_server.received) == 2
    [hers] = mail_server.to(PEOPLE["hebamme"][1])
    assert hers["From"] == SENDER
    assert hers["To"].addresses[0].display_name == "Hanna Hebamme"
    assert hers["Subject"] == (
        "Qualizyklus: 2 Maßnahmen fällig oder überfällig / 2 measures due or overdue"
    )
    assert hers["Auto-Submitted"] == "auto-generated"
    text = body(hers)
    german, english = text.split("-- English --")
    assert german.startswith("Guten Tag Hanna Hebamme,")
    assert "Maßnahme late\n  überfällig seit 1 Tag (fällig am 01.06.2025)" in german
    assert f"Maßnahme soon\n  fällig in {DAYS} Tagen (am 16.06.2025)" in german
    assert german.index("Maßnahme late") < german.index("Maßnahme soon")  # oldest first
    link = f"{SETTINGS.base_url}/o/lk-beispiel/cycles/{cycle_id}/implement#measure-late"
    assert link in german
    assert "Maßnahme later" not in text and "measure-1" not in text
    assert "Hello Hanna Hebamme," in english and "overdue by 1 day (due 2025-06-01)" in english
    [his] = mail_server.to(PEOPLE["kinderarzt"][1])
    assert "heute fällig (02.06.2025)" in body(his)
    assert "Maßnahme soon" not in body(his)
    assert his["Subject"] == "Qualizyklus: 1 Maßnahme bald fällig / 1 measure due soon"
    recorded = {(r["member_id"], r["measure_id"], r["kind"]) for r in sent_log(app)}
    assert recorded == {
        (net.midwife, "late", OVERDUE),
        (net.midwife, "soon", DUE_SOON),
        (net.paediatrician, "his", DUE_SOON),
    }


def sent_log(app: Qualizyklus) -> list[dict[str, str]]:
    """What the store records as sent."""
    return sent_reminders(app).everything()


def test_sending_again_sends_nothing_twice(
    app: Qualizyklus, net: Network, mail_server: MailServer
) -> None:
    implementing(app, net, {"soon": (3, ""), "his": (-2, net.paediatrician)})
    send(app, mail_server)
    recorded = sent_log(app)

    again = send(app, mail_server)
    later_that_week = send(app, mail_server, on=ON + timedelta(days=2))

    assert (again.messages, again.up_to_date) == (0, 2)
    assert later_that_week.messages == 0
    assert len(mail_server.received) == 2
    assert sent_log(app) == recorded


def test_a_changed_due_date_is_a_new_reminder(
    app: Qualizyklus, net: Network, mail_server: MailServer
) -> None:
    cycle_id = implementing(app, net, {"soon": (3, "")})
    send(app, mail_server)

    app.revise_measure(
        cycle_id,
        actor_id=net.coordinator,
        measure_id="soon",
        title="Maßnahme soon",
        responsible_member_id=net.midwife,
        due=ON + timedelta(days=10),
        reason="Raum erst später frei.",
    )
    report = send(app, mail_server)

    assert report.messages == 1
    assert "fällig in 10 Tagen (am 12.06.2025)" in body(mail_server.received[-1])
    assert {r["due_on"] for r in sent_log(app)} == {"2025-06-05", "2025-06-12"}


def test_a_due_soon_measure_that_becomes_overdue_is_reminded_again_once(
    app: Qualizyklus, net: Network, mail_server: MailServer
) -> None:
    implementing(app, net, {"soon": (3, "")})
    send(app, mail_server)

    overdue = send(app, mail_server, on=ON + timedelta(days=4))
    still_overdue = send(app, mail_server, on=ON + timedelta(days=9))

    assert (overdue.messages, still_overdue.messages) == (1, 0)
    assert "überfällig seit 1 Tag" in body(mail_server.received[-1])
    assert [r["kind"] for r in sent_log(app)] == [DUE_SOON, OVERDUE]


def test_a_refused_message_records_nothing_and_goes_out_on_the_next_run(
    app: Qualizyklus, net: Network, mail_server: MailServer
) -> None:
    implementing(app, net, {"hers": (-1, ""), "his": (-1, net.paediatrician)})
    mail_server.refused.add(PEOPLE["hebamme"][1])

    refused = send(app, mail_server)

    assert not refused.ok
    assert [member for member, _ in refused.failed] == [net.midwife]
    assert "550" in refused.failed[0][1]
    assert [d.member_id for d in refused.delivered] == [net.paediatrician]
    assert {r["member_id"] for r in sent_log(app)} == {net.paediatrician}
    assert mail_server.to(PEOPLE["hebamme"][1]) == []

    mail_server.refused.clear()
    retried = send(app, mail_server)

    assert retried.ok
    assert [d.member_id for d in retried.delivered] == [net.midwife]
    assert len(mail_server.to(PEOPLE["hebamme"][1])) == 1
    assert len(mail_server.to(PEOPLE["kinderarzt"][1])) == 1
    assert {r["member_id"] for r in sent_log(app)} == {net.midwife, net.paediatrician}


def test_a_dry_run_sends_and_records_nothing(
    app: Qualizyklus, net: Network, mail_server: MailServer
) -> None:
    implementing(app, net, {"hers": (-1, ""), "his": (2, net.paediatrician)})

    report = send_reminders(app, None, settings=SETTINGS, on=ON, dry_run=True)

    assert report.dry_run and (report.messages, report.reminders) == (2, 2)
    assert mail_server.received == []
    assert sent_log(app) == []
    assert send(app, mail_server).messages == 2  # the real run still sends everything


def test_members_without_an_address_are_skipped_and_reminded_once_they_have_one(
    app: Qualizyklus, net: Network, mail_server: MailServer
) -> None:
    implementing(app, net, {"hers": (-1, "")})
    app.profiles.put(net.midwife, display_name="Hanna Hebamme", email="")

    report = send(app, mail_server)

    assert (report.messages, report.skipped) == (0, [net.midwife])
    assert mail_server.received == [] and sent_log(app) == []

    app.profiles.put(net.midwife, display_name="Hanna Hebamme", email=PEOPLE["hebamme"][1])
    assert send(app, mail_server).messages == 1


def test_an_unreachable_mail_server_stops_the_run_and_records_nothing(
    app: Qualizyklus, net: Network
) -> None:
    implementing(app, net, {"hers": (-1, ""), "his": (-1, net.paediatrician)})
    nowhere = SmtpSettings(host="127.0.0.1", port=free_port(), sender=SENDER, starttls=False)

    with SmtpMailer(nowhere) as mailer:
        report = send_reminders(app, mailer, sender=SENDER, settings=SETTINGS, on=ON)

    assert {member for member, _ in report.failed} == {net.midwife, net.paediatrician}
    assert all(problem.startswith("MailServerUnavailable") for _, problem in report.failed)
    assert report.messages == 0 and sent_log(app) == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_mailer_signs_in_with_the_configured_user_and_a_wrong_password_stops_the_run(
    app: Qualizyklus, net: Network
) -> None:
    implementing(app, net, {"hers": (-1, "")})
    server = MailServer(users={"qz": "richtig"})
    server.start()
    try:
        wrong = SmtpSettings(
            host="127.0.0.1",
            port=server.port,
            sender=SENDER,
            starttls=False,
            user="qz",
            password="falsch",
        )
        with SmtpMailer(wrong) as mailer:
            refused = send_reminders(app, mailer, sender=SENDER, settings=SETTINGS, on=ON)
        assert [member for member, _ in refused.failed] == [net.midwife]
        assert "MailServerUnavailable" in refused.failed[0][1] and sent_log(app) == []

        right = SmtpSettings(
            host="127.0.0.1",
            port=server.port,
            sender=SENDER,
            starttls=False,
            user="qz",
            password="richtig",
        )
        with SmtpMailer(right) as mailer:
            delivered = send_reminders(app, mailer, sender=SENDER, settings=SETTINGS, on=ON)
    finally:
        server.stop()

    assert delivered.ok and delivered.messages == 1
    assert len(server.to(PEOPLE["hebamme"][1])) == 1


# Settings ----------------------------------------------------------------------------------------

SMTP = {"QUALIZYKLUS_SMTP_HOST": "mail.example", "QUALIZYKLUS_SMTP_FROM": SENDER}


def test_smtp_settings_are_read_from_the_environment_with_safe_defaults() -> None:
    assert SmtpSettings.from_environ(SMTP) == SmtpSettings(host="mail.example", sender=SENDER)
    full = SmtpSettings.from_environ(
        {
            **SMTP,
            "QUALIZYKLUS_SMTP_PORT": "465",
            "QUALIZYKLUS_SMTP_USER": "qz",
            "QUALIZYKLUS_SMTP_PASSWORD": "geheim",
            "QUALIZYKLUS_SMTP_STARTTLS": "no",
        }
    )
    assert (full.port, full.user, full.password, full.starttls) == (465, "qz", "geheim", False)
    assert full.implicit_tls
    assert "geheim" not in repr(full)


@pytest.mark.parametrize(
    ("environ", "complaint"),
    [
        ({}, "QUALIZYKLUS_SMTP_HOST and QUALIZYKLUS_SMTP_FROM must be set"),
        ({"QUALIZYKLUS_SMTP_HOST": "mail.example"}, "QUALIZYKLUS_SMTP_FROM must be set"),
        ({**SMTP, "QUALIZYKLUS_SMTP_FROM": "qualizyklus"}, "must be an e-mail address"),
        ({**SMTP, "QUALIZYKLUS_SMTP_PORT": "smtp"}, "QUALIZYKLUS_SMTP_PORT must be a whole"),
        ({**SMTP, "QUALIZYKLUS_SMTP_PORT": "70000"}, "QUALIZYKLUS_SMTP_PORT must be a port"),
        ({**SMTP, "QUALIZYKLUS_SMTP_STARTTLS": "vielleicht"}, "QUALIZYKLUS_SMTP_STARTTLS must"),
        ({**SMTP, "QUALIZYKLUS_SMTP_USER": "qz"}, "QUALIZYKLUS_SMTP_PASSWORD must be set"),
    ],
)
def test_missing_or_invalid_smtp_settings_are_refused_with_a_clear_message(
    environ: dict[str, str], complaint: str
) -> None:
    with pytest.raises(SettingsError, match=complaint):
        SmtpSettings.from_environ(environ)


def test_reminder_days_and_base_url_come_from_the_environment() -> None:
    assert ReminderSettings.from_environ({}) == ReminderSettings(days=14, base_url="")
    assert ReminderSettings.from_environ(
        {"QUALIZYKLUS_REMINDER_DAYS": "7", "QUALIZYKLUS_BASE_URL": "https://qz.example/"}
    ) == ReminderSettings(days=7, base_url="https://qz.example")
    for wrong in ("eine Woche", "-1"):
        with pytest.raises(SettingsError, match="QUALIZYKLUS_REMINDER_DAYS"):
            ReminderSettings.from_environ({"QUALIZYKLUS_REMINDER_DAYS": wrong})
