"""`qualizyklus reminders …`: measures due soon or overdue, listed or mailed to the responsible.

``send`` is meant for cron: it mails each member one message with the reminders not sent to
them before, so running it again (or every hour) sends nothing twice. Exit codes: 0 when
every message went out, 1 when a delivery failed (it is tried again on the next run), 2 when
the settings are missing or invalid (nothing is sent).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import click

from engine.application.reminders import (
    ReminderSettings,
    SendReport,
    SmtpMailer,
    SmtpSettings,
    reminders,
    send_reminders,
    sent_reminders,
    today,
    when_de,
)
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import SettingsError

Opener = Callable[[], Any]


class SetupError(click.ClickException):
    """A setting is missing or wrong: one line on stderr, exit status 2 like a usage error."""

    exit_code = 2


def _settings(days: int | None) -> ReminderSettings:
    """The installation's reminder settings, with ``--days`` taking precedence."""
    try:
        settings = ReminderSettings.from_environ()
    except SettingsError as error:
        raise SetupError(str(error)) from None
    if days is None:
        return settings
    return ReminderSettings(days=days, base_url=settings.base_url)


def _smtp() -> SmtpSettings:
    try:
        return SmtpSettings.from_environ()
    except SettingsError as error:
        raise SetupError(
            f"E-Mail-Versand nicht eingerichtet / e-mail is not set up: {error}"
        ) from None


def _require_table(app: Qualizyklus) -> None:
    if not sent_reminders(app).ready():
        raise click.ClickException(
            "Die Tabelle der gesendeten Erinnerungen fehlt; bitte `qualizyklus init` ausführen. "
            "/ The table of sent reminders is missing; please run `qualizyklus init`."
        )


def _day(value: datetime | None) -> date:
    return value.date() if value is not None else today()


def _summary(report: SendReport) -> str:
    head = "Probelauf, nichts gesendet / dry run, nothing sent: " if report.dry_run else ""
    return (
        f"{head}Nachrichten / messages: {report.messages}, "
        f"Erinnerungen / reminders: {report.reminders}, "
        f"übersprungen / skipped: {len(report.skipped)}, "
        f"fehlgeschlagen / failed: {len(report.failed)}"
    )


def _print_report(report: SendReport) -> None:
    verb = "würde senden / would send" if report.dry_run else "gesendet / sent"
    for delivery in report.delivered:
        click.echo(f"{verb}: {delivery.member_id} ({len(delivery.reminders)})")
    for member_id in report.skipped:
        click.echo(
            f"übersprungen, keine E-Mail-Adresse / skipped, no e-mail address: {member_id}",
            err=True,
        )
    for member_id, problem in report.failed:
        click.echo(f"fehlgeschlagen / failed: {member_id}: {problem}", err=True)
    click.echo(_summary(report))


DAYS_OPTION = click.option(
    "--days",
    type=click.IntRange(min=0),
    default=None,
    help="how many days ahead counts as due soon (default QUALIZYKLUS_REMINDER_DAYS or 14)",
)
ON_OPTION = click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="the day to compute reminders for (YYYY-MM-DD; default today)",
)


def reminders_group(open_engine: Opener) -> click.Group:
    """The `reminders` command group, opening the engine with ``open_engine``."""

    @click.group()
    def reminders_command() -> None:
        """Reminders of measures due soon or overdue, for the members responsible."""

    @reminders_command.command("send")
    @click.option(
        "--dry-run", is_flag=True, help="show what would be sent; send and record nothing"
    )
    @DAYS_OPTION
    @ON_OPTION
    @click.pass_context
    def send(ctx: click.Context, dry_run: bool, days: int | None, on: datetime | None) -> None:
        """Mail each member the reminders not sent to them before (safe to repeat)."""
        settings = _settings(days)
        smtp = None if dry_run else _smtp()
        with open_engine() as app:
            _require_table(app)
            if smtp is None:
                report = send_reminders(app, None, settings=settings, on=_day(on), dry_run=True)
            else:
                with SmtpMailer(smtp) as mailer:
                    report = send_reminders(
                        app, mailer, sender=smtp.sender, settings=settings, on=_day(on)
                    )
        _print_report(report)
        if not report.ok:
            ctx.exit(1)

    @reminders_command.command("list")
    @DAYS_OPTION
    @ON_OPTION
    @click.option("--member", "member_id", default=None, help="only this member's reminders")
    @click.option("--json", "as_json", is_flag=True, help="machine-readable output")
    def list_reminders(
        days: int | None, on: datetime | None, member_id: str | None, as_json: bool
    ) -> None:
        """What is due soon or overdue, by member id (nothing is sent)."""
        settings = _settings(days)
        with open_engine() as app:
            _require_table(app)
            found = reminders(app, member_id=member_id, on=_day(on), days=settings.days)
            log_of_sent = sent_reminders(app)
            sent = {key for m in {r.member_id for r in found} for key in log_of_sent.sent_keys(m)}
        rows = [{**r.as_dict(), "sent": r.key in sent} for r in found]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
            return
        member = None
        for reminder, row in zip(found, rows, strict=True):
            if reminder.member_id != member:
                member = reminder.member_id
                click.echo(f"{member}:")
            mark = "  [gesendet / sent]" if row["sent"] else ""
            click.echo(
                f"  {row['kind']:<8}  {when_de(reminder)}  {row['organisation_slug']} / "
                f"{row['cycle_title']} / {row['measure_title']}{mark}"
            )
        click.echo(f"Erinnerungen / reminders: {len(rows)}")

    return reminders_command
