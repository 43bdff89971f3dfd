"""Schemas of the assessment summary, the themes' insights, and a plan import's result."""

from __future__ import annotations

from marshmallow import fields

from web.api.schemas.base import AnyJson, Cell, LocalisedSchema, NumberOrText, Schema


class SpreadFields(Schema):
    """Median, range and spread of ratings (positions on the scale); None while hidden."""

    median = fields.Float(allow_none=True, required=True)
    minimum = fields.Float(allow_none=True, required=True)
    maximum = fields.Float(allow_none=True, required=True)
    range = fields.Float(allow_none=True, required=True)
    spread = fields.Float(allow_none=True, required=True)
    hidden = fields.Boolean(
        metadata={
            "description": "True while the caller may not see the group's result yet (blind "
            "first round: a rater sees a criterion's result after rating it)."
        }
    )


class CriterionSummarySchema(SpreadFields):
    """One criterion's ratings, their spread and how much the raters disagree."""

    criterion_id = fields.String(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    scale = fields.String(required=True)
    ratings = fields.Dict(keys=fields.String(), values=NumberOrText(), required=True)
    raters = fields.Integer(required=True)
    median_value = NumberOrText(allow_none=True, required=True)
    distribution = fields.List(
        fields.Integer(),
        allow_none=True,
        metadata={"description": "How many raters chose each level (each step), lowest first."},
    )
    agreement = fields.Float(
        allow_none=True, metadata={"description": "Van der Eijk's agreement A, -1 to 1."}
    )
    disagreement = fields.Float(
        allow_none=True, metadata={"description": "(1 - A) / 2: 0 = one voice, 1 = two camps."}
    )
    dialogue = fields.Boolean(
        required=True,
        metadata={"description": "Among the theme's criteria with the highest disagreement."},
    )


class OverallSchema(SpreadFields):
    """Each rater's mean position over the theme's criteria, and their spread."""

    ratings = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    raters = fields.Integer(required=True)


class ThemeAssessmentSchema(Schema):
    """A theme's assessment summary (raw ratings only, if the theme is not installed)."""

    theme_id = fields.String(required=True)
    installed = fields.Boolean(required=True)
    title = fields.Nested(LocalisedSchema)
    criteria = fields.List(fields.Nested(CriterionSummarySchema))
    rated = fields.Integer()
    most_disagreed = fields.List(
        fields.String(),
        metadata={
            "description": "The criteria to discuss first, highest disagreement first: at most "
            "a fifth of the rated criteria (1 to 5), equal figures alike."
        },
    )
    dialogue = fields.List(
        fields.String(),
        metadata={"description": "The same as most_disagreed (kept for older clients)."},
    )
    overall = fields.Nested(OverallSchema)
    raw_ratings = fields.Dict(keys=fields.String(), values=AnyJson())


class FigureSchema(Schema):
    """A key figure; its key names it in every cycle (compare figures across cycles by it)."""

    key = fields.String(required=True)
    label = fields.Nested(LocalisedSchema, required=True)
    value = Cell(required=True)
    unit = fields.String(required=True)
    note = fields.Nested(LocalisedSchema, allow_none=True)


class SeriesSchema(Schema):
    """A chart's data series."""

    label = fields.Nested(LocalisedSchema, required=True)
    values = fields.List(fields.Float(allow_none=True), required=True)


class ChartSchema(Schema):
    """A bar or line chart."""

    kind = fields.String(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    categories = fields.List(fields.Nested(LocalisedSchema), required=True)
    series = fields.List(fields.Nested(SeriesSchema), required=True)
    description = fields.Nested(LocalisedSchema, allow_none=True)


class TableSchema(Schema):
    """A small table."""

    columns = fields.List(fields.Nested(LocalisedSchema), required=True)
    rows = fields.List(fields.List(Cell()), required=True)


class InsightSchema(Schema):
    """Figures and charts a theme computes from the cycle."""

    theme_id = fields.String(required=True)
    id = fields.String(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    figures = fields.List(fields.Nested(FigureSchema), required=True)
    charts = fields.List(fields.Nested(ChartSchema), required=True)
    tables = fields.List(fields.Nested(TableSchema), required=True)
    text = fields.Nested(LocalisedSchema, allow_none=True)


class NoticeSchema(Schema):
    """A plugin that failed; its contribution is missing."""

    plugin = fields.String(required=True)
    message = fields.Nested(LocalisedSchema, required=True)


class InsightsSchema(Schema):
    """The themes' insights, and a notice per plugin that failed."""

    items = fields.List(fields.Nested(InsightSchema), required=True)
    notices = fields.List(fields.Nested(NoticeSchema), required=True)


class PlanImportResultSchema(Schema):
    """What a plan import wrote."""

    id = fields.String(required=True)
    version = fields.Integer(required=True)
    goals = fields.Integer(required=True)
    measures = fields.Integer(required=True)


class RevealQuerySchema(Schema):
    """Which themes' results the caller chooses to see before rating (the coordination only)."""

    reveal = fields.List(
        fields.String(),
        load_default=list,
        metadata={
            "description": "Theme ids whose whole result a coordinator sees before rating "
            "(ignored for other roles). Without it, while the phase allows ratings, a caller who "
            "may rate sees a criterion's result only after rating it."
        },
    )
