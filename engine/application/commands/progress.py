"""Commands of implementation and review: statuses, verdicts, lessons, feedback, evidence and
comments (indicator values: engine/application/commands/values.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from engine.application.commands.steps import Change, CycleCommand, Fields
from engine.application.store import Engine
from engine.domain.cycle import Cycle
from engine.domain.errors import Forbidden, InvalidInput
from engine.domain.shapes import (
    ATTACHMENT,
    COMMENT,
    FEEDBACK,
    GOAL_REVIEW,
    LESSON,
    MEASURE_STATUS,
    REASON,
    REASONED,
)

NEEDS_REASON = ("blocked", "dropped")
"""The statuses a measure takes only for a reason."""


def _status(engine: Engine, *, measure_id: str, status: str, reason: str) -> Fields:
    status = MEASURE_STATUS["status"].check(status)
    why = REASON if status in NEEDS_REASON else MEASURE_STATUS["reason"]
    return {"measure_id": measure_id, "status": status, "reason": why.check(reason)}


def _own_measure(change: Change) -> None:
    measure = change.cycle.measures.get(change.fields["measure_id"])
    if (
        measure is not None
        and change.organisation.role_of(change.actor_id) != "coordinator"
        and measure["responsible_member_id"] != change.actor_id
    ):
        raise Forbidden(
            "Sie können nur Maßnahmen fortschreiben, für die Sie verantwortlich sind.",
            "You can only report on measures you are responsible for.",
        )


def _verdict(engine: Engine, *, goal_id: str, verdict: str, evidence: str, reason: str) -> Fields:
    given = {"verdict": verdict, "evidence": evidence, "reason": reason}
    return {"goal_id": goal_id, **GOAL_REVIEW.check(given)}


def _lesson(engine: Engine, *, text: str, theme_id: str | None, lesson_id: str | None) -> Fields:
    fields = LESSON.check({"lesson_id": lesson_id, "text": text}, identity=True)
    fields["theme_id"] = None if theme_id is None else engine._theme(theme_id, "theme_id").id
    return fields


def _feedback(
    engine: Engine,
    *,
    source: str,
    text: str,
    theme_id: str | None,
    attrs: Mapping[str, Any] | None,
    feedback_id: str | None,
) -> Fields:
    theme = None if theme_id is None else engine._theme(theme_id, "theme_id")
    given = {"feedback_id": feedback_id, "source": source, "text": text, "attrs": attrs}
    fields = FEEDBACK.check(given, schema=theme.feedback_schema if theme else None, identity=True)
    fields["theme_id"] = theme.id if theme else None
    return fields


def _evidence(
    engine: Engine,
    *,
    sha256: str,
    filename: str,
    media_type: str,
    size: int,
    subject: str,
    attachment_id: str | None,
) -> Fields:
    given = {"sha256": sha256, "size": size, "filename": filename, "media_type": media_type}
    attachment = {**given, "subject": subject, "attachment_id": attachment_id}
    return ATTACHMENT.check(attachment, identity=True)


def _attachment_to_remove(engine: Engine, *, attachment_id: str, reason: str) -> Fields:
    return {"attachment_id": attachment_id, **REASONED.check({"reason": reason})}


def _comment(engine: Engine, *, text: str, subject: str, comment_id: str | None) -> Fields:
    given = {"comment_id": comment_id, "subject": subject, "text": text}
    return COMMENT.check(given, identity=True)


def _known_subject(change: Change) -> None:
    """Refuse a subject that names no item of the cycle ('cycle' names the cycle itself)."""
    subject, cycle = change.fields["subject"], change.cycle
    if subject == "cycle":
        return
    kind, _, item = subject.partition(":")
    items = {
        "goal": cycle.goals,
        "measure": cycle.measures,
        "finding": cycle.findings,
        "attachment": cycle.attachments,
        "lesson": cycle.lessons,
        "feedback": cycle.feedback,
        "criterion": cycle.assessments,
    }.get(kind)
    if items is None or item not in items:
        raise InvalidInput(
            "subject",
            "Unbekannter Bezug (cycle, goal:ID, measure:ID, finding:ID, lesson:ID).",
            "Unknown subject (cycle, goal:ID, measure:ID, finding:ID, lesson:ID).",
        )


CHANGE_MEASURE_STATUS = CycleCommand(
    "change_measure_status",
    "report-progress",
    _status,
    Cycle.change_measure_status,
    decide=_own_measure,
)
REVIEW_GOAL = CycleCommand("review_goal", "moderate", _verdict, Cycle.review_goal)
RECORD_LESSON = CycleCommand("record_lesson", "moderate", _lesson, Cycle.record_lesson)
RECORD_FEEDBACK = CycleCommand(
    "record_feedback", "report-progress", _feedback, Cycle.record_feedback, item="feedback"
)
ATTACH_EVIDENCE = CycleCommand(
    "attach_evidence", "report-progress", _evidence, Cycle.attach, decide=_known_subject
)
REMOVE_ATTACHMENT = CycleCommand(
    "remove_attachment", "moderate", _attachment_to_remove, Cycle.remove_attachment
)
ADD_COMMENT = CycleCommand(
    "add_comment", "comment", _comment, Cycle.add_comment, decide=_known_subject
)


def change_measure_status(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    measure_id: str,
    status: str,
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Move a measure on; blocking or dropping needs a reason; contributors move their own."""
    return CHANGE_MEASURE_STATUS.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        measure_id=measure_id,
        status=status,
        reason=reason,
    )


def review_goal(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    goal_id: str,
    verdict: str,
    evidence: str,
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Judge a goal: reached, partly or not, with the evidence."""
    return REVIEW_GOAL.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        goal_id=goal_id,
        verdict=verdict,
        evidence=evidence,
        reason=reason,
    )


def record_lesson(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    text: str,
    theme_id: str | None = None,
    lesson_id: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Record a lesson learned."""
    return RECORD_LESSON.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        text=text,
        theme_id=theme_id,
        lesson_id=lesson_id,
    )


def record_feedback(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    source: str,
    text: str,
    theme_id: str | None = None,
    attrs: Mapping[str, Any] | None = None,
    feedback_id: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Record feedback from parents, practitioners, partners or politics."""
    return RECORD_FEEDBACK.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        source=source,
        text=text,
        theme_id=theme_id,
        attrs=attrs,
        feedback_id=feedback_id,
    )


def attach_evidence(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    sha256: str,
    filename: str,
    media_type: str,
    size: int,
    subject: str = "cycle",
    attachment_id: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Record an evidence document whose content the caller has stored under its hash."""
    return ATTACH_EVIDENCE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        sha256=sha256,
        filename=filename,
        media_type=media_type,
        size=size,
        subject=subject,
        attachment_id=attachment_id,
    )


def remove_attachment(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    attachment_id: str,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Withdraw an attachment (a reason is required; the file stays for the history)."""
    return REMOVE_ATTACHMENT.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        attachment_id=attachment_id,
        reason=reason,
    )


def add_comment(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    text: str,
    subject: str = "cycle",
    comment_id: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Comment on the cycle ('cycle') or an item ('goal:ID', 'measure:ID', ...)."""
    return ADD_COMMENT.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        text=text,
        subject=subject,
        comment_id=comment_id,
    )
