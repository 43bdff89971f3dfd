"""The events of a running cycle: values, reviews, lessons, feedback, evidence, comments, phases.

Each has an explicit, stable topic: these names are in the stored history and never change.
The aggregate (engine/domain/cycle.py) takes them in as ``Cycle.GoalReviewed`` and so on.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from engine.domain.cycle_state import CycleState
from engine.domain.sealing import SealedAggregate


class IndicatorValueRecorded(SealedAggregate.Event):
    """A measured value of a goal's indicator was recorded."""

    TOPIC = "qualizyklus:Cycle.IndicatorValueRecorded"
    goal_id: str
    value: float
    measured_on: date
    source: str

    def apply(self, cycle: CycleState) -> None:
        """Append the value to the goal's series."""
        cycle.goals[self.goal_id]["values"].append(
            {"value": self.value, "measured_on": self.measured_on, "source": self.source}
        )


class GoalReviewed(SealedAggregate.Event):
    """A goal was judged reached, partly reached or not reached, with evidence."""

    TOPIC = "qualizyklus:Cycle.GoalReviewed"
    FREE_TEXTS = ("evidence",)  # sealed by reference (engine/domain/free_text.py)
    goal_id: str
    verdict: str
    evidence: str

    def apply(self, cycle: CycleState) -> None:
        """Keep the newest judgement."""
        cycle.goals[self.goal_id]["review"] = {
            "verdict": self.verdict,
            "evidence": self.evidence,
        }


class LessonRecorded(SealedAggregate.Event):
    """A lesson learned was recorded."""

    TOPIC = "qualizyklus:Cycle.LessonRecorded"
    FREE_TEXTS = ("text",)  # sealed by reference (engine/domain/free_text.py)
    lesson_id: str
    theme_id: str | None
    text: str

    def apply(self, cycle: CycleState) -> None:
        """Add the lesson."""
        cycle.lessons[self.lesson_id] = {"theme_id": self.theme_id, "text": self.text}


class FeedbackRecorded(SealedAggregate.Event):
    """Feedback was gathered (from parents, practitioners, partners or politics)."""

    TOPIC = "qualizyklus:Cycle.FeedbackRecorded"
    FREE_TEXTS = ("text",)  # sealed by reference (engine/domain/free_text.py)
    feedback_id: str
    source: str
    theme_id: str | None
    text: str
    attrs: dict[str, Any]

    def apply(self, cycle: CycleState) -> None:
        """Add the feedback."""
        cycle.feedback[self.feedback_id] = {
            "source": self.source,
            "theme_id": self.theme_id,
            "text": self.text,
            "attrs": dict(self.attrs),
            "recorded_at": self.timestamp,
        }


class AttachmentAdded(SealedAggregate.Event):
    """An evidence document was attached (its content is stored by hash, outside events)."""

    TOPIC = "qualizyklus:Cycle.AttachmentAdded"
    attachment_id: str
    sha256: str
    filename: str
    media_type: str
    size: int
    subject: str

    def apply(self, cycle: CycleState) -> None:
        """Add the attachment's metadata."""
        cycle.attachments[self.attachment_id] = {
            "sha256": self.sha256,
            "filename": self.filename,
            "media_type": self.media_type,
            "size": self.size,
            "subject": self.subject,
            "added_by": self.actor_id,
            "added_at": self.timestamp,
            "removed": False,
        }


class AttachmentRemoved(SealedAggregate.Event):
    """An attachment was withdrawn (it stays in the history)."""

    TOPIC = "qualizyklus:Cycle.AttachmentRemoved"
    attachment_id: str

    def apply(self, cycle: CycleState) -> None:
        """Mark the attachment removed."""
        cycle.attachments[self.attachment_id]["removed"] = True


class CommentAdded(SealedAggregate.Event):
    """Someone commented on the cycle or one of its items."""

    TOPIC = "qualizyklus:Cycle.CommentAdded"
    FREE_TEXTS = ("text",)  # sealed by reference (engine/domain/free_text.py)
    comment_id: str
    subject: str
    text: str

    def apply(self, cycle: CycleState) -> None:
        """Add the comment."""
        cycle.comments[self.comment_id] = {
            "subject": self.subject,
            "text": self.text,
            "author_id": self.actor_id,
            "written_at": self.timestamp,
        }


class PhaseAdvanced(SealedAggregate.Event):
    """The cycle moved on to its next phase."""

    TOPIC = "qualizyklus:Cycle.PhaseAdvanced"
    from_phase: str
    to_phase: str

    def apply(self, cycle: CycleState) -> None:
        """Change the phase."""
        cycle.phase = self.to_phase


class PhaseReopened(SealedAggregate.Event):
    """The cycle went back to an earlier phase, for a reason."""

    TOPIC = "qualizyklus:Cycle.PhaseReopened"
    from_phase: str
    to_phase: str

    def apply(self, cycle: CycleState) -> None:
        """Change the phase; a reopened closed cycle is no longer closed."""
        cycle.phase = self.to_phase
        cycle.closing = None


class CycleClosed(SealedAggregate.Event):
    """The review ended and the cycle closed with a summary and a follow-up."""

    TOPIC = "qualizyklus:Cycle.CycleClosed"
    FREE_TEXTS = ("summary", "follow_up")  # sealed by reference (engine/domain/free_text.py)
    to_phase: str
    summary: str
    follow_up: str

    def apply(self, cycle: CycleState) -> None:
        """Close the cycle."""
        cycle.phase = self.to_phase
        cycle.closing = {"summary": self.summary, "follow_up": self.follow_up}


class WorkflowMigrated(SealedAggregate.Event):
    """The running cycle moved to a newer version of its workflow definition."""

    TOPIC = "qualizyklus:Cycle.WorkflowMigrated"
    from_version: int
    to_version: int

    def apply(self, cycle: CycleState) -> None:
        """Switch the definition version."""
        cycle.workflow_version = self.to_version
