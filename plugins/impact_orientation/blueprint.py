"""The theme's own page: the network's logic model (Wirkmodell), read and edited with forms.

Mounted through the ``web_blueprints`` hook under ``/themes/impact-orientation``; the page is
``/themes/impact-orientation/o/<slug>/cycles/<cycle_id>/wirkmodell``. It finds the application
through :func:`engine.page_host` (the cycle as the signed-in member sees it, and the command
that changes the theme's records), never through ``web``. Every change is one form, posted
without JavaScript, with a reason; a refused form is shown again with every problem beside its
input and in a summary at the top. Elements and arrows are removed with one form per list
(a box per item, one reason); removing elements removes the arrows that use them in the same
change. Members who may only read (and everyone, once the cycle is closed) see no forms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import flask_login
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale

from engine import Conflict, InvalidInput, MemberCycle, Text, page_host
from plugins.impact_orientation import page_forms, page_lists, page_texts
from plugins.impact_orientation.page_forms import Form
from plugins.impact_orientation.records import GATE_RECORD, THEME_ID

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
    """The page; ``forms`` holds a refused form (shown again with its problems). Texts and rows
    come ready in the reader's language (page_texts); the long lists are rendered once per
    cycle version and kept (page_lists)."""
    records = _records(page)
    elements = records.get("element", {})
    edit = request.args.get("edit", "")
    forms = dict(forms or {})
    if "element" not in forms and edit in elements:
        element = elements[edit]
        forms["element"] = Form(
            "element", {**element["attrs"], "description": element["text"], "record_id": edit}
        )
    problems = [(target, _in_language(m)) for form in forms.values() for target, m in form.problems]
    language = str(get_locale() or "de")
    place = {"slug": page.slug, "cycle_id": page.cycle["id"]}
    address = url_for(".logic_model", **place)
    setting = records.get("setting", {}).get(GATE_RECORD, {})
    gate = setting.get("attrs", {}).get("check") or ""
    editable = _editable(page)
    context = {
        "page": page,
        "L": page_texts.texts(language),
        "lists": page_lists.lists(page, records, language, address, forms, editable),
        "any_elements": bool(elements),
        "any_arrows": bool(records.get("arrow")),
        "enough_elements": len(elements) >= 2,
        "gate": gate,
        "gate_label": GATE_LABELS.get(gate, GATE_LABELS[""]).get(language),
        "gate_labels": [(value, label.get(language)) for value, label in GATE_LABELS.items()],
        "goals": _theme_goals(page),
        "editable": editable,
        "forms": forms,
        "problems": problems,
        "actions": {name: url_for(f".{name}", **place) for name in ACTIONS},
    }
    return render_template("impact_orientation/logic_model.html", **context), status


ACTIONS = ("save_element", "remove_elements", "save_arrow", "remove_arrows", "choose_gate")
"""The page's forms' endpoints (each address built once per page)."""


def _member(slug: str, cycle_id: str, permission: str = "read") -> MemberCycle:
    return page_host(current_app.extensions).member_cycle(slug, cycle_id, permission)


@blueprint.get(PAGE)
@login_required
def logic_model(slug: str, cycle_id: str) -> Any:
    """The logic model of the cycle, with the forms to change it for those who plan (kept per
    reader and version: the page shows nothing but the cycle)."""
    page = _member(slug, cycle_id)
    return page_host(current_app.extensions).kept_page(page, lambda: _render(page))


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
    "element": Text(
        "Eines der gewählten Elemente gibt es nicht mehr.", "One of the chosen elements is gone."
    ),
    "arrow": Text(
        "Einen der gewählten Pfeile gibt es nicht mehr.", "One of the chosen arrows is gone."
    ),
}
EDITED_GONE = Text("Das Element gibt es nicht mehr.", "The element is gone.")
NONE_CHOSEN = {
    "element": Text(
        "Bitte wählen Sie mindestens ein Element.", "Please choose at least one element."
    ),
    "arrow": Text("Bitte wählen Sie mindestens einen Pfeil.", "Please choose at least one arrow."),
}


def _chosen(page: MemberCycle, form: Form, kind: str) -> list[str]:
    """The records ticked in a removal form (``record_ids``); none, or one that is gone
    (someone removed it meanwhile), is a problem beside the boxes."""
    chosen = list(dict.fromkeys(request.form.getlist("record_ids")))
    form.values["record_ids"] = chosen
    known = _records(page).get(kind, {})
    if not chosen:
        form.add("record_ids", NONE_CHOSEN[kind])
    elif any(record_id not in known for record_id in chosen):
        form.add("record_ids", GONE[kind])
    return chosen


@blueprint.post(f"{PAGE}/elemente")
@login_required
def save_element(slug: str, cycle_id: str) -> Any:
    """Add an element, or change one (``record_id`` given)."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        goal_ids = request.form.getlist("goal_ids")
        form, save = page_forms.element_form(request.form, goal_ids, set(_theme_goals(page)))
        record_id = request.form.get("record_id") or None
        form.values["record_id"] = record_id or ""
        if record_id is not None and record_id not in _records(page).get("element", {}):
            form.general.append(EDITED_GONE)
        return form, {"saves": [{**save, "record_id": record_id}]}

    done = Text("Das Element ist gespeichert.", "The element has been saved.")
    return _change(slug, cycle_id, make, page_forms.ELEMENT_FIELDS, done)


@blueprint.post(f"{PAGE}/elemente/entfernen")
@login_required
def remove_elements(slug: str, cycle_id: str) -> Any:
    """Remove the ticked elements and, in the same change, the arrows that use them."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        form = Form("remove-elements")
        chosen = set(_chosen(page, form, "element"))
        arrows = [
            {"kind": "arrow", "record_id": key}
            for key, arrow in _records(page).get("arrow", {}).items()
            if chosen & {arrow["attrs"]["source"], arrow["attrs"]["target"]}
        ]
        elements = [{"kind": "element", "record_id": key} for key in form.values["record_ids"]]
        return form, {"removals": [*arrows, *elements]}

    done = Text("Die gewählten Elemente sind entfernt.", "The chosen elements have been removed.")
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


@blueprint.post(f"{PAGE}/pfeile/entfernen")
@login_required
def remove_arrows(slug: str, cycle_id: str) -> Any:
    """Remove the ticked arrows."""

    def make(page: MemberCycle) -> tuple[Form, dict[str, Any]]:
        form = Form("remove-arrows")
        chosen = _chosen(page, form, "arrow")
        return form, {"removals": [{"kind": "arrow", "record_id": key} for key in chosen]}

    done = Text("Die gewählten Pfeile sind entfernt.", "The chosen arrows have been removed.")
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
