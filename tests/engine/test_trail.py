"""The audit trail as plain data (engine.application.trail): stamps, seal chain status and
history entries, on an untouched store and on one altered by direct SQL.

What the history, diff and as-of pages and the report show comes from here; no Flask.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

import pytest

from engine.application import trail
from engine.application.audit import diff_versions, history, state_at, verify
from engine.application.service import Qualizyklus
from engine.domain.errors import StoreDamaged
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.test_audit import RawStore, Recorded

UNKNOWN_TOPIC = "qualizyklus:Cycle.NeverDefined"


@pytest.fixture
def recorded(app: Qualizyklus) -> Recorded:
    """A cycle of ten versions and its organisation of four (see test_audit)."""
    return Recorded(app)


@pytest.fixture
def raw(settings: Settings) -> Iterator[RawStore]:
    """SQL access to the store, as someone with access to the database has."""
    store = RawStore(settings)
    yield store
    store.close()


@pytest.fixture
def reopened(settings: Settings) -> Iterator[Qualizyklus]:
    """A new application on the same store (no cache hides an alteration)."""
    application = Qualizyklus(settings, themes=SAMPLE_THEMES)
    yield application
    application.close()


def alter_reason(raw: RawStore, cycle_id: UUID, version: int, reason: str) -> None:
    """Change one event's stored reason without renewing its seal."""
    state = raw.state(cycle_id, version)
    state["reason"] = reason
    raw.write_state(cycle_id, version, state)


def make_unreadable(raw: RawStore, cycle_id: UUID, version: int) -> None:
    """Give one stored event a topic no code defines."""
    raw.query(
        f"UPDATE {raw.events} SET topic = ? WHERE originator_id = ? AND originator_version = ?",
        (UNKNOWN_TOPIC, raw.key(cycle_id), version),
    )


# Stamps --------------------------------------------------------------------------------------


def test_stamps_give_version_event_actor_time_and_reason_of_every_event(
    app: Qualizyklus, recorded: Recorded
) -> None:
    stamps = trail.stamps(app, recorded.cycle_id)

    assert stamps.unreadable is None
    assert [s.version for s in stamps.found] == list(range(1, 11))
    assert [s.name for s in stamps.found] == [
        "CycleStarted", "AssessmentRecorded", "FindingRecorded", "PrioritiesSet",
        "PhaseAdvanced", "GoalSet", "MeasurePlanned", "PhaseAdvanced",
        "MeasureStatusChanged", "IndicatorValueRecorded",
    ]  # fmt: skip
    assert [s.actor_id for s in stamps.found] == [
        "coord", "anna", "coord", "coord", "coord", "coord", "coord", "coord", "anna", "anna",
    ]  # fmt: skip
    assert {s.version: s.reason for s in stamps.found if s.reason} == {
        4: "Größter Bedarf",
        9: "Einladungen verschickt",
    }
    for stamp in stamps.found:
        begun, ended = recorded.windows[stamp.version]
        assert begun <= stamp.timestamp <= ended


def test_the_stamp_of_one_version_and_none_beyond_the_last(
    app: Qualizyklus, recorded: Recorded
) -> None:
    stamp = trail.stamp_of(app, recorded.cycle_id, 9)

    assert stamp is not None
    assert (stamp.version, stamp.name, stamp.actor_id, stamp.reason) == (
        9,
        "MeasureStatusChanged",
        "anna",
        "Einladungen verschickt",
    )
    assert trail.stamp_of(app, recorded.cycle_id, recorded.last + 1) is None


def test_an_unknown_aggregate_has_no_stamps(app: Qualizyklus) -> None:
    stamps = trail.stamps(app, UUID("00000000-0000-4000-8000-000000000000"))

    assert stamps == trail.Stamps(())


def test_stamps_end_before_the_first_unreadable_event(
    recorded: Recorded, raw: RawStore, reopened: Qualizyklus
) -> None:
    make_unreadable(raw, recorded.cycle_id, 5)

    stamps = trail.stamps(reopened, recorded.cycle_id)

    assert [s.version for s in stamps.found] == [1, 2, 3, 4]
    assert stamps.unreadable == 5
    assert trail.stamp_of(reopened, recorded.cycle_id, 5) is None
    assert trail.stamp_of(reopened, recorded.cycle_id, 6) is not None


