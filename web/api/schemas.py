"""marshmallow schemas of every request and response of the API (they make the OpenAPI spec).

Requests are checked here for shape (types, required fields, choices); the engine checks
meaning (a goal exists, the phase allows it) and answers in the same error shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import marshmallow as ma
from marshmallow import fields, validate

from engine.domain.cycle import FEEDBACK_SOURCES, FINDING_KINDS, GOAL_VERDICTS, MEASURE_STATUSES
from engine.domain.errors import InvalidInput
from engine.domain.organisation import ROLES
from engine.domain.validation import refuse_unsafe_content

CONTROL_CHARACTERS = (
    "Must not hold NUL, other control characters (tab and line breaks are allowed) "
    "or lone surrogates."
)
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"


def json_value(value: Any) -> Any:
    """Plain JSON for any engine value: dates as ISO strings, UUIDs as strings."""
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


class AnyJson(fields.Raw):
    """Any JSON value (theme data, changed values in the history)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return json_value(value)


class NumberOrText(fields.Field):  # type: ignore[type-arg]
    """A rating: a number on a numeric scale, or a level's id on a scale of levels."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"oneOf": [{"type": "number"}, {"type": "string"}], **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ma.ValidationError("Must be a number or a level's id.")
        if not math.isfinite(value):
            raise ma.ValidationError("Must be a finite number.")
        return value


class Cell(AnyJson):
    """A figure's value or a table cell: a number, a text, or a text in German and English."""

    def __init__(self, **kwargs: Any) -> None:
        localised = {
            "type": "object",
            "properties": {"de": {"type": "string"}, "en": {"type": "string"}},
            "required": ["de", "en"],
        }
        one_of = [{"type": "number"}, {"type": "string"}, localised]
        super().__init__(metadata={"oneOf": one_of, **kwargs.pop("metadata", {})}, **kwargs)


class Text(fields.String):
    """A string field (a shorthand with a maximum length)."""

    def __init__(self, max_length: int = 20_000, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(max=max_length), **kwargs)


def _optional_text(max_length: int = 20_000, **kwargs: Any) -> Text:
    return Text(max_length, load_default="", **kwargs)


def _item_id(description: str) -> fields.String:
    return fields.String(
        validate=validate.Regexp(ID_PATTERN),
        metadata={"description": description + " (made up when left out)"},
    )


class Schema(ma.Schema):
    """Base: unknown fields are refused; the order of fields is kept; no text anywhere in a
    request may hold NUL, another control character (tab and line breaks excepted) or a lone
    surrogate (the engine refuses them too; here they get a field error before it is asked)."""

    class Meta:
        """Refuse unknown fields."""

        unknown = ma.RAISE

    @ma.pre_load
    def refuse_control_characters(self, data: Any, **_: Any) -> Any:
        """A field error naming the (dotted) field whose text holds a forbidden character."""
        try:
            refuse_unsafe_content(dict(data) if isinstance(data, Mapping) else data)
        except InvalidInput as error:
            raise ma.ValidationError({error.field: [CONTROL_CHARACTERS]}) from None
        return data


# Common ------------------------------------------------------------------------------------


class LocalisedSchema(Schema):
    """A text in German and English."""

    de = fields.String(required=True)
    en = fields.String(required=True)


class ReasonSchema(Schema):
    """One reason why a phase change (or a migration) was refused."""

    code = fields.String(required=True)
    de = fields.String(required=True)
    en = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details, the shape of every error."""

    type = fields.String(required=True, metadata={"description": "A URI naming the problem."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "What went wrong (English)."})
    code = fields.String(required=True, metadata={"description": "A stable code."})
    detail_de = fields.String(metadata={"description": "What went wrong (German)."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Invalid input: messages by field (dotted path)."},
    )
    reasons = fields.List(
        fields.Nested(ReasonSchema),
        metadata={"description": "A refused phase change: every condition still unmet."},
    )


class CommandResultSchema(Schema):
    """What a command changed: the aggregate, its new version, and the item it made."""

    id = fields.String(required=True, metadata={"description": "The cycle or organisation."})
    version = fields.Integer(required=True)
    item_id = fields.String(allow_none=True)


class ReasonQuerySchema(Schema):
    """A required reason, in the query of a DELETE."""

    reason = Text(2_000, required=True)


# Themes ------------------------------------------------------------------------------------


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


# Organisations -----------------------------------------------------------------------------


class OrganisationSchema(Schema):
    """An organisation as its member sees it (members only for coordinators)."""

    id = fields.String(required=True)
    version = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    land = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "The caller's role."})
    themes = fields.List(fields.String(), allow_none=True, required=True)
    cycles = fields.List(fields.String(), required=True)
    members = fields.Dict(keys=fields.String(), values=fields.String())


class OrganisationStateSchema(Schema):
    """An organisation's state at a version."""

    id = fields.String(required=True)
    version = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    land = fields.String(required=True)
    members = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    cycles = fields.List(fields.String(), required=True)
    themes = fields.List(fields.String(), allow_none=True, required=True)


