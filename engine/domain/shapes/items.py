"""The shape of every item a command takes: a cycle's start, ratings, findings, goals, measures,
indicator values, reviews, lessons, feedback, comments, attachments, the closing, and the reasons
that go with changes of meaning. The API's schemas and the web forms are derived from these."""

from __future__ import annotations

from typing import Any

from engine.domain.cycle import FEEDBACK_SOURCES, FINDING_KINDS, GOAL_VERDICTS, MEASURE_STATUSES
from engine.domain.limits import (
    MAX_DESCRIPTION,
    MAX_FILENAME,
    MAX_ITEM_ID,
    MAX_KEY,
    MAX_REASON,
    MAX_SUBJECT,
    MAX_TEXT,
    MAX_TITLE,
    MAX_UNIT,
)
from engine.domain.organisation import ROLES
from engine.domain.shapes.spec import MISSING, FieldShape, Shape


def text(
    name: str, limit: int = MAX_TEXT, *, required: bool = False, default: Any = MISSING
) -> FieldShape:
    """A text field (a long text unless a limit is given)."""
    return FieldShape(name, "text", required=required, limit=limit, default=default)


def ref(name: str, limit: int = MAX_KEY, *, required: bool = False) -> FieldShape:
    """The key of something the application resolves (a theme, a criterion, a goal, a phase)."""
    return FieldShape(name, "ref", required=required, limit=limit)


def item_id(name: str, whose: str) -> FieldShape:
    """An item's own id (made up when left out)."""
    return FieldShape(name, "item_id", limit=MAX_ITEM_ID, description=f"The {whose}'s id")


def choice(name: str, choices: tuple[str, ...]) -> FieldShape:
    """A required choice of one of ``choices``."""
    return FieldShape(name, "choice", required=True, choices=choices)


REASON = text("reason", MAX_REASON, required=True)
"""A required reason (Begründung) of a command that changes meaning."""
OPTIONAL_REASON = text("reason", MAX_REASON)
"""A reason that may be left out."""
TITLE = text("title", MAX_TITLE, required=True)
"""The title of a cycle, a goal or a measure."""
THEME = ref("theme_id")
"""The theme an item belongs to (optional)."""
ATTRS = FieldShape("attrs", "attrs")
"""Theme data, checked by the theme's schema."""
SUBJECT = text("subject", MAX_SUBJECT, required=True, default="cycle")
"""What a comment or an attachment is about: 'cycle', 'goal:ID', 'measure:ID', ..."""

START_CYCLE = Shape(
    "cycle",
    (
        TITLE,
        FieldShape("themes", "keys", required=True),
        FieldShape("period_start", "date", required=True),
        FieldShape("period_end", "date", required=True),
    ),
    date_pairs=(("period_start", "period_end"),),
)
"""A cycle as it starts (its workflow and predecessor are the application's to resolve)."""

THEME_CHOICE = Shape("theme", (ref("theme_id", required=True),))
"""A theme added to a cycle."""

ASSESSMENT = Shape(
    "assessment",
    (
        ref("theme_id", required=True),
        ref("criterion_id", required=True),
        FieldShape("value", "rating", required=True),
        ref("rater_id"),
        text("note"),
        ATTRS,
    ),
)
"""A rating of a criterion (its value is checked against the criterion's scale)."""

FINDING = Shape(
    "finding",
    (choice("kind", FINDING_KINDS), text("text", required=True), THEME, ref("criterion_id")),
    identity=item_id("finding_id", "finding"),
)
"""A strength or a need."""

PRIORITIES = Shape(
    "priorities",
    (FieldShape("finding_ids", "keys", required=True, limit=MAX_ITEM_ID), OPTIONAL_REASON),
)
"""The needs to work on, most important first."""

