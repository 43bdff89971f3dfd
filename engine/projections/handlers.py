"""What each event does to the read models: one small function per event type.

A handler gets a :class:`Batch` (an open transaction with the batch's bookkeeping) and an
:class:`Event`: the stored event's fields as JSON values (dates and ids as the library stores
them), so that a rebuild need not build domain objects. Handlers only write rows; figures
derived from many rows (a theme's score, a Land's comparison) are recomputed once per batch
for what the batch touched.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from engine.catalogue import Theme
from engine.cycle import Cycle
from engine.organisation import Organisation


@dataclass(frozen=True)
class Event:
    """One stored event: its aggregate, version, time and fields (JSON values)."""

    originator_id: str
    version: int
    fields: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    @property
    def timestamp(self) -> str:
        """When the event happened (ISO text)."""
        return str(plain(self.fields["timestamp"]))


Handler = Callable[["Batch", Event], None]


def plain(value: Any) -> Any:
    """A stored value as text: dates and times in ISO form, ids with dashes; others as they are."""
    if isinstance(value, dict) and "_type_" in value:
        data = value["_data_"]
        if value["_type_"] == "uuid_hex":
            return f"{data[:8]}-{data[8:12]}-{data[12:16]}-{data[16:20]}-{data[20:]}"
        return data
    return value


class Batch:
    """One transaction's worth of events: the cursor and what the events touched.

    Statements are gathered and sent with ``executemany`` while the same statement repeats;
    a different statement (or a query) sends what was gathered first, so order is kept.
    """

    def __init__(self, cursor: Any, *, sql: Callable[[str], str], themes: Mapping[str, Theme]):
        self.cursor = cursor
        self.sql = sql
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
        self._statement = ""
        self._rows: list[tuple[Any, ...]] = []

    def execute(self, statement: str, parameters: tuple[Any, ...] = ()) -> None:
        """Queue one statement (sent with the next different statement or query)."""
        if statement != self._statement:
            self.flush()
            self._statement = statement
        self._rows.append(parameters)

    def flush(self) -> None:
        """Send the queued statements."""
        if self._rows:
            self.cursor.executemany(self.sql(self._statement), self._rows)
        self._statement, self._rows = "", []

    def fetch(self, statement: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
        """Rows of a query, after everything queued."""
        self.flush()
        self.cursor.execute(self.sql(statement), parameters)
        return list(self.cursor.fetchall())

    def touch_cycle(self, event: Event) -> str:
        """Note the cycle's newest version and count its event; return its id."""
        self.note_cycle_event(event.originator_id, event.version, event.timestamp)
        self.cycles.add(event.originator_id)
        return event.originator_id

    def note_cycle_event(self, cycle_id: str, version: int, moment: str = "") -> None:
        """Count one event of a cycle and keep its version (and time, when known)."""
        known = self.cycle_versions.get(cycle_id)
        self.cycle_versions[cycle_id] = (version, moment or (known[1] if known else ""))
        self.cycle_events[cycle_id] = self.cycle_events.get(cycle_id, 0) + 1


ORGANISATION_OF_CYCLE = "(SELECT organisation_id FROM qz_cycles WHERE cycle_id = ?)"


# Organisations ------------------------------------------------------------------------------


def organisation_registered(batch: Batch, event: Event) -> None:
    """A new organisation row."""
    batch.execute(
        "INSERT INTO qz_organisations (organisation_id, slug, name, land, shares_with_state) "
        "VALUES (?, ?, ?, ?, 0) ON CONFLICT (organisation_id) DO UPDATE SET "
        "slug = excluded.slug, name = excluded.name, land = excluded.land",
        (event.originator_id, event["slug"], event["name"], event["land"]),
    )
    batch.organisations.add(event.originator_id)


