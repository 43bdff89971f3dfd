"""The Cycle aggregate: one quality-development cycle of a network, from start to close.

The aggregate keeps its own data consistent (a measure's goal exists, a status change is a
change). Which commands a phase allows and which gates a transition needs is the
workflow's business (engine/domain/workflow.py); who may do what is the service's.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from engine.domain.errors import InvalidInput, NotFound
from engine.domain.sealing import SealedAggregate, SealedCreated

MEASURE_STATUSES = ("planned", "running", "done", "blocked", "dropped", "carried-over")
SETTLED_STATUSES = ("done", "dropped", "carried-over")
FINDING_KINDS = ("strength", "need")
GOAL_VERDICTS = ("reached", "partly", "not")
FEEDBACK_SOURCES = ("parents", "practitioners", "partners", "politics", "other")


def assessment_key(theme_id: str, criterion_id: str) -> str:
    """The key under which a criterion's ratings are kept."""
    return f"{theme_id}/{criterion_id}"


class Cycle(SealedAggregate):
    """A quality-development cycle: analyse, plan, implement, review, close."""

    TOPIC = "qualizyklus:Cycle"

    class CycleStarted(SealedCreated):
        """A coordinator started a cycle (v2: period as two dates, theme versions)."""

        TOPIC = "qualizyklus:Cycle.CycleStarted"
        class_version = 2

        organisation_id: UUID
        title: str
        themes: list[str]
        theme_versions: dict[str, str]
        workflow_id: str
        workflow_version: int
        first_phase: str
        period_start: date
        period_end: date
        follows: UUID | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Version 1 stored the period as a year ("2024") and no theme versions."""
            year = int(state.pop("period"))
            state["period_start"] = date(year, 1, 1)
            state["period_end"] = date(year, 12, 31)
            state["theme_versions"] = {}

        def apply(self, cycle: Cycle) -> None:
            """Initialise the cycle's state."""
            cycle.organisation_id = self.organisation_id
            cycle.title = self.title
            cycle.themes = list(self.themes)
            cycle.theme_versions = dict(self.theme_versions)
            cycle.workflow_id = self.workflow_id
            cycle.workflow_version = self.workflow_version
            cycle.phase = self.first_phase
            cycle.period_start = self.period_start
            cycle.period_end = self.period_end
            cycle.follows = self.follows
            cycle.assessments = {}
            cycle.findings = {}
            cycle.priorities = []
            cycle.goals = {}
            cycle.measures = {}
            cycle.lessons = {}
            cycle.feedback = {}
            cycle.attachments = {}
            cycle.comments = {}
            cycle.closing = None

    class ThemeAdded(SealedAggregate.Event):
        """A theme module was added to the cycle."""

        TOPIC = "qualizyklus:Cycle.ThemeAdded"
        theme_id: str
        theme_version: str

        def apply(self, cycle: Cycle) -> None:
            """Add the theme."""
            cycle.themes.append(self.theme_id)
            cycle.theme_versions[self.theme_id] = self.theme_version

    class ThemeRemoved(SealedAggregate.Event):
        """A theme module was removed from the cycle (its data stays in the history)."""

        TOPIC = "qualizyklus:Cycle.ThemeRemoved"
        theme_id: str

        def apply(self, cycle: Cycle) -> None:
            """Remove the theme."""
            cycle.themes.remove(self.theme_id)

    class AssessmentRecorded(SealedAggregate.Event):
        """A rater rated a criterion; it supersedes that rater's earlier rating."""

        TOPIC = "qualizyklus:Cycle.AssessmentRecorded"
        theme_id: str
        criterion_id: str
        rater_id: str
        value: float | str
        note: str
        attrs: dict[str, Any]

        def apply(self, cycle: Cycle) -> None:
            """Keep the rater's newest rating."""
            ratings = cycle.assessments.setdefault(
                assessment_key(self.theme_id, self.criterion_id), {}
            )
            ratings[self.rater_id] = {
                "value": self.value,
                "note": self.note,
                "attrs": dict(self.attrs),
                "recorded_at": self.timestamp,
                "version": self.originator_version,
            }

    class FindingRecorded(SealedAggregate.Event):
        """A strength or a need (Stärke, Entwicklungsbedarf) was recorded."""

        TOPIC = "qualizyklus:Cycle.FindingRecorded"
        finding_id: str
        kind: str
        theme_id: str | None
        criterion_id: str | None
        text: str

        def apply(self, cycle: Cycle) -> None:
            """Add the finding."""
            cycle.findings[self.finding_id] = {
                "kind": self.kind,
                "theme_id": self.theme_id,
                "criterion_id": self.criterion_id,
                "text": self.text,
                "withdrawn": False,
            }

    class FindingWithdrawn(SealedAggregate.Event):
        """A finding was withdrawn (it stays in the history)."""

        TOPIC = "qualizyklus:Cycle.FindingWithdrawn"
        finding_id: str

        def apply(self, cycle: Cycle) -> None:
            """Mark the finding withdrawn and drop it from the priorities."""
            cycle.findings[self.finding_id]["withdrawn"] = True
            if self.finding_id in cycle.priorities:
                cycle.priorities.remove(self.finding_id)

    class PrioritiesSet(SealedAggregate.Event):
        """The needs to work on were chosen, most important first."""

        TOPIC = "qualizyklus:Cycle.PrioritiesSet"
        finding_ids: list[str]

        def apply(self, cycle: Cycle) -> None:
            """Replace the priorities."""
            cycle.priorities = list(self.finding_ids)

    class GoalSet(SealedAggregate.Event):
        """A goal with its indicator, baseline, target and due date was set."""

        TOPIC = "qualizyklus:Cycle.GoalSet"
        goal_id: str
        theme_id: str | None
        title: str
        indicator: str
        unit: str
        baseline: float | None
        target: float | None
        due: date | None
        attrs: dict[str, Any]

        def apply(self, cycle: Cycle) -> None:
            """Add the goal."""
            cycle.goals[self.goal_id] = {
                **goal_fields(self),
                "values": [],
                "review": None,
            }

    class GoalRevised(SealedAggregate.Event):
        """A goal's wording, indicator, figures or due date were changed."""

        TOPIC = "qualizyklus:Cycle.GoalRevised"
        goal_id: str
        theme_id: str | None
        title: str
        indicator: str
        unit: str
        baseline: float | None
        target: float | None
        due: date | None
        attrs: dict[str, Any]

        def apply(self, cycle: Cycle) -> None:
            """Replace the goal's editable fields."""
            cycle.goals[self.goal_id].update(goal_fields(self))

    class MeasurePlanned(SealedAggregate.Event):
        """A measure (Maßnahme) was planned, possibly carried over from an earlier cycle."""

        TOPIC = "qualizyklus:Cycle.MeasurePlanned"
        measure_id: str
        title: str
        goal_id: str | None
        theme_id: str | None
        responsible_member_id: str | None
        start: date | None
        due: date | None
        resources: str
        attrs: dict[str, Any]
        carried_from_cycle: UUID | None
        carried_from_measure: str | None

        def apply(self, cycle: Cycle) -> None:
            """Add the measure with status 'planned'."""
            cycle.measures[self.measure_id] = {
                **measure_fields(self),
                "status": "planned",
                "carried_from_cycle": self.carried_from_cycle,
                "carried_from_measure": self.carried_from_measure,
            }

    class MeasureRevised(SealedAggregate.Event):
        """A measure's title, goal, owner, dates, resources or attrs were changed."""

        TOPIC = "qualizyklus:Cycle.MeasureRevised"
        measure_id: str
        title: str
        goal_id: str | None
        theme_id: str | None
        responsible_member_id: str | None
        start: date | None
        due: date | None
        resources: str
        attrs: dict[str, Any]

        def apply(self, cycle: Cycle) -> None:
            """Replace the measure's editable fields."""
            cycle.measures[self.measure_id].update(measure_fields(self))

    class MeasureStatusChanged(SealedAggregate.Event):
        """A measure moved to another status."""

        TOPIC = "qualizyklus:Cycle.MeasureStatusChanged"
        measure_id: str
        status: str

        def apply(self, cycle: Cycle) -> None:
            """Set the status."""
            cycle.measures[self.measure_id]["status"] = self.status

    class IndicatorValueRecorded(SealedAggregate.Event):
        """A measured value of a goal's indicator was recorded."""

        TOPIC = "qualizyklus:Cycle.IndicatorValueRecorded"
        goal_id: str
        value: float
        measured_on: date
        source: str

        def apply(self, cycle: Cycle) -> None:
            """Append the value to the goal's series."""
            cycle.goals[self.goal_id]["values"].append(
                {"value": self.value, "measured_on": self.measured_on, "source": self.source}
            )

    class GoalReviewed(SealedAggregate.Event):
        """A goal was judged reached, partly reached or not reached, with evidence."""

        TOPIC = "qualizyklus:Cycle.GoalReviewed"
        goal_id: str
        verdict: str
        evidence: str

        def apply(self, cycle: Cycle) -> None:
            """Keep the newest judgement."""
            cycle.goals[self.goal_id]["review"] = {
                "verdict": self.verdict,
                "evidence": self.evidence,
            }

    class LessonRecorded(SealedAggregate.Event):
        """A lesson learned was recorded."""

        TOPIC = "qualizyklus:Cycle.LessonRecorded"
        lesson_id: str
        theme_id: str | None
        text: str

        def apply(self, cycle: Cycle) -> None:
            """Add the lesson."""
            cycle.lessons[self.lesson_id] = {"theme_id": self.theme_id, "text": self.text}

    class FeedbackRecorded(SealedAggregate.Event):
        """Feedback was gathered (from parents, practitioners, partners or politics)."""

        TOPIC = "qualizyklus:Cycle.FeedbackRecorded"
        feedback_id: str
        source: str
        theme_id: str | None
        text: str
        attrs: dict[str, Any]

        def apply(self, cycle: Cycle) -> None:
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

        def apply(self, cycle: Cycle) -> None:
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

        def apply(self, cycle: Cycle) -> None:
            """Mark the attachment removed."""
            cycle.attachments[self.attachment_id]["removed"] = True

    class CommentAdded(SealedAggregate.Event):
        """Someone commented on the cycle or one of its items."""

        TOPIC = "qualizyklus:Cycle.CommentAdded"
        comment_id: str
        subject: str
        text: str

        def apply(self, cycle: Cycle) -> None:
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

        def apply(self, cycle: Cycle) -> None:
            """Change the phase."""
            cycle.phase = self.to_phase

    class PhaseReopened(SealedAggregate.Event):
        """The cycle went back to an earlier phase, for a reason."""

        TOPIC = "qualizyklus:Cycle.PhaseReopened"
        from_phase: str
        to_phase: str

        def apply(self, cycle: Cycle) -> None:
            """Change the phase; a reopened closed cycle is no longer closed."""
            cycle.phase = self.to_phase
            cycle.closing = None

    class CycleClosed(SealedAggregate.Event):
        """The review ended and the cycle closed with a summary and a follow-up."""

        TOPIC = "qualizyklus:Cycle.CycleClosed"
        to_phase: str
        summary: str
        follow_up: str

        def apply(self, cycle: Cycle) -> None:
            """Close the cycle."""
            cycle.phase = self.to_phase
            cycle.closing = {"summary": self.summary, "follow_up": self.follow_up}

    class WorkflowMigrated(SealedAggregate.Event):
        """The running cycle moved to a newer version of its workflow definition."""

        TOPIC = "qualizyklus:Cycle.WorkflowMigrated"
        from_version: int
        to_version: int

        def apply(self, cycle: Cycle) -> None:
            """Switch the definition version."""
            cycle.workflow_version = self.to_version

    if TYPE_CHECKING:  # state, set by CycleStarted.apply; no class annotations at run time
        # (annotations would make the library turn the aggregate into a dataclass)
        organisation_id: UUID
        title: str
        themes: list[str]
        theme_versions: dict[str, str]
        workflow_id: str
        workflow_version: int
        phase: str
        period_start: date
        period_end: date
        follows: UUID | None
        assessments: dict[str, dict[str, dict[str, Any]]]
        findings: dict[str, dict[str, Any]]
        priorities: list[str]
        goals: dict[str, dict[str, Any]]
        measures: dict[str, dict[str, Any]]
        lessons: dict[str, dict[str, Any]]
        feedback: dict[str, dict[str, Any]]
        attachments: dict[str, dict[str, Any]]
        comments: dict[str, dict[str, Any]]
        closing: dict[str, str] | None

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
        if len(set(finding_ids)) != len(finding_ids):
            raise InvalidInput("finding_ids", "Doppelte Einträge.", "Duplicate entries.")
        for finding_id in finding_ids:
            finding = self.findings.get(finding_id)
            if finding is None or finding["withdrawn"] or finding["kind"] != "need":
                raise InvalidInput(
                    "finding_ids",
                    f"{finding_id} ist kein offener Entwicklungsbedarf.",
                    f"{finding_id} is not an open need.",
                )
        self.trigger_event(
            self.PrioritiesSet, actor_id=actor_id, finding_ids=list(finding_ids), reason=reason
        )

    def set_goal(self, *, actor_id: str, **fields: Any) -> None:
        """Set a new goal."""
        self._require_new("goal_id", fields["goal_id"], self.goals)
        self._require_cycle_theme(fields["theme_id"])
        self.trigger_event(self.GoalSet, actor_id=actor_id, **fields)

    def revise_goal(self, *, actor_id: str, reason: str = "", **fields: Any) -> None:
        """Change a goal's editable fields."""
        goal = self._require(self.goals, fields["goal_id"], "Ziel", "goal")
        if fields["theme_id"] != goal["theme_id"]:
            self._require_cycle_theme(fields["theme_id"])
        self.trigger_event(self.GoalRevised, actor_id=actor_id, reason=reason, **fields)

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
            "created_on": self.created_on,
            "modified_on": self.modified_on,
        }


def goal_fields(event: Any) -> dict[str, Any]:
    """The editable fields of a goal, taken from a GoalSet or GoalRevised event."""
    return {
        "theme_id": event.theme_id,
        "title": event.title,
        "indicator": event.indicator,
        "unit": event.unit,
        "baseline": event.baseline,
        "target": event.target,
        "due": event.due,
        "attrs": dict(event.attrs),
    }


def measure_fields(event: Any) -> dict[str, Any]:
    """The editable fields of a measure, taken from a MeasurePlanned or MeasureRevised event."""
    return {
        "title": event.title,
        "goal_id": event.goal_id,
        "theme_id": event.theme_id,
        "responsible_member_id": event.responsible_member_id,
        "start": event.start,
        "due": event.due,
        "resources": event.resources,
        "attrs": dict(event.attrs),
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