class MemberSchema(Schema):
    """A member with their role (a person, or an API token acting as a member)."""

    member_id = fields.String(required=True)
    role = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["person", "token"]))
    display_name = fields.String(required=True)


class GrantRoleSchema(Schema):
    """Give a person a role (replacing any earlier one)."""

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    reason = _optional_text(2_000)


class RevokeQuerySchema(Schema):
    """Why a membership ends (optional)."""

    reason = _optional_text(2_000)


# Cycles ------------------------------------------------------------------------------------


class CycleSummarySchema(Schema):
    """A cycle in a list."""

    id = fields.String(required=True)
    title = fields.String(required=True)
    phase = fields.String(required=True)
    themes = fields.List(fields.String(), required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    version = fields.Integer(required=True)
    follows = fields.String(allow_none=True, required=True)


class StartCycleSchema(Schema):
    """Start a cycle (If-Match: the organisation's version)."""

    title = Text(300, required=True)
    themes = fields.List(fields.String(), required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    workflow_id = fields.String(load_default="standard", validate=validate.Length(max=100))
    workflow_version = fields.Integer(load_default=None, allow_none=True)
    follows = fields.UUID(load_default=None, allow_none=True)


class RatingSchema(Schema):
    """A rater's newest rating of a criterion."""

    value = NumberOrText(required=True)
    note = fields.String(required=True)
    attrs = fields.Dict(keys=fields.String(), values=AnyJson())
    recorded_at = fields.DateTime(required=True)
    version = fields.Integer(required=True)


class FindingSchema(Schema):
    """A strength or a need."""

    kind = fields.String(required=True)
    theme_id = fields.String(allow_none=True)
    criterion_id = fields.String(allow_none=True)
    text = fields.String(required=True)
    withdrawn = fields.Boolean(required=True)


class IndicatorValueSchema(Schema):
    """A measured value of a goal's indicator."""

    value = fields.Float(required=True)
    measured_on = fields.Date(required=True)
    source = fields.String(required=True)


class GoalReviewSchema(Schema):
    """The judgement of a goal."""

    verdict = fields.String(required=True)
    evidence = fields.String(required=True)


class GoalSchema(Schema):
    """A goal with its indicator, figures, values and review."""

    theme_id = fields.String(allow_none=True)
    title = fields.String(required=True)
    indicator = fields.String(required=True)
    unit = fields.String(required=True)
    baseline = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)
    due = fields.Date(allow_none=True)
    attrs = fields.Dict(keys=fields.String(), values=AnyJson())
    values = fields.List(fields.Nested(IndicatorValueSchema), required=True)
    review = fields.Nested(GoalReviewSchema, allow_none=True)


class GoalItemSchema(GoalSchema):
    """A goal in a list, with its id."""

    id = fields.String(required=True)


class MeasureSchema(Schema):
    """A measure with its owner, dates and status."""

    title = fields.String(required=True)
    goal_id = fields.String(allow_none=True)
    theme_id = fields.String(allow_none=True)
    responsible_member_id = fields.String(allow_none=True)
    start = fields.Date(allow_none=True)
    due = fields.Date(allow_none=True)
    resources = fields.String(required=True)
    attrs = fields.Dict(keys=fields.String(), values=AnyJson())
    status = fields.String(required=True)
    carried_from_cycle = fields.String(allow_none=True)
    carried_from_measure = fields.String(allow_none=True)


class MeasureItemSchema(MeasureSchema):
    """A measure in a list, with its id."""

    id = fields.String(required=True)


class LessonSchema(Schema):
    """A lesson learned."""

    theme_id = fields.String(allow_none=True)
    text = fields.String(required=True)


class FeedbackSchema(Schema):
    """Feedback gathered."""

    source = fields.String(required=True)
    theme_id = fields.String(allow_none=True)
    text = fields.String(required=True)
    attrs = fields.Dict(keys=fields.String(), values=AnyJson())
    recorded_at = fields.DateTime(required=True)


class AttachmentSchema(Schema):
    """An evidence document's metadata (the content is stored by hash)."""

    sha256 = fields.String(required=True)
    filename = fields.String(required=True)
    media_type = fields.String(required=True)
    size = fields.Integer(required=True)
    subject = fields.String(required=True)
    added_by = fields.String(required=True)
    added_at = fields.DateTime(required=True)
    removed = fields.Boolean(required=True)


class CommentSchema(Schema):
    """A comment on the cycle or one of its items."""

    subject = fields.String(required=True)
    text = fields.String(required=True)
    author_id = fields.String(required=True)
    written_at = fields.DateTime(required=True)


class CommentItemSchema(CommentSchema):
    """A comment in a list, with its id."""

    id = fields.String(required=True)


class ClosingSchema(Schema):
    """How the cycle closed."""

    summary = fields.String(required=True)
    follow_up = fields.String(required=True)


def _items(schema: type[Schema]) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Nested(schema), required=True)


