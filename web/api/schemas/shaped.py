"""Request schemas built from the engine's item shapes (:mod:`engine.domain.shapes`): each field's
type, presence, limit and choices come from there, so that no limit is written twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

from marshmallow import ValidationError, fields, validate, validates_schema
from marshmallow.schema import SchemaMeta

from engine.domain.catalogue import OffScale, Theme
from engine.domain.shapes import FieldShape, Shape
from engine.domain.validation import ITEM_ID_PATTERN, SHA256
from web.api.schemas.base import AnyJson, NumberOrText, Schema, Text
from web.schema_messages import LEVEL_IDS
from web.services import engine


def api_field(spec: FieldShape, **overrides: Any) -> fields.Field:  # type: ignore[type-arg]
    """The marshmallow field of a shape's field; ``overrides`` replace derived arguments (a
    ``load_default`` makes the field optional)."""
    arguments = {**_presence(spec), **overrides}
    if "load_default" in overrides:
        arguments.pop("required", None)
    return _BUILDERS[spec.kind](spec, arguments)


def request_schema(
    name: str,
    shape: Shape,
    doc: str,
    *,
    identity: bool = False,
    theme_data: str | None = None,
    **extra: fields.Field,  # type: ignore[type-arg]
) -> type[Schema]:
    """A request schema class named ``name`` (documented by ``doc``) with a field per field of
    ``shape`` (its own id too with ``identity``); ``extra`` adds fields or replaces derived ones.

    With ``theme_data`` (goal, measure, assessment, feedback) the theme's own schema checks the
    ``attrs`` too, beside the other fields, so that one answer names every problem at once.
    """
    declared: dict[str, Any] = {spec.name: api_field(spec) for spec in shape.fields}
    if identity and shape.identity is not None:
        declared[shape.identity.name] = api_field(shape.identity)
    declared.update(extra)
    if theme_data is not None:
        declared["_check_theme_data"] = theme_data_check(theme_data)
    schema = SchemaMeta(name, (Schema,), {**declared, "__doc__": doc, "__module__": __package__})  # type: ignore[no-untyped-call]
    return cast(type[Schema], schema)


def theme_data_check(kind: str) -> Callable[..., None]:
    """A schema validator: the ``attrs`` loaded by the named theme's schema for ``kind`` (and an
    assessment's value by its criterion's scale); every problem is reported with the others."""

    @validates_schema(skip_on_field_errors=False)
    def check_theme_data(self: Schema, data: dict[str, Any], **_kwargs: Any) -> None:
        theme = engine().themes.get(str(data.get("theme_id") or ""))
        if theme is None:
            return  # the engine names an unknown theme
        problems: dict[str, Any] = {}
        schema = getattr(theme, f"{kind}_schema", None)
        attrs = data.get("attrs")
        if schema is not None and isinstance(attrs, Mapping):
            try:
                schema().load(dict(attrs))
            except ValidationError as error:
                problems["attrs"] = error.messages
        if kind == "assessment":
            problems.update(_rating_problems(theme, data))
        if problems:
            raise ValidationError(problems)

    return cast(Callable[..., None], check_theme_data)


def _rating_problems(theme: Theme, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """The rating checked by its criterion's scale (in English, naming the ids to send)."""
    criterion = theme.criterion(str(data.get("criterion_id") or ""))
    if criterion is None or "value" not in data:
        return {}
    try:
        criterion.scale.validate(data["value"])
    except OffScale as error:
        if error.ids:
            return {"value": [LEVEL_IDS.format(ids=", ".join(error.ids))]}
        return {"value": [error.en]}
    return {}


def _presence(spec: FieldShape) -> dict[str, Any]:
    """Whether the field must be given, or what it is when left out."""
    if spec.has_default:
        return {"load_default": spec.default}
    if spec.required:
        return {"required": True}
    if spec.kind == "text":
        return {"load_default": ""}
    if spec.kind == "item_id":
        return {}
    return {"load_default": None, "allow_none": True}


def _length(spec: FieldShape) -> validate.Length:
    return validate.Length(max=spec.limit)


def _keys(spec: FieldShape, arguments: dict[str, Any]) -> fields.List:  # type: ignore[type-arg]
    key = fields.String(validate=_length(spec)) if spec.limit else fields.String()
    return fields.List(key, **arguments)


def _item_id(spec: FieldShape, arguments: dict[str, Any]) -> fields.String:
    description = spec.description + " (made up when left out)"
    return fields.String(
        validate=validate.Regexp(ITEM_ID_PATTERN),
        metadata={"description": description},
        **arguments,
    )


def _count(spec: FieldShape, arguments: dict[str, Any]) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(min=1), **arguments)


_Builder = Callable[[FieldShape, dict[str, Any]], fields.Field]  # type: ignore[type-arg]
_BUILDERS: dict[str, _Builder] = {
    "text": lambda spec, arguments: Text(spec.max_length or 0, **arguments),
    "item_id": _item_id,
    "ref": lambda spec, arguments: fields.String(validate=_length(spec), **arguments),
    "member": lambda spec, arguments: fields.String(validate=_length(spec), **arguments),
    "choice": lambda spec, arguments: fields.String(
        validate=validate.OneOf(spec.choices), **arguments
    ),
    "date": lambda spec, arguments: fields.Date(**arguments),
    "number": lambda spec, arguments: fields.Float(**arguments),
    "attrs": lambda spec, arguments: fields.Dict(
        keys=fields.String(), values=AnyJson(), **arguments
    ),
    "rating": lambda spec, arguments: NumberOrText(**arguments),
    "keys": _keys,
    "sha256": lambda spec, arguments: fields.String(
        validate=validate.Regexp(SHA256.pattern), **arguments
    ),
    "size": _count,
    "version": _count,
    "uuid": lambda spec, arguments: fields.UUID(**arguments),
}
