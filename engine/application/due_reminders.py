"""Which reminders are due: measures due soon or overdue, for the member responsible.

A reminder is computed, never recorded as an event (see engine/application/reminders.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from engine.application.recent import Recent
from engine.application.reminder_settings import DEFAULT_DAYS
from engine.application.store import Store
from engine.application.tokens import is_token_member
from engine.readmodels import current
from engine.readmodels.queries import reminder_measures

DUE_SOON = "due-soon"
OVERDUE = "overdue"
KINDS = (DUE_SOON, OVERDUE)
LOCAL_TIME = ZoneInfo("Europe/Berlin")
CACHE_SIZE = 256
CACHE_SECONDS = 60.0
"""A member's in-app reminders are kept until the store changes (or this many seconds pass)."""


def today() -> date:
    """Today's date where the installation's users live (due dates are local dates)."""
    return datetime.now(LOCAL_TIME).date()


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
    app: Store, *, on: date, days: int, member_id: str | None = None
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
    app: Store,
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
    app: Store, member_id: str, *, days: int = DEFAULT_DAYS, on: date | None = None
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
