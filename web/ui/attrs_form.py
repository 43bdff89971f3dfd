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

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import flash
from flask_babel import format_decimal
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from engine.domain.catalogue import Text, Theme
from engine.domain.errors import InvalidInput
from web.i18n import language, localised, short_date
from web.ui.common import run

PREFIX = "attrs"
MAX_ITEMS = 100
"""At most this many items of a repeating group are read from one submission."""
SELECT_UP_TO = 20
"""An integer range with at most this many values is offered as a select."""
REMOVE = "_remove"
"""The name suffix of a group item's "remove this item" checkbox."""


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


@dataclass
class _Spec:
    """How one schema field is shown and read."""

    key: str
    kind: str
    label: str
    required: bool
    hint: str
    number: str = ""  # "int" or "float" for numeric kinds
    choices: list[tuple[str, str]] = field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    children: list[_Spec] = field(default_factory=list)


class AttrsForm:
    """A theme schema's fields for one form: values to show, submitted values, errors."""

    def __init__(
        self,
        schema: type[Schema] | None,
        theme: Theme | None = None,
        *,
        id_prefix: str = "",
        values: Mapping[str, Any] | None = None,
    ) -> None:
        self.schema = schema
        self.theme = theme
        self.id_prefix = id_prefix
        self.values: dict[str, Any] = dict(values or {})
        self.errors: dict[str, list[str]] = {}
        self._specs = _specs(schema, _level_labels(theme)) if schema is not None else []

    def __bool__(self) -> bool:
        """Whether the theme asks for any data at all."""
        return bool(self._specs)

    # Reading a submission --------------------------------------------------------------

    def parse(self, formdata: MultiDict[str, str]) -> dict[str, Any]:
        """The submitted theme data as a plain dict (kept for showing the form again)."""
        self.values = _parse_all(self._specs, formdata, PREFIX)
        return self.values

    def add_error(self, field_path: str, message: str) -> None:
        """Show ``message`` at ``attrs.<field>`` (or at the whole group if no input matches)."""
        path = field_path.removeprefix(PREFIX).lstrip(".")
        self.errors.setdefault(path, []).append(schema_message(message))

    # Showing the form ------------------------------------------------------------------

    def widgets(self) -> list[AttrsWidget]:
        """The inputs with their current values and errors."""
        built = [self._widget(spec, self.values, "", PREFIX) for spec in self._specs]
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
                rows.append((spec.label, _readable(spec, values[spec.key])))
        for key, value in values.items():
            if key not in known and value not in (None, "", [], {}):
                rows.append((_humanise(key), _plain_text(value)))
        return rows

    def _widget(self, spec: _Spec, values: Mapping[str, Any], path: str, name: str) -> AttrsWidget:
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
    targets = attrs if isinstance(attrs, list) else [attrs]
    refused: list[InvalidInput] = []

    def guarded() -> None:
        try:
            command()
        except InvalidInput as error:
            if error.field != PREFIX and not error.field.startswith(f"{PREFIX}."):
                raise
            refused.append(error)

    done = run(guarded, form)
    for error in refused:
        detail = error.field_en if language() == "en" else error.field_de
        shown = [target for target in targets if target]
        if shown:
            shown[0].add_error(error.field, detail)
        else:
            flash(f"{error.field}: {schema_message(detail)}", "error")
    return done and not refused


# Schema introspection -------------------------------------------------------------------


def _level_labels(theme: Theme | None) -> dict[str, Text]:
    """The labels of every level of the theme's scales, by level id."""
    labels: dict[str, Text] = {}
    for criterion in theme.criteria if theme else ():
        for level in criterion.scale.levels:
            labels.setdefault(level.id, level.label)
    return labels


def _specs(
    schema: type[Schema] | Schema, levels: Mapping[str, Text], depth: int = 0
) -> list[_Spec]:
    instance = schema() if isinstance(schema, type) else schema
    return [
        _spec(name, schema_field, levels, depth)
        for name, schema_field in instance.fields.items()
        if not schema_field.dump_only
    ]


def _spec(
    name: str, schema_field: fields.Field[Any], levels: Mapping[str, Text], depth: int
) -> _Spec:
    spec = _Spec(
        key=schema_field.data_key or name,
        kind="text",
        label=_metadata_text(schema_field, "label") or _humanise(name),
        required=bool(schema_field.required),
        hint=_metadata_text(schema_field, "description"),
    )
    one_of = _validator(schema_field, validate.OneOf)
    if isinstance(schema_field, fields.Boolean):
        spec.kind = "checkbox"
    elif isinstance(schema_field, fields.Date):
        spec.kind = "date"
    elif isinstance(schema_field, fields.Integer):
        spec.number = "int"
        _numeric(spec, schema_field)
    elif isinstance(schema_field, fields.Number):
        spec.number = "float"
        _numeric(spec, schema_field)
        spec.kind = "number"
    elif isinstance(schema_field, fields.List):
        _list(spec, schema_field.inner, levels, depth)
    elif isinstance(schema_field, fields.Nested) and depth < 3:
        spec.kind = "group" if schema_field.many else "object"
        spec.children = _specs(schema_field.schema, levels, depth + 1)
    elif one_of is not None:
        spec.kind = "select"
        spec.choices = _choices(one_of, levels)
    spec.choices = _named_choices(spec.choices, schema_field)
    return spec