def organisation_renamed(batch: Batch, event: Event) -> None:
    """The organisation's new name."""
    batch.execute(
        "UPDATE qz_organisations SET name = ? WHERE organisation_id = ?",
        (event["name"], event.originator_id),
    )
    batch.organisations.add(event.originator_id)


def state_sharing_changed(batch: Batch, event: Event) -> None:
    """Whether the state coordination office may see the organisation's name."""
    batch.execute(
        "UPDATE qz_organisations SET shares_with_state = ? WHERE organisation_id = ?",
        (int(event["shares"]), event.originator_id),
    )
    batch.organisations.add(event.originator_id)


def role_granted(batch: Batch, event: Event) -> None:
    """A member with a role (replacing an earlier role)."""
    batch.execute(
        "INSERT INTO qz_members (organisation_id, member_id, role) VALUES (?, ?, ?) "
        "ON CONFLICT (organisation_id, member_id) DO UPDATE SET role = excluded.role",
        (event.originator_id, event["member_id"], event["role"]),
    )


def role_revoked(batch: Batch, event: Event) -> None:
    """A member who left."""
    batch.execute(
        "DELETE FROM qz_members WHERE organisation_id = ? AND member_id = ?",
        (event.originator_id, event["member_id"]),
    )


# Cycles -------------------------------------------------------------------------------------


def cycle_started(batch: Batch, event: Event) -> None:
    """A new cycle in the index."""
    cycle_id = batch.touch_cycle(event)
    period_start = plain(event["period_start"])
    batch.execute(
        "INSERT INTO qz_cycles (cycle_id, organisation_id, title, year, period_start, "
        "period_end, phase, closed, themes, workflow_id, workflow_version, follows, "
        "started_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cycle_id) DO NOTHING",
        (
            cycle_id,
            plain(event["organisation_id"]),
            event["title"],
            int(period_start[:4]),
            period_start,
            plain(event["period_end"]),
            event["first_phase"],
            json.dumps(list(event["themes"])),
            event["workflow_id"],
            event["workflow_version"],
            plain(event["follows"]),
            event.timestamp,
            event.timestamp,
            event.version,
        ),
    )


def _change_themes(batch: Batch, cycle_id: str, change: Callable[[list[str]], None]) -> None:
    rows = batch.fetch("SELECT themes FROM qz_cycles WHERE cycle_id = ?", (cycle_id,))
    if not rows:
        return
    themes = json.loads(rows[0]["themes"])
    change(themes)
    batch.execute(
        "UPDATE qz_cycles SET themes = ? WHERE cycle_id = ?", (json.dumps(themes), cycle_id)
    )


def theme_added(batch: Batch, event: Event) -> None:
    """A theme joined the cycle."""
    cycle_id = batch.touch_cycle(event)
    _change_themes(batch, cycle_id, lambda themes: themes.append(event["theme_id"]))


def theme_removed(batch: Batch, event: Event) -> None:
    """A theme left the cycle (its ratings no longer count)."""
    cycle_id = batch.touch_cycle(event)
    _change_themes(batch, cycle_id, lambda themes: themes.remove(event["theme_id"]))
    batch.execute(
        "DELETE FROM qz_ratings WHERE cycle_id = ? AND theme_id = ?", (cycle_id, event["theme_id"])
    )
    batch.scores.add((cycle_id, event["theme_id"]))


def share(themes: Mapping[str, Theme], theme_id: str, criterion_id: str, value: Any) -> Any:
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


def assessment_recorded(batch: Batch, event: Event) -> None:
    """A rater's rating of a criterion (the newest one counts)."""
    cycle_id = batch.touch_cycle(event)
    theme_id, criterion_id, value = event["theme_id"], event["criterion_id"], event["value"]
    batch.execute(
        "INSERT INTO qz_ratings (cycle_id, theme_id, criterion_id, rater_id, value, share) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (cycle_id, theme_id, criterion_id, rater_id) "
        "DO UPDATE SET value = excluded.value, share = excluded.share",
        (
            cycle_id,
            theme_id,
            criterion_id,
            event["rater_id"],
            json.dumps(value),
            share(batch.themes, theme_id, criterion_id, value),
        ),
    )
    batch.scores.add((cycle_id, theme_id))