# Seal chains ---------------------------------------------------------------------------------


def test_an_intact_chain_counts_its_events_and_gives_the_head_seal(
    app: Qualizyklus, recorded: Recorded, raw: RawStore
) -> None:
    status = trail.chain_status(app, recorded.cycle_id)

    assert status.intact and status.broken_at is None
    assert (status.aggregate_id, status.events, status.code, status.fault) == (
        recorded.cycle_id,
        recorded.last,
        "",
        "",
    )
    assert status.seal == raw.state(recorded.cycle_id, recorded.last)["seal"]
    assert status.seal == verify(app).heads[recorded.cycle_id][1]
    organisation = trail.chain_status(app, recorded.organisation_id)
    assert organisation.intact and organisation.events == 4


def test_a_tampered_event_breaks_the_chain_at_its_version_with_the_last_good_seal(
    recorded: Recorded, raw: RawStore, reopened: Qualizyklus
) -> None:
    last_good = raw.state(recorded.cycle_id, 8)["seal"]
    alter_reason(raw, recorded.cycle_id, 9, "Nie passiert")

    stamps, status = trail.trail(reopened, recorded.cycle_id)

    assert not status.intact
    assert (status.broken_at, status.code, status.events) == (9, "seal-broken", recorded.last)
    assert "seal broken" in status.fault
    assert status.seal == last_good
    assert trail.chain_status(reopened, recorded.cycle_id) == status
    assert trail.chain_status(reopened, recorded.organisation_id).intact
    # The altered event still reads: the pages show what it now claims, marked as broken.
    assert stamps.unreadable is None
    assert stamps.found[8].reason == "Nie passiert"


def test_an_unreadable_event_breaks_the_chain_as_unreadable(
    recorded: Recorded, raw: RawStore, reopened: Qualizyklus
) -> None:
    make_unreadable(raw, recorded.cycle_id, 5)

    status = trail.chain_status(reopened, recorded.cycle_id)

    assert (status.broken_at, status.code) == (5, "event-unreadable")
    assert status.seal == raw.state(recorded.cycle_id, 4)["seal"]


def test_a_removed_event_breaks_the_chain_where_it_is_missing(
    recorded: Recorded, raw: RawStore, reopened: Qualizyklus
) -> None:
    raw.delete(recorded.cycle_id, 6)

    status = trail.chain_status(reopened, recorded.cycle_id)

    assert (status.broken_at, status.code, status.events) == (6, "event-missing", 9)


# History entries -----------------------------------------------------------------------------


def test_spans_group_close_versions_once_each() -> None:
    assert trail.spans([60, 1, 30, 2, 26, 2], gap=25) == [[1, 2, 26, 30], [60]]
    assert trail.spans([]) == []


def test_history_entries_of_chosen_versions_are_those_of_the_full_history(
    app: Qualizyklus, recorded: Recorded
) -> None:
    full = {entry["version"]: entry for entry in history(app, recorded.cycle_id)}

    entries = trail.history_entries(app, recorded.cycle_id, [10, 2, 9, 2])

    assert entries == {2: full[2], 9: full[9], 10: full[10]}
    assert entries[9]["changes"] == [
        {"path": "measures.m1.status", "before": "planned", "after": "running"}
    ]


def test_history_entries_leave_out_versions_that_cannot_be_replayed(
    recorded: Recorded, raw: RawStore, reopened: Qualizyklus
) -> None:
    make_unreadable(raw, recorded.cycle_id, 5)

    assert set(trail.history_entries(reopened, recorded.cycle_id, [2, 3])) == {2, 3}
    assert trail.history_entries(reopened, recorded.cycle_id, [9]) == {}


def test_reading_a_damaged_store_raises_the_engines_error_not_the_librarys(
    recorded: Recorded, raw: RawStore, reopened: Qualizyklus
) -> None:
    make_unreadable(raw, recorded.cycle_id, 5)

    with pytest.raises(StoreDamaged):
        history(reopened, recorded.cycle_id)
    with pytest.raises(StoreDamaged):
        state_at(reopened, recorded.cycle_id, version=9)
    with pytest.raises(StoreDamaged):
        diff_versions(reopened, recorded.cycle_id, 8, 9)
    assert state_at(reopened, recorded.cycle_id, version=3)["priorities"] == []
