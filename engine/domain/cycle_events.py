"""The events of a cycle's start, themes, analysis and plan (the rest: cycle_progress_events.py).

Each has an explicit, stable topic: these names are in the stored history and never change.
The aggregate (engine/domain/cycle.py) takes them in as ``Cycle.CycleStarted`` and so on.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from engine.domain.cycle_state import CycleState, assessment_key, goal_fields, measure_fields
from engine.domain.rating_sessions import record_session_rating
from engine.domain.sealing import SealedAggregate, SealedCreated


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

    def apply(self, cycle: CycleState) -> None:
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

    def apply(self, cycle: CycleState) -> None:
        """Add the theme."""
        cycle.themes.append(self.theme_id)
        cycle.theme_versions[self.theme_id] = self.theme_version


class ThemeRemoved(SealedAggregate.Event):
    """A theme module was removed from the cycle (its data stays in the history)."""

    TOPIC = "qualizyklus:Cycle.ThemeRemoved"
    theme_id: str

    def apply(self, cycle: CycleState) -> None:
        """Remove the theme."""
        cycle.themes.remove(self.theme_id)


class AssessmentRecorded(SealedAggregate.Event):
    """A rater rated a criterion; it supersedes that rater's earlier rating.

    v2: ``session_id`` and ``round`` name the rating session (engine/domain/rating_sessions.py)
    a rating was given in (both None outside a session).
    """

    TOPIC = "qualizyklus:Cycle.AssessmentRecorded"
    class_version = 2
    FREE_TEXTS = ("note",)  # sealed by reference (engine/domain/free_text.py)

    theme_id: str
    criterion_id: str
    rater_id: str
    value: float | str
    note: str
    attrs: dict[str, Any]
    session_id: str | None
    round: int | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Version 1 knew no rating sessions."""
        state["session_id"] = None
        state["round"] = None

    def apply(self, cycle: CycleState) -> None:
        """Keep the rater's newest rating (and, in a session, the rating of its round)."""
        if self.session_id is not None:
            record_session_rating(cycle, self)
        ratings = cycle.assessments.setdefault(assessment_key(self.theme_id, self.criterion_id), {})
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
    FREE_TEXTS = ("text",)  # sealed by reference (engine/domain/free_text.py)
    finding_id: str
    kind: str
    theme_id: str | None
    criterion_id: str | None
    text: str

    def apply(self, cycle: CycleState) -> None:
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

    def apply(self, cycle: CycleState) -> None:
        """Mark the finding withdrawn and drop it from the priorities."""
        cycle.findings[self.finding_id]["withdrawn"] = True
        if self.finding_id in cycle.priorities:
            cycle.priorities.remove(self.finding_id)


class PrioritiesSet(SealedAggregate.Event):
    """The needs to work on were chosen, most important first."""

    TOPIC = "qualizyklus:Cycle.PrioritiesSet"
    finding_ids: list[str]

    def apply(self, cycle: CycleState) -> None:
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

    def apply(self, cycle: CycleState) -> None:
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

    def apply(self, cycle: CycleState) -> None:
        """Replace the goal's editable fields."""
        cycle.goals[self.goal_id].update(goal_fields(self))


class MeasurePlanned(SealedAggregate.Event):
    """A measure (Maßnahme) was planned, possibly carried over from an earlier cycle."""

    TOPIC = "qualizyklus:Cycle.MeasurePlanned"
    FREE_TEXTS = ("resources",)  # sealed by reference (engine/domain/free_text.py)
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

    def apply(self, cycle: CycleState) -> None:
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
    FREE_TEXTS = ("resources",)  # sealed by reference (engine/domain/free_text.py)
    measure_id: str
    title: str
    goal_id: str | None
    theme_id: str | None
    responsible_member_id: str | None
    start: date | None
    due: date | None
    resources: str
    attrs: dict[str, Any]

    def apply(self, cycle: CycleState) -> None:
        """Replace the measure's editable fields."""
        cycle.measures[self.measure_id].update(measure_fields(self))


class MeasureStatusChanged(SealedAggregate.Event):
    """A measure moved to another status."""

    TOPIC = "qualizyklus:Cycle.MeasureStatusChanged"
    measure_id: str
    status: str

    def apply(self, cycle: CycleState) -> None:
        """Set the status."""
        cycle.measures[self.measure_id]["status"] = self.status
