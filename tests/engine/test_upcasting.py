"""Old histories stay readable: a stored version-1 history imports, verifies and upcasts.

The fixture fixtures/events_v1.jsonl holds events as the engine stored them before
CycleStarted's version 2 (the period as a year, no theme versions, no ``class_version``);
fixtures/make_events_v1.py documents how it was made.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from engine.application.audit import history, verify
from engine.application.service import Qualizyklus
from engine.application.transfer import export_organisation, import_history
from engine.domain.organisation import organisation_id_for
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower, read_model
from tests.engine.sample_theme import SAMPLE_THEMES

FIXTURE = Path(__file__).parent / "fixtures" / "events_v1.jsonl"
SLUG = "lk-altbestand"
ORGANISATION_ID = organisation_id_for(SLUG)
CYCLE_ID = UUID("5b1e4c1a-7d2f-4a36-9c0e-2f8d1b6a9e47")


def fixture_lines() -> list[str]:
    """The committed v1 export, line by line."""
    with FIXTURE.open(encoding="utf-8") as file:
        return list(file)


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in 2024 (UTC)."""
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


def aggregate_state(app: Qualizyklus, aggregate_id: UUID) -> dict[str, Any]:
    """The aggregate's own ``as_dict()``, loaded through the application's repository."""
    return dict(app.repository.get(aggregate_id).as_dict())  # type: ignore[attr-defined]


