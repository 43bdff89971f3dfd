"""Planning (Zielbestimmung und Maßnahmenplanung): goals with indicators and measures with a
responsible member, dates and resources, each with the data its theme asks for.

The chosen priorities are shown as the context of the plan. Themes offer goal and measure
templates from good practice; choosing one fills in the form (``?template=<theme>/<id>``).
A goal's or measure's theme decides which theme data the form asks for; when someone picks
another theme, the page first shows that theme's inputs and saves on the next submit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import Schema
from werkzeug.wrappers import Response
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import NumberInput

from engine.domain.catalogue import Template, Theme
from engine.domain.validation import new_item_id
from web.forms import add_error, day, text
from web.i18n import localised
from web.services import engine
from web.ui import blueprint
from web.ui.analyse import Offer, offer
from web.ui.attrs_form import AttrsForm, run_with_attrs
from web.ui.common import CyclePage, cycle_page, person
from web.ui.cycles import VersionForm

# Forms --------------------------------------------------------------------------------------


class ThemedForm(VersionForm):
    """A goal or measure form: its theme decides which theme data (attrs) it asks for."""

    theme_id = SelectField(_l("Thema"))
    attrs_theme = HiddenField()


class GoalForm(ThemedForm):
    """A goal: title, indicator with unit, baseline and target, due date, theme."""

    title = StringField(_l("Ziel"), validators=[DataRequired(), Length(max=300)])
    indicator = TextAreaField(_l("Indikator"), validators=[Length(max=1_000)])
    unit = StringField(_l("Einheit"), validators=[Length(max=50)])
    baseline = StringField(_l("Ausgangswert"), widget=NumberInput(step="any"))
    target = StringField(_l("Zielwert"), widget=NumberInput(step="any"))
    due = DateField(_l("Zu erreichen bis"), validators=[Optional()])


class GoalRevisionForm(GoalForm):
    """A goal's fields, changed, with an optional reason."""

    reason = TextAreaField(_l("Grund der Änderung (freiwillig)"), validators=[Length(max=2_000)])


class MeasureForm(ThemedForm):
    """A measure: title, goal, theme, responsible member, start, due date, resources."""

    title = StringField(_l("Maßnahme"), validators=[DataRequired(), Length(max=300)])
    goal_id = SelectField(_l("Trägt bei zum Ziel"))
    responsible_member_id = SelectField(_l("Verantwortlich"))
    start = DateField(_l("Beginn"), validators=[Optional()])
    due = DateField(_l("Fertig bis"), validators=[Optional()])
    resources = TextAreaField(_l("Ressourcen"), validators=[Length(max=2_000)])


class MeasureRevisionForm(MeasureForm):
    """A measure's fields, changed, with an optional reason."""

    reason = TextAreaField(_l("Grund der Änderung (freiwillig)"), validators=[Length(max=2_000)])


# The page -----------------------------------------------------------------------------------


@dataclass
class Editor:
    """A form for one goal or measure with its theme data."""

    form: ThemedForm
    attrs: AttrsForm
    template: Template | None = None


@dataclass
class PlanPage:
    """The plan page; ``submitted`` is the form just sent back (key, editor)."""

    page: CyclePage
    submitted: tuple[str, Editor] | None = None
    template: tuple[Theme, Template] | None = None
    items: dict[str, Any] = field(default_factory=dict)


def _cycle_themes(page: CyclePage) -> list[Theme]:
    installed = engine().themes
    return [installed[t] for t in page.cycle["themes"] if t in installed]


def _theme(theme_id: str | None) -> Theme | None:
    return engine().themes.get(theme_id) if theme_id else None


def _schema(theme: Theme | None, kind: str) -> type[Schema] | None:
    if theme is None:
        return None
    return theme.goal_schema if kind == "goal" else theme.measure_schema


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _members(page: CyclePage) -> list[tuple[str, str]]:
    members = page.member.organisation["members"]
    names = engine().display_names(members)
    return sorted(((m, names.get(m, m)) for m in members), key=lambda pair: pair[1].casefold())


