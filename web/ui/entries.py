"""Choosing a point in a cycle's history without knowing version numbers: an entry of the history
(what happened, when, by whom) from a list, or a day (the stand at its end, Berlin time).

Shared by the comparison (:mod:`web.ui.diff`) and "Stand am" (:mod:`web.ui.as_of`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from flask_babel import format_datetime
from flask_babel import gettext as _
from wtforms import Field

from engine.application import audit, trail
from engine.application.trail import Stamp
from web.access import CyclePage
from web.audit_text import actor_name
from web.forms import add_error
from web.i18n import short_date
from web.services import engine
from web.ui.audit import event_label


def entry_label(stamp: Stamp, names: Mapping[str, str]) -> str:
    """One history entry as a choice: its number, when, what and who."""
    when = format_datetime(stamp.timestamp, "short")
    return str(
        _(
            "Version %(number)s: %(event)s – %(actor)s, %(when)s",
            number=stamp.version,
            event=event_label(stamp.name),
            actor=actor_name(stamp.actor_id, names),
            when=when,
        )
    )


def entry_choices(stamps: Sequence[Stamp], names: Mapping[str, str]) -> list[tuple[str, str]]:
    """Every readable entry of the history as (version, label), newest first."""
    return [(str(stamp.version), entry_label(stamp, names)) for stamp in reversed(stamps)]


def actors(stamps: Iterable[Stamp]) -> set[str]:
    """The people who made the entries (to look up their names at once)."""
    return {stamp.actor_id for stamp in stamps}


def version_on(page: CyclePage, field: Field, asked: date) -> int | None:
    """The version at the end of the asked day; None (and an error at ``field``) before the
    cycle began."""
    app = engine()
    version = audit.version_at(app, page.id, asked)
    if version > 0:
        return version
    created = trail.stamp_of(app, page.id, 1)
    started = short_date(created.timestamp.astimezone(audit.LOCAL_TIME).date()) if created else ""
    add_error(
        field,
        _(
            "Am %(date)s gab es diesen Zyklus noch nicht; er wurde am %(start)s begonnen.",
            date=short_date(asked),
            start=started,
        ),
    )
    return None