class CycleSchema(Schema):
    """A cycle's whole state."""

    id = fields.String(required=True)
    version = fields.Integer(required=True)
    organisation_id = fields.String(required=True)
    title = fields.String(required=True)
    themes = fields.List(fields.String(), required=True)
    theme_versions = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    workflow_id = fields.String(required=True)
    workflow_version = fields.Integer(required=True)
    phase = fields.String(required=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    follows = fields.String(allow_none=True, required=True)
    assessments = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.Nested(RatingSchema)),
        required=True,
        metadata={"description": "Ratings by 'theme/criterion', then by rater."},
    )
    findings = _items(FindingSchema)
    priorities = fields.List(fields.String(), required=True)
    goals = _items(GoalSchema)
    measures = _items(MeasureSchema)
    lessons = _items(LessonSchema)
    feedback = _items(FeedbackSchema)
    attachments = _items(AttachmentSchema)
    comments = _items(CommentSchema)
    closing = fields.Nested(ClosingSchema, allow_none=True, required=True)
    created_on = fields.DateTime(required=True)
    modified_on = fields.DateTime(required=True)
    uninstalled_themes = fields.List(fields.String())


class NextStepSchema(Schema):
    """The phase a cycle can move on to, and what still stands in the way."""

    phase = fields.String(required=True)
    next = fields.String(allow_none=True, required=True)
    closes = fields.Boolean(required=True)
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)


# Commands ----------------------------------------------------------------------------------


class AddThemeSchema(Schema):
    """Add an installed theme to the cycle."""

    theme_id = fields.String(required=True, validate=validate.Length(max=100))


class AssessmentSchema(Schema):
    """Rate a criterion (coordinators may rate for another member with rater_id)."""

    theme_id = fields.String(required=True, validate=validate.Length(max=100))
    criterion_id = fields.String(required=True, validate=validate.Length(max=100))
    value = NumberOrText(required=True)
    rater_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    note = _optional_text()
    attrs = fields.Dict(keys=fields.String(), values=AnyJson(), load_default=None, allow_none=True)


class FindingInputSchema(Schema):
    """Record a strength or a need."""

    kind = fields.String(required=True, validate=validate.OneOf(FINDING_KINDS))
    text = Text(required=True)
    theme_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    criterion_id = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=100)
    )
    finding_id = _item_id("The finding's id")


class ReasonBodySchema(Schema):
    """A required reason."""

    reason = Text(2_000, required=True)


class PrioritiesSchema(Schema):
    """The needs to work on, most important first."""

    finding_ids = fields.List(fields.String(validate=validate.Length(max=64)), required=True)
    reason = _optional_text(2_000)


class _GoalFields(Schema):
    title = Text(300, required=True)
    indicator = _optional_text(1_000)
    unit = _optional_text(50)
    baseline = fields.Float(load_default=None, allow_none=True)
    target = fields.Float(load_default=None, allow_none=True)
    due = fields.Date(load_default=None, allow_none=True)
    theme_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    attrs = fields.Dict(keys=fields.String(), values=AnyJson(), load_default=None, allow_none=True)


class GoalInputSchema(_GoalFields):
    """Set a goal."""

    goal_id = _item_id("The goal's id")


class GoalRevisionSchema(_GoalFields):
    """Replace a goal's editable fields (all of them)."""

    reason = _optional_text(2_000)


class _MeasureFields(Schema):
    title = Text(300, required=True)
    goal_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    theme_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    responsible_member_id = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=100)
    )
    start = fields.Date(load_default=None, allow_none=True)
    due = fields.Date(load_default=None, allow_none=True)
    resources = _optional_text(2_000)
    attrs = fields.Dict(keys=fields.String(), values=AnyJson(), load_default=None, allow_none=True)


class MeasureInputSchema(_MeasureFields):
    """Plan a measure."""

    measure_id = _item_id("The measure's id")


class MeasureRevisionSchema(_MeasureFields):
    """Replace a measure's editable fields (all of them)."""

    reason = _optional_text(2_000)


class StatusSchema(Schema):
    """Move a measure on (blocked and dropped need a reason)."""

    status = fields.String(required=True, validate=validate.OneOf(MEASURE_STATUSES))
    reason = _optional_text(2_000)


class IndicatorValueInputSchema(Schema):
    """Record a measured value of the goal's indicator."""

    value = fields.Float(required=True)
    measured_on = fields.Date(required=True)
    source = _optional_text(1_000)


