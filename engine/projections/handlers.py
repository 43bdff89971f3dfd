"""What each event does to the read models: one small function per event type.

A handler gets a :class:`Batch` (an open transaction with the batch's bookkeeping) and the
event. Handlers only write rows; figures derived from many rows (a theme's score, a Land's
comparison) are recomputed once per batch for what the batch touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from engine.catalogue import Theme
from engine.cycle import Cycle
from engine.organisation import Organisation

Handler = Callable[["Batch", Any], None]


class Batch:
    """One transaction's worth of events: the cursor and what the events touched."""

    def __init__(self, cursor: Any, *, qualify: str, placeholder: str, themes: Mapping[str, Theme]):
        self.cursor = cursor
        self.qualify = qualify
        self.placeholder = placeholder
        self.themes = themes
        self.cycle_versions: dict[str, tuple[int, str]] = {}
        """Each touched cycle's newest version and time (written once at the end)."""
        self.cycle_events: dict[str, int] = {}
        """How many events of each cycle the batch applied."""
        self.scores: set[tuple[str, str]] = set()
        """(cycle id, theme id) pairs whose score must be recomputed."""
        self.cycles: set[str] = set()
        """Cycles whose Land's comparison must be recomputed."""
        self.organisations: set[str] = set()
        """Organisations whose Land's comparison must be recomputed."""
        self._statements: dict[str, str] = {}

    def sql(self, statement: str) -> str:
        """The statement with this database's table prefix and placeholders."""
        known = self._statements.get(statement)
        if known is None:
            known = statement.replace("qz_", f"{self.qualify}qz_")
            if self.placeholder != "?":
                known = known.replace("?", self.placeholder)
            self._statements[statement] = known
        return known

    def execute(self, statement: str, parameters: tuple[Any, ...] = ()) -> None:
        """Run one statement in the batch's transaction."""
        self.cursor.execute(self.sql(statement), parameters)

    def touch_cycle(self, event: Any) -> str:
        """Note the cycle's newest version and count its event; return its id as text."""
        cycle_id = str(event.originator_id)
        self.note_cycle_event(cycle_id, event.originator_version, _iso(event.timestamp))
        self.cycles.add(cycle_id)
        return cycle_id

    def note_cycle_event(self, cycle_id: str, version: int, moment: str = "") -> None:
        """Count one event of a cycle and keep its version (and time, when known)."""
        known = self.cycle_versions.get(cycle_id)
        self.cycle_versions[cycle_id] = (version, moment or (known[1] if known else ""))
        self.cycle_events[cycle_id] = self.cycle_events.get(cycle_id, 0) + 1


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# Organisations ------------------------------------------------------------------------------


def organisation_registered(batch: Batch, event: Organisation.OrganisationRegistered) -> None:
    """A new organisation row."""
    organisation_id = str(event.originator_id)
    batch.execute(
        "INSERT INTO qz_organisations (organisation_id, slug, name, land, shares_with_state) "
        "VALUES (?, ?, ?, ?, 0) ON CONFLICT (organisation_id) DO UPDATE SET "
        "slug = excluded.slug, name = excluded.name, land = excluded.land",
        (organisation_id, event.slug, event.name, event.land),
    )
    batch.organisations.add(organisation_id)


def organisation_renamed(batch: Batch, event: Organisation.OrganisationRenamed) -> None:
    """The organisation's new name."""
    organisation_id = str(event.originator_id)
    batch.execute(
        "UPDATE qz_organisations SET name = ? WHERE organisation_id = ?",
        (event.name, organisation_id),
    )
    batch.organisations.add(organisation_id)


def state_sharing_changed(batch: Batch, event: Organisation.StateSharingChanged) -> None:
    """Whether the state coordination office may see the organisation's name."""
    organisation_id = str(event.originator_id)
    batch.execute(
        "UPDATE qz_organisations SET shares_with_state = ? WHERE organisation_id = ?",
        (int(event.shares), organisation_id),
    )
    batch.organisations.add(organisation_id)


def role_granted(batch: Batch, event: Organisation.RoleGranted) -> None:
    """A member with a role (replacing an earlier role)."""
    batch.execute(
        "INSERT INTO qz_members (organisation_id, member_id, role) VALUES (?, ?, ?) "
        "ON CONFLICT (organisation_id, member_id) DO UPDATE SET role = excluded.role",
        (str(event.originator_id), event.member_id, event.role),
    )


