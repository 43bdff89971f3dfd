"""How each field of a theme's marshmallow schema is shown and read: its kind of input, label,
hint, choices and range, found from the field's type, validators and metadata.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from engine.domain.catalogue import Text, Theme
from web.i18n import language, localised

MAX_ITEMS = 100
"""At most this many items of a repeating group are read from one submission."""

SELECT_UP_TO = 20
"""An integer range with at most this many values is offered as a select."""

REMOVE = "_remove"
"""The name suffix of a group item's "remove this item" checkbox."""


@dataclass
class FieldSpec:
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
    children: list[FieldSpec] = field(default_factory=list)


def level_labels(theme: Theme | None) -> dict[str, Text]:
    """The labels of every level of the theme's scales, by level id."""
    labels: dict[str, Text] = {}
    for criterion in theme.criteria if theme else ():
        for level in criterion.scale.levels:
            labels.setdefault(level.id, level.label)
    return labels


def field_specs(
    schema: type[Schema] | Schema, levels: Mapping[str, Text], depth: int = 0
) -> list[FieldSpec]:
    """How each field of ``schema`` is shown and read (dump-only fields left out)."""
    instance = schema() if isinstance(schema, type) else schema
    return [
        _spec(name, schema_field, levels, depth)
        for name, schema_field in instance.fields.items()
        if not schema_field.dump_only
    ]


def _spec(
    name: str, schema_field: fields.Field[Any], levels: Mapping[str, Text], depth: int
) -> FieldSpec:
    spec = FieldSpec(
        key=schema_field.data_key or name,
        kind="text",
        label=_metadata_text(schema_field, "label") or humanise(name),
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
        spec.children = field_specs(schema_field.schema, levels, depth + 1)
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


def _numeric(spec: FieldSpec, schema_field: fields.Field[Any]) -> None:
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


def _list(
    spec: FieldSpec, inner: fields.Field[Any], levels: Mapping[str, Text], depth: int
) -> None:
    one_of = _validator(inner, validate.OneOf)
    if isinstance(inner, fields.Nested) and depth < 3:
        spec.kind = "group"
        spec.children = field_specs(inner.schema, levels, depth + 1)
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


def humanise(name: str) -> str:
    """A field name as a label (``start_date`` -> ``Start date``), when the schema gives none."""
    words = re.sub(r"[_\-]+", " ", name).strip()
    return words[:1].upper() + words[1:]
