"""Reminders: measures due soon or overdue, for the member responsible, in the app and by e-mail.

A reminder is computed, never recorded as an event: a measure of an open cycle, not settled
(done, dropped, carried over), with a due date and a responsible member who still belongs to
the organisation, is *overdue* when its due date lies before today and *due soon* when it
falls within the next ``QUALIZYKLUS_REMINDER_DAYS`` days (today included).

``qualizyklus reminders send`` mails each member one message listing their reminders and
records what was sent (member, cycle, measure, kind, due date) in a table of its own,
``qualizyklus_reminders_sent``, so that nobody gets the same reminder twice however often it
runs. A measure whose due date changes, or that becomes overdue after a due-soon reminder, is
a new reminder. A message the server refuses is not recorded and goes out on the next run;
when the server cannot be reached at all, the run stops there (and the next run tries again).
A message is recorded right after the server accepted it: should recording fail, the next
run sends it again (at least once, never lost). Run one ``send`` at a time (cron does).
Names and addresses come from the profile store at sending time; members without an address
(or erased) are skipped and counted.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from eventsourcing.persistence import PersistenceError

from engine.application.due_reminders import (
    DUE_SOON,
    KINDS,
    OVERDUE,
    OpenMeasure,
    Reminder,
    member_reminders,
    open_measures,
    reminder_for,
    reminders,
    today,
)
from engine.application.mailer import Mailer, MailServerUnavailable, SmtpMailer
from engine.application.reminder_messages import (
    Delivery,
    compose,
    implement_url,
    message_text,
    subject,
    when_de,
    when_en,
)
from engine.application.reminder_settings import DEFAULT_DAYS, ReminderSettings, SmtpSettings
from engine.application.store import Store
from engine.infrastructure.profiles import ProfileStore
from engine.infrastructure.side_tables import SideTable, open_side_table

__all__ = [
    "DEFAULT_DAYS",
    "DUE_SOON",
    "KINDS",
    "OVERDUE",
    "Delivery",
    "MailServerUnavailable",
    "Mailer",
    "OpenMeasure",
    "Reminder",
    "ReminderSettings",
    "SendReport",
    "SentReminders",
    "SmtpMailer",
    "SmtpSettings",
    "compose",
    "implement_url",
    "member_reminders",
    "message_text",
    "open_measures",
    "pending",
    "reminder_for",
    "reminders",
    "send_reminders",
    "sent_reminders",
    "subject",
    "today",
    "when_de",
    "when_en",
]

TABLE = "qualizyklus_reminders_sent"

log = logging.getLogger(__name__)


class Recipients(Store, Protocol):
    """The service as sending reminders uses it: names and addresses from the profiles."""

    @property
    def profiles(self) -> ProfileStore:
        """Names and addresses of people (never in events)."""


class SentReminders(SideTable):
    """The reminders sent by e-mail, in the application's own database (like the profiles)."""

    TABLE = TABLE
    COLUMNS = ("member_id", "cycle_id", "measure_id", "kind", "due_on", "sent_at")

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "member_id TEXT NOT NULL, cycle_id TEXT NOT NULL, measure_id TEXT NOT NULL, "
                "kind TEXT NOT NULL, due_on TEXT NOT NULL, sent_at TEXT NOT NULL, "
                "PRIMARY KEY (member_id, cycle_id, measure_id, kind, due_on))"
            )

    def ready(self) -> bool:
        """Whether the table exists (an installation older than reminders needs ``init``)."""
        try:
            with self._datastore.transaction(commit=False) as cursor:
                cursor.execute(f"SELECT member_id FROM {self._table} WHERE 1 = 0")
        except PersistenceError:
            return False
        return True

    def sent_keys(self, member_id: str) -> set[tuple[str, str, str, str, str]]:
        """The keys (as ``Reminder.key``) of the reminders a member has been sent."""
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(
                f"SELECT cycle_id, measure_id, kind, due_on FROM {self._table} "
                f"WHERE member_id = {self._p}",
                (member_id,),
            )
            return {
                (member_id, row["cycle_id"], row["measure_id"], row["kind"], row["due_on"])
                for row in cursor.fetchall()
            }

    def record(self, sent: Iterable[Reminder]) -> None:
        """Record reminders as sent (all in one transaction; recording one twice is harmless)."""
        p = self._p
        now = datetime.now(UTC).isoformat()
        sql = (
            f"INSERT INTO {self._table} ({', '.join(self.COLUMNS)}) "
            f"VALUES ({', '.join([p] * len(self.COLUMNS))}) ON CONFLICT DO NOTHING"
        )
        with self._datastore.transaction(commit=True) as cursor:
            for reminder in sent:
                cursor.execute(sql, (*reminder.key, now))

    def everything(self) -> list[dict[str, str]]:
        """Every record, oldest first (for operators and tests)."""
        columns = ", ".join(self.COLUMNS)
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(f"SELECT {columns} FROM {self._table}")
            rows = [{c: str(row[c]) for c in self.COLUMNS} for row in cursor.fetchall()]
        return sorted(rows, key=lambda row: (row["sent_at"], *row.values()))