def role_revoked(batch: Batch, event: Organisation.RoleRevoked) -> None:
    """A member who left."""
    batch.execute(
        "DELETE FROM qz_members WHERE organisation_id = ? AND member_id = ?",
        (str(event.originator_id), event.member_id),
    )


# Cycles -------------------------------------------------------------------------------------


def cycle_started(batch: Batch, event: Cycle.CycleStarted) -> None:
    """A new cycle in the index."""
    cycle_id = batch.touch_cycle(event)
    moment = _iso(event.timestamp)
    batch.execute(
        "INSERT INTO qz_cycles (cycle_id, organisation_id, title, year, period_start, "
        "period_end, phase, closed, themes, workflow_id, workflow_version, follows, "
        "started_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cycle_id) DO NOTHING",
        (
            cycle_id,
            str(event.organisation_id),
            event.title,
            event.period_start.year,
            event.period_start.isoformat(),
            event.period_end.isoformat(),
            event.first_phase,
            json.dumps(list(event.themes)),
            event.workflow_id,
            event.workflow_version,
            _text(event.follows),
            moment,
            moment,
            event.originator_version,
        ),
    )


def _change_themes(batch: Batch, cycle_id: str, change: Callable[[list[str]], None]) -> None:
    batch.cursor.execute(batch.sql("SELECT themes FROM qz_cycles WHERE cycle_id = ?"), (cycle_id,))
    row = batch.cursor.fetchone()
    if row is None:
        return
    themes = json.loads(row["themes"])
    change(themes)
    batch.execute(
        "UPDATE qz_cycles SET themes = ? WHERE cycle_id = ?", (json.dumps(themes), cycle_id)
    )


def theme_added(batch: Batch, event: Cycle.ThemeAdded) -> None:
    """A theme joined the cycle."""
    cycle_id = batch.touch_cycle(event)
    _change_themes(batch, cycle_id, lambda themes: themes.append(event.theme_id))


def theme_removed(batch: Batch, event: Cycle.ThemeRemoved) -> None:
    """A theme left the cycle (its ratings no longer count)."""
    cycle_id = batch.touch_cycle(event)
    _change_themes(batch, cycle_id, lambda themes: themes.remove(event.theme_id))
    batch.execute(
        "DELETE FROM qz_ratings WHERE cycle_id = ? AND theme_id = ?", (cycle_id, event.theme_id)
    )
    batch.scores.add((cycle_id, event.theme_id))


def _share(themes: Mapping[str, Theme], theme_id: str, criterion_id: str, value: Any) -> Any:
    """Where a rating lies on its scale, 0 (lowest) to 1 (highest); None if unknown."""
    theme = themes.get(theme_id)
    criterion = theme.criterion(criterion_id) if theme is not None else None
    if criterion is None:
        return None
    scale = criterion.scale
    lowest = scale.position(scale.levels[0].id) if scale.kind == "levels" else scale.minimum
    try:
        return (scale.position(value) - lowest) / scale.span if scale.span else None
    except (ValueError, TypeError):
        return None


def assessment_recorded(batch: Batch, event: Cycle.AssessmentRecorded) -> None:
    """A rater's rating of a criterion (the newest one counts)."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "INSERT INTO qz_ratings (cycle_id, theme_id, criterion_id, rater_id, value, share) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cycle_id, theme_id, criterion_id, rater_id) "
        "DO UPDATE SET value = excluded.value, share = excluded.share",
        (
            cycle_id,
            event.theme_id,
            event.criterion_id,
            event.rater_id,
            json.dumps(event.value),
            _share(batch.themes, event.theme_id, event.criterion_id, event.value),
        ),
    )
    batch.scores.add((cycle_id, event.theme_id))


def goal_set(batch: Batch, event: Cycle.GoalSet | Cycle.GoalRevised) -> None:
    """A goal with its indicator (set or revised)."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "INSERT INTO qz_goals (cycle_id, goal_id, organisation_id, theme_id, title, indicator, "
        "unit, baseline, target, due) VALUES (?, ?, "
        "(SELECT organisation_id FROM qz_cycles WHERE cycle_id = ?), ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cycle_id, goal_id) DO UPDATE SET theme_id = excluded.theme_id, "
        "title = excluded.title, indicator = excluded.indicator, unit = excluded.unit, "
        "baseline = excluded.baseline, target = excluded.target, due = excluded.due",
        (
            cycle_id,
            event.goal_id,
            cycle_id,
            event.theme_id,
            event.title,
            event.indicator,
            event.unit,
            event.baseline,
            event.target,
            _day(event.due),
        ),
    )


