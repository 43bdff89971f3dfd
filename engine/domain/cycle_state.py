"""A cycle's state and vocabulary: what its events build, below the events and the aggregate.

The events (engine/domain/cycle_events.py, cycle_progress_events.py) apply themselves to a
:class:`CycleState`; the aggregate (engine/domain/cycle.py) is one.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

MEASURE_STATUSES = ("planned", "running", "done", "blocked", "dropped", "carried-over")
SETTLED_STATUSES = ("done", "dropped", "carried-over")
FINDING_KINDS = ("strength", "need")
GOAL_VERDICTS = ("reached", "partly", "not")
FEEDBACK_SOURCES = ("parents", "practitioners", "partners", "politics", "other")


def assessment_key(theme_id: str, criterion_id: str) -> str:
    """The key under which a criterion's ratings are kept."""
    return f"{theme_id}/{criterion_id}"


class CycleState:
    """The state of a cycle, set by ``CycleStarted.apply`` and changed by the later events.

    Declared for the type checker only: annotations at run time would make the library turn
    the aggregate, which derives from this class, into a dataclass.
    """

    if TYPE_CHECKING:
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