def _choices(form: ThemedForm, page: CyclePage) -> None:
    form.theme_id.choices = [("", _("– ohne Thema –"))] + [
        (theme.id, localised(theme.title)) for theme in _cycle_themes(page)
    ]
    if isinstance(form, MeasureForm):
        form.goal_id.choices = [("", _("– kein Ziel –"))] + [
            (goal_id, goal["title"]) for goal_id, goal in page.cycle["goals"].items()
        ]
        form.responsible_member_id.choices = [("", _("– noch offen –")), *_members(page)]


def _editor(
    kind: str,
    page: CyclePage,
    form_class: type[ThemedForm],
    prefix: str,
    values: dict[str, Any] | None = None,
    template: Template | None = None,
) -> Editor:
    """A fresh form, filled with an item's values (or a template's) when given."""
    form = form_class(formdata=None, prefix=prefix)
    _choices(form, page)
    values = values or {}
    for name in ("title", "indicator", "unit", "resources", "goal_id", "responsible_member_id"):
        if name in form:
            form[name].data = values.get(name) or ""
    for name in ("baseline", "target"):
        if name in form:
            form[name].data = _number_text(values.get(name))
    for name in ("due", "start"):
        if name in form:
            form[name].data = values.get(name)
    theme_id = values.get("theme_id") or ""
    form.theme_id.data = theme_id
    form.attrs_theme.data = theme_id
    form.version.data = str(page.cycle["version"])
    theme = _theme(theme_id)
    attrs = AttrsForm(
        _schema(theme, kind), theme, id_prefix=prefix, values=values.get("attrs") or {}
    )
    return Editor(form, attrs, template)


def _render(view: PlanPage, status: int = 200) -> tuple[str, int]:
    app = engine()
    page = view.page
    offers = {
        "set_goal": offer(page, "set_goal", "plan"),
        "revise_goal": offer(page, "revise_goal", "plan"),
        "plan_measure": offer(page, "plan_measure", "plan"),
        "revise_measure": offer(page, "revise_measure", "plan"),
    }
    members = dict(_members(page))
    goals = [
        _goal_view(view, goal_id, goal, offers["revise_goal"])
        for goal_id, goal in page.cycle["goals"].items()
    ]
    measures = [
        _measure_view(view, measure_id, measure, offers["revise_measure"])
        for measure_id, measure in page.cycle["measures"].items()
    ]
    editors = {
        "goal": _new_editor(view, "goal", offers["set_goal"]),
        "measure": _new_editor(view, "measure", offers["plan_measure"]),
    }
    return (
        render_template(
            "ui/plan.html",
            page=page,
            definition=app.definition_of(page.id),
            themes=app.themes,
            cycle_themes=_cycle_themes(page),
            offers=offers,
            goals=goals,
            measures=measures,
            editors=editors,
            members=members,
            priorities=[
                (finding_id, page.cycle["findings"][finding_id])
                for finding_id in page.cycle["priorities"]
                if finding_id in page.cycle["findings"]
            ],
            number=lambda value: "" if value is None else format_decimal(value),
        ),
        status,
    )


def _submitted(view: PlanPage, key: str) -> Editor | None:
    if view.submitted is not None and view.submitted[0] == key:
        editor = view.submitted[1]
        editor.form.version.data = str(view.page.cycle["version"])
        _choices(editor.form, view.page)
        return editor
    return None


def _new_editor(view: PlanPage, kind: str, offered: Offer) -> Editor | None:
    if not offered.allowed:
        return None
    submitted = _submitted(view, f"new-{kind}")
    if submitted is not None:
        return submitted
    form_class = GoalForm if kind == "goal" else MeasureForm
    values: dict[str, Any] = {}
    template = None
    if view.template is not None and view.template[1].kind == kind:
        theme, template = view.template
        values = {"title": localised(template.title), "theme_id": theme.id, "attrs": template.attrs}
    return _editor(kind, view.page, form_class, f"new-{kind}", values, template)


def _goal_view(view: PlanPage, goal_id: str, goal: dict[str, Any], revise: Offer) -> dict[str, Any]:
    theme = _theme(goal["theme_id"])
    editor = None
    if revise.allowed and (goal["theme_id"] is None or theme is not None):
        editor = _submitted(view, f"goal:{goal_id}") or _editor(
            "goal", view.page, GoalRevisionForm, f"goal-{goal_id}", goal
        )
    measures = [m["title"] for m in view.page.cycle["measures"].values() if m["goal_id"] == goal_id]
    return {
        "id": goal_id,
        "goal": goal,
        "theme": theme,
        "attrs": AttrsForm(_schema(theme, "goal"), theme).describe(goal["attrs"]),
        "editor": editor,
        "measures": measures,
    }