def _named_choices(
    choices: list[tuple[str, str]], schema_field: fields.Field[Any]
) -> list[tuple[str, str]]:
    """Choice labels from the field's metadata ``choices_de`` / ``choices_en`` (value → label).

    For a list field the metadata may sit on the list or on its inner field.
    """
    inner = schema_field.inner if isinstance(schema_field, fields.List) else None
    metadata: dict[str, Any] = dict(inner.metadata if inner is not None else {})
    metadata.update(schema_field.metadata or {})
    named = metadata.get(f"choices_{language()}") or metadata.get("choices_de")
    if not isinstance(named, Mapping):
        return choices
    return [
        (value, str(named.get(value, named.get(_as_int(value), label)))) for value, label in choices
    ]


def _as_int(value: str) -> int | str:
    return int(value) if value.lstrip("-").isdigit() else value


def _numeric(spec: _Spec, schema_field: fields.Field[Any]) -> None:
    """A number input, or a select for a short whole-number range."""
    spec.kind = "number"
    found = _validator(schema_field, validate.Range)
    if found is None:
        return
    low, high = found.min, found.max
    if low is not None:
        spec.minimum = float(low) if found.min_inclusive else float(low) + (spec.number == "int")
    if high is not None:
        spec.maximum = float(high) if found.max_inclusive else float(high) - (spec.number == "int")
    if (
        spec.number == "int"
        and spec.minimum is not None
        and spec.maximum is not None
        and 0 <= spec.maximum - spec.minimum < SELECT_UP_TO
    ):
        spec.kind = "select"
        values = range(int(spec.minimum), int(spec.maximum) + 1)
        spec.choices = [(str(v), str(v)) for v in values]


def _list(spec: _Spec, inner: fields.Field[Any], levels: Mapping[str, Text], depth: int) -> None:
    one_of = _validator(inner, validate.OneOf)
    if isinstance(inner, fields.Nested) and depth < 3:
        spec.kind = "group"
        spec.children = _specs(inner.schema, levels, depth + 1)
    elif one_of is not None:
        spec.kind = "checkboxes"
        spec.choices = _choices(one_of, levels)
    else:
        spec.kind = "lines"
        spec.number = (
            "int"
            if isinstance(inner, fields.Integer)
            else "float"
            if isinstance(inner, fields.Number)
            else ""
        )
        if not spec.hint:
            spec.hint = _("Ein Eintrag pro Zeile.")


def _validator(schema_field: fields.Field[Any], kind: type[Any]) -> Any:
    return next((v for v in schema_field.validators if isinstance(v, kind)), None)


def _choices(one_of: validate.OneOf, levels: Mapping[str, Text]) -> list[tuple[str, str]]:
    own = list(one_of.labels or [])
    choices = []
    for index, choice in enumerate(one_of.choices):
        value = str(choice)
        if value in levels:
            label = localised(levels[value])
        elif index < len(own):
            label = str(own[index])
        else:
            label = value
        choices.append((value, label))
    return choices


def _metadata_text(schema_field: fields.Field[Any], key: str) -> str:
    metadata = schema_field.metadata or {}
    wanted = metadata.get(f"{key}_{language()}") or metadata.get(f"{key}_de")
    return str(wanted or metadata.get(key) or "")


def _humanise(name: str) -> str:
    words = re.sub(r"[_\-]+", " ", name).strip()
    return words[:1].upper() + words[1:]


# Parsing ----------------------------------------------------------------------------------


def _parse_all(specs: list[_Spec], formdata: MultiDict[str, str], name: str) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for spec in specs:
        value = _parse(spec, formdata, f"{name}-{spec.key}")
        if value is not _EMPTY:
            parsed[spec.key] = value
    return parsed


_EMPTY: Any = object()