def goal_set(batch: Batch, event: Event) -> None:
    """A goal with its indicator (set or revised)."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "INSERT INTO qz_goals (cycle_id, goal_id, organisation_id, theme_id, title, indicator, "
        f"unit, baseline, target, due) VALUES (?, ?, {ORGANISATION_OF_CYCLE}, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (cycle_id, goal_id) DO UPDATE SET theme_id = excluded.theme_id, "
        "title = excluded.title, indicator = excluded.indicator, unit = excluded.unit, "
        "baseline = excluded.baseline, target = excluded.target, due = excluded.due",
        (
            cycle_id,
            event["goal_id"],
            cycle_id,
            event["theme_id"],
            event["title"],
            event["indicator"],
            event["unit"],
            event["baseline"],
            event["target"],
            plain(event["due"]),
        ),
    )


def goal_reviewed(batch: Batch, event: Event) -> None:
    """The review's verdict on a goal."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_goals SET verdict = ? WHERE cycle_id = ? AND goal_id = ?",
        (event["verdict"], cycle_id, event["goal_id"]),
    )


def indicator_value_recorded(batch: Batch, event: Event) -> None:
    """One measured value of a goal's indicator."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "INSERT INTO qz_indicator_values (cycle_id, goal_id, position, organisation_id, value, "
        f"measured_on) VALUES (?, ?, ?, {ORGANISATION_OF_CYCLE}, ?, ?) "
        "ON CONFLICT (cycle_id, position) DO NOTHING",
        (
            cycle_id,
            event["goal_id"],
            event.version,
            cycle_id,
            event["value"],
            plain(event["measured_on"]),
        ),
    )


def measure_planned(batch: Batch, event: Event) -> None:
    """A measure with its owner and dates (planned or revised; the status stays)."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "INSERT INTO qz_measures (cycle_id, measure_id, organisation_id, title, goal_id, "
        "theme_id, responsible_member_id, start_on, due, status) VALUES (?, ?, "
        f"{ORGANISATION_OF_CYCLE}, ?, ?, ?, ?, ?, ?, 'planned') "
        "ON CONFLICT (cycle_id, measure_id) DO UPDATE SET title = excluded.title, "
        "goal_id = excluded.goal_id, theme_id = excluded.theme_id, "
        "responsible_member_id = excluded.responsible_member_id, "
        "start_on = excluded.start_on, due = excluded.due",
        (
            cycle_id,
            event["measure_id"],
            cycle_id,
            event["title"],
            event["goal_id"],
            event["theme_id"],
            event["responsible_member_id"],
            plain(event["start"]),
            plain(event["due"]),
        ),
    )


def measure_status_changed(batch: Batch, event: Event) -> None:
    """A measure's new status."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_measures SET status = ? WHERE cycle_id = ? AND measure_id = ?",
        (event["status"], cycle_id, event["measure_id"]),
    )


def phase_changed(batch: Batch, event: Event) -> None:
    """The cycle's phase moved (a reopened cycle is open again)."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_cycles SET phase = ?, closed = 0 WHERE cycle_id = ?",
        (event["to_phase"], cycle_id),
    )


def cycle_closed(batch: Batch, event: Event) -> None:
    """The cycle ended."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_cycles SET phase = ?, closed = 1 WHERE cycle_id = ?",
        (event["to_phase"], cycle_id),
    )


def workflow_migrated(batch: Batch, event: Event) -> None:
    """The cycle runs under a newer workflow version."""
    cycle_id = batch.touch_cycle(event)
    batch.execute(
        "UPDATE qz_cycles SET workflow_version = ? WHERE cycle_id = ?",
        (event["to_version"], cycle_id),
    )


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
