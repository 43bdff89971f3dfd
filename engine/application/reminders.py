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
import os
import smtplib
import ssl
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from eventsourcing.persistence import PersistenceError

from engine.application.store import Recent
from engine.application.tokens import is_token_member
from engine.infrastructure.settings import SettingsError
from engine.infrastructure.side_tables import SideTable, open_side_table
from engine.readmodels import current
from engine.readmodels.queries import reminder_measures

if TYPE_CHECKING:
    from engine.application.service import Qualizyklus
    from engine.application.store import Store

TABLE = "qualizyklus_reminders_sent"
DEFAULT_DAYS = 14
DUE_SOON = "due-soon"
OVERDUE = "overdue"
KINDS = (DUE_SOON, OVERDUE)
LOCAL_TIME = ZoneInfo("Europe/Berlin")
SMTP_TIMEOUT = 30.0
SMTPS_PORT = 465
CACHE_SIZE = 256
CACHE_SECONDS = 60.0
"""A member's in-app reminders are kept until the store changes (or this many seconds pass)."""

log = logging.getLogger(__name__)


def today() -> date:
    """Today's date where the installation's users live (due dates are local dates)."""
    return datetime.now(LOCAL_TIME).date()


# Settings ---------------------------------------------------------------------------------


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


# Computing reminders -----------------------------------------------------------------------


@dataclass(frozen=True)
class OpenMeasure:
    """A measure of an open cycle that is not settled, with a due date and someone responsible."""

    organisation_id: str
    organisation_slug: str
    organisation_name: str
    cycle_id: str
    cycle_title: str
    measure_id: str
    title: str
    responsible_member_id: str
    due: date
    status: str


def open_measures(
    app: Qualizyklus, *, on: date, days: int, member_id: str | None = None
) -> Iterator[OpenMeasure]:
    """Unsettled measures of open cycles due by ``on`` + ``days``, with a member responsible.

    The one place that reads measures for reminders: the measures read model
    (engine/readmodels/), where the responsible person's membership is checked too.
    """
    view = current(app).view
    for row in reminder_measures(view, on=on, days=days, member_id=member_id):
        yield OpenMeasure(
            organisation_id=row["organisation_id"],
            organisation_slug=row["organisation_slug"],
            organisation_name=row["organisation_name"],
            cycle_id=row["cycle_id"],
            cycle_title=row["cycle_title"],
            measure_id=row["measure_id"],
            title=row["title"],
            responsible_member_id=row["responsible_member_id"],
            due=date.fromisoformat(row["due"]),
            status=row["status"],
        )


@dataclass(frozen=True)
class Reminder:
    """One measure that one member should be reminded of (plain data, no personal data)."""

    member_id: str
    kind: str
    """'overdue' (due before today) or 'due-soon' (due today or within the configured days)."""
    days: int
    """Days from today until the due date: 0 due today, negative when overdue."""
    measure: OpenMeasure

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What identifies a reminder as sent: member, cycle, measure, kind and due date."""
        return (
            self.member_id,
            self.measure.cycle_id,
            self.measure.measure_id,
            self.kind,
            self.measure.due.isoformat(),
        )

    @property
    def overdue(self) -> bool:
        """Whether the measure is overdue."""
        return self.kind == OVERDUE

    def as_dict(self) -> dict[str, Any]:
        """Plain data for lists, JSON and templates."""
        m = self.measure
        return {
            "member_id": self.member_id,
            "kind": self.kind,
            "days": self.days,
            "due": m.due,
            "status": m.status,
            "organisation_id": m.organisation_id,
            "organisation_slug": m.organisation_slug,
            "organisation_name": m.organisation_name,
            "cycle_id": m.cycle_id,
            "cycle_title": m.cycle_title,
            "measure_id": m.measure_id,
            "measure_title": m.title,
        }


def reminder_for(measure: OpenMeasure, *, on: date, days: int) -> Reminder | None:
    """The reminder a measure calls for on a day, if any."""
    remaining = (measure.due - on).days
    if remaining < 0:
        return Reminder(measure.responsible_member_id, OVERDUE, remaining, measure)
    if remaining <= days:
        return Reminder(measure.responsible_member_id, DUE_SOON, remaining, measure)
    return None


def _order(reminder: Reminder) -> tuple[Any, ...]:
    m = reminder.measure
    return (reminder.member_id, m.due, m.organisation_name, m.cycle_title, m.title, m.measure_id)


def reminders(
    app: Qualizyklus,
    *,
    member_id: str | None = None,
    on: date | None = None,
    days: int = DEFAULT_DAYS,
) -> list[Reminder]:
    """Every member's reminders (or one member's), by member, then oldest due date first.

    Only members who still belong to the measure's organisation are reminded; API tokens
    never are.
    """
    on = on or today()
    found = []
    for measure in open_measures(app, on=on, days=days, member_id=member_id):
        if is_token_member(measure.responsible_member_id):
            continue
        reminder = reminder_for(measure, on=on, days=days)
        if reminder is not None:
            found.append(reminder)
    return sorted(found, key=_order)


_KEPT: WeakKeyDictionary[Any, Recent[tuple[Any, ...], tuple[Reminder, ...]]] = WeakKeyDictionary()


def member_reminders(
    app: Qualizyklus, member_id: str, *, days: int = DEFAULT_DAYS, on: date | None = None
) -> tuple[Reminder, ...]:
    """One member's reminders for the app (its list and the count in the page header).

    Pages ask on every request, so the result is kept while the store holds no newer event
    (one cheap query says so), for at most a minute.
    """
    on = on or today()
    kept = _KEPT.get(app)
    if kept is None:
        kept = _KEPT.setdefault(app, Recent(CACHE_SIZE, max_age=CACHE_SECONDS))
    key = (member_id, on, days, app.recorder.max_notification_id())
    return kept.get(
        key,
        lambda: tuple(reminders(app, member_id=member_id, on=on, days=days)),
        keep=lambda _: True,
    )


# What was sent ------------------------------------------------------------------------------


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


# Mail ---------------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Delivery:
    """One member's message: who, where to, and the reminders it lists."""

    member_id: str
    display_name: str
    email: str
    reminders: tuple[Reminder, ...]


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