def sent_reminders(app: Store) -> SentReminders:
    """The record of sent reminders in the engine's database (same datastore as the profiles)."""
    return open_side_table(app, SentReminders)


@dataclass
class SendReport:
    """What a run sent (or, in a dry run, would send), skipped and failed to deliver."""

    dry_run: bool = False
    delivered: list[Delivery] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Members with reminders due but without an e-mail address (or erased)."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """Members whose message was not delivered, with the error (retried on the next run)."""
    up_to_date: int = 0
    """Members whose reminders had all been sent before."""

    @property
    def messages(self) -> int:
        """Messages sent (would be sent)."""
        return len(self.delivered)

    @property
    def reminders(self) -> int:
        """Reminders in the messages sent (would be sent)."""
        return sum(len(d.reminders) for d in self.delivered)

    @property
    def ok(self) -> bool:
        """Whether every message went out."""
        return not self.failed


def pending(app: Recipients, report: SendReport, *, on: date, days: int) -> list[Delivery]:
    """One delivery per member with reminders not sent before; counts the rest in ``report``."""
    log_of_sent = sent_reminders(app)
    by_member: dict[str, list[Reminder]] = {}
    for reminder in reminders(app, on=on, days=days):
        by_member.setdefault(reminder.member_id, []).append(reminder)
    deliveries = []
    for member_id, found in by_member.items():
        sent_before = log_of_sent.sent_keys(member_id)
        due = tuple(r for r in found if r.key not in sent_before)
        if not due:
            report.up_to_date += 1
            continue
        profile = app.profiles.get(member_id)
        if profile is None or not profile["email"]:
            report.skipped.append(member_id)
            continue
        name, email = str(profile["display_name"]), str(profile["email"])
        deliveries.append(Delivery(member_id, name, email, due))
    return deliveries


def send_reminders(
    app: Recipients,
    mailer: Mailer | None,
    *,
    sender: str = "",
    settings: ReminderSettings | None = None,
    on: date | None = None,
    dry_run: bool = False,
) -> SendReport:
    """Mail each member one message with the reminders not sent to them before.

    A delivered message's reminders are recorded at once; a refused one records nothing, so
    the next run tries again. When no session with the mail server comes about, the run stops
    and counts every message still to send as failed. In a dry run nothing is sent or
    recorded (``mailer`` may be None).
    """
    settings = settings or ReminderSettings.from_environ()
    report = SendReport(dry_run=dry_run)
    deliveries = pending(app, report, on=on or today(), days=settings.days)
    if dry_run:
        report.delivered.extend(deliveries)
        return report
    if not deliveries:
        return report
    if mailer is None:
        msg = "a mailer is needed unless it is a dry run"
        raise ValueError(msg)
    log_of_sent = sent_reminders(app)
    for index, delivery in enumerate(deliveries):
        message = compose(delivery, sender=sender, days=settings.days, base_url=settings.base_url)
        try:
            mailer.send(message)
        except MailServerUnavailable as error:
            unsent = len(deliveries) - index
            log.error("mail server unavailable, %d messages not sent: %s", unsent, error)
            problem = f"{type(error).__name__}: {error}"
            report.failed.extend((d.member_id, problem) for d in deliveries[index:])
            break
        except (smtplib.SMTPException, OSError) as error:
            log.warning("reminder mail to member %s not delivered: %s", delivery.member_id, error)
            report.failed.append((delivery.member_id, f"{type(error).__name__}: {error}"))
            continue
        log_of_sent.record(delivery.reminders)
        report.delivered.append(delivery)
        log.info(
            "reminder mail with %d reminders sent to member %s",
            len(delivery.reminders),
            delivery.member_id,
        )
    return report
