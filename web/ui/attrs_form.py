"""Theme data (``attrs``) in forms: any theme's marshmallow schema rendered and parsed generically.

Theme plugins are third-party code, so nothing here knows a theme by name. A schema's fields
become inputs by their type and validators:

- ``String`` with ``OneOf``: a select (labels from the theme's scale levels where the ids
  match, else the validator's labels, else the ids);
- ``Integer`` with a small ``Range``: a select, otherwise a number input; other numbers: a
  number input;
- ``Date``: a date input; ``Boolean``: a checkbox;
- ``List(String with OneOf)``: checkboxes; ``List(Nested(...))``: a repeating group with the
  existing items and one empty item to add; other lists: one value per line;
- ``Nested(...)``: a group of its fields; anything else: a text input.

Inputs are named ``attrs-<field>`` (``attrs-evidence-0-document`` inside a group). Parsing
returns a plain dict; the engine validates it through the schema and refuses with
``InvalidInput`` naming ``attrs.<field>``, which :meth:`AttrsForm.add_error` places next to
that field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import flash
from flask_babel import gettext as _
from marshmallow import Schema
from werkzeug.datastructures import MultiDict

from engine.domain.catalogue import Theme
from engine.domain.errors import InvalidInput
from web.feedback import Problem, note
from web.ui.attrs_schema import REMOVE, FieldSpec, field_specs, humanise, level_labels
from web.ui.attrs_values import parse_all, plain_text, readable, schema_message
from web.ui.common import run

PREFIX = "attrs"


@dataclass
class AttrsWidget:
    """One input (or group of inputs) of a theme's data, ready for the template."""

    path: str
    name: str
    id: str
    kind: str
    label: str
    required: bool = False
    hint: str = ""
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    step: str = "any"
    errors: list[str] = field(default_factory=list)
    items: list[AttrsItem] = field(default_factory=list)
    children: list[AttrsWidget] = field(default_factory=list)

    @property
    def describedby(self) -> str:
        """The ids of this input's hint and error, for ``aria-describedby``."""
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.errors:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


@dataclass
class AttrsItem:
    """One item of a repeating group: its inputs and whether it is the empty one to add."""

    label: str
    widgets: list[AttrsWidget]
    is_new: bool
    remove_name: str
    remove_id: str


