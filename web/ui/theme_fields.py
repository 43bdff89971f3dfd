"""Theme data (``attrs``) on the audit pages: each field by the label the theme's schema gives
it, each value by its choice label, read from the same schema metadata the forms use
(:mod:`web.ui.attrs_schema`), so a history entry names a field as the form that changed it did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.domain.catalogue import Theme
from web.ui.attrs_schema import FieldSpec, field_specs, humanise, level_labels
from web.ui.attrs_values import plain_text, readable

SCHEMAS = {
    "goals": "goal_schema",
    "measures": "measure_schema",
    "assessments": "assessment_schema",
    "feedback": "feedback_schema",
}
"""Which of a theme's schemas checks the attrs of the items of a cycle's collection."""


class ThemeFields:
    """The theme schemas' fields of a cycle's items, looked up once per theme and collection."""

    def __init__(self, themes: Mapping[str, Theme]) -> None:
        self.themes = themes
        self._specs: dict[tuple[str, str], list[FieldSpec]] = {}

    def specs(self, collection: str, theme_id: str | None) -> list[FieldSpec]:
        """The fields of the theme's schema for items of ``collection`` (none if unknown)."""
        theme = self.themes.get(theme_id or "")
        schema = getattr(theme, SCHEMAS.get(collection, ""), None) if theme else None
        if theme is None or schema is None:
            return []
        return self._cached((collection, str(theme_id)), theme, schema)

    def of_item(self, state: Mapping[str, Any], segments: Sequence[str]) -> list[FieldSpec]:
        """The fields of the item that a state path ('goals', id, ...) points into; a theme
        record's path ('records', theme, kind, id, ...) by the theme's schema for that kind."""
        if segments[:1] == ["records"] and len(segments) >= 3:
            return self.record_specs(segments[1], segments[2])
        if len(segments) < 2 or segments[0] not in SCHEMAS:
            return []
        if segments[0] == "assessments":
            return self.specs("assessments", segments[1].partition("/")[0])
        item = state.get(segments[0], {}).get(segments[1])
        theme_id = item.get("theme_id") if isinstance(item, Mapping) else None
        return self.specs(segments[0], theme_id)

    def record_specs(self, theme_id: str, kind: str) -> list[FieldSpec]:
        """The fields of a theme's records of ``kind`` (none if the theme or kind is unknown)."""
        theme = self.themes.get(theme_id)
        schema = theme.record_schemas.get(kind) if theme else None
        if theme is None or schema is None:
            return []
        return self._cached((f"records/{kind}", theme_id), theme, schema)

    def _cached(self, key: tuple[str, str], theme: Theme, schema: Any) -> list[FieldSpec]:
        found = self._specs.get(key)
        if found is None:
            found = field_specs(schema, level_labels(theme))
            self._specs[key] = found
        return found


def spec_at(specs: Sequence[FieldSpec], keys: Sequence[str]) -> FieldSpec | None:
    """The field that ``keys`` (the path below 'attrs'; list positions skipped) names."""
    found: FieldSpec | None = None
    current = list(specs)
    for key in keys:
        if key.startswith("["):
            continue
        found = next((spec for spec in current if spec.key == key), None)
        if found is None:
            return None
        current = found.children
    return found


def field_label(specs: Sequence[FieldSpec], keys: Sequence[str]) -> str:
    """A theme field's label (from its schema), or its name made readable if the schema has none."""
    spec = spec_at(specs, keys)
    return spec.label if spec is not None else humanise(keys[-1])


def attr_rows(specs: Sequence[FieldSpec], values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Label and readable value of each filled field of a theme's data, in the schema's order."""
    rows: list[tuple[str, str]] = []
    known = set()
    for spec in specs:
        known.add(spec.key)
        if values.get(spec.key) not in (None, "", [], {}):
            rows.append((spec.label, readable(spec, values[spec.key])))
    for key, value in values.items():
        if key not in known and value not in (None, "", [], {}):
            rows.append((humanise(key), plain_text(value)))
    return rows