GOAL = Shape(
    "goal",
    (
        THEME,
        TITLE,
        text("indicator", MAX_DESCRIPTION),
        text("unit", MAX_UNIT),
        FieldShape("baseline", "number"),
        FieldShape("target", "number"),
        FieldShape("due", "date"),
        ATTRS,
        FieldShape(
            "need_ids",
            "keys",
            limit=MAX_ITEM_ID,
            description="The prioritised needs (findings of kind 'need') the goal answers",
        ),
    ),
    identity=item_id("goal_id", "goal"),
)
"""A goal with its indicator and figures."""

GOAL_REVISION = GOAL.extended("goal revision", OPTIONAL_REASON)
"""A goal's editable fields replaced, with an optional reason."""

MEASURE = Shape(
    "measure",
    (
        FieldShape("start", "date"),
        FieldShape("due", "date"),
        TITLE,
        ref("goal_id", MAX_ITEM_ID),
        THEME,
        FieldShape("responsible_member_id", "member", limit=MAX_KEY),
        text("resources", MAX_REASON),
        ATTRS,
    ),
    identity=item_id("measure_id", "measure"),
    date_pairs=(("start", "due"),),
)
"""A measure with its owner, dates and resources."""

MEASURE_REVISION = MEASURE.extended("measure revision", OPTIONAL_REASON)
"""A measure's editable fields replaced, with an optional reason."""

MEASURE_STATUS = Shape("status", (choice("status", MEASURE_STATUSES), OPTIONAL_REASON))
"""A measure's new status (blocked and dropped need a :data:`REASON`)."""

INDICATOR_VALUE = Shape(
    "indicator value",
    (
        FieldShape("value", "number", required=True),
        FieldShape("measured_on", "date", required=True),
        text("source", MAX_DESCRIPTION),
    ),
)
"""A measured value of a goal's indicator."""

INDICATOR_CORRECTION = INDICATOR_VALUE.extended("indicator correction", REASON)
"""A recorded indicator value corrected: figure, day and source, with a required reason."""

GOAL_REVIEW = Shape(
    "goal review",
    (choice("verdict", GOAL_VERDICTS), text("evidence", required=True), OPTIONAL_REASON),
)
"""The judgement of a goal, with its evidence."""

LESSON = Shape(
    "lesson", (text("text", required=True), THEME), identity=item_id("lesson_id", "lesson")
)
"""A lesson learned."""

FEEDBACK = Shape(
    "feedback",
    (choice("source", FEEDBACK_SOURCES), THEME, text("text", required=True), ATTRS),
    identity=item_id("feedback_id", "feedback"),
)
"""Feedback from parents, practitioners, partners or politics."""

COMMENT = Shape(
    "comment", (SUBJECT, text("text", required=True)), identity=item_id("comment_id", "comment")
)
"""A comment on the cycle or one of its items."""

ATTACHMENT = Shape(
    "attachment",
    (
        FieldShape("sha256", "sha256", required=True),
        FieldShape("size", "size", required=True),
        text("filename", MAX_FILENAME, required=True),
        text("media_type", MAX_FILENAME, required=True),
        SUBJECT,
    ),
    identity=item_id("attachment_id", "attachment"),
    identity_after="size",
)
"""An evidence document's metadata (its content is stored by hash; its hash and size are
checked before its id)."""

CLOSING = Shape("closing", (text("summary", required=True), text("follow_up")))
"""How a cycle closes: a summary and what follows."""

REOPENING = Shape("reopening", (ref("to_phase", required=True), REASON))
"""A step back to an earlier phase, for a reason."""

MIGRATION = Shape("migration", (FieldShape("to_version", "version", required=True), REASON))
"""A move to a newer version of the cycle's workflow, for a reason."""

REASONED = Shape("reasoned", (REASON,))
"""A change that needs nothing but a reason (withdrawing, removing)."""

ROLE_GRANT = Shape("role grant", (choice("role", ROLES), OPTIONAL_REASON))
"""A role given to a person, with an optional reason."""

REVOCATION = Shape("revocation", (OPTIONAL_REASON,))
"""A membership ended, with an optional reason."""