class AttrsForm:
    """A theme schema's fields for one form: values to show, submitted values, errors."""

    def __init__(
        self,
        schema: type[Schema] | None,
        theme: Theme | None = None,
        *,
        id_prefix: str = "",
        values: Mapping[str, Any] | None = None,
        name_prefix: str = "",
    ) -> None:
        self.schema = schema
        self.name = f"{name_prefix}-{PREFIX}" if name_prefix else PREFIX
        """The inputs' names start with this (a prefix keeps several in one HTML form apart)."""
        self.theme = theme
        self.id_prefix = id_prefix
        self.values: dict[str, Any] = dict(values or {})
        self.errors: dict[str, list[str]] = {}
        self._specs = field_specs(schema, level_labels(theme)) if schema is not None else []

    def __bool__(self) -> bool:
        """Whether the theme asks for any data at all."""
        return bool(self._specs)

    # Reading a submission --------------------------------------------------------------

    def parse(self, formdata: MultiDict[str, str]) -> dict[str, Any]:
        """The submitted theme data as a plain dict (kept for showing the form again)."""
        self.values = parse_all(self._specs, formdata, self.name)
        return self.values

    def add_error(self, field_path: str, message: str) -> None:
        """Show ``message`` at ``attrs.<field>`` (or at the whole group if no input matches)."""
        path = field_path.removeprefix(PREFIX).lstrip(".")
        self.errors.setdefault(path, []).append(schema_message(message))
        note(self)

    def problems(self) -> list[Problem]:
        """The errors for the page's error summary, each linked to its input."""
        found = [
            Problem(f"{widget.label}: {message}", _target(widget))
            for widget in _walk(self.widgets())
            for message in widget.errors
        ]
        return found + [Problem(message) for message in self.general_errors]

    # Showing the form ------------------------------------------------------------------

    def widgets(self) -> list[AttrsWidget]:
        """The inputs with their current values and errors."""
        built = [self._widget(spec, self.values, "", self.name) for spec in self._specs]
        self._place_errors(built)
        return built

    @property
    def general_errors(self) -> list[str]:
        """Errors that belong to no single input (e.g. a schema-wide check)."""
        known = set(_paths(self.widgets()))
        return [
            message
            for path, messages in self.errors.items()
            if _placed_at(path, known) is None
            for message in messages
        ]

    def describe(self, values: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
        """Label and readable value of each given field, for lists and read-only views."""
        values = self.values if values is None else values
        rows: list[tuple[str, str]] = []
        known = set()
        for spec in self._specs:
            known.add(spec.key)
            if spec.key in values and values[spec.key] not in (None, "", [], {}):
                rows.append((spec.label, readable(spec, values[spec.key])))
        for key, value in values.items():
            if key not in known and value not in (None, "", [], {}):
                rows.append((humanise(key), plain_text(value)))
        return rows

    def _widget(
        self, spec: FieldSpec, values: Mapping[str, Any], path: str, name: str
    ) -> AttrsWidget:
        path = f"{path}.{spec.key}" if path else spec.key
        name = f"{name}-{spec.key}"
        widget = AttrsWidget(
            path=path,
            name=name,
            id=f"{self.id_prefix}-{name}" if self.id_prefix else name,
            kind=spec.kind,
            label=spec.label,
            required=spec.required,
            hint=spec.hint,
            choices=list(spec.choices),
            minimum=spec.minimum,
            maximum=spec.maximum,
            step="1" if spec.number == "int" else "any",
        )
        value = values.get(spec.key)
        if spec.kind == "group":
            existing = [item for item in value if isinstance(item, Mapping)] if value else []
            for index, item in enumerate([*existing, {}]):
                item_name = f"{name}-{index}"
                widget.items.append(
                    AttrsItem(
                        label=_("%(label)s: neuer Eintrag", label=spec.label)
                        if index == len(existing)
                        else _("%(label)s: Eintrag %(number)s", label=spec.label, number=index + 1),
                        widgets=[
                            self._widget(child, item, f"{path}.{index}", item_name)
                            for child in spec.children
                        ],
                        is_new=index == len(existing),
                        remove_name=f"{item_name}-{REMOVE}",
                        remove_id=f"{widget.id}-{index}-{REMOVE}",
                    )
                )
        elif spec.kind == "object":
            inner = value if isinstance(value, Mapping) else {}
            widget.children = [self._widget(c, inner, path, name) for c in spec.children]
        elif spec.kind == "checkboxes":
            widget.value = [str(v) for v in value] if isinstance(value, list) else []
        elif spec.kind == "checkbox":
            widget.value = value is True
        elif spec.kind == "lines":
            widget.value = "\n".join(map(str, value)) if isinstance(value, list) else ""
        else:
            widget.value = "" if value is None else str(value)
        return widget

    def _place_errors(self, built: list[AttrsWidget]) -> None:
        by_path = {w.path: w for w in _walk(built)}
        for path, messages in self.errors.items():
            placed = _placed_at(path, set(by_path))
            if placed is not None:
                by_path[placed].errors.extend(messages)


def run_with_attrs(
    command: Callable[[], Any], form: Any, attrs: AttrsForm | list[AttrsForm]
) -> bool:
    """Like :func:`web.ui.common.run`, but a refusal of ``attrs.…`` goes next to that input."""
    shown = [target for target in (attrs if isinstance(attrs, list) else [attrs]) if target]

    def place(problem: InvalidInput, detail: str) -> bool:
        if problem.field != PREFIX and not problem.field.startswith(f"{PREFIX}."):
            return False
        if shown:
            shown[0].add_error(problem.field, detail)
        else:
            flash(f"{problem.field}: {schema_message(detail)}", "error")
        return True

    return run(command, form, place)


def _walk(widgets: list[AttrsWidget]) -> list[AttrsWidget]:
    found: list[AttrsWidget] = []
    for widget in widgets:
        found.append(widget)
        found.extend(_walk(widget.children))
        for item in widget.items:
            found.extend(_walk(item.widgets))
    return found


def _target(widget: AttrsWidget) -> str:
    """The id a link to the widget's error goes to: its input, its first box, or the error."""
    if widget.kind == "checkboxes":
        return f"{widget.id}-0"
    if widget.kind in ("group", "object"):
        return f"{widget.id}-error"
    return widget.id


def _paths(widgets: list[AttrsWidget]) -> list[str]:
    return [w.path for w in _walk(widgets)]


def _placed_at(path: str, known: set[str]) -> str | None:
    """The input an error at ``path`` belongs to: the path itself or its nearest parent."""
    parts = path.split(".") if path else []
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None
