"""The theme's own page: the network's logic model (Wirkmodell), read and edited with forms.

Mounted through the ``web_blueprints`` hook under ``/themes/impact-orientation``; the page is
``/themes/impact-orientation/o/<slug>/cycles/<cycle_id>/wirkmodell``. It finds the application
through :func:`engine.page_host` (the cycle as the signed-in member sees it, and the command
that changes the theme's records), never through ``web``. Every change is one form, posted
without JavaScript, with a reason; a refused form is shown again with every problem beside its
input and in a summary at the top. Removing an element removes the arrows that use it in the
same change. Members who may only read (and everyone, once the cycle is closed) see no forms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import flask_login
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from engine import Conflict, InvalidInput, MemberCycle, Text, page_host
from plugins.impact_orientation import page_forms
from plugins.impact_orientation.logic_model.view import view_context
from plugins.impact_orientation.models import IMPACT_STEP_SHORT, IOOI_LABELS
from plugins.impact_orientation.page_forms import Form
from plugins.impact_orientation.records import COLUMN_LABELS, COLUMNS, GATE_RECORD, THEME_ID

blueprint = Blueprint(
    "impact_orientation",
    __name__,
    url_prefix="/themes/impact-orientation",
    template_folder="templates",
    static_folder="static",
)
PAGE = "/o/<slug>/cycles/<cycle_id>/wirkmodell"
View = TypeVar("View", bound=Callable[..., Any])
login_required = cast(Callable[[View], View], flask_login.login_required)
"""Flask-Login's decorator (untyped): a visitor who is not signed in is sent to sign in."""

GATE_LABELS: dict[str, Text] = {
    "": Text("Keine: die Prüfungen bleiben Hinweise", "None: the checks stay hints"),
    "results-without-indicator": Text("Resultate ohne Indikator", "Results without an indicator"),
    "activities-leading-nowhere": Text(
        "Aktivitäten, die zu nichts führen", "Activities that lead to nothing"
    ),
    "goals-outside-model": Text(
        "Ziele des Themas, die nicht im Modell verknüpft sind",
        "Goals of the theme not tied to the model",
    ),
    "cycles": Text("Kreisläufe in den Pfeilen", "Cycles in the arrows"),
}


def _records(page: MemberCycle) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = page.cycle.get("records", {}).get(THEME_ID, {})
    return found


def _theme_goals(page: MemberCycle) -> dict[str, Any]:
    return {k: g for k, g in page.cycle["goals"].items() if g.get("theme_id") == THEME_ID}


def _editable(page: MemberCycle) -> bool:
    return page.can("plan") and not page.closed


def _render(page: MemberCycle, forms: Mapping[str, Form] | None = None, status: int = 200) -> Any:
    """The page; ``forms`` holds a refused form (shown again with its problems)."""
    records = _records(page)
    elements = records.get("element", {})
    edit = request.args.get("edit", "")
    forms = dict(forms or {})
    if "element" not in forms and edit in elements:
        element = elements[edit]
        forms["element"] = Form(
            "element", {**element["attrs"], "description": element["text"], "record_id": edit}
        )
    problems = [p for form in forms.values() for p in form.problems]
    context = {
        "page": page,
        "columns": [(c, COLUMN_LABELS[c]) for c in COLUMNS],
        "elements": elements,
        "by_column": {c: _in_column(elements, c) for c in COLUMNS},
        "arrows": records.get("arrow", {}),
        "gate": records.get("setting", {}).get(GATE_RECORD, {}).get("attrs", {}).get("check"),
        "gate_labels": GATE_LABELS,
        "goals": _theme_goals(page),
        "steps": list(enumerate(IMPACT_STEP_SHORT, start=1)),
        "levels": IOOI_LABELS,
        "editable": _editable(page),
        "forms": forms,
        "problems": problems,
        "edit": edit if edit in elements else "",
        "logic_model": view_context(page.cycle, str(get_locale() or "de")),
    }
    return render_template("impact_orientation/logic_model.html", **context), status


def _in_column(elements: Mapping[str, Any], column: str) -> list[tuple[str, Any]]:
    found = [(k, e) for k, e in elements.items() if e["attrs"]["column"] == column]
    return sorted(found, key=lambda item: item[1]["attrs"]["title"].lower())


def _member(slug: str, cycle_id: str, permission: str = "read") -> MemberCycle:
    return page_host(current_app.extensions).member_cycle(slug, cycle_id, permission)


@blueprint.get(PAGE)
@login_required
def logic_model(slug: str, cycle_id: str) -> Any:
    """The logic model of the cycle, with the forms to change it for those who plan."""
    return _render(_member(slug, cycle_id))


Make = Callable[[MemberCycle], tuple[Form, dict[str, Any]]]
"""Reads one form against the cycle: the form (values, problems) and the change it asks for."""


