"""Indicator values on the implementation page: recording one (a second value for the same day
asks first), and a page per value to correct or withdraw it, each for a reason.

Corrections and withdrawals are recorded as events of their own; the history keeps the value
as first recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from flask import abort, flash, redirect, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length

from engine.domain import shapes
from engine.domain.cycle_revisions import ValueExists
from engine.domain.limits import MAX_NUMBER_TEXT
from web.forms import add_error, day, text, text_area, text_line
from web.services import engine
from web.ui import blueprint
from web.ui.common import CyclePage, cycle_page, person
from web.ui.cycles import VersionForm
from web.ui.implement import (
    ValueForm,
    anchor,
    attempt,
    number_text,
    parse_number,
    render_implement,
    show_again,
    value_form,
    with_version,
)


class CorrectionForm(VersionForm):
    """Correct a recorded value: figure, day, source, and why."""

    value = StringField(
        _l("Richtiger Wert"),
        validators=[DataRequired(), Length(max=MAX_NUMBER_TEXT)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    measured_on = DateField(_l("Gemessen am"), validators=[DataRequired()])
    source = text_line(_l("Quelle"), shapes.INDICATOR_CORRECTION["source"])
    reason = text_area(_l("Grund der Korrektur"), shapes.INDICATOR_CORRECTION["reason"])


class WithdrawalForm(VersionForm):
    """Withdraw a recorded value, and why."""

    reason = text_area(_l("Grund des Zurückziehens"), shapes.REASONED["reason"])


def _number_or_error(field: Any) -> float | None:
    """The field's number, or None with an error next to it."""
    value = parse_number(text(field)) if text(field) else None
    if text(field) and value is None:
        add_error(field, _("Bitte geben Sie eine Zahl ein, zum Beispiel 12 oder 3,5."))
    return value


@blueprint.post("/o/<slug>/cycles/<cycle_id>/implement/goals/<goal_id>/values")
@login_required
def implement_value(slug: str, cycle_id: str, goal_id: str) -> Response | tuple[str, int]:
    """Record a measured value; a day that has one already is replaced only once confirmed."""
    page = cycle_page(slug, cycle_id, "report-progress")
    goal = page.cycle["goals"].get(goal_id)
    if goal is None:
        abort(404)
    form = value_form(goal_id, bound=True)
    code = 400
    valid = form.validate_on_submit()
    value = _number_or_error(form.value)
    if valid and value is not None:
        asked: list[ValueExists] = []
        found = attempt(lambda: _record(page, goal_id, form, value, asked), form)
        if asked:
            return _ask_first(slug, cycle_id, goal_id, form, asked[0])
        if found is None:
            flash(_("Der Wert für „%(title)s“ ist erfasst.", title=goal["title"]))
            return redirect(anchor("ui.implement", page, f"goal-{goal_id}"))
        code = found
    page = cycle_page(slug, cycle_id)
    show_again(form, page, code, goal["title"])
    return render_implement(page, value_form=(goal_id, form), code=code)


def _record(
    page: CyclePage, goal_id: str, form: ValueForm, value: float, asked: list[ValueExists]
) -> None:
    try:
        engine().record_indicator_value(
            page.id,
            actor_id=person(),
            goal_id=goal_id,
            value=value,
            measured_on=day(form.measured_on) or date.today(),
            source=text(form.source),
            replace=bool(form.replace.data),
            reason=text(form.reason),
            expected_version=form.expected(),
        )
    except ValueExists as exists:
        asked.append(exists)


def _ask_first(
    slug: str, cycle_id: str, goal_id: str, form: ValueForm, exists: ValueExists
) -> tuple[str, int]:
    """The page again with the form asking whether to replace the day's value (409)."""
    page = cycle_page(slug, cycle_id)
    values = page.cycle["goals"][goal_id]["values"]
    form.same_day = next((v for v in values if v["position"] == exists.position), None)
    with_version(form, page)
    flash(
        _("Für diesen Tag ist schon ein Wert erfasst. Bitte bestätigen Sie das Ersetzen."),
        "error",
    )
    return render_implement(page, value_form=(goal_id, form), code=409)


