"""Schemas of the installed theme modules and their catalogues."""

from __future__ import annotations

from marshmallow import fields, validate

from web.api.schemas.base import AnyJson, LocalisedSchema, Schema


class LevelSchema(Schema):
    """A step of a scale of levels."""

    id = fields.String(required=True)
    label = fields.Nested(LocalisedSchema, required=True)
    description = fields.Nested(LocalisedSchema, allow_none=True)


class ScaleSchema(Schema):
    """How a criterion is rated."""

    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["numeric", "levels"]))
    label = fields.Nested(LocalisedSchema, required=True)
    minimum = fields.Float()
    maximum = fields.Float()
    step = fields.Float()
    levels = fields.List(fields.Nested(LevelSchema))


class CriterionSchema(Schema):
    """A quality criterion with its scale and reflection questions."""

    id = fields.String(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    scale = fields.Nested(ScaleSchema, required=True)
    help = fields.Nested(LocalisedSchema, allow_none=True)
    reflection_questions = fields.Dict(
        keys=fields.String(), values=fields.List(fields.Nested(LocalisedSchema))
    )
    minimum_requirements = fields.Nested(LocalisedSchema, allow_none=True)
    aspiration = fields.Nested(LocalisedSchema, allow_none=True)


class TemplateSchema(Schema):
    """A goal or measure from good practice."""

    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["goal", "measure"]))
    title = fields.Nested(LocalisedSchema, required=True)
    description = fields.Nested(LocalisedSchema, allow_none=True)
    attrs = fields.Dict(keys=fields.String(), values=AnyJson())
    indicator = fields.Nested(LocalisedSchema, allow_none=True)
    unit = fields.Nested(LocalisedSchema, allow_none=True)
    baseline = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    resources = fields.Nested(LocalisedSchema, allow_none=True)


class ThemeSummarySchema(Schema):
    """An installed theme module."""

    id = fields.String(required=True)
    version = fields.String(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    description = fields.Nested(LocalisedSchema, required=True)
    quality_dimension = fields.Integer(required=True)


class ThemeSchema(ThemeSummarySchema):
    """An installed theme with its catalogue."""

    criteria = fields.List(fields.Nested(CriterionSchema), required=True)
    templates = fields.List(fields.Nested(TemplateSchema), required=True)
    attrs = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Theme data fields of goals, measures, assessments, feedback."},
    )
    reflection_questions = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Nested(LocalisedSchema)),
        metadata={"description": "Theme-wide questions per phase, asked once for the theme."},
    )
    attrs_schema = fields.Dict(
        keys=fields.String(validate=validate.OneOf(["goal", "measure", "assessment", "feedback"])),
        values=AnyJson(allow_none=True),
        metadata={
            "description": "The JSON Schema (OpenAPI 3.0 dialect) of each item's theme data, "
            "null where the item takes none; labels in both languages as x-labels and "
            "x-choices."
        },
    )