def _parse(spec: _Spec, formdata: MultiDict[str, str], name: str) -> Any:
    if spec.kind == "checkbox":
        return name in formdata
    if spec.kind == "checkboxes":
        chosen = [v for v in formdata.getlist(name) if v]
        return chosen if chosen or spec.required else _EMPTY
    if spec.kind == "group":
        items = []
        for index in _indices(formdata, name):
            item_name = f"{name}-{index}"
            if f"{item_name}-{REMOVE}" in formdata:
                continue
            item = _parse_all(spec.children, formdata, item_name)
            if any(_filled(value) for value in item.values()):
                items.append(item)
        return items if items or spec.required else _EMPTY
    if spec.kind == "object":
        inner = _parse_all(spec.children, formdata, name)
        return inner if any(_filled(v) for v in inner.values()) or spec.required else _EMPTY
    raw = formdata.get(name, "")
    if spec.kind == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        values = [_number(line, spec.number) if spec.number else line for line in lines]
        return values if values or spec.required else _EMPTY
    if not raw.strip():
        return _EMPTY
    if spec.number:
        return _number(raw, spec.number)
    return raw.strip() if spec.kind in ("date", "select") else raw


def _number(raw: str, kind: str) -> Any:
    """An int or float from the input (decimal comma accepted); else the text, for the schema."""
    cleaned = raw.strip().replace(",", ".")
    try:
        return int(cleaned) if kind == "int" else float(cleaned)
    except ValueError:
        return raw


def _indices(formdata: MultiDict[str, str], name: str) -> list[int]:
    pattern = re.compile(rf"^{re.escape(name)}-(\d{{1,4}})-")
    found = {int(m.group(1)) for key in formdata if (m := pattern.match(key))}
    return sorted(found)[:MAX_ITEMS]


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {}, False)


# Showing values ---------------------------------------------------------------------------


def _readable(spec: _Spec, value: Any) -> str:
    labels = dict(spec.choices)
    if spec.kind == "checkbox":
        return str(_("ja") if value is True else _("nein"))
    if spec.kind == "checkboxes" and isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if spec.kind == "group" and isinstance(value, list):
        return "; ".join(_readable_item(spec.children, item) for item in value)
    if spec.kind == "object" and isinstance(value, Mapping):
        return _readable_item(spec.children, value)
    if spec.kind == "date" and isinstance(value, str):
        try:
            return short_date(date.fromisoformat(value))
        except ValueError:
            return value
    if spec.kind in ("number",) and isinstance(value, int | float) and not isinstance(value, bool):
        return str(format_decimal(value))
    if spec.kind == "lines" and isinstance(value, list):
        return ", ".join(map(str, value))
    return labels.get(str(value), _plain_text(value))


def _readable_item(children: list[_Spec], item: Any) -> str:
    if not isinstance(item, Mapping):
        return _plain_text(item)
    parts = [
        _readable(child, item[child.key]) for child in children if _filled(item.get(child.key))
    ]
    return ", ".join(parts)


def _plain_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_plain_text(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain_text(v)}" for k, v in value.items())
    return str(value)


# Errors -----------------------------------------------------------------------------------


def _walk(widgets: list[AttrsWidget]) -> list[AttrsWidget]:
    found: list[AttrsWidget] = []
    for widget in widgets:
        found.append(widget)
        found.extend(_walk(widget.children))
        for item in widget.items:
            found.extend(_walk(item.widgets))
    return found


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


_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[], str]], ...] = (
    (re.compile(r"^Missing data for required field\.$"), lambda: _("Bitte ausfüllen.")),
    (re.compile(r"^Not a valid integer\.$"), lambda: _("Bitte eine ganze Zahl angeben.")),
    (re.compile(r"^Not a valid number\.$"), lambda: _("Bitte eine Zahl angeben.")),
    (re.compile(r"^Not a valid date\.$"), lambda: _("Bitte ein gültiges Datum angeben.")),
    (re.compile(r"^Not a valid boolean\.$"), lambda: _("Bitte ja oder nein angeben.")),
    (re.compile(r"^Not a valid (string|list)\.$"), lambda: _("Dieser Wert ist nicht gültig.")),
    (re.compile(r"^Must be one of: .*\.$"), lambda: _("Bitte einen der angebotenen Werte wählen.")),
    (
        re.compile(r"^Must be (greater|less) than .*\.$"),
        lambda: _("Der Wert liegt außerhalb des erlaubten Bereichs."),
    ),
    (re.compile(r"^Length must be .*\.$"), lambda: _("Der Text ist zu kurz oder zu lang.")),
    (re.compile(r"^Field may not be null\.$"), lambda: _("Bitte ausfüllen.")),
    (re.compile(r"^Unknown field\.$"), lambda: _("Dieses Feld kennt das Thema nicht.")),
)


def schema_message(message: str) -> str:
    """A schema's standard (English) message in the reader's language; others as they are."""
    if language() == "en":
        return message
    for pattern, german in _MESSAGES:
        if pattern.match(message.strip()):
            return german()
    return message
