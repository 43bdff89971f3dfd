"""What each event does to the read models: one small function per event type.

A handler gets a :class:`~engine.readmodels.batch.Batch` (an open transaction with the batch's
bookkeeping) and an :class:`~engine.readmodels.batch.Event`: the stored event's fields as JSON
values (dates and ids as the library stores them), so that a rebuild need not build domain
objects. Handlers only write rows; figures derived from many rows (a theme's score, a Land's
comparison) are recomputed once per batch for what the batch touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from engine.domain.cycle import Cycle
from engine.domain.organisation import Organisation
from engine.readmodels.batch import PENDING_INSIGHTS, Batch, Event, Handler, plain
from engine.readmodels.schema import (
    ASSESSMENTS,
    CYCLES,
    GOALS,
    MEASURES,
    MEMBERS,
    ORGANISATIONS,
    PENDING,
)

# Organisations ------------------------------------------------------------------------------


def organisation_registered(batch: Batch, event: Event) -> None:
    """A new organisation row."""
    batch.put(
        ORGANISATIONS,
        {
            "organisation_id": event.originator_id,
            "slug": event["slug"],
            "name": event["name"],
            "land": event["land"],
            "shares_with_state": 0,
        },
    )
    batch.organisations.add(event.originator_id)


def _change_organisation(batch: Batch, event: Event, **changes: Any) -> None:
    row = batch.get(ORGANISATIONS, (event.originator_id,))
    if row is not None:
        batch.put(ORGANISATIONS, {**row, **changes})
        batch.organisations.add(event.originator_id)


def organisation_renamed(batch: Batch, event: Event) -> None:
    """The organisation's new name."""
    _change_organisation(batch, event, name=event["name"])


def state_sharing_changed(batch: Batch, event: Event) -> None:
    """Whether the state coordination office may see the organisation's name."""
    _change_organisation(batch, event, shares_with_state=int(event["shares"]))


def role_granted(batch: Batch, event: Event) -> None:
    """A member with a role (replacing an earlier role)."""
    batch.put(
        MEMBERS,
        {
            "organisation_id": event.originator_id,
            "member_id": event["member_id"],
            "role": event["role"],
        },
    )


def role_revoked(batch: Batch, event: Event) -> None:
    """A member who left."""
    batch.delete(MEMBERS, (event.originator_id, event["member_id"]))


# Cycles -------------------------------------------------------------------------------------


def cycle_started(batch: Batch, event: Event) -> None:
    """A new cycle in the index."""
    period_start = plain(event["period_start"])
    organisation_id = plain(event["organisation_id"])
    batch.put(
        CYCLES,
        {
            "cycle_id": event.originator_id,
            "organisation_id": organisation_id,
            "title": event["title"],
            "year": int(period_start[:4]),
            "period_start": period_start,
            "period_end": plain(event["period_end"]),
            "phase": event["first_phase"],
            "closed": 0,
            "themes": json.dumps(list(event["themes"])),
            "workflow_id": event["workflow_id"],
            "workflow_version": event["workflow_version"],
            "follows": plain(event["follows"]),
            "started_at": event.timestamp,
            "updated_at": event.timestamp,
            "version": event.version,
            "events": 1,
        },
    )
    batch.organisations.add(organisation_id)
    batch.started(event.originator_id)


def _change_themes(batch: Batch, event: Event, change: Callable[[list[str]], None]) -> None:
    cycle = batch.cycle(event)
    if cycle is not None:
        themes = json.loads(cycle["themes"])
        change(themes)
        cycle["themes"] = json.dumps(themes)


def theme_added(batch: Batch, event: Event) -> None:
    """A theme joined the cycle."""
    _change_themes(batch, event, lambda themes: themes.append(event["theme_id"]))


def theme_removed(batch: Batch, event: Event) -> None:
    """A theme left the cycle (its ratings no longer count)."""
    _change_themes(batch, event, lambda themes: themes.remove(event["theme_id"]))
    batch.delete(ASSESSMENTS, (event.originator_id, event["theme_id"]))


def assessment_recorded(batch: Batch, event: Event) -> None:
    """A rater's rating of a criterion (the newest one counts)."""
    cycle = batch.cycle(event)
    if cycle is None:
        return
    theme_id, criterion_id, value = event["theme_id"], event["criterion_id"], event["value"]
    key = (event.originator_id, theme_id)
    assessment = batch.part_of_cycle(ASSESSMENTS, key) or {
        "cycle_id": key[0],
        "theme_id": theme_id,
        "organisation_id": cycle["organisation_id"],
        "ratings": {},
    }
    position = batch.position(theme_id, criterion_id, value)
    assessment["ratings"].setdefault(criterion_id, {})[event["rater_id"]] = [value, position]
    batch.put(ASSESSMENTS, assessment)


def goal_set(batch: Batch, event: Event) -> None:
    """A goal with its indicator (set or revised; a verdict stays)."""
    cycle = batch.cycle(event)
    if cycle is None:
        return
    key = (event.originator_id, event["goal_id"])
    known = batch.part_of_cycle(GOALS, key)
    batch.put(
        GOALS,
        {
            "cycle_id": key[0],
            "goal_id": key[1],
            "organisation_id": cycle["organisation_id"],
            "theme_id": event["theme_id"],
            "title": event["title"],
            "indicator": event["indicator"],
            "unit": event["unit"],
            "baseline": event["baseline"],
            "target": event["target"],
            "due": plain(event["due"]),
            "verdict": known["verdict"] if known is not None else None,
            "measurements": known["measurements"] if known is not None else [],
        },
    )


