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
from functools import partial
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.domain.catalogue import Template, Theme
from engine.domain.validation import new_item_id
from web.forms import text
from web.i18n import localised
from web.services import engine
from web.ui import blueprint
from web.ui.attrs_form import AttrsForm, run_with_attrs
from web.ui.common import CyclePage, cycle_page, person
from web.ui.offers import Offer, offer
from web.ui.plan_forms import (
    Editor,
    GoalForm,
    GoalRevisionForm,
    MeasureForm,
    MeasureRevisionForm,
    ThemedForm,
    cycle_themes,
    fill_choices,
    fresh_editor,
    goal_fields,
    measure_fields,
    member_choices,
    read_editor,
    schema_of,
    theme_of,
    theme_switched,
)


@dataclass
class PlanPage:
    """The plan page; ``submitted`` is the form just sent back (key, editor)."""

    page: CyclePage
    submitted: tuple[str, Editor] | None = None
    template: tuple[Theme, Template] | None = None
    items: dict[str, Any] = field(default_factory=dict)


def _render(view: PlanPage, status: int = 200) -> tuple[str, int]:
    app = engine()
    page = view.page
    offers = {
        "set_goal": offer(page, "set_goal", "plan"),
        "revise_goal": offer(page, "revise_goal", "plan"),
        "plan_measure": offer(page, "plan_measure", "plan"),
        "revise_measure": offer(page, "revise_measure", "plan"),
    }
    members = dict(member_choices(page))
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
            cycle_themes=cycle_themes(page),
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
        fill_choices(editor.form, view.page)
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
        values = template_values(theme, template)
    return fresh_editor(kind, view.page, form_class, f"new-{kind}", values, template)


def template_values(theme: Theme, template: Template) -> dict[str, Any]:
    """Everything a template knows, as a form's values (its texts in the reader's language)."""
    texts = {
        name: localised(getattr(template, name))
        for name in ("indicator", "unit", "resources")
        if getattr(template, name) is not None
    }
    return {
        "title": localised(template.title),
        "theme_id": theme.id,
        "attrs": template.attrs,
        "baseline": template.baseline,
        "target": template.target,
        **texts,
    }


def _goal_view(view: PlanPage, goal_id: str, goal: dict[str, Any], revise: Offer) -> dict[str, Any]:
    theme = theme_of(goal["theme_id"])
    editor = None
    if revise.allowed and (goal["theme_id"] is None or theme is not None):
        editor = _submitted(view, f"goal:{goal_id}") or fresh_editor(
            "goal", view.page, GoalRevisionForm, f"goal-{goal_id}", goal
        )
    measures = [m["title"] for m in view.page.cycle["measures"].values() if m["goal_id"] == goal_id]
    findings = view.page.cycle["findings"]
    return {
        "id": goal_id,
        "goal": goal,
        "needs": [findings[n]["text"] for n in goal["need_ids"] if n in findings],
        "theme": theme,
        "attrs": AttrsForm(schema_of(theme, "goal"), theme).describe(goal["attrs"]),
        "editor": editor,
        "measures": measures,
    }


def _measure_view(
    view: PlanPage, measure_id: str, measure: dict[str, Any], revise: Offer
) -> dict[str, Any]:
    theme = theme_of(measure["theme_id"])
    editor = None
    if revise.allowed and (measure["theme_id"] is None or theme is not None):
        editor = _submitted(view, f"measure:{measure_id}") or fresh_editor(
            "measure", view.page, MeasureRevisionForm, f"measure-{measure_id}", measure
        )
    goal = view.page.cycle["goals"].get(measure["goal_id"] or "")
    return {
        "id": measure_id,
        "measure": measure,
        "theme": theme,
        "goal": goal,
        "attrs": AttrsForm(schema_of(theme, "measure"), theme).describe(measure["attrs"]),
        "editor": editor,
    }


def _template(page: CyclePage, wanted: str | None) -> tuple[Theme, Template] | None:
    """The template named ``<theme>/<template id>`` among the cycle's themes, if any."""
    theme_id, _sep, template_id = (wanted or "").partition("/")
    theme = next((t for t in cycle_themes(page) if t.id == theme_id), None)
    found = next((t for t in theme.templates if t.id == template_id), None) if theme else None
    return (theme, found) if theme and found else None


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
    editor = read_editor(kind, page, form_class, prefix)
    view.submitted = (key, editor)
    if not editor.form.validate_on_submit():
        return _again(view, editor)
    if theme_switched(kind, editor, prefix):
        return _again(view, editor, 200)
    fields = goal_fields(editor) if kind == "goal" else measure_fields(editor)
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
