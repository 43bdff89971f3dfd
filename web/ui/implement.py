"""The implementation page: measures by status (overdue ones first) with their status changes,
and the goals' indicators with the values recorded so far.

Contributors report progress on the measures they are responsible for; coordinators on all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from engine.domain import shapes
from engine.domain.cycle import MEASURE_STATUSES, SETTLED_STATUSES
from engine.domain.errors import Conflict
from engine.domain.limits import MAX_NUMBER_TEXT
from web.forms import add_error, text, text_area, text_line
from web.i18n import STATUSES
from web.services import engine
from web.ui import blueprint
from web.ui.common import CyclePage, cycle_page, person, run
from web.ui.cycles import VersionForm

STATUS_ORDER = ("planned", "running", "blocked", "done", "dropped", "carried-over")
"""The order of the status groups on the page."""

NEEDS_REASON = ("blocked", "dropped")


class StatusForm(VersionForm):
    """Move one measure to another status (blocking or dropping it needs a reason)."""

    status = SelectField(_l("Neuer Status"), validate_choice=False)
    reason = text_area(_l("Begründung"), shapes.MEASURE_STATUS["reason"])


class ValueForm(VersionForm):
    """Record a measured value of one goal's indicator."""

    value = StringField(
        _l("Wert"),
        validators=[DataRequired(), Length(max=MAX_NUMBER_TEXT)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    measured_on = DateField(_l("Gemessen am"), validators=[DataRequired()])
    source = text_line(_l("Quelle"), shapes.INDICATOR_VALUE["source"])
    replace = BooleanField(_l("Ja, den bisherigen Wert dieses Tages ersetzen"))
    reason = text_line(_l("Grund des Ersetzens (freiwillig)"), shapes.OPTIONAL_REASON)
    same_day: dict[str, Any] | None = None
    """The value of the same day that replacing would correct (set when asking first)."""


@dataclass
class MeasureRow:
    """One measure as the page shows it."""

    id: str
    measure: dict[str, Any]
    responsible: str
    overdue: bool
    form: StatusForm | None


@dataclass
class GoalView:
    """One goal with its values and, where allowed, the form to record another."""

    id: str
    goal: dict[str, Any]
    values: list[dict[str, Any]]
    form: ValueForm | None


# Shared with the review page --------------------------------------------------------------


def attempt(command: Callable[[], Any], form: VersionForm) -> int | None:
    """Run an engine command for a submitted form: None when done, else the HTTP status for
    showing the page again with the message (409 after a conflict, 400 otherwise)."""
    conflicted: list[bool] = []

    def guarded() -> Any:
        try:
            return command()
        except Conflict:
            conflicted.append(True)
            raise

    if run(guarded, form):
        return None
    return 409 if conflicted else 400


def show_again(form: FlaskForm, page: CyclePage, status: int, where: str) -> None:
    """Prepare a refused form for showing the page again.

    A message at the top of the page points to the fields with errors (they may be far down
    the page). After a conflict the form carries the current version, so that sending it
    again, once the person has looked at the current state, goes through.
    """
    if form.errors:
        flash(
            _(
                "Nicht gespeichert: Bitte prüfen Sie die markierten Angaben bei „%(where)s“.",
                where=where,
            ),
            "error",
        )
    if status == 409 and isinstance(form, VersionForm):
        form.version.data = str(page.cycle["version"])


def with_version(form: VersionForm, page: CyclePage) -> VersionForm:
    """A fresh form showing the version of the cycle on the page."""
    form.version.data = form.version.data or str(page.cycle["version"])
    return form


def number_text(value: float | int | None) -> str:
    """A number as the reader writes it (3,5 in German; whole numbers without decimals)."""
    if value is None:
        return ""
    return str(format_decimal(value, format="#,##0.###"))


def parse_number(raw: str) -> float | None:
    """A number typed with a decimal comma or point (``3,5``, ``3.5``, ``1.234,5``)."""
    cleaned = "".join(raw.split()).replace("\u202f", "")
    if "," in cleaned and "." in cleaned:
        decimal = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        grouping = "." if decimal == "," else ","
        cleaned = cleaned.replace(grouping, "").replace(decimal, ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def names_of(person_ids: Iterable[str | None]) -> dict[str, str]:
    """Display names (pseudonyms for erased people) of the given ids."""
    return engine().display_names(p for p in person_ids if p)


def goal_values(goal: dict[str, Any]) -> list[dict[str, Any]]:
    """A goal's recorded values, oldest first."""
    return sorted(goal.get("values", []), key=lambda value: value["measured_on"])


# The page ---------------------------------------------------------------------------------


def is_overdue(measure: dict[str, Any], today: date) -> bool:
    """Due before today and not settled (done, dropped or carried over)."""
    due = measure.get("due")
    return due is not None and due < today and measure["status"] not in SETTLED_STATUSES


def may_change_status(page: CyclePage, measure: dict[str, Any]) -> bool:
    """Coordinators move every measure; contributors only those they are responsible for."""
    if not page.member.can("report-progress"):
        return False
    return page.member.role == "coordinator" or measure["responsible_member_id"] == person()


def _status_form(
    page: CyclePage, measure_id: str, measure: dict[str, Any], *, bound: bool = False
) -> StatusForm:
    form = StatusForm(prefix=f"m-{measure_id}", **({} if bound else {"formdata": None}))
    form.status.choices = [
        (status, str(STATUSES[status])) for status in STATUS_ORDER if status != measure["status"]
    ]
    return form


def value_form(goal_id: str, *, bound: bool = False) -> ValueForm:
    """The form to record a value of the goal (fresh: measured today)."""
    form = ValueForm(prefix=f"g-{goal_id}", **({} if bound else {"formdata": None}))
    if not bound:
        form.measured_on.data = date.today()
    return form


def _allows(page: CyclePage, command: str) -> bool:
    return engine().definition_of(page.id).allows(page.cycle["phase"], command)


def _measure_groups(
    page: CyclePage, submitted: tuple[str, StatusForm] | None
) -> list[tuple[str, list[MeasureRow]]]:
    measures: dict[str, dict[str, Any]] = page.cycle["measures"]
    names = names_of(m["responsible_member_id"] for m in measures.values())
    today = date.today()
    changeable = _allows(page, "change_measure_status")
    rows: dict[str, list[MeasureRow]] = {status: [] for status in STATUS_ORDER}
    for measure_id, measure in measures.items():
        form: StatusForm | None = None
        if changeable and may_change_status(page, measure):
            if submitted is not None and submitted[0] == measure_id:
                form = submitted[1]
            else:
                form = _status_form(page, measure_id, measure)
            with_version(form, page)
        responsible = measure["responsible_member_id"]
        row = MeasureRow(
            measure_id,
            measure,
            names.get(responsible, "") if responsible else "",
            is_overdue(measure, today),
            form,
        )
        rows.setdefault(measure["status"], []).append(row)
    for group in rows.values():
        group.sort(key=lambda r: (not r.overdue, r.measure["due"] or date.max, r.measure["title"]))
    return [(status, rows[status]) for status in rows]


def _goal_views(page: CyclePage, submitted: tuple[str, ValueForm] | None) -> list[GoalView]:
    recordable = page.member.can("report-progress") and _allows(page, "record_indicator_value")
    views = []
    for goal_id, goal in page.cycle["goals"].items():
        form: ValueForm | None = None
        if recordable:
            if submitted is not None and submitted[0] == goal_id:
                form = submitted[1]
            else:
                form = value_form(goal_id)
            with_version(form, page)
        views.append(GoalView(goal_id, goal, goal_values(goal), form))
    return views


def render_implement(
    page: CyclePage,
    *,
    status_form: tuple[str, StatusForm] | None = None,
    value_form: tuple[str, ValueForm] | None = None,
    code: int = 200,
) -> tuple[str, int]:
    """The implementation page, with a submitted status or value form in its place."""
    app = engine()
    groups = _measure_groups(page, status_form)
    overdue = [row for _status, rows in groups for row in rows if row.overdue]
    return (
        render_template(
            "ui/implement.html",
            page=page,
            definition=app.definition_of(page.id),
            themes=app.themes,
            groups=groups,
            overdue=overdue,
            goals=_goal_views(page, value_form),
            may_change_status=_allows(page, "change_measure_status"),
            may_record_values=_allows(page, "record_indicator_value"),
            needs_reason=NEEDS_REASON,
            number=number_text,
        ),
        code,
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/implement")
@login_required
def implement(slug: str, cycle_id: str) -> tuple[str, int]:
    """Measures by status and the goals' indicator values."""
    return render_implement(cycle_page(slug, cycle_id))


@blueprint.post("/o/<slug>/cycles/<cycle_id>/implement/measures/<measure_id>/status")
@login_required
def implement_status(slug: str, cycle_id: str, measure_id: str) -> Response | tuple[str, int]:
    """Move a measure to another status."""
    page = cycle_page(slug, cycle_id, "report-progress")
    measure = page.cycle["measures"].get(measure_id)
    if measure is None:
        abort(404)
    if not may_change_status(page, measure):
        abort(403)
    form = _status_form(page, measure_id, measure, bound=True)
    code = 400
    if form.validate_on_submit() and _status_input_ok(form, measure):
        found = attempt(
            lambda: engine().change_measure_status(
                page.id,
                actor_id=person(),
                measure_id=measure_id,
                status=text(form.status),
                reason=text(form.reason),
                expected_version=form.expected(),
            ),
            form,
        )
        if found is None:
            flash(
                _(
                    "Die Maßnahme „%(title)s“ ist jetzt „%(status)s“.",
                    title=measure["title"],
                    status=STATUSES[text(form.status)],
                )
            )
            return redirect(anchor("ui.implement", page, f"measure-{measure_id}"))
        code = found
    page = cycle_page(slug, cycle_id)
    show_again(form, page, code, measure["title"])
    return render_implement(page, status_form=(measure_id, form), code=code)


def _status_input_ok(form: StatusForm, measure: dict[str, Any]) -> bool:
    """Check the choice and the reason before asking the engine (messages next to fields)."""
    status = text(form.status)
    if status not in MEASURE_STATUSES:
        add_error(form.status, _("Bitte wählen Sie einen der angebotenen Status."))
        return False
    if status == measure["status"]:
        add_error(form.status, _("Die Maßnahme hat diesen Status schon."))
        return False
    if status in NEEDS_REASON and not text(form.reason).strip():
        add_error(
            form.reason,
            _("Bitte begründen Sie, warum die Maßnahme „%(status)s“ ist.", status=STATUSES[status]),
        )
        return False
    return True


def anchor(endpoint: str, page: CyclePage, fragment: str) -> str:
    """The URL of a page of the cycle, at ``fragment``."""
    return url_for(endpoint, slug=page.slug, cycle_id=page.id, _anchor=fragment)