def _value_of(
    page: CyclePage, goal_id: str, position: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The goal and its live value at ``position`` (404 if there is none)."""
    goal = page.cycle["goals"].get(goal_id)
    found = [v for v in goal["values"] if v["position"] == position] if goal else []
    if goal is None or not found:
        abort(404)
    return goal, found[0]


def _value_page(
    page: CyclePage,
    goal_id: str,
    position: int,
    *,
    correction: CorrectionForm | None = None,
    withdrawal: WithdrawalForm | None = None,
    code: int = 200,
) -> tuple[str, int]:
    goal, value = _value_of(page, goal_id, position)
    if correction is None:
        correction = CorrectionForm(formdata=None, prefix="correct")
        correction.value.data = number_text(value["value"])
        correction.measured_on.data = value["measured_on"]
        correction.source.data = value["source"]
    withdrawal = withdrawal or WithdrawalForm(formdata=None, prefix="withdraw")
    return (
        render_template(
            "ui/implement_value.html",
            page=page,
            goal_id=goal_id,
            goal=goal,
            value=value,
            correction=with_version(correction, page),
            withdrawal=with_version(withdrawal, page),
            number=number_text,
        ),
        code,
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/implement/goals/<goal_id>/values/<int:position>")
@login_required
def implement_value_page(slug: str, cycle_id: str, goal_id: str, position: int) -> tuple[str, int]:
    """One recorded value with the forms to correct or withdraw it."""
    return _value_page(cycle_page(slug, cycle_id, "report-progress"), goal_id, position)


def _change_value(
    page: CyclePage,
    goal_id: str,
    position: int,
    form: CorrectionForm | WithdrawalForm,
    command: Callable[..., int] | None,
    done: Callable[[str], str],
) -> Response | tuple[str, int]:
    """Run a correction or withdrawal (``command`` None: the input was refused already); then
    back to the goal with the message ``done`` gives, or this value's page again."""
    goal = page.cycle["goals"][goal_id]
    code = 400
    if command is not None:
        found = attempt(
            lambda: command(
                page.id,
                actor_id=person(),
                goal_id=goal_id,
                position=position,
                reason=text(form.reason),
                expected_version=form.expected(),
            ),
            form,
        )
        if found is None:
            flash(done(goal["title"]))
            return redirect(anchor("ui.implement", page, f"goal-{goal_id}"))
        code = found
    page = cycle_page(page.slug, str(page.id))
    show_again(form, page, code, goal["title"])
    forms = {"correction": form} if isinstance(form, CorrectionForm) else {"withdrawal": form}
    return _value_page(page, goal_id, position, code=code, **forms)


@blueprint.post(
    "/o/<slug>/cycles/<cycle_id>/implement/goals/<goal_id>/values/<int:position>/correct"
)
@login_required
def implement_correct_value(
    slug: str, cycle_id: str, goal_id: str, position: int
) -> Response | tuple[str, int]:
    """Correct a recorded value, for a reason."""
    page = cycle_page(slug, cycle_id, "report-progress")
    _value_of(page, goal_id, position)
    form = CorrectionForm(prefix="correct")
    valid = form.validate_on_submit()
    value = _number_or_error(form.value)
    command = None
    if valid and value is not None:
        command = partial(
            engine().correct_indicator_value,
            value=value,
            measured_on=day(form.measured_on) or "",
            source=text(form.source),
        )
    return _change_value(
        page,
        goal_id,
        position,
        form,
        command,
        lambda title: _("Der Wert für „%(title)s“ ist korrigiert.", title=title),
    )


@blueprint.post(
    "/o/<slug>/cycles/<cycle_id>/implement/goals/<goal_id>/values/<int:position>/withdraw"
)
@login_required
def implement_withdraw_value(
    slug: str, cycle_id: str, goal_id: str, position: int
) -> Response | tuple[str, int]:
    """Withdraw a recorded value, for a reason."""
    page = cycle_page(slug, cycle_id, "report-progress")
    _value_of(page, goal_id, position)
    form = WithdrawalForm(prefix="withdraw")
    command = engine().withdraw_indicator_value if form.validate_on_submit() else None
    return _change_value(
        page,
        goal_id,
        position,
        form,
        command,
        lambda title: _("Der Wert für „%(title)s“ ist zurückgezogen.", title=title),
    )
