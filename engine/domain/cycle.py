"""The Cycle aggregate: one quality-development cycle of a network, from start to close.

The aggregate keeps its own data consistent (a measure's goal exists, a status change is a
change). Which commands a phase allows and which gates a transition needs is the
workflow's business (engine/domain/workflow.py); who may do what is the service's. Its events
are defined in engine/domain/cycle_events.py and cycle_progress_events.py, its state and
vocabulary in engine/domain/cycle_state.py.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from engine.domain import cycle_events as started
from engine.domain import cycle_progress_events as progress
from engine.domain import cycle_revisions as revisions
from engine.domain import erasure_events, theme_records
from engine.domain import surveys as surveys_module
from engine.domain.cycle_state import (
    FEEDBACK_SOURCES,
    FINDING_KINDS,
    GOAL_VERDICTS,
    MEASURE_STATUSES,
    SETTLED_STATUSES,
    CycleState,
    assessment_key,
)
from engine.domain.errors import InvalidInput, NotFound
from engine.domain.rating_sessions import RatingSessions
from engine.domain.sealing import SealedAggregate, copy_state

__all__ = [
    "FEEDBACK_SOURCES",
    "FINDING_KINDS",
    "GOAL_VERDICTS",
    "MEASURE_STATUSES",
    "SETTLED_STATUSES",
    "Cycle",
    "assessment_key",
]


class Cycle(
    SealedAggregate,
    CycleState,
    revisions.PlanRevisions,
    RatingSessions,
    erasure_events.ErasesTexts,
    surveys_module.CycleSurveys,
    theme_records.ThemeRecords,
):
    """A quality-development cycle: analyse, plan, implement, review, close."""

    TOPIC = "qualizyklus:Cycle"

    # Events (the library makes each a subclass of Cycle.Event; their topics stay as stored)
    CycleStarted = started.CycleStarted
    ThemeAdded = started.ThemeAdded
    ThemeRemoved = started.ThemeRemoved
    AssessmentRecorded = started.AssessmentRecorded
    FindingRecorded = started.FindingRecorded
    FindingWithdrawn = started.FindingWithdrawn
    PrioritiesSet = started.PrioritiesSet
    GoalSet = started.GoalSet
    GoalRevised = started.GoalRevised
    MeasurePlanned = started.MeasurePlanned
    MeasureRevised = started.MeasureRevised
    MeasureStatusChanged = started.MeasureStatusChanged
    IndicatorValueRecorded = progress.IndicatorValueRecorded
    GoalReviewed = progress.GoalReviewed
    LessonRecorded = progress.LessonRecorded
    FeedbackRecorded = progress.FeedbackRecorded
    AttachmentAdded = progress.AttachmentAdded
    AttachmentRemoved = progress.AttachmentRemoved
    CommentAdded = progress.CommentAdded
    PhaseAdvanced = progress.PhaseAdvanced
    PhaseReopened = progress.PhaseReopened
    CycleClosed = progress.CycleClosed
    WorkflowMigrated = progress.WorkflowMigrated
    GoalNeedsNamed = revisions.GoalNeedsNamed
    IndicatorValueCorrected = revisions.IndicatorValueCorrected
    IndicatorValueWithdrawn = revisions.IndicatorValueWithdrawn
    FreeTextErased = erasure_events.CycleTextErased
    RatingSessionOpened = RatingSessions.RatingSessionOpened
    SessionParticipantJoined = RatingSessions.SessionParticipantJoined
    RatingRoundOpened = RatingSessions.RatingRoundOpened
    SessionResultsRevealed = RatingSessions.SessionResultsRevealed
    RatingSessionClosed = RatingSessions.RatingSessionClosed
    ThemeRecordSaved = theme_records.ThemeRecordSaved
    ThemeRecordRemoved = theme_records.ThemeRecordRemoved

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        """As every aggregate's copy for a command, but each rating's entry is shared.

        ``AssessmentRecorded`` replaces a rater's entry whole and nothing changes one in place,
        so copying the two dict levels above the entries is exact; a cycle rated by a room full
        of people (thousands of entries) is copied for every rating, and this keeps that cheap.
        """
        clone = object.__new__(type(self))
        for key, value in vars(self).items():
            if key == "assessments":
                clone.__dict__[key] = {k: dict(ratings) for k, ratings in value.items()}
            else:
                clone.__dict__[key] = copy_state(value)
        return clone

    SurveyCreated = surveys_module.SurveyCreated
    SurveyClosed = surveys_module.SurveyClosed
    SurveyAnswered = surveys_module.SurveyAnswered
    SurveyTextErased = surveys_module.SurveyTextErased

    # Commands ------------------------------------------------------------------------------

    @classmethod
    def start(cls, *, actor_id: str, **fields: Any) -> Cycle:
        """Start a new cycle (fields as in ``CycleStarted``)."""
        return cls._create(cls.CycleStarted, actor_id=actor_id, **fields)

    def add_theme(self, *, actor_id: str, theme_id: str, theme_version: str) -> None:
        """Add a theme the cycle does not have yet."""
        if theme_id in self.themes:
            raise InvalidInput("theme_id", "Das Thema ist schon gewählt.", "Theme already chosen.")
        self.trigger_event(
            self.ThemeAdded, actor_id=actor_id, theme_id=theme_id, theme_version=theme_version
        )

    def remove_theme(self, *, actor_id: str, theme_id: str, reason: str) -> None:
        """Remove one of the cycle's themes."""
        if theme_id not in self.themes:
            raise NotFound(f"Thema {theme_id} gehört nicht zum Zyklus.", f"No theme {theme_id}.")
        if len(self.themes) == 1:
            raise InvalidInput(
                "theme_id",
                "Ein Zyklus braucht mindestens ein Thema.",
                "A cycle needs at least one theme.",
            )
        self.trigger_event(self.ThemeRemoved, actor_id=actor_id, theme_id=theme_id, reason=reason)

    def record_assessment(self, *, actor_id: str, reason: str = "", **fields: Any) -> None:
        """Record one rater's rating of one criterion."""
        self._require_cycle_theme(fields["theme_id"])
        fields.setdefault("session_id", None)
        fields.setdefault("round", None)
        self.trigger_event(self.AssessmentRecorded, actor_id=actor_id, reason=reason, **fields)

    def record_finding(self, *, actor_id: str, **fields: Any) -> None:
        """Record a strength or a need."""
        self._require_new("finding_id", fields["finding_id"], self.findings)
        self._require_cycle_theme(fields["theme_id"])
        self.trigger_event(self.FindingRecorded, actor_id=actor_id, **fields)

    def withdraw_finding(self, *, actor_id: str, finding_id: str, reason: str) -> None:
        """Withdraw a finding."""
        finding = self._require(self.findings, finding_id, "Befund", "finding")
        if finding["withdrawn"]:
            raise InvalidInput("finding_id", "Schon zurückgezogen.", "Already withdrawn.")
        self.trigger_event(
            self.FindingWithdrawn, actor_id=actor_id, finding_id=finding_id, reason=reason
        )

    def set_priorities(self, *, actor_id: str, finding_ids: list[str], reason: str = "") -> None:
        """Choose the needs to work on, most important first."""
        revisions.check_needs(self.findings, finding_ids, "finding_ids")
        self.trigger_event(
            self.PrioritiesSet, actor_id=actor_id, finding_ids=list(finding_ids), reason=reason
        )

    def set_goal(self, *, actor_id: str, need_ids: list[str] | None = None, **fields: Any) -> None:
        """Set a new goal (and name the needs it answers, if any)."""
        self._require_new("goal_id", fields["goal_id"], self.goals)
        self._require_cycle_theme(fields["theme_id"])
        revisions.check_needs(self.findings, list(need_ids or []))
        self.trigger_event(self.GoalSet, actor_id=actor_id, **fields)
        if need_ids:
            self.name_goal_needs(actor_id=actor_id, goal_id=fields["goal_id"], finding_ids=need_ids)

    def revise_goal(
        self, *, actor_id: str, reason: str = "", need_ids: list[str] | None = None, **fields: Any
    ) -> None:
        """Change a goal's editable fields (and its needs, when given)."""
        goal = self._require(self.goals, fields["goal_id"], "Ziel", "goal")
        if fields["theme_id"] != goal["theme_id"]:
            self._require_cycle_theme(fields["theme_id"])
        if need_ids is not None:
            revisions.check_needs(self.findings, need_ids)
        self.trigger_event(self.GoalRevised, actor_id=actor_id, reason=reason, **fields)
        if need_ids is not None:
            self.name_goal_needs(actor_id=actor_id, goal_id=fields["goal_id"], finding_ids=need_ids)

    def plan_measure(self, *, actor_id: str, reason: str = "", **fields: Any) -> None:
        """Plan a new measure."""
        self._require_new("measure_id", fields["measure_id"], self.measures)
        self._require_goal_if_given(fields.get("goal_id"))
        self._require_cycle_theme(fields["theme_id"])
        fields.setdefault("carried_from_cycle", None)
        fields.setdefault("carried_from_measure", None)
        self.trigger_event(self.MeasurePlanned, actor_id=actor_id, reason=reason, **fields)

    def revise_measure(self, *, actor_id: str, reason: str = "", **fields: Any) -> None:
        """Change a measure's editable fields."""
        measure = self._require(self.measures, fields["measure_id"], "Maßnahme", "measure")
        self._require_goal_if_given(fields.get("goal_id"))
        if fields["theme_id"] != measure["theme_id"]:
            self._require_cycle_theme(fields["theme_id"])
        self.trigger_event(self.MeasureRevised, actor_id=actor_id, reason=reason, **fields)

    def change_measure_status(
        self, *, actor_id: str, measure_id: str, status: str, reason: str = ""
    ) -> None:
        """Move a measure to another status."""
        measure = self._require(self.measures, measure_id, "Maßnahme", "measure")
        if status == measure["status"]:
            raise InvalidInput(
                "status", f"Die Maßnahme ist schon „{status}“.", f"Already '{status}'."
            )
        self.trigger_event(
            self.MeasureStatusChanged,
            actor_id=actor_id,
            measure_id=measure_id,
            status=status,
            reason=reason,
        )

    def record_indicator_value(self, *, actor_id: str, **fields: Any) -> None:
        """Record a measured value of a goal's indicator."""
        self._require(self.goals, fields["goal_id"], "Ziel", "goal")
        self.trigger_event(self.IndicatorValueRecorded, actor_id=actor_id, **fields)

    def review_goal(self, *, actor_id: str, reason: str = "", **fields: Any) -> None:
        """Judge a goal (a newer judgement supersedes an older one)."""
        self._require(self.goals, fields["goal_id"], "Ziel", "goal")
        self.trigger_event(self.GoalReviewed, actor_id=actor_id, reason=reason, **fields)

    def record_lesson(self, *, actor_id: str, **fields: Any) -> None:
        """Record a lesson learned."""
        self._require_new("lesson_id", fields["lesson_id"], self.lessons)
        self._require_cycle_theme(fields["theme_id"])
        self.trigger_event(self.LessonRecorded, actor_id=actor_id, **fields)

    def record_feedback(self, *, actor_id: str, **fields: Any) -> None:
        """Record feedback gathered from one group."""
        self._require_new("feedback_id", fields["feedback_id"], self.feedback)
        self._require_cycle_theme(fields["theme_id"])
        self.trigger_event(self.FeedbackRecorded, actor_id=actor_id, **fields)

    def attach(self, *, actor_id: str, **fields: Any) -> None:
        """Record an attached evidence document."""
        self._require_new("attachment_id", fields["attachment_id"], self.attachments)
        self.trigger_event(self.AttachmentAdded, actor_id=actor_id, **fields)

    def remove_attachment(self, *, actor_id: str, attachment_id: str, reason: str) -> None:
        """Withdraw an attachment."""
        attachment = self._require(self.attachments, attachment_id, "Anhang", "attachment")
        if attachment["removed"]:
            raise InvalidInput("attachment_id", "Schon entfernt.", "Already removed.")
        self.trigger_event(
            self.AttachmentRemoved, actor_id=actor_id, attachment_id=attachment_id, reason=reason
        )

    def add_comment(self, *, actor_id: str, **fields: Any) -> None:
        """Comment on the cycle or one of its items."""
        self._require_new("comment_id", fields["comment_id"], self.comments)
        self.trigger_event(self.CommentAdded, actor_id=actor_id, **fields)

    def advance(self, *, actor_id: str, to_phase: str) -> None:
        """Move on to the next phase (the workflow has checked the gates)."""
        self.trigger_event(
            self.PhaseAdvanced, actor_id=actor_id, from_phase=self.phase, to_phase=to_phase
        )

    def reopen(self, *, actor_id: str, to_phase: str, reason: str) -> None:
        """Go back to an earlier phase (the workflow has checked it is allowed)."""
        self.trigger_event(
            self.PhaseReopened,
            actor_id=actor_id,
            from_phase=self.phase,
            to_phase=to_phase,
            reason=reason,
        )

    def close(self, *, actor_id: str, to_phase: str, summary: str, follow_up: str) -> None:
        """Close the cycle (the workflow has checked the gates)."""
        self.trigger_event(
            self.CycleClosed,
            actor_id=actor_id,
            to_phase=to_phase,
            summary=summary,
            follow_up=follow_up,
        )

    def migrate_workflow(self, *, actor_id: str, to_version: int, reason: str) -> None:
        """Move to a newer definition version (the workflow has checked it fits)."""
        self.trigger_event(
            self.WorkflowMigrated,
            actor_id=actor_id,
            from_version=self.workflow_version,
            to_version=to_version,
            reason=reason,
        )

    # Helpers -------------------------------------------------------------------------------

    @staticmethod
    def _require(items: dict[str, Any], item_id: str, de: str, en: str) -> Any:
        try:
            return items[item_id]
        except KeyError:
            raise NotFound(f"{de} {item_id} gibt es nicht.", f"No {en} {item_id}.") from None

    @staticmethod
    def _require_new(field: str, item_id: str, items: dict[str, Any]) -> None:
        if item_id in items:
            raise InvalidInput(field, f"{item_id} ist schon vergeben.", f"{item_id} is taken.")

    def _require_cycle_theme(self, theme_id: str | None) -> None:
        """Items may name no theme, or one of the cycle's themes."""
        if theme_id is not None and theme_id not in self.themes:
            raise InvalidInput(
                "theme_id",
                "Das Thema gehört nicht zu diesem Zyklus.",
                "The theme is not part of this cycle.",
            )

    def _require_goal_if_given(self, goal_id: str | None) -> None:
        if goal_id is not None and goal_id not in self.goals:
            raise InvalidInput("goal_id", f"Ziel {goal_id} gibt es nicht.", f"No goal {goal_id}.")

    # Queries -------------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """The cycle's state as plain data (ids as strings, dates as date objects)."""
        return {
            "id": str(self.id),
            "version": self.version,
            "organisation_id": str(self.organisation_id),
            "title": self.title,
            "themes": list(self.themes),
            "theme_versions": dict(self.theme_versions),
            "workflow_id": self.workflow_id,
            "workflow_version": self.workflow_version,
            "phase": self.phase,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "follows": str(self.follows) if self.follows else None,
            "assessments": _plain(self.assessments),
            "findings": _plain(self.findings),
            "priorities": list(self.priorities),
            "goals": _plain(self.goals),
            "measures": _plain(self.measures),
            "lessons": _plain(self.lessons),
            "feedback": _plain(self.feedback),
            "attachments": _plain(self.attachments),
            "comments": _plain(self.comments),
            "closing": dict(self.closing) if self.closing else None,
            "surveys": surveys_module.plain_surveys(self),
            "records": _plain(theme_records.records_of(self)),
            "created_on": self.created_on,
            "modified_on": self.modified_on,
        }

    def as_state(self) -> dict[str, Any]:
        """The state as queries give it: :meth:`as_dict` with what follows from it (goals'
        needs and counted values, measures flagged when outside the period)."""
        state = self.as_dict()
        return {
            **state,
            "goals": {key: revisions.plain_goal(goal) for key, goal in state["goals"].items()},
            "measures": {
                key: {
                    **measure,
                    "outside_period": revisions.outside_period(
                        measure, self.period_start, self.period_end
                    ),
                }
                for key, measure in state["measures"].items()
            },
        }


def _plain(value: Any) -> Any:
    """A deep copy of nested dicts and lists with UUIDs turned into strings."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, UUID):
        return str(value)
    return value