def _change(slug: str, cycle_id: str, make: Make, fields: Mapping[str, str], done: Text) -> Any:
    """Run one form's change: a refused form comes back with its problems, else redirect."""
    page = _member(slug, cycle_id, "plan")
    form, change = make(page)
    reason = page_forms.reason(form, request.form)
    if page.closed:
        form.general.append(Text("Der Zyklus ist abgeschlossen.", "The cycle is closed."))
        return _render(page, {form.name: form}, 409)
    if form.errors or form.general:
        return _render(page, {form.name: form}, 400)
    host = page_host(current_app.extensions)
    try:
        host.change_records(page, THEME_ID, reason=reason, expected_version=_version(), **change)
    except InvalidInput as error:
        form.refused(error, fields)
        return _render(page, {form.name: form}, 400)
    except Conflict:
        form.general.append(CONFLICT)
        return _render(_member(slug, cycle_id, "plan"), {form.name: form}, 409)
    flash(_in_language(done), "success")
    return redirect(url_for(".logic_model", slug=slug, cycle_id=cycle_id))


CONFLICT = Text(
    "Jemand anderes hat den Zyklus gerade geändert. Bitte prüfen Sie das Modell und senden "
    "Sie das Formular erneut.",
    "Someone else has just changed the cycle. Please check the model and send the form again.",
)


def _version() -> int | None:
    given = request.form.get("version", "")
    return int(given) if given.isdigit() else None


def _in_language(text: Text) -> str:
    """The text in the reader's language (as the templates' ``t`` gives it)."""
    return text.get(str(get_locale() or "de"))


GONE = {
    "element": Text("Das Element gibt es nicht mehr.", "The element is gone."),
    "arrow": Text("Den Pfeil gibt es nicht mehr.", "The arrow is gone."),
}


def _gone(page: MemberCycle, form: Form, kind: str, record_id: str) -> bool:
    """Whether the record is gone (someone removed it meanwhile); the form then says so."""
    if record_id in _records(page).get(kind, {}):
        return False
    form.general.append(GONE[kind])
    return True


@blueprint.post(f"{PAGE}/elemente")
@login_required
def save_element(slug: str, cycle_id: str) -> Any:
    """Add an element, or change one (``record_id`` given)."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        goal_ids = request.form.getlist("goal_ids")
        form, save = page_forms.element_form(request.form, goal_ids, set(_theme_goals(page)))
        record_id = request.form.get("record_id") or None
        form.values["record_id"] = record_id or ""
        if record_id is not None:
            _gone(page, form, "element", record_id)
        return form, {"saves": [{**save, "record_id": record_id}]}

    done = Text("Das Element ist gespeichert.", "The element has been saved.")
    return _change(slug, cycle_id, make, page_forms.ELEMENT_FIELDS, done)


@blueprint.post(f"{PAGE}/elemente/<record_id>/entfernen")
@login_required
def remove_element(slug: str, cycle_id: str, record_id: str) -> Any:
    """Remove an element and, in the same change, the arrows that use it."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        form = Form(f"remove-{record_id}")
        records = _records(page)
        if _gone(page, form, "element", record_id):
            return form, {}
        arrows = [
            {"kind": "arrow", "record_id": key}
            for key, arrow in records.get("arrow", {}).items()
            if record_id in (arrow["attrs"]["source"], arrow["attrs"]["target"])
        ]
        return form, {"removals": [*arrows, {"kind": "element", "record_id": record_id}]}

    done = Text("Das Element ist entfernt.", "The element has been removed.")
    return _change(slug, cycle_id, make, {"reason": "reason"}, done)


@blueprint.post(f"{PAGE}/pfeile")
@login_required
def save_arrow(slug: str, cycle_id: str) -> Any:
    """Add an arrow between two elements, with its assumption."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        form, save = page_forms.arrow_form(request.form, _records(page).get("element", {}))
        return form, {"saves": [{**save, "record_id": None}]}

    done = Text("Der Pfeil ist gespeichert.", "The arrow has been saved.")
    return _change(slug, cycle_id, make, page_forms.ARROW_FIELDS, done)


@blueprint.post(f"{PAGE}/pfeile/<record_id>/entfernen")
@login_required
def remove_arrow(slug: str, cycle_id: str, record_id: str) -> Any:
    """Remove an arrow."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        form = Form(f"remove-{record_id}")
        _gone(page, form, "arrow", record_id)
        return form, {"removals": [{"kind": "arrow", "record_id": record_id}]}

    done = Text("Der Pfeil ist entfernt.", "The arrow has been removed.")
    return _change(slug, cycle_id, make, {"reason": "reason"}, done)


@blueprint.post(f"{PAGE}/pruefung")
@login_required
def choose_gate(slug: str, cycle_id: str) -> Any:
    """Choose which of the model's checks becomes a gate (or none)."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        form, save = page_forms.gate_form(request.form)
        return form, {"saves": [save]}

    done = Text("Die Wahl der Prüfung ist gespeichert.", "The choice of check has been saved.")
    return _change(slug, cycle_id, make, page_forms.GATE_FIELDS, done)
