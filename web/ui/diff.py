"""The difference between two points of a cycle's history, as a page: two entries chosen from
the history, or the stand at the end of two days."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from engine.application import audit, trail
from engine.domain.errors import StoreDamaged
from web.access import CyclePage, cycle_page
from web.audit_text import actor_name
from web.forms import Form, add_error
from web.services import engine
from web.ui import blueprint
from web.ui.audit import (
    blind_round,
    event_label,
    field_of,
    get_form,
    header_context,
    moment,
    parse_version,
)
from web.ui.entries import actors, entry_choices, version_on
from web.ui.presenter import presenter

DAYS = ("from_day", "to_day")
"""The query's names of the two days to compare (instead of two entries)."""


class DiffForm(Form):
    """Two entries of the history, or two days, to compare."""

    to = SelectField(_l("Bis zum Eintrag"), validate_choice=False)
    from_day = DateField(_l("Vom Stand am Ende des Tages"), validators=[Optional()])
    to_day = DateField(_l("Bis zum Stand am Ende des Tages"), validators=[Optional()])


setattr(DiffForm, "from", SelectField(_l("Vom Eintrag"), validate_choice=False))


def _compare(
    page: CyclePage, first: int, second: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    """The readable changes between two versions, the two versions' stamps, and whether the
    store was too damaged to replay them."""
    app = engine()
    stamped = [trail.stamp_of(app, page.id, first), trail.stamp_of(app, page.id, second)]
    present = presenter(page, page.cycle, (s.actor_id for s in stamped if s))
    try:
        found = audit.diff_versions(app, page.id, first, second, blind=blind_round(page))
        changes = present.changes(found)
    except StoreDamaged:
        changes, damaged = [], True
    else:
        damaged = False
    versions = [
        {
            "version": stamp.version,
            "when": moment(stamp.timestamp),
            "actor": actor_name(stamp.actor_id, present.names),
            "event": event_label(stamp.name),
        }
        for stamp in stamped
        if stamp is not None
    ]
    return changes, versions, damaged


def _by_entries(form: FlaskForm, latest: int) -> tuple[int | None, int | None]:
    """The two versions chosen as entries (defaults: the last change)."""
    first_field, second_field = field_of(form, "from"), form.to
    if not request.args.get("from"):
        first_field.data = str(max(latest - 1, 1))
    if not request.args.get("to"):
        second_field.data = str(latest)
    return parse_version(first_field, latest), parse_version(second_field, latest)


def _by_days(page: CyclePage, form: FlaskForm) -> tuple[int | None, int | None]:
    """The versions at the end of the two chosen days (None, with an error, where invalid)."""
    form.validate()
    found: list[int | None] = []
    for name in DAYS:
        day_field = field_of(form, name)
        asked: date | None = day_field.data
        if asked is None and not day_field.errors:
            add_error(day_field, _("Bitte geben Sie einen Tag an."))
        found.append(version_on(page, day_field, asked) if asked is not None else None)
    first, second = found
    if first is not None and second is not None:
        field_of(form, "from").data, form.to.data = str(first), str(second)
    return first, second


@blueprint.get("/o/<slug>/cycles/<cycle_id>/diff")
@login_required
def diff(slug: str, cycle_id: str) -> tuple[str, int]:
    """What differs between two entries of the history, or two days (default: the last change).

    Versions as ``from`` and ``to`` (the history's choice; old links), or days as
    ``from_day`` and ``to_day``; the earlier of the two is always shown first.
    """
    page = cycle_page(slug, cycle_id)
    latest = int(page.cycle["version"])
    stamps = trail.stamps(engine(), page.id).found
    form = get_form(DiffForm)
    choices = entry_choices(stamps, engine().display_names(actors(stamps)))
    first_choice: Any = field_of(form, "from")
    first_choice.choices = form.to.choices = choices
    by_days = any(request.args.get(name) for name in DAYS)
    first, second = _by_days(page, form) if by_days else _by_entries(form, latest)
    if first is not None and second is not None and first > second:
        first, second = second, first
    changes: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    damaged = False
    if first is not None and second is not None:
        changes, versions, damaged = _compare(page, first, second)
    return (
        render_template(
            "ui/audit_diff.html",
            **header_context(page),
            form=form,
            first=first,
            second=second,
            latest=latest,
            by_days=by_days,
            changes=changes,
            versions=versions,
            damaged=damaged,
            field_of=field_of,
        ),
        200 if first is not None and second is not None else 400,
    )