class ReviewInputSchema(Schema):
    """Judge a goal."""

    verdict = fields.String(required=True, validate=validate.OneOf(GOAL_VERDICTS))
    evidence = Text(required=True)
    reason = _optional_text(2_000)


class LessonInputSchema(Schema):
    """Record a lesson learned."""

    text = Text(required=True)
    theme_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    lesson_id = _item_id("The lesson's id")


class FeedbackInputSchema(Schema):
    """Record feedback."""

    source = fields.String(required=True, validate=validate.OneOf(FEEDBACK_SOURCES))
    text = Text(required=True)
    theme_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    attrs = fields.Dict(keys=fields.String(), values=AnyJson(), load_default=None, allow_none=True)
    feedback_id = _item_id("The feedback's id")


class CommentInputSchema(Schema):
    """Comment on the cycle ('cycle') or an item ('goal:ID', 'measure:ID', ...)."""

    text = Text(required=True)
    subject = fields.String(load_default="cycle", validate=validate.Length(max=200))
    comment_id = _item_id("The comment's id")


class AttachmentInputSchema(Schema):
    """Attach content the cycle's organisation uploaded, by its SHA-256 (type and size are the
    content's; when given they must match it)."""

    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    filename = Text(255, required=True)
    media_type = Text(255, load_default=None)
    size = fields.Integer(load_default=None, strict=True, validate=validate.Range(min=1))
    subject = fields.String(load_default="cycle", validate=validate.Length(max=200))
    attachment_id = _item_id("The attachment's id")


class CloseSchema(Schema):
    """Close the cycle after its review."""

    summary = Text(required=True)
    follow_up = _optional_text()


class ReopenSchema(Schema):
    """Go back to an earlier phase, for a reason."""

    to_phase = fields.String(required=True, validate=validate.Length(max=100))
    reason = Text(2_000, required=True)


class MigrationSchema(Schema):
    """Move the cycle to a newer version of its workflow."""

    to_version = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    reason = Text(2_000, required=True)


# Audit -------------------------------------------------------------------------------------


class ChangeSchema(Schema):
    """One changed value: its path, before and after."""

    path = fields.String(required=True)
    before = AnyJson(allow_none=True)
    after = AnyJson(allow_none=True)


class HistoryEntrySchema(Schema):
    """Who did what, when and why, and what it changed."""

    version = fields.Integer(required=True)
    timestamp = fields.DateTime(required=True)
    actor_id = fields.String(required=True)
    event = fields.String(required=True)
    reason = fields.String(required=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class StateQuerySchema(Schema):
    """Which state: at a version, or as it stood at a time (a date means its end)."""

    version = fields.Integer(validate=validate.Range(min=1, max=10**12))
    at = fields.String(
        validate=validate.Length(max=40),
        metadata={"description": "ISO date or date-time (Europe/Berlin unless it says)."},
    )


class DiffQuerySchema(Schema):
    """Two versions to compare."""

    from_version = fields.Integer(
        required=True, data_key="from", validate=validate.Range(min=1, max=10**12)
    )
    to_version = fields.Integer(
        required=True, data_key="to", validate=validate.Range(min=1, max=10**12)
    )


class DiffSchema(Schema):
    """What differs between two versions."""

    from_version = fields.Integer(required=True, data_key="from")
    to_version = fields.Integer(required=True, data_key="to")
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


# Assessment summary and insights -----------------------------------------------------------


class SpreadFields(Schema):
    """Median, range and spread of ratings (positions on the scale)."""

    median = fields.Float(allow_none=True, required=True)
    minimum = fields.Float(allow_none=True, required=True)
    maximum = fields.Float(allow_none=True, required=True)
    range = fields.Float(allow_none=True, required=True)
    spread = fields.Float(required=True)
    dialogue = fields.Boolean(required=True)


class CriterionSummarySchema(SpreadFields):
    """One criterion's ratings and their spread."""

    criterion_id = fields.String(required=True)
    title = fields.Nested(LocalisedSchema, required=True)
    scale = fields.String(required=True)
    ratings = fields.Dict(keys=fields.String(), values=NumberOrText(), required=True)
    raters = fields.Integer(required=True)
    median_value = NumberOrText(allow_none=True, required=True)


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
    dialogue = fields.List(fields.String())
    overall = fields.Nested(OverallSchema)
    raw_ratings = fields.Dict(keys=fields.String(), values=AnyJson())


class FigureSchema(Schema):
    """A key figure."""

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


# Exports -----------------------------------------------------------------------------------


class PlanImportResultSchema(Schema):
    """What a plan import wrote."""

    id = fields.String(required=True)
    version = fields.Integer(required=True)
    goals = fields.Integer(required=True)
    measures = fields.Integer(required=True)
