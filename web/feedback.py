"""Feedback where the person looks: a success message after a change, an error summary above
a refused form (the GOV.UK patterns), one mechanism for every page.

- A view that changed something calls :func:`tell` before it redirects. The message shows at
  the top of the main content, or, given ``at`` (an element's id, which the redirect's fragment
  names too), next to that element where its template calls ``messages_at``; base.html shows
  what no template placed.
- Every form that validates, and every field that gets an error afterwards, is noted for the
  request; base.html lists their errors in an error summary with a link to each field, and
  the page title starts with "Fehler:". Errors flashed without a field (a refusal that names
  none) join the summary without a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, g, get_flashed_messages, has_app_context, render_template_string
from markupsafe import Markup
from wtforms.widgets import CheckboxInput, RadioInput

SUCCESS = "success"
ERROR = "error"
_FORMS = "qualizyklus_forms"
_FIELDS = "qualizyklus_fields"
_PLACED = "qualizyklus_placed"


@dataclass(frozen=True)
class Problem:
    """One entry of the error summary: the message and the id of the input it links to."""

    text: str
    target: str = ""

    @property
    def href(self) -> str:
        """The link to the input ('' when the problem belongs to no input)."""
        return f"#{self.target}" if self.target else ""


@dataclass(frozen=True)
class Message:
    """A flashed message: a success, an error or a note, optionally placed at an element."""

    kind: str
    text: str
    at: str = ""


def tell(message: str, at: str = "") -> None:
    """Say that a change succeeded; ``at`` is the id of the element it changed (optional)."""
    flash(message, f"{SUCCESS}@{at}" if at else SUCCESS)


def note(*sources: Any) -> None:
    """Note forms whose errors the page's error summary lists: a WTForms form's fields' errors,
    and whatever a source's ``problems()`` method returns (theme data inputs, a refusal)."""
    if not has_app_context():
        return
    noted: list[Any] = g.setdefault(_FORMS, [])
    noted.extend(source for source in sources if all(source is not n for n in noted))


def note_field(field: Any) -> None:
    """Note one field that got an error outside its form's validation."""
    if not has_app_context():
        return
    noted: list[Any] = g.setdefault(_FIELDS, [])
    if all(field is not n for n in noted):
        noted.append(field)


def messages() -> list[Message]:
    """This request's flashed messages (Flask's default category counts as a success)."""
    found = []
    flashed: list[Any] = list(get_flashed_messages(with_categories=True))
    for category, text in flashed:
        kind, _sep, at = str(category).partition("@")
        kind = {"message": SUCCESS}.get(kind, kind)
        found.append(Message(kind, str(text), at))
    return found


def problems() -> list[Problem]:
    """Every error to list in the summary: the noted forms' fields, then flashed errors."""
    if not has_app_context():
        return []
    found: list[Problem] = []
    listed: list[Any] = []
    for source in g.get(_FORMS, []):
        for field in source if hasattr(source, "__iter__") else ():
            listed.append(field)
            found.extend(field_problems(field))
        if hasattr(source, "problems"):
            found.extend(source.problems())
    for field in g.get(_FIELDS, []):
        if all(field is not seen for seen in listed):
            found.extend(field_problems(field))
    found.extend(Problem(m.text) for m in messages() if m.kind == ERROR)
    unique: list[Problem] = []
    for problem in found:
        if problem not in unique:
            unique.append(problem)
    return unique


def field_problems(field: Any) -> list[Problem]:
    """A WTForms field's errors as summary entries, linked to its (first) input."""
    errors = field.errors if isinstance(field.errors, list | tuple) else []
    if not errors or field.type in ("CSRFTokenField",):
        return []
    target = "" if field.type == "HiddenField" else input_id(field)
    label = str(field.label.text) if field.label else ""
    return [Problem(summary_text(label, str(message)), target) for message in errors]


def input_id(field: Any) -> str:
    """The id of the input a link to ``field`` should focus: the first of a group of options."""
    if isinstance(getattr(field, "option_widget", None), RadioInput | CheckboxInput):
        return f"{field.id}-0"
    return str(field.id)


def summary_text(label: str, message: str) -> str:
    """The summary's entry: a sentence as it is; a fragment ("darf nicht leer sein") after
    the field's label."""
    if not label or message[:1].isupper():
        return message
    return f"{label}: {message}"


_BANNER = """{% from "macros.html" import success_banner %}{{ success_banner(texts, focus) }}"""


def messages_at(anchor: str, focus: bool = False) -> Markup:
    """The success messages placed at ``anchor`` (for the element's template to show);
    ``focus`` moves the focus to them when the page loads (where the person is looking)."""
    texts = [m.text for m in messages() if m.kind == SUCCESS and m.at == anchor]
    if not texts:
        return Markup("")
    g.setdefault(_PLACED, set()).add(anchor)
    return Markup(render_template_string(_BANNER, texts=texts, focus=focus))


def unplaced_messages() -> list[Message]:
    """The messages no template placed at their element (shown at the top of the content)."""
    placed = g.get(_PLACED, set())
    return [m for m in messages() if m.kind != ERROR and m.at not in placed]


def template_helpers() -> dict[str, Any]:
    """What base.html and the pages' templates call."""
    return {
        "form_problems": problems,
        "messages_at": messages_at,
        "unplaced_messages": unplaced_messages,
    }
