"""Schemas of what the API answers about organisations and cycles (their state)."""

from __future__ import annotations

from marshmallow import fields, validate

from web.api.schemas.base import AnyJson, NumberOrText, ReasonSchema, Schema


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
    shares_with_state = fields.Boolean(
        metadata={"description": "Whether the Land's state coordination office sees its name."}
    )


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


class ValueCorrectionSchema(Schema):
    """What a corrected value was before, and why it was corrected."""

    value = fields.Float(required=True)
    measured_on = fields.Date(required=True)
    reason = fields.String(required=True)


class ValueWithdrawalSchema(Schema):
    """Why a value was withdrawn."""

    reason = fields.String(required=True)


class IndicatorValueSchema(Schema):
    """A measured value of a goal's indicator; ``position`` names it for a correction."""

    position = fields.Integer(required=True)
    value = fields.Float(required=True)
    measured_on = fields.Date(required=True)
    source = fields.String(required=True)
    corrected = fields.Nested(ValueCorrectionSchema, allow_none=True)
    withdrawn = fields.Nested(ValueWithdrawalSchema, allow_none=True)


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
    need_ids = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "The prioritised needs (findings) the goal answers"},
    )
    values = fields.List(
        fields.Nested(IndicatorValueSchema),
        required=True,
        metadata={"description": "The values that count, corrected ones as corrected"},
    )
    withdrawn_values = fields.List(fields.Nested(IndicatorValueSchema), required=True)
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
    outside_period = fields.Boolean(
        required=True,
        metadata={"description": "Whether start or due date lies outside the cycle's period"},
    )
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
