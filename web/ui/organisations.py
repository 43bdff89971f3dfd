"""My organisations, an organisation's cycles by year and phase, starting a cycle, and the
choice of the themes the organisation works with (a page of its own)."""

from __future__ import annotations

from datetime import date
from itertools import groupby
from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import DateField, SelectField, SelectMultipleField, widgets
from wtforms.validators import DataRequired

from engine.domain import shapes
from web.auth import membership
from web.forms import Form, add_error, chosen, day, text, text_line
from web.i18n import localised
from web.services import engine
from web.ui import blueprint
from web.ui.common import person, run


@blueprint.get("/o/<slug>/")
@login_required
def organisation(slug: str) -> str:
    """The organisation's cycles, newest year first, grouped by year and phase."""
    member = membership(slug)
    cycles = engine().cycles_of(UUID(member.organisation["id"]), actor_id=person())
    by_year = [
        (year, list(group))
        for year, group in groupby(cycles, key=lambda cycle: cycle["period_start"].year)
    ]
    return render_template("ui/organisation.html", member=member, by_year=by_year)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (usable without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class StartCycleForm(Form):
    """Start a cycle: title, themes, period, workflow version, the cycle it follows."""

    title = text_line(
        _l("Titel"), shapes.START_CYCLE["title"], _l("Geben Sie dem Zyklus einen Titel.")
    )
    themes = CheckboxesField(
        _l("Themen"), validators=[DataRequired(message=_l("Wählen Sie mindestens ein Thema."))]
    )
    period_start = DateField(
        _l("Beginn"),
        validators=[DataRequired(message=_l("Geben Sie an, wann der Zyklus beginnt."))],
    )
    period_end = DateField(
        _l("Ende"), validators=[DataRequired(message=_l("Geben Sie an, wann der Zyklus endet."))]
    )
    workflow_version = SelectField(_l("Ablauf (Version)"))
    follows = SelectField(_l("Setzt fort"))


@blueprint.route("/o/<slug>/cycles/new", methods=["GET", "POST"])
@login_required
def start_cycle(slug: str) -> tuple[str, int] | Response:
    """Start a cycle; with ?follows=ID the form is pre-filled from the cycle it continues."""
    member = membership(slug, "moderate")
    organisation_id = UUID(member.organisation["id"])
    form = StartCycleForm()
    _offer_choices(form, member.organisation, organisation_id)
    if request.method == "GET":
        _prefill(form, organisation_id, request.args.get("follows"))
    if form.validate_on_submit():
        started: list[UUID] = []
        if run(lambda: started.append(_start(form, organisation_id)), form):
            return redirect(url_for("ui.cycle", slug=slug, cycle_id=started[0]))
    return render_template("ui/start_cycle.html", member=member, form=form), (
        400 if form.errors else 200
    )


def _start(form: StartCycleForm, organisation_id: UUID) -> UUID:
    return engine().start_cycle(
        organisation_id,
        actor_id=person(),
        title=text(form.title),
        themes=chosen(form.themes),
        period_start=day(form.period_start) or "",
        period_end=day(form.period_end) or "",
        workflow_version=int(form.workflow_version.data) if form.workflow_version.data else None,
        follows=form.follows.data or None,
    )


def _offer_choices(form: StartCycleForm, organisation: dict[str, Any], org_id: UUID) -> None:
    app = engine()
    chosen = organisation["themes"]
    form.themes.choices = [
        (theme.id, localised(theme.title))
        for theme in sorted(app.themes.values(), key=lambda t: t.id)
        if chosen is None or theme.id in chosen
    ]
    form.workflow_version.choices = [("", _l("neueste Version"))] + [
        (str(d.version), f"{localised({'de': d.title_de, 'en': d.title_en})} v{d.version}")
        for d in app.workflows.all()
    ]
    closed = [c for c in app.cycles_of(org_id) if c["phase"] == "closed"]
    followed = {c["follows"] for c in app.cycles_of(org_id)}
    form.follows.choices = [("", _l("– keiner –"))] + [
        (c["id"], c["title"]) for c in closed if c["id"] not in followed
    ]


def _prefill(form: StartCycleForm, organisation_id: UUID, follows: str | None) -> None:
    """A follow-up starts where its predecessor ended: same themes, the following period."""
    previous = None
    if follows:
        previous = next(
            (c for c in engine().cycles_of(organisation_id) if c["id"] == follows), None
        )
    if previous is None:
        today = date.today()
        form.period_start.data = date(today.year, 1, 1)
        form.period_end.data = date(today.year, 12, 31)
        return
    start = previous["period_end"].replace(day=1, month=1, year=previous["period_end"].year + 1)
    form.follows.data = previous["id"]
    form.themes.data = previous["themes"]
    form.period_start.data = start
    form.period_end.data = date(start.year, 12, 31)
    form.title.data = f"Qualitätszyklus {start.year}"


class ThemeChoiceForm(Form):
    """Which installed themes the organisation's new cycles may use."""

    themes = CheckboxesField(
        _l("Themen"),
        validators=[DataRequired(message=_l("Wählen Sie mindestens ein Thema."))],
    )
    reason = text_line(_l("Anlass (freiwillig)"), shapes.OPTIONAL_REASON)


@blueprint.route("/o/<slug>/themes", methods=["GET", "POST"])
@login_required
def organisation_themes(slug: str) -> tuple[str, int] | Response:
    """Choose the themes the organisation's new cycles may use (coordinators)."""
    member = membership(slug, "configure")
    installed = sorted(engine().themes.values(), key=lambda theme: theme.quality_dimension)
    form = ThemeChoiceForm()
    form.themes.choices = [(theme.id, localised(theme.title)) for theme in installed]
    chosen_now = member.organisation["themes"]
    if request.method == "GET":
        form.themes.data = list(chosen_now) if chosen_now is not None else [t.id for t in installed]
    elif form.validate_on_submit():
        if chosen_now is not None and sorted(chosen_now) == sorted(chosen(form.themes)):
            add_error(form.themes, _("Das ist schon die gewählte Auswahl."))
        elif run(lambda: _choose(member.organisation["id"], form), form):
            flash(_("Die Themenauswahl ist gespeichert."))
            return redirect(url_for("ui.organisation_themes", slug=slug))
    return render_template(
        "ui/organisation_themes.html",
        member=member,
        form=form,
        themes=installed,
        themes_chosen=chosen_now is not None,
    ), (400 if form.errors else 200)


def _choose(organisation_id: str, form: ThemeChoiceForm) -> None:
    engine().choose_themes(
        UUID(organisation_id),
        actor_id=person(),
        theme_ids=chosen(form.themes),
        reason=text(form.reason),
    )
