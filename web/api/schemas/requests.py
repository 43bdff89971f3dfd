"""Schemas of the API's commands, built from the engine's item shapes.

Requests are checked here for shape (types, required fields, limits, choices); the engine checks
meaning (a goal exists, the phase allows it) and answers in the same error shape.
"""

from __future__ import annotations

from marshmallow import fields, validate

from engine.domain import shapes
from web.api.schemas.base import Schema
from web.api.schemas.shaped import api_field, request_schema

ReasonQuerySchema = request_schema(
    "ReasonQuerySchema", shapes.REASONED, "A required reason, in the query of a DELETE."
)

ReasonBodySchema = request_schema("ReasonBodySchema", shapes.REASONED, "A required reason.")

GrantRoleSchema = request_schema(
    "GrantRoleSchema", shapes.ROLE_GRANT, "Give a person a role (replacing any earlier one)."
)

RevokeQuerySchema = request_schema(
    "RevokeQuerySchema", shapes.REVOCATION, "Why a membership ends (optional)."
)

StartCycleSchema = request_schema(
    "StartCycleSchema",
    shapes.START_CYCLE,
    "Start a cycle (If-Match: the organisation's version).",
    workflow_id=fields.String(
        load_default="standard", validate=validate.Length(max=shapes.MAX_KEY)
    ),
    workflow_version=fields.Integer(load_default=None, allow_none=True),
    follows=fields.UUID(load_default=None, allow_none=True),
)

AddThemeSchema = request_schema(
    "AddThemeSchema", shapes.THEME_CHOICE, "Add an installed theme to the cycle."
)

AssessmentSchema = request_schema(
    "AssessmentSchema",
    shapes.ASSESSMENT,
    "Rate a criterion (coordinators may rate for another member with rater_id).",
    theme_data="assessment",
)

FindingInputSchema = request_schema(
    "FindingInputSchema", shapes.FINDING, "Record a strength or a need.", identity=True
)

PrioritiesSchema = request_schema(
    "PrioritiesSchema", shapes.PRIORITIES, "The needs to work on, most important first."
)

GoalInputSchema = request_schema(
    "GoalInputSchema", shapes.GOAL, "Set a goal.", identity=True, theme_data="goal"
)

GoalRevisionSchema = request_schema(
    "GoalRevisionSchema",
    shapes.GOAL_REVISION,
    "Replace a goal's editable fields (all of them).",
    theme_data="goal",
)

MeasureInputSchema = request_schema(
    "MeasureInputSchema", shapes.MEASURE, "Plan a measure.", identity=True, theme_data="measure"
)

MeasureRevisionSchema = request_schema(
    "MeasureRevisionSchema",
    shapes.MEASURE_REVISION,
    "Replace a measure's editable fields (all of them).",
    theme_data="measure",
)

StatusSchema = request_schema(
    "StatusSchema", shapes.MEASURE_STATUS, "Move a measure on (blocked and dropped need a reason)."
)

IndicatorValueInputSchema = request_schema(
    "IndicatorValueInputSchema",
    shapes.INDICATOR_VALUE,
    "Record a measured value of the goal's indicator. A day that has a value already answers "
    "409 (code value-exists) unless replace is true: then that day's value is corrected.",
    replace=fields.Boolean(
        load_default=False,
        metadata={"description": "Confirm that a value of the same day is to be replaced"},
    ),
    reason=api_field(shapes.OPTIONAL_REASON),
)

IndicatorCorrectionSchema = request_schema(
    "IndicatorCorrectionSchema",
    shapes.INDICATOR_CORRECTION,
    "Correct a recorded value (figure, day, source), with a reason; the value recorded first "
    "stays in the history.",
)

ReviewInputSchema = request_schema("ReviewInputSchema", shapes.GOAL_REVIEW, "Judge a goal.")

LessonInputSchema = request_schema(
    "LessonInputSchema", shapes.LESSON, "Record a lesson learned.", identity=True
)

FeedbackInputSchema = request_schema(
    "FeedbackInputSchema", shapes.FEEDBACK, "Record feedback.", identity=True, theme_data="feedback"
)

CommentInputSchema = request_schema(
    "CommentInputSchema",
    shapes.COMMENT,
    "Comment on the cycle ('cycle') or an item ('goal:ID', 'measure:ID', ...).",
    identity=True,
)

AttachmentInputSchema = request_schema(
    "AttachmentInputSchema",
    shapes.ATTACHMENT,
    "Attach content the cycle's organisation uploaded, by its SHA-256 (type and size are the "
    "content's; when given they must match it).",
    identity=True,
    media_type=api_field(shapes.ATTACHMENT["media_type"], load_default=None),
    size=api_field(shapes.ATTACHMENT["size"], load_default=None),
)


class UploadQuerySchema(Schema):
    """An evidence file's name, what it is evidence of, and its id (made up when left out)."""

    filename = api_field(shapes.ATTACHMENT["filename"])
    subject = api_field(shapes.ATTACHMENT["subject"])
    attachment_id = api_field(shapes.ATTACHMENT["attachment_id"])


CloseSchema = request_schema("CloseSchema", shapes.CLOSING, "Close the cycle after its review.")

ReopenSchema = request_schema(
    "ReopenSchema", shapes.REOPENING, "Go back to an earlier phase, for a reason."
)

MigrationSchema = request_schema(
    "MigrationSchema", shapes.MIGRATION, "Move the cycle to a newer version of its workflow."
)


class ErasureSchema(Schema):
    """Confirm the erasure of a person's personal data (DSGVO Art. 17)."""

    confirm = fields.Boolean(
        required=True,
        validate=validate.Equal(True),
        metadata={"description": "Must be true: name, address and sign-in data go for good."},
    )