def as_of_v1(state: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The part of a state a version-1 history speaks about (later fields are not its to set)."""
    return {key: state.get(key, "<missing>") for key in expected}


EXPECTED_CYCLE: dict[str, Any] = {
    "id": str(CYCLE_ID),
    "version": 9,
    "organisation_id": str(ORGANISATION_ID),
    "title": "Qualitätszyklus 2024",
    "themes": ["network"],
    "theme_versions": {},
    "workflow_id": "standard",
    "workflow_version": 1,
    "phase": "plan",
    "period_start": date(2024, 1, 1),
    "period_end": date(2024, 12, 31),
    "follows": None,
    "assessments": {
        "network/partners-known": {
            "anna": {
                "value": 2,
                "note": "Kinderarztpraxen fehlen",
                "attrs": {},
                "recorded_at": utc(1, 17, 14),
                "version": 2,
            }
        },
        "network/binding-structures": {
            "coord": {
                "value": "minimum",
                "note": "",
                "attrs": {},
                "recorded_at": utc(1, 17, 15),
                "version": 3,
            }
        },
    },
    "findings": {
        "f1": {
            "kind": "need",
            "theme_id": "network",
            "criterion_id": "partners-known",
            "text": "Kinderarztpraxen ins Netzwerk holen",
            "withdrawn": False,
        },
        "f2": {
            "kind": "strength",
            "theme_id": None,
            "criterion_id": None,
            "text": "Verlässliche Netzwerkkonferenz",
            "withdrawn": False,
        },
    },
    "priorities": ["f1"],
    "goals": {
        "g1": {
            "theme_id": "network",
            "title": "Mehr Praxen im Netzwerk",
            "indicator": "Beteiligte Kinderarztpraxen",
            "unit": "Praxen",
            "baseline": 2.0,
            "target": 6.0,
            "due": date(2024, 11, 30),
            "attrs": {},
            "values": [],
            "review": None,
        }
    },
    "measures": {},
    "lessons": {},
    "comments": {
        "c1": {
            "subject": "goal:g1",
            "text": "Sechs Praxen sind ehrgeizig, aber machbar.",
            "author_id": "anna",
            "written_at": utc(1, 24, 16),
        }
    },
    "closing": None,
    "created_on": utc(1, 16, 8),
    "modified_on": utc(1, 24, 16),
}


@pytest.fixture
def imported(app: Qualizyklus) -> Qualizyklus:
    """The ``app`` store (empty until now) with the v1 fixture imported."""
    report = import_history(app, fixture_lines())
    assert (report.organisation_slug, report.aggregates, report.events) == (SLUG, 2, 13)
    return app


def test_the_fixture_holds_a_version_1_cycle_start() -> None:
    rows = [json.loads(line) for line in fixture_lines()]
    started = [row for row in rows if row.get("topic") == "qualizyklus:Cycle.CycleStarted"]

    assert len(started) == 1
    state = started[0]["state"]
    assert state["period"] == "2024"
    assert not {"class_version", "theme_versions", "period_start", "period_end"} & set(state)
    assert rows[-1]["events"] == len(rows) - 2


def test_a_version_1_history_imports_and_verifies(imported: Qualizyklus) -> None:
    result = verify(imported)

    assert result.ok, [str(problem) for problem in result.problems]
    assert (result.aggregates, result.events) == (2, 13)


def test_a_version_1_cycle_loads_with_its_period_as_two_dates_and_no_theme_versions(
    imported: Qualizyklus,
) -> None:
    cycle = imported.cycle(CYCLE_ID)

    assert cycle["period_start"] == date(2024, 1, 1)
    assert cycle["period_end"] == date(2024, 12, 31)
    assert cycle["theme_versions"] == {}
    assert as_of_v1(aggregate_state(imported, CYCLE_ID), EXPECTED_CYCLE) == EXPECTED_CYCLE


def test_the_version_1_organisation_loads_with_its_members_and_cycle(
    imported: Qualizyklus,
) -> None:
    expected = {
        "id": str(ORGANISATION_ID),
        "version": 4,
        "name": "Landkreis Altbestand",
        "slug": SLUG,
        "land": "NI",
        "members": {"coord": "coordinator", "anna": "contributor"},
        "cycles": [str(CYCLE_ID)],
    }
    assert as_of_v1(imported.organisation(ORGANISATION_ID), expected) == expected
    assert imported.cycles_of(ORGANISATION_ID)[0]["period_start"] == date(2024, 1, 1)


def test_a_fresh_application_upcasts_the_stored_events_the_same_way(
    imported: Qualizyklus, settings: Settings
) -> None:
    reader = Qualizyklus(settings, themes=SAMPLE_THEMES)
    try:
        loaded = aggregate_state(reader, CYCLE_ID)
        assert as_of_v1(loaded, EXPECTED_CYCLE) == EXPECTED_CYCLE
        assert loaded == aggregate_state(imported, CYCLE_ID)
    finally:
        reader.close()


def test_upcasting_on_read_leaves_the_stored_events_as_they_were(imported: Qualizyklus) -> None:
    imported.cycle(CYCLE_ID)
    out = io.StringIO()

    export_organisation(imported, SLUG, out)

    assert list(io.StringIO(out.getvalue()))[1:] == fixture_lines()[1:]


def test_the_history_of_a_version_1_cycle_shows_the_upcast_period(
    imported: Qualizyklus,
) -> None:
    entries = history(imported, CYCLE_ID)

    assert [e["event"] for e in entries][:2] == ["CycleStarted", "AssessmentRecorded"]
    started = {change["path"]: change["after"] for change in entries[0]["changes"]}
    assert started["period_start"] == date(2024, 1, 1)
    assert started["period_end"] == date(2024, 12, 31)
    assert started["theme_versions"] == {}
    assert entries[5]["reason"] == "Beschluss der Steuerungsgruppe"


def test_a_version_1_cycle_takes_new_commands_and_its_seal_chain_continues(
    imported: Qualizyklus, settings: Settings
) -> None:
    version = imported.plan_measure(
        CYCLE_ID, actor_id="coord", measure_id="m1", title="Praxen besuchen", goal_id="g1",
        responsible_member_id="anna", due="2024-06-30",
    )  # fmt: skip
    imported.advance_phase(CYCLE_ID, actor_id="coord")

    assert version == 10
    reader = Qualizyklus(settings, themes=SAMPLE_THEMES)
    try:
        result = verify(reader)
        assert result.ok, [str(problem) for problem in result.problems]
        cycle = aggregate_state(reader, CYCLE_ID)
        assert cycle == aggregate_state(imported, CYCLE_ID)
        assert cycle["phase"] == "implement"
        assert cycle["period_end"] == date(2024, 12, 31)
    finally:
        reader.close()


def test_a_snapshot_of_a_version_1_cycle_loads_the_upcast_state(
    imported: Qualizyklus, settings: Settings
) -> None:
    imported.take_snapshot(CYCLE_ID)
    reader = Qualizyklus(settings, themes=SAMPLE_THEMES)
    try:
        assert as_of_v1(aggregate_state(reader, CYCLE_ID), EXPECTED_CYCLE) == EXPECTED_CYCLE
        result = verify(reader)
        assert result.ok
        assert result.snapshots == 1
    finally:
        reader.close()


def test_the_read_models_take_version_1_events_through_the_upcast(
    imported: Qualizyklus,
) -> None:
    Follower(imported).catch_up()
    [row] = read_model(imported).query(
        "SELECT year, period_start, period_end, version, events FROM qz_cycles"
    )
    assert (row["year"], row["period_start"], row["period_end"]) == (
        2024,
        "2024-01-01",
        "2024-12-31",
    )
    assert row["events"] == row["version"] == imported.cycle(CYCLE_ID)["version"]
