"""The demo's dates, counted from one day (today unless told): a demo that looks alive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DEMO_REFERENCE_DAY = date(2025, 10, 28)
"""The day the demo's dates were first written for (cycles of 2024 and 2025/26): loaded with
``today=DEMO_REFERENCE_DAY`` the demo has exactly those dates, which tests rely on."""

DUE_IN_DAYS = (3, -25, -4, -12, 30, 9)
"""Due dates of the running cycle's measures, in days from today, in the order of their statuses
(running, done, blocked, dropped, carried over, planned): due soon or overdue by a few days."""

MEASURES_STARTED = 241
"""Days before today the running cycle's measures began (1 March on the reference day)."""
GOALS_DUE_IN = 33
"""Days from today the running cycle's goals are due (30 November on the reference day)."""
VALUES_MEASURED = (166, 43)
"""Days before today the indicator values were measured (15 May, 15 September)."""


@dataclass(frozen=True)
class DemoCalendar:
    """Where the demo's cycles lie around ``today``.

    The running cycle covers two calendar years with today at least eight months into it (so
    its measures began inside it and are due before it ends); the closed cycle covers the
    calendar year before.
    """

    today: date

    @property
    def year(self) -> int:
        """The first year of the running cycle."""
        return self.today.year if self.today.month >= 9 else self.today.year - 1

    @property
    def closed_year(self) -> int:
        """The year of the closed cycle."""
        return self.year - 1

    def closed_day(self, month: int, day: int) -> date:
        """A day of the closed cycle's year."""
        return date(self.closed_year, month, day)

    @property
    def running_label(self) -> str:
        """The running cycle's years as a title says them ("2025/26")."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def running_period(self) -> tuple[date, date]:
        """First and last day of the running cycle."""
        return date(self.year, 1, 1), date(self.year + 1, 12, 31)

    def days(self, offset: int) -> date:
        """The day ``offset`` days from today (negative: before)."""
        return self.today + timedelta(days=offset)

    def measure_due(self, index: int) -> date:
        """The due date of the running cycle's ``index``-th measure."""
        return self.days(DUE_IN_DAYS[index % len(DUE_IN_DAYS)])
