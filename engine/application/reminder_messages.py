"""The reminder e-mail: one message per member, German first, English below."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from engine.application.due_reminders import OpenMeasure, Reminder


@dataclass(frozen=True)
class Delivery:
    """One member's message: who, where to, and the reminders it lists."""

    member_id: str
    display_name: str
    email: str
    reminders: tuple[Reminder, ...]


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