def goal_reviewed(batch: Batch, event: Cycle.GoalReviewed) -> None:
    """The review's verdict on a goal."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_goals SET verdict = ? WHERE cycle_id = ? AND goal_id = ?",
        (event.verdict, cycle_id, event.goal_id),
    )


def indicator_value_recorded(batch: Batch, event: Cycle.IndicatorValueRecorded) -> None:
    """One measured value of a goal's indicator."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "INSERT INTO qz_indicator_values (cycle_id, goal_id, position, organisation_id, value, "
        "measured_on) VALUES (?, ?, ?, (SELECT organisation_id FROM qz_cycles "
        "WHERE cycle_id = ?), ?, ?) ON CONFLICT (cycle_id, position) DO NOTHING",
        (
            cycle_id,
            event.goal_id,
            event.originator_version,
            cycle_id,
            event.value,
            event.measured_on.isoformat(),
        ),
    )


def measure_planned(batch: Batch, event: Cycle.MeasurePlanned | Cycle.MeasureRevised) -> None:
    """A measure with its owner and dates (planned or revised; the status stays)."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "INSERT INTO qz_measures (cycle_id, measure_id, organisation_id, title, goal_id, "
        "theme_id, responsible_member_id, start_on, due, status) VALUES (?, ?, "
        "(SELECT organisation_id FROM qz_cycles WHERE cycle_id = ?), ?, ?, ?, ?, ?, ?, "
        "'planned') ON CONFLICT (cycle_id, measure_id) DO UPDATE SET title = excluded.title, "
        "goal_id = excluded.goal_id, theme_id = excluded.theme_id, "
        "responsible_member_id = excluded.responsible_member_id, "
        "start_on = excluded.start_on, due = excluded.due",
        (
            cycle_id,
            event.measure_id,
            cycle_id,
            event.title,
            event.goal_id,
            event.theme_id,
            event.responsible_member_id,
            _day(event.start),
            _day(event.due),
        ),
    )


def measure_status_changed(batch: Batch, event: Cycle.MeasureStatusChanged) -> None:
    """A measure's new status."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_measures SET status = ? WHERE cycle_id = ? AND measure_id = ?",
        (event.status, cycle_id, event.measure_id),
    )


def phase_changed(batch: Batch, event: Cycle.PhaseAdvanced | Cycle.PhaseReopened) -> None:
    """The cycle's phase moved (a reopened cycle is open again)."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_cycles SET phase = ?, closed = 0 WHERE cycle_id = ?",
        (event.to_phase, cycle_id),
    )


def cycle_closed(batch: Batch, event: Cycle.CycleClosed) -> None:
    """The cycle ended."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_cycles SET phase = ?, closed = 1 WHERE cycle_id = ?", (event.to_phase, cycle_id)
    )


def workflow_migrated(batch: Batch, event: Cycle.WorkflowMigrated) -> None:
    """The cycle runs under a newer workflow version."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_cycles SET workflow_version = ? WHERE cycle_id = ?",
        (event.to_version, cycle_id),
    )


def cycle_touched(batch: Batch, event: Any) -> None:
    """Any other event of a cycle: only its version and time change."""
    batch.touch_cycle(event)


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
    Cycle.MeasurePlanned: measure_planned,
    Cycle.MeasureRevised: measure_planned,
    Cycle.MeasureStatusChanged: measure_status_changed,
    Cycle.PhaseAdvanced: phase_changed,
    Cycle.PhaseReopened: phase_changed,
    Cycle.CycleClosed: cycle_closed,
    Cycle.WorkflowMigrated: workflow_migrated,
}
"""The events the read models follow; every other cycle event only moves the version on."""
