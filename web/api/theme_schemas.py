"""A theme's data fields (attrs) as JSON Schema, so that a client learns what to send.

Generated from the theme's marshmallow schemas by apispec's converter (the one flask-smorest
builds the OpenAPI file with): types, required fields, limits, allowed values, nested groups.
The labels a theme gives its fields and choices (``field_labels`` metadata) are added in both
languages: ``title`` (English) with ``x-labels`` {de, en}, and ``x-choices`` listing each
allowed value with its labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields

from engine.domain.catalogue import Text, Theme

KINDS = ("goal", "measure", "assessment", "feedback")
"""The items that carry theme data, each with the theme's schema of the same name."""


@cache
def _converter() -> Any:
    """apispec's marshmallow converter, inlining nested schemas (no component references)."""
    plugin = MarshmallowPlugin(schema_name_resolver=lambda _schema: None)  # type: ignore[arg-type,return-value]
    APISpec("themes", "1", "3.0.3", plugins=[plugin])
    return plugin.converter


def attrs_json_schema(
    schema: type[Schema] | None, levels: Mapping[str, Text] | None = None
) -> dict[str, Any] | None:
    """The JSON Schema of a theme's marshmallow schema (None: the item takes no theme data).

    Allowed values that are the ids of the theme's scale levels are labelled as the levels.
    """
    if schema is None:
        return None
    instance = schema()
    found: dict[str, Any] = _converter().schema2jsonschema(instance)
    _labelled(instance, found, levels or {})
    found["additionalProperties"] = False
    return found


def _labelled(instance: Schema, found: dict[str, Any], levels: Mapping[str, Text]) -> None:
    """Add each field's labels and choice labels (both languages) to its property."""
    for name, field in instance.fields.items():
        prop = found.get("properties", {}).get(field.data_key or name)
        if prop is None:
            continue
        _field_labels(field, prop)
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested) and isinstance(inner.schema, Schema):
            target = prop.get("items", prop) if isinstance(field, fields.List) else prop
            _labelled(inner.schema, target, levels)
        elif inner is not field:
            _field_labels(inner, prop.get("items", {}))
        _level_choices(prop.get("items", prop) if inner is not field else prop, prop, levels)


def _level_choices(
    values: dict[str, Any], prop: dict[str, Any], levels: Mapping[str, Text]
) -> None:
    """Choices that are the ids of scale levels, labelled as the levels (as the forms do)."""
    allowed = values.get("enum")
    if "x-choices" in prop or not allowed or not all(value in levels for value in allowed):
        return
    prop["x-choices"] = [
        {"value": value, "label": {"de": levels[value].de, "en": levels[value].get("en")}}
        for value in allowed
    ]


def _field_labels(field: fields.Field[Any], prop: dict[str, Any]) -> None:
    metadata = field.metadata
    if "label_de" in metadata:
        prop["title"] = metadata.get("label_en") or metadata["label_de"]
        prop["x-labels"] = {"de": metadata["label_de"], "en": prop["title"]}
    if "description_de" in metadata:
        prop["description"] = metadata.get("description_en") or metadata["description_de"]
        prop["x-descriptions"] = {"de": metadata["description_de"], "en": prop["description"]}
    german, english = metadata.get("choices_de"), metadata.get("choices_en") or {}
    if german:
        prop["x-choices"] = [
            {"value": value, "label": {"de": label, "en": english.get(value, label)}}
            for value, label in german.items()
        ]


def theme_attrs_schemas(theme: Theme) -> dict[str, dict[str, Any] | None]:
    """The JSON Schema of each item's theme data (goal, measure, assessment, feedback)."""
    levels = {
        level.id: level.label for criterion in theme.criteria for level in criterion.scale.levels
    }
    return {kind: attrs_json_schema(getattr(theme, f"{kind}_schema"), levels) for kind in KINDS}