def _measure_view(
    view: PlanPage, measure_id: str, measure: dict[str, Any], revise: Offer
) -> dict[str, Any]:
    theme = _theme(measure["theme_id"])
    editor = None
    if revise.allowed and (measure["theme_id"] is None or theme is not None):
        editor = _submitted(view, f"measure:{measure_id}") or _editor(
            "measure", view.page, MeasureRevisionForm, f"measure-{measure_id}", measure
        )
    goal = view.page.cycle["goals"].get(measure["goal_id"] or "")
    return {
        "id": measure_id,
        "measure": measure,
        "theme": theme,
        "goal": goal,
        "attrs": AttrsForm(_schema(theme, "measure"), theme).describe(measure["attrs"]),
        "editor": editor,
    }


def _template(page: CyclePage, wanted: str | None) -> tuple[Theme, Template] | None:
    """The template named ``<theme>/<template id>`` among the cycle's themes, if any."""
    theme_id, _sep, template_id = (wanted or "").partition("/")
    theme = next((t for t in _cycle_themes(page) if t.id == theme_id), None)
    found = next((t for t in theme.templates if t.id == template_id), None) if theme else None
    return (theme, found) if theme and found else None


# Reading a submitted form -------------------------------------------------------------------


def _read(kind: str, page: CyclePage, form_class: type[ThemedForm], prefix: str) -> Editor:
    """The submitted form with its theme data as shown (the theme the inputs were made for)."""
    form = form_class(prefix=prefix)
    _choices(form, page)
    shown = _theme(text(form.attrs_theme))
    attrs = AttrsForm(_schema(shown, kind), shown, id_prefix=prefix)
    attrs.parse(request.form)
    return Editor(form, attrs)


def _theme_switched(kind: str, editor: Editor, prefix: str) -> bool:
    """If another theme was chosen than the inputs were made for, show that theme's inputs."""
    chosen = text(editor.form.theme_id)
    if chosen == text(editor.form.attrs_theme):
        return False
    theme = _theme(chosen)
    attrs = AttrsForm(_schema(theme, kind), theme, id_prefix=prefix)
    editor.form.attrs_theme.data = chosen
    editor.attrs = attrs
    if not attrs:
        return False
    flash(
        _(
            "Das Thema „%(theme)s“ fragt nach eigenen Angaben. Bitte ergänzen Sie sie und "
            "speichern Sie dann erneut.",
            theme=localised(theme.title) if theme else chosen,
        )
    )
    return True


def _number(form_field: Any) -> tuple[bool, float | None]:
    """A number field's value (decimal comma accepted); False with an error if it is none."""
    raw = text(form_field).strip()
    if not raw:
        return True, None
    try:
        return True, float(raw.replace(",", "."))
    except ValueError:
        add_error(form_field, _("Bitte eine Zahl angeben (zum Beispiel 12,5)."))
        return False, None


def _goal_fields(editor: Editor) -> dict[str, Any] | None:
    form = editor.form
    assert isinstance(form, GoalForm)
    baseline_ok, baseline = _number(form.baseline)
    target_ok, target = _number(form.target)
    if not (baseline_ok and target_ok):
        return None
    return {
        "title": text(form.title),
        "theme_id": text(form.theme_id) or None,
        "indicator": text(form.indicator),
        "unit": text(form.unit),
        "baseline": baseline,
        "target": target,
        "due": day(form.due),
        "attrs": editor.attrs.values if editor.attrs else {},
    }


def _measure_fields(editor: Editor) -> dict[str, Any]:
    form = editor.form
    assert isinstance(form, MeasureForm)
    start: date | None = day(form.start)
    return {
        "title": text(form.title),
        "theme_id": text(form.theme_id) or None,
        "goal_id": text(form.goal_id) or None,
        "responsible_member_id": text(form.responsible_member_id) or None,
        "start": start,
        "due": day(form.due),
        "resources": text(form.resources),
        "attrs": editor.attrs.values if editor.attrs else {},
    }