def goal_reviewed(batch: Batch, event: Event) -> None:
    """The review's verdict on a goal."""
    if batch.cycle(event) is None:
        return
    goal = batch.part_of_cycle(GOALS, (event.originator_id, event["goal_id"]))
    if goal is not None:
        goal["verdict"] = event["verdict"]
        batch.put(GOALS, goal)


def indicator_value_recorded(batch: Batch, event: Event) -> None:
    """One measured value of a goal's indicator."""
    if batch.cycle(event) is None:
        return
    goal = batch.part_of_cycle(GOALS, (event.originator_id, event["goal_id"]))
    if goal is not None:
        goal["measurements"].append([plain(event["measured_on"]), event["value"], event.version])
        batch.put(GOALS, goal)


def indicator_value_corrected(batch: Batch, event: Event) -> None:
    """A recorded value corrected in place (a position names one value of the goal's series)."""
    if batch.cycle(event) is None:
        return
    goal = batch.part_of_cycle(GOALS, (event.originator_id, event["goal_id"]))
    if goal is not None and goal["measurements"][event["position"]] is not None:
        kept = goal["measurements"][event["position"]][2]
        goal["measurements"][event["position"]] = [
            plain(event["measured_on"]),
            event["value"],
            kept,
        ]
        batch.put(GOALS, goal)


def indicator_value_withdrawn(batch: Batch, event: Event) -> None:
    """A recorded value withdrawn: its place stays (as null) so that positions still match."""
    if batch.cycle(event) is None:
        return
    goal = batch.part_of_cycle(GOALS, (event.originator_id, event["goal_id"]))
    if goal is not None:
        goal["measurements"][event["position"]] = None
        batch.put(GOALS, goal)


def measure_planned(batch: Batch, event: Event) -> None:
    """A measure with its owner and dates (planned or revised; the status stays)."""
    cycle = batch.cycle(event)
    if cycle is None:
        return
    key = (event.originator_id, event["measure_id"])
    known = batch.part_of_cycle(MEASURES, key)
    batch.put(
        MEASURES,
        {
            "cycle_id": key[0],
            "measure_id": key[1],
            "organisation_id": cycle["organisation_id"],
            "title": event["title"],
            "goal_id": event["goal_id"],
            "theme_id": event["theme_id"],
            "responsible_member_id": event["responsible_member_id"],
            "start_on": plain(event["start"]),
            "due": plain(event["due"]),
            "status": known["status"] if known is not None else "planned",
        },
    )


def measure_status_changed(batch: Batch, event: Event) -> None:
    """A measure's new status."""
    if batch.cycle(event) is None:
        return
    measure = batch.part_of_cycle(MEASURES, (event.originator_id, event["measure_id"]))
    if measure is not None:
        measure["status"] = event["status"]
        batch.put(MEASURES, measure)


def phase_changed(batch: Batch, event: Event) -> None:
    """The cycle's phase moved (a reopened cycle is open again, its insights go)."""
    cycle = batch.cycle(event)
    if cycle is not None:
        if cycle["closed"]:
            batch.put(PENDING, batch.mark(PENDING_INSIGHTS, event.originator_id))
        cycle.update(phase=event["to_phase"], closed=0)


def cycle_closed(batch: Batch, event: Event) -> None:
    """The cycle ended (its insights are to be kept)."""
    cycle = batch.cycle(event)
    if cycle is not None:
        cycle.update(phase=event["to_phase"], closed=1)
        batch.put(PENDING, batch.mark(PENDING_INSIGHTS, event.originator_id))


def workflow_migrated(batch: Batch, event: Event) -> None:
    """The cycle runs under a newer workflow version."""
    cycle = batch.cycle(event)
    if cycle is not None:
        cycle["workflow_version"] = event["to_version"]


HANDLERS: dict[type[Any], Handler] = {
    Organisation.OrganisationRegistered: organisation_registered,
    Organisation.OrganisationRenamed: organisation_renamed,
    Organisation.StateSharingChanged: state_sharing_changed,
    Organisation.RoleGranted: role_granted,
    Organisation.RoleRevoked: role_revoked,
    Cycle.CycleStarted: cycle_started,
    Cycle.ThemeAdded: theme_added,
    Cycle.ThemeRemoved: theme_removed,
    Cycle.AssessmentRecorded: assessment_recorded,
    Cycle.GoalSet: goal_set,
    Cycle.GoalRevised: goal_set,
    Cycle.GoalReviewed: goal_reviewed,
    Cycle.IndicatorValueRecorded: indicator_value_recorded,
    Cycle.IndicatorValueCorrected: indicator_value_corrected,
    Cycle.IndicatorValueWithdrawn: indicator_value_withdrawn,
    Cycle.MeasurePlanned: measure_planned,
    Cycle.MeasureRevised: measure_planned,
    Cycle.MeasureStatusChanged: measure_status_changed,
    Cycle.PhaseAdvanced: phase_changed,
    Cycle.PhaseReopened: phase_changed,
    Cycle.CycleClosed: cycle_closed,
    Cycle.WorkflowMigrated: workflow_migrated,
}
"""The events the read models follow; every other cycle event only moves the version on."""
