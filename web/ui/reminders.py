"""The signed-in member's reminders: their measures that are overdue or due soon.

The page lists them across all the member's organisations; the page header shows their
number on every page (kept by ``member_reminders`` until the store changes).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_login import current_user, login_required

from engine.application.reminders import (
    DEFAULT_DAYS,
    Reminder,
    ReminderSettings,
    member_reminders,
    today,
)
from engine.infrastructure.settings import SettingsError
from web.services import engine
from web.ui import blueprint
from web.ui.common import person

DAYS_KEY = "QUALIZYKLUS_REMINDER_DAYS"


def reminder_days() -> int:
    """How many days ahead counts as due soon: the app's config, else the environment.

    An invalid QUALIZYKLUS_REMINDER_DAYS is logged and the default used, so that pages still
    render (``qualizyklus reminders send`` refuses it with a clear message).
    """
    configured = current_app.config.get(DAYS_KEY)
    if configured is not None:
        return int(configured)
    try:
        return ReminderSettings.from_environ().days
    except SettingsError as error:
        current_app.logger.error("%s; using %d days", error, DEFAULT_DAYS)
        return DEFAULT_DAYS


def my_reminders() -> tuple[Reminder, ...]:
    """The signed-in member's reminders today."""
    return member_reminders(engine(), person(), days=reminder_days(), on=today())


def reminder_count() -> int | None:
    """How many reminders the signed-in member has (None when signed out or unknown).

    The count is a convenience in the page header: should computing it fail, the page is
    still shown, without the count.
    """
    if not current_user.is_authenticated:
        return None
    try:
        return len(my_reminders())
    except Exception:  # the header must never break a page
        current_app.logger.exception("reminder count not available")
        return None


@blueprint.app_context_processor
def _reminder_helpers() -> dict[str, Any]:
    return {"reminder_count": reminder_count}


@blueprint.get("/reminders")
@login_required
def reminders() -> str:
    """The signed-in member's overdue and due-soon measures, in all their organisations."""
    found = my_reminders()
    return render_template(
        "ui/reminders.html",
        overdue=[r for r in found if r.overdue],
        due_soon=[r for r in found if not r.overdue],
        days=reminder_days(),
    )