def _again(view: PlanPage, editor: Editor, status: int = 400) -> tuple[str, int]:
    """The page again with the submitted form; a refusal is 409 if the cycle changed meanwhile."""
    fresh = cycle_page(view.page.slug, str(view.page.id))
    expected = editor.form.expected()
    if status == 400 and expected is not None and expected != fresh.cycle["version"]:
        status = 409
    view.page = fresh
    return _render(view, status)


def _back(page: CyclePage, anchor: str) -> Response:
    return redirect(url_for("ui.plan", slug=page.slug, cycle_id=page.id) + f"#{anchor}")


def _save(
    view: PlanPage, key: str, kind: str, item_id: str | None, form_class: type[ThemedForm]
) -> Response | tuple[str, int]:
    """Read, check and save one goal or measure (new when ``item_id`` is None)."""
    page = view.page
    prefix = f"new-{kind}" if item_id is None else f"{kind}-{item_id}"
    editor = _read(kind, page, form_class, prefix)
    view.submitted = (key, editor)
    if not editor.form.validate_on_submit():
        return _again(view, editor)
    if _theme_switched(kind, editor, prefix):
        return _again(view, editor, 200)
    fields = _goal_fields(editor) if kind == "goal" else _measure_fields(editor)
    if fields is None:
        return _again(view, editor)
    app = engine()
    new_id = item_id or new_item_id()
    ids = {f"{kind}_id": new_id}
    if item_id is not None:
        ids["reason"] = text(editor.form["reason"])
    commands: dict[tuple[str, bool], Callable[..., int]] = {
        ("goal", True): app.set_goal,
        ("goal", False): app.revise_goal,
        ("measure", True): app.plan_measure,
        ("measure", False): app.revise_measure,
    }
    command = partial(
        commands[(kind, item_id is None)],
        page.id,
        actor_id=person(),
        expected_version=editor.form.expected(),
        **ids,
        **fields,
    )
    if not run_with_attrs(command, editor.form, editor.attrs):
        return _again(view, editor)
    messages = {
        ("goal", True): _("Das Ziel ist festgelegt."),
        ("goal", False): _("Das Ziel ist geändert."),
        ("measure", True): _("Die Maßnahme ist geplant."),
        ("measure", False): _("Die Maßnahme ist geändert."),
    }
    flash(messages[(kind, item_id is None)])
    return _back(page, f"{kind}-{new_id}")


# Routes -------------------------------------------------------------------------------------


@blueprint.get("/o/<slug>/cycles/<cycle_id>/plan")
@login_required
def plan(slug: str, cycle_id: str) -> tuple[str, int]:
    """Goals and measures with their theme data; templates; the priorities as context."""
    page = cycle_page(slug, cycle_id)
    view = PlanPage(page, template=_template(page, request.args.get("template")))
    return _render(view)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/plan/goals")
@login_required
def plan_new_goal(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Set a new goal."""
    view = PlanPage(cycle_page(slug, cycle_id, "plan"))
    return _save(view, "new-goal", "goal", None, GoalForm)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/plan/goals/<goal_id>")
@login_required
def plan_revise_goal(slug: str, cycle_id: str, goal_id: str) -> Response | tuple[str, int]:
    """Change a goal (with an optional reason)."""
    view = PlanPage(cycle_page(slug, cycle_id, "plan"))
    return _save(view, f"goal:{goal_id}", "goal", goal_id, GoalRevisionForm)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/plan/measures")
@login_required
def plan_new_measure(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Plan a new measure."""
    view = PlanPage(cycle_page(slug, cycle_id, "plan"))
    return _save(view, "new-measure", "measure", None, MeasureForm)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/plan/measures/<measure_id>")
@login_required
def plan_revise_measure(slug: str, cycle_id: str, measure_id: str) -> Response | tuple[str, int]:
    """Change a measure (with an optional reason)."""
    view = PlanPage(cycle_page(slug, cycle_id, "plan"))
    return _save(view, f"measure:{measure_id}", "measure", measure_id, MeasureRevisionForm)
