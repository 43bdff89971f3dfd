"""The logic model page's long parts as HTML: the model drawn with its words and tables (the
partial logic_model_view.html), the elements by column and the arrows (each with its box for
the removal forms) and the elements as choices of the arrow form.

They are the page's per-item work (a 60-element, 120-arrow model gives some 5,000 escaped
values), so they are rendered once per cycle version and language (the lists also per edit
right and address) and kept, like the drawing (logic_model/svg.py): a page asked for again
only fills in its forms. A cycle's every change raises its version, so nothing kept is shown
after a change. A refused removal or arrow form (ticked boxes, chosen ends) renders the lists
afresh and keeps nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from flask import get_template_attribute, render_template
from markupsafe import Markup

from engine import MemberCycle
from plugins.impact_orientation import page_texts
from plugins.impact_orientation.logic_model.view import view_context
from plugins.impact_orientation.page_forms import Form

LISTS_KEPT = 64
"""Rendered parts kept per process (a 60-element, 120-arrow model's are about 250 kB)."""
TEMPLATE = "impact_orientation/logic_model_lists.html"
VIEW = "impact_orientation/logic_model_view.html"
FRESH = ("remove-elements", "remove-arrows", "arrow")
"""Forms whose refusal changes the lists (ticked boxes, the arrow's chosen ends)."""

_kept: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def lists(
    page: MemberCycle,
    records: Mapping[str, Any],
    language: str,
    address: str,
    forms: Mapping[str, Form],
    editable: bool,
) -> dict[str, Any]:
    """The parts ``view`` (the drawing, its words and tables: logic_model_view.html),
    ``elements``, ``arrows`` and ``options`` (the arrow form's choices, by end)."""
    key = (str(page.cycle["id"]), page.cycle["version"], language)
    view = _kept_or_made(
        ("view", *key),
        lambda: Markup(
            render_template(
                VIEW,
                logic_model=view_context(page.cycle, language),
                heading=page_texts.texts(language)["overview"],
            )
        ),
    )

    def made() -> dict[str, Any]:
        elements = records.get("element", {})
        words = page_texts.texts(language)
        by_column = page_texts.element_rows(elements, page.cycle["goals"], language, address)
        arrows = page_texts.arrow_rows(records.get("arrow", {}), elements)

        def macro(name: str) -> Any:
            return get_template_attribute(TEMPLATE, name)

        return {
            "elements": macro("elements")(
                by_column, words, editable, set(_picked(forms, "remove-elements") or [])
            ),
            "arrows": macro("arrows")(
                arrows, words, editable, set(_picked(forms, "remove-arrows") or [])
            ),
            "options": {
                end: macro("options")(by_column, words, _picked(forms, "arrow", end) or "")
                for end in ("source", "target")
            }
            if editable
            else {},
        }

    if any(name in forms for name in FRESH):
        return {"view": view, **made()}
    return {"view": view, **_kept_or_made(("lists", *key, editable, address), made)}


def _kept_or_made(key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
    """What ``make`` gives, kept under ``key`` (the last LISTS_KEPT keys)."""
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    made = make()
    with _lock:
        _kept[key] = made
        while len(_kept) > LISTS_KEPT:
            _kept.popitem(last=False)
    return made


def _picked(forms: Mapping[str, Form], name: str, value: str = "record_ids") -> Any:
    form = forms.get(name)
    return form.values.get(value) if form else None