def pending(app: Qualizyklus, report: SendReport, *, on: date, days: int) -> list[Delivery]:
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
    app: Qualizyklus,
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


# The message --------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str) -> str:
    return (one if count == 1 else many).format(n=count)


def when_de(reminder: Reminder) -> str:
    """'überfällig seit 3 Tagen' / 'heute fällig' / 'fällig in 5 Tagen', with the date."""
    on = f"{reminder.measure.due:%d.%m.%Y}"
    if reminder.overdue:
        late = _plural(-reminder.days, "seit {n} Tag", "seit {n} Tagen")
        return f"überfällig {late} (fällig am {on})"
    if reminder.days == 0:
        return f"heute fällig ({on})"
    return _plural(reminder.days, "fällig in {n} Tag", "fällig in {n} Tagen") + f" (am {on})"


def when_en(reminder: Reminder) -> str:
    """'overdue by 3 days' / 'due today' / 'due in 5 days', with the date."""
    on = reminder.measure.due.isoformat()
    if reminder.overdue:
        late = _plural(-reminder.days, "by {n} day", "by {n} days")
        return f"overdue {late} (due {on})"
    if reminder.days == 0:
        return f"due today ({on})"
    return _plural(reminder.days, "due in {n} day", "due in {n} days") + f" (on {on})"


def implement_url(base_url: str, measure: OpenMeasure) -> str:
    """Where the measure is on the implementation page."""
    return (
        f"{base_url}/o/{measure.organisation_slug}/cycles/{measure.cycle_id}/implement"
        f"#measure-{measure.measure_id}"
    )


def message_text(delivery: Delivery, *, days: int, base_url: str = "") -> str:
    """The message body: German first, English below."""
    count = len(delivery.reminders)
    german = [
        f"Guten Tag {delivery.display_name},",
        "",
        _plural(
            count,
            "für diese Maßnahme sind Sie verantwortlich; sie ist überfällig "
            f"oder in den nächsten {days} Tagen fällig:",
            "für diese {n} Maßnahmen sind Sie verantwortlich; sie sind überfällig "
            f"oder in den nächsten {days} Tagen fällig:",
        ),
        "",
    ]
    english = [
        f"Hello {delivery.display_name},",
        "",
        _plural(
            count,
            "you are responsible for this measure; it is overdue or due within the next "
            f"{days} days:",
            "you are responsible for these {n} measures; they are overdue or due within the "
            f"next {days} days:",
        ),
        "",
    ]
    for reminder in delivery.reminders:
        m = reminder.measure
        german += [
            f"- {m.title}",
            f"  {when_de(reminder)}",
            f"  Zyklus: {m.cycle_title} ({m.organisation_name})",
        ]
        english += [
            f"- {m.title}",
            f"  {when_en(reminder)}",
            f"  Cycle: {m.cycle_title} ({m.organisation_name})",
        ]
        if base_url:
            german.append(f"  {implement_url(base_url, m)}")
            english.append(f"  {implement_url(base_url, m)}")
    if base_url:
        german += ["", f"Alle Ihre Erinnerungen: {base_url}/reminders"]
        english += ["", f"All your reminders: {base_url}/reminders"]
    german += [
        "",
        "Diese Nachricht hat Qualizyklus automatisch gesendet. Zu jeder Maßnahme erinnert es "
        "einmal vor dem Fälligkeitsdatum und einmal, wenn sie überfällig ist; ändert sich das "
        "Datum, erneut.",
    ]
    english += [
        "",
        "Qualizyklus sent this message automatically. It reminds you of each measure once "
        "before its due date and once when it is overdue; again if the date changes.",
    ]
    return "\n".join([*german, "", "-- English --", "", *english, ""])


def subject(delivery: Delivery) -> str:
    """The subject line, German / English."""
    count = len(delivery.reminders)
    overdue = sum(1 for r in delivery.reminders if r.overdue)
    de = _plural(count, "{n} Maßnahme", "{n} Maßnahmen")
    en = _plural(count, "{n} measure", "{n} measures")
    if overdue:
        return f"Qualizyklus: {de} fällig oder überfällig / {en} due or overdue"
    return f"Qualizyklus: {de} bald fällig / {en} due soon"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def compose(delivery: Delivery, *, sender: str, days: int, base_url: str = "") -> EmailMessage:
    """The e-mail for one member (plain text, UTF-8, marked as sent automatically)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((_one_line(delivery.display_name), delivery.email))
    message["Subject"] = _one_line(subject(delivery))
    message["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2].strip(" >") or None
    message["Message-ID"] = make_msgid("reminder", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(message_text(delivery, days=days, base_url=base_url))
    return message
