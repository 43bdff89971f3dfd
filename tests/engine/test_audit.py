"""The audit trail: history with changes, state as of a version or a time, diffs, seal checks.

The tamper tests write SQL straight into the library's tables (a real SQLite file and a real
PostgreSQL schema), as someone with access to the database could, and then check that a
fresh application's ``verify()`` names the aggregate and the exact version.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import psycopg
import pytest

from engine.application.audit import (
    LOCAL_TIME,
    diff_versions,
    history,
    state_at,
    verify,
    version_at,
)
from engine.application.service import Qualizyklus
from engine.domain.errors import NotFound
from engine.domain.sealing import GENESIS_SEAL, compute_seal
from engine.infrastructure.settings import Settings, postgres_env
from tests.engine.sample_theme import SAMPLE_THEMES

TABLE_COLUMNS = {"originator_id", "originator_version", "topic", "state"}


class RawStore:
    """Direct SQL on the library's tables: what someone with database access could do."""

    def __init__(self, settings: Settings) -> None:
        self.is_sqlite = settings.is_sqlite
        self.connection: Any
        if self.is_sqlite:
            self.connection = sqlite3.connect(
                settings.sqlite_path(), isolation_level=None, timeout=30
            )
            self.schema = ""
        else:
            env = postgres_env(settings.database)
            self.schema = env["POSTGRES_SCHEMA"]
            self.connection = psycopg.connect(
                host=env["POSTGRES_HOST"], port=int(env["POSTGRES_PORT"]),
                user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"],
                dbname=env["POSTGRES_DBNAME"], autocommit=True,
            )  # fmt: skip
        tables = self._tables()
        events = [name for name in tables if name.endswith("events")]
        snapshots = [name for name in tables if name.endswith("snapshots")]
        assert len(events) == 1, tables
        assert len(snapshots) == 1, tables
        self.events = self._qualified(events[0])
        self.snapshots = self._qualified(snapshots[0])

    def _tables(self) -> list[str]:
        """Tables with the library's four columns (found by looking, not assumed)."""
        columns: dict[str, set[str]] = {}
        if self.is_sqlite:
            for (name,) in self.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
                columns[name] = {row[1] for row in self.query(f'PRAGMA table_info("{name}")')}
        else:
            for name, column in self.query(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = ?",
                (self.schema,),
            ):
                columns.setdefault(name, set()).add(column)
        return sorted(name for name, found in columns.items() if found >= TABLE_COLUMNS)

    def _qualified(self, name: str) -> str:
        return f'"{name}"' if self.is_sqlite else f'"{self.schema}"."{name}"'

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run SQL written with ``?`` placeholders; return the rows, if any."""
        if not self.is_sqlite:
            sql = sql.replace("?", "%s")
        cursor = self.connection.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []

    def key(self, aggregate_id: UUID) -> object:
        """The aggregate id as the table stores it (hex text in SQLite, uuid in PostgreSQL)."""
        return aggregate_id.hex if self.is_sqlite else aggregate_id

    def rows(self, aggregate_id: UUID, table: str | None = None) -> list[tuple[int, str, bytes]]:
        """(version, topic, state) of an aggregate's rows, in version order."""
        return [
            (int(version), topic, bytes(state))
            for version, topic, state in self.query(
                f"SELECT originator_version, topic, state FROM {table or self.events}"
                " WHERE originator_id = ? ORDER BY originator_version",
                (self.key(aggregate_id),),
            )
        ]

    def state(self, aggregate_id: UUID, version: int, table: str | None = None) -> Any:
        """The stored JSON state of one row."""
        found = [s for v, _, s in self.rows(aggregate_id, table) if v == version]
        assert len(found) == 1, (aggregate_id, version)
        return json.loads(found[0])

    def write_state(
        self, aggregate_id: UUID, version: int, state: Any, table: str | None = None
    ) -> None:
        """Overwrite the stored JSON state of one row."""
        self.query(
            f"UPDATE {table or self.events} SET state = ?"
            " WHERE originator_id = ? AND originator_version = ?",
            (_encode(state), self.key(aggregate_id), version),
        )

    def set_version(self, aggregate_id: UUID, old: int, new: int) -> None:
        """Give an event another version number."""
        self.query(
            f"UPDATE {self.events} SET originator_version = ?"
            " WHERE originator_id = ? AND originator_version = ?",
            (new, self.key(aggregate_id), old),
        )

    def insert(self, aggregate_id: UUID, version: int, topic: str, state: Any) -> None:
        """Add an event row."""
        self.query(
            f"INSERT INTO {self.events} (originator_id, originator_version, topic, state)"
            " VALUES (?, ?, ?, ?)",
            (self.key(aggregate_id), version, topic, _encode(state)),
        )

    def delete(self, aggregate_id: UUID, version: int | None = None) -> None:
        """Remove one event, or all of an aggregate's events."""
        sql = f"DELETE FROM {self.events} WHERE originator_id = ?"
        params: tuple[Any, ...] = (self.key(aggregate_id),)
        if version is not None:
            sql += " AND originator_version = ?"
            params += (version,)
        self.query(sql, params)

    def count(self, table: str | None = None) -> int:
        """How many rows a table holds."""
        return int(self.query(f"SELECT COUNT(*) FROM {table or self.events}")[0][0])


def _encode(state: Any) -> bytes:
    return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@pytest.fixture
def raw(settings: Settings) -> Iterator[RawStore]:
    """SQL access to the same store the ``app`` fixture uses."""
    store = RawStore(settings)
    yield store
    store.close()


@pytest.fixture
def fresh(settings: Settings) -> Iterator[Callable[[], Qualizyklus]]:
    """Make new application instances on the store (no cache can hide anything)."""
    made: list[Qualizyklus] = []

    def make() -> Qualizyklus:
        made.append(Qualizyklus(settings, themes=SAMPLE_THEMES))
        return made[-1]

    yield make
    for application in made:
        application.close()


def now() -> datetime:
    """The current moment (as the library stamps events)."""
    return datetime.now(UTC)


def aggregate_state(app: Qualizyklus, aggregate_id: UUID) -> dict[str, Any]:
    """The aggregate's own state as queries give it (a cycle's ``as_state()``, otherwise
    ``as_dict()``), loaded through the application's repository."""
    aggregate: Any = app.repository.get(aggregate_id)
    return dict(aggregate.as_state() if hasattr(aggregate, "as_state") else aggregate.as_dict())


def register(app: Qualizyklus) -> UUID:
    """An organisation with a coordinator and a contributor."""
    organisation_id = app.register_organisation(
        name="Landkreis Beispiel", slug="lk-beispiel", land="NI", coordinator_id="coord"
    )
    app.grant_role(organisation_id, actor_id="coord", member_id="anna", role="contributor")
    return organisation_id


def start(app: Qualizyklus, organisation_id: UUID) -> UUID:
    """A cycle on the sample network theme."""
    return app.start_cycle(
        organisation_id, actor_id="coord", title="Qualitätszyklus 2025", themes=["network"],
        period_start="2025-01-01", period_end="2025-12-31",
    )  # fmt: skip


def to_implementation(app: Qualizyklus, cycle_id: UUID) -> list[Callable[[], int]]:
    """The commands that take a fresh cycle to a running measure with one indicator value."""
    return [
        lambda: app.record_assessment(
            cycle_id, actor_id="anna", theme_id="network", criterion_id="partners-known",
            value=2, note="Kinderärztinnen fehlen",
        ),
        lambda: app.record_finding(
            cycle_id, actor_id="coord", finding_id="f1", kind="need",
            text="Kinderärztliche Praxen einbinden",
        ),
        lambda: app.set_priorities(
            cycle_id, actor_id="coord", finding_ids=["f1"], reason="Größter Bedarf"
        ),
        lambda: app.advance_phase(cycle_id, actor_id="coord"),
        lambda: app.set_goal(
            cycle_id, actor_id="coord", goal_id="g1", title="Mehr Praxen im Netzwerk",
            indicator="Beteiligte Praxen", unit="Praxen", baseline=2, target=6, due="2025-11-30",
        ),
        lambda: app.plan_measure(
            cycle_id, actor_id="coord", measure_id="m1", title="Netzwerkkonferenz",
            goal_id="g1", responsible_member_id="anna", due="2025-06-30",
        ),
        lambda: app.advance_phase(cycle_id, actor_id="coord"),
        lambda: app.change_measure_status(
            cycle_id, actor_id="anna", measure_id="m1", status="running",
            reason="Einladungen verschickt",
        ),
        lambda: app.record_indicator_value(
            cycle_id, actor_id="anna", goal_id="g1", value=3, measured_on="2025-05-01",
            source="Teilnahmeliste",
        ),
    ]  # fmt: skip


class Recorded:
    """A cycle built step by step, with its state and the clock after every version."""

    def __init__(self, app: Qualizyklus) -> None:
        self.before_start = now()
        self.organisation_id = register(app)
        self.started_from = now()
        self.cycle_id = start(app, self.organisation_id)
        self.windows: dict[int, tuple[datetime, datetime]] = {1: (self.started_from, now())}
        self.states: dict[int, dict[str, Any]] = {1: aggregate_state(app, self.cycle_id)}
        for command in to_implementation(app, self.cycle_id):
            begun = now()
            version = command()
            self.windows[version] = (begun, now())
            self.states[version] = aggregate_state(app, self.cycle_id)
        self.last = version


@pytest.fixture
def recorded(app: Qualizyklus) -> Recorded:
    """The cycle of ``to_implementation`` on the test's store."""
    return Recorded(app)


# History -------------------------------------------------------------------------------------


def test_history_lists_time_actor_event_and_reason_for_every_version(
    app: Qualizyklus, recorded: Recorded
) -> None:
    entries = history(app, recorded.cycle_id)

    assert [e["version"] for e in entries] == list(range(1, 11))
    assert [e["event"] for e in entries] == [
        "CycleStarted", "AssessmentRecorded", "FindingRecorded", "PrioritiesSet",
        "PhaseAdvanced", "GoalSet", "MeasurePlanned", "PhaseAdvanced",
        "MeasureStatusChanged", "IndicatorValueRecorded",
    ]  # fmt: skip
    assert [e["actor_id"] for e in entries] == [
        "coord", "anna", "coord", "coord", "coord", "coord", "coord", "coord", "anna", "anna",
    ]  # fmt: skip
    reasons = {e["version"]: e["reason"] for e in entries if e["reason"]}
    assert reasons == {4: "Größter Bedarf", 9: "Einladungen verschickt"}
    for entry in entries:
        begun, ended = recorded.windows[entry["version"]]
        assert begun <= entry["timestamp"] <= ended


def test_history_shows_what_each_event_changed_as_paths_with_before_and_after(
    app: Qualizyklus, recorded: Recorded
) -> None:
    changes = {e["version"]: e["changes"] for e in history(app, recorded.cycle_id)}

    assert changes[9] == [{"path": "measures.m1.status", "before": "planned", "after": "running"}]
    assert changes[10] == [
        {
            "path": "goals.g1.values[0]",
            "before": None,
            "after": {"value": 3.0, "measured_on": date(2025, 5, 1), "source": "Teilnahmeliste"},
        }
    ]
    assert changes[5] == [{"path": "phase", "before": "analyse", "after": "plan"}]
    assert changes[4] == [{"path": "priorities[0]", "before": None, "after": "f1"}]
    assert [c["path"] for c in changes[7]] == ["measures.m1"]
    assert changes[7][0]["after"]["responsible_member_id"] == "anna"
    started = {c["path"]: c for c in changes[1]}
    assert started["title"] == {"path": "title", "before": None, "after": "Qualitätszyklus 2025"}
    assert started["period_end"]["after"] == date(2025, 12, 31)
    assert not {"version", "created_on", "modified_on"} & set(started)
    for version, found in changes.items():
        assert found, f"version {version} shows no change"


def test_an_organisations_history_shows_members_and_registered_cycles(
    app: Qualizyklus, recorded: Recorded
) -> None:
    entries = history(app, recorded.organisation_id)

    assert [e["event"] for e in entries] == [
        "OrganisationRegistered", "RoleGranted", "RoleGranted", "CycleRegistered",
    ]  # fmt: skip
    assert entries[2]["changes"] == [
        {"path": "members.anna", "before": None, "after": "contributor"}
    ]
    assert entries[3]["changes"] == [
        {"path": "cycles[0]", "before": None, "after": str(recorded.cycle_id)}
    ]


@pytest.mark.parametrize("limit", [1, 3, 4, None])
def test_history_pages_hold_the_same_entries_as_the_full_history(
    app: Qualizyklus, recorded: Recorded, limit: int | None
) -> None:
    full = history(app, recorded.cycle_id)

    for first in range(1, recorded.last + 1):
        page = history(app, recorded.cycle_id, start=first, limit=limit)
        end = None if limit is None else first - 1 + limit
        assert page == full[first - 1 : end], f"page from {first}"
    if limit is not None:
        pages: list[dict[str, Any]] = []
        first = 1
        while page := history(app, recorded.cycle_id, start=first, limit=limit):
            pages += page
            first += limit
        assert pages == full


def test_history_of_an_unknown_aggregate_is_not_found(app: Qualizyklus) -> None:
    with pytest.raises(NotFound):
        history(app, UUID("00000000-0000-4000-8000-000000000000"))


# State as of a version or a time ---------------------------------------------------------------


def test_state_at_a_version_is_the_state_the_cycle_had_then(
    app: Qualizyklus, recorded: Recorded
) -> None:
    for version, expected in recorded.states.items():
        assert state_at(app, recorded.cycle_id, version=version) == expected
    assert state_at(app, recorded.cycle_id, version=8)["measures"]["m1"]["status"] == "planned"
    assert state_at(app, recorded.cycle_id, version=9)["measures"]["m1"]["status"] == "running"
    for missing in (0, recorded.last + 1):
        with pytest.raises(NotFound):
            state_at(app, recorded.cycle_id, version=missing)


def test_state_at_a_time_is_the_state_after_the_last_event_before_it(
    fresh: Callable[[], Qualizyklus], recorded: Recorded
) -> None:
    app = fresh()
    for version, (_, ended) in recorded.windows.items():
        assert version_at(app, recorded.cycle_id, ended) == version
        assert state_at(app, recorded.cycle_id, at=ended) == recorded.states[version]
    with pytest.raises(NotFound):
        state_at(app, recorded.cycle_id, at=recorded.before_start)


def test_a_time_without_zone_is_read_as_berlin_time(app: Qualizyklus, recorded: Recorded) -> None:
    _, ended = recorded.windows[6]
    naive = ended.astimezone(LOCAL_TIME).replace(tzinfo=None)

    assert version_at(app, recorded.cycle_id, naive) == 6
    assert state_at(app, recorded.cycle_id, at=naive) == recorded.states[6]


def test_a_date_means_the_end_of_that_day_in_berlin(
    app: Qualizyklus, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    cycle_id = start(app, register(app))
    app.record_assessment(
        cycle_id, actor_id="coord", theme_id="network", criterion_id="partners-known", value=3
    )
    app.record_finding(cycle_id, actor_id="coord", finding_id="f1", kind="need", text="Bedarf")
    app.add_comment(cycle_id, actor_id="coord", text="Sommer")
    moments = {
        1: datetime(2025, 3, 10, 12, 0, tzinfo=UTC),
        2: datetime(2025, 3, 10, 22, 30, tzinfo=UTC),  # 23:30 in Berlin (CET), 10 March
        3: datetime(2025, 3, 10, 23, 30, tzinfo=UTC),  # 00:30 in Berlin, 11 March
        4: datetime(2025, 6, 30, 22, 30, tzinfo=UTC),  # 00:30 in Berlin (CEST), 1 July
    }
    restamp(app, raw, cycle_id, moments)
    reader = fresh()
    assert verify(reader).ok

    with pytest.raises(NotFound):
        state_at(reader, cycle_id, at=date(2025, 3, 9))
    assert state_at(reader, cycle_id, at=date(2025, 3, 10))["version"] == 2
    assert state_at(reader, cycle_id, at=date(2025, 3, 11))["version"] == 3
    assert state_at(reader, cycle_id, at=date(2025, 6, 30))["version"] == 3
    assert state_at(reader, cycle_id, at=date(2025, 7, 1))["version"] == 4
    assert state_at(reader, cycle_id, at=date(2025, 7, 1))["comments"] != {}


def restamp(
    app: Qualizyklus, raw: RawStore, aggregate_id: UUID, moments: dict[int, datetime]
) -> None:
    """Give events other timestamps and seal the chain again (a history with known times)."""
    transcoder = app.mapper.transcoder
    seal = GENESIS_SEAL
    rows = raw.rows(aggregate_id)
    assert [v for v, _, _ in rows] == sorted(moments)
    for version, topic, stored in rows:
        state = transcoder.decode(stored)
        state["timestamp"] = moments[version]
        seal = compute_seal(
            seal, topic=topic, originator_id=aggregate_id, originator_version=version,
            state=state,
        )  # fmt: skip
        state["seal"] = seal
        raw.write_state(aggregate_id, version, json.loads(transcoder.encode(state)))


# Diffs ---------------------------------------------------------------------------------------


def test_diff_versions_lists_what_differs_between_two_versions(
    app: Qualizyklus, recorded: Recorded
) -> None:
    cycle_id = recorded.cycle_id

    assert diff_versions(app, cycle_id, 8, 9) == [
        {"path": "measures.m1.status", "before": "planned", "after": "running"}
    ]
    assert diff_versions(app, cycle_id, 9, 8) == [
        {"path": "measures.m1.status", "before": "running", "after": "planned"}
    ]
    assert diff_versions(app, cycle_id, 7, 7) == []
    wide = {c["path"]: c for c in diff_versions(app, cycle_id, 4, 10)}
    assert set(wide) == {"phase", "goals.g1", "measures.m1"}
    assert wide["phase"] == {"path": "phase", "before": "analyse", "after": "implement"}
    assert wide["goals.g1"]["before"] is None
    assert wide["goals.g1"]["after"]["values"] == [
        {
            "value": 3.0,
            "measured_on": date(2025, 5, 1),
            "source": "Teilnahmeliste",
            "position": 0,
            "corrected": None,
            "withdrawn": None,
        }
    ]
    assert wide["measures.m1"]["after"]["status"] == "running"
    with pytest.raises(NotFound):
        diff_versions(app, cycle_id, 1, recorded.last + 1)


# Seal verification against the real database ---------------------------------------------------


def problems_of(app: Qualizyklus) -> list[tuple[UUID, int]]:
    """Where verify() finds faults: (aggregate id, version) pairs."""
    result = verify(app)
    assert result.ok == (not result.problems)
    return [(p.aggregate_id, p.version) for p in result.problems]


def test_verify_passes_an_untouched_store_and_counts_its_events(
    app: Qualizyklus, recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    result = verify(fresh())

    assert result.ok
    assert result.problems == []
    assert result.aggregates == 2
    assert result.events == raw.count() == 4 + recorded.last
    assert set(result.heads) == {recorded.organisation_id, recorded.cycle_id}
    assert result.heads[recorded.cycle_id][0] == recorded.last


def test_verify_finds_an_altered_event(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    state = raw.state(recorded.cycle_id, 2)
    assert state["value"] == 2
    state["value"] = 5
    raw.write_state(recorded.cycle_id, 2, state)

    result = verify(fresh())

    assert [(p.aggregate_id, p.version) for p in result.problems] == [(recorded.cycle_id, 2)]
    assert str(recorded.cycle_id) in str(result.problems[0])
    assert "version 2" in str(result.problems[0])


def test_verify_finds_an_altered_reason(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    state = raw.state(recorded.cycle_id, 9)
    state["reason"] = "Nie passiert"
    raw.write_state(recorded.cycle_id, 9, state)

    assert problems_of(fresh()) == [(recorded.cycle_id, 9)]


def test_verify_finds_an_event_whose_topic_was_changed(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    key = raw.key(recorded.organisation_id)
    raw.query(
        f"UPDATE {raw.events} SET topic = ? WHERE originator_id = ? AND originator_version = ?",
        ("qualizyklus:Organisation.RoleRevoked", key, 3),
    )
    assert raw.rows(recorded.organisation_id)[2][1] == "qualizyklus:Organisation.RoleRevoked"

    assert problems_of(fresh()) == [(recorded.organisation_id, 3)]


def test_verify_ignores_a_reencoding_that_keeps_the_content(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    state = raw.state(recorded.cycle_id, 7)
    reordered = dict(reversed(list(state.items())))
    raw.query(
        f"UPDATE {raw.events} SET state = ? WHERE originator_id = ? AND originator_version = ?",
        (json.dumps(reordered, indent=2).encode(), raw.key(recorded.cycle_id), 7),
    )
    assert raw.rows(recorded.cycle_id)[6][2].startswith(b"{\n")

    assert problems_of(fresh()) == []


def test_verify_finds_a_removed_middle_event(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    raw.delete(recorded.cycle_id, 5)

    result = verify(fresh())

    assert [(p.aggregate_id, p.version) for p in result.problems] == [(recorded.cycle_id, 5)]
    assert "missing" in result.problems[0].fault


def test_verify_finds_two_reordered_events(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    raw.set_version(recorded.cycle_id, 6, -1)
    raw.set_version(recorded.cycle_id, 7, 6)
    raw.set_version(recorded.cycle_id, -1, 7)
    topics = [topic for _, topic, _ in raw.rows(recorded.cycle_id)]
    assert topics[5:7] == ["qualizyklus:Cycle.MeasurePlanned", "qualizyklus:Cycle.GoalSet"]

    assert problems_of(fresh()) == [(recorded.cycle_id, 6)]


def test_verify_finds_an_event_inserted_directly(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    version, topic, stored = raw.rows(recorded.cycle_id)[-1]
    state = json.loads(stored)
    state["value"] = 6
    raw.insert(recorded.cycle_id, version + 1, topic, state)
    assert raw.count() == 4 + recorded.last + 1

    assert problems_of(fresh()) == [(recorded.cycle_id, version + 1)]


def test_verify_finds_an_event_of_an_aggregate_altered_in_the_organisation(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    state = raw.state(recorded.organisation_id, 3)
    assert state["member_id"] == "anna"
    state["role"] = "coordinator"
    raw.write_state(recorded.organisation_id, 3, state)

    assert problems_of(fresh()) == [(recorded.organisation_id, 3)]


def test_verify_finds_a_tampered_snapshot(
    app: Qualizyklus, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    cycle_id = start(app, register(app))
    for number in range(54):
        app.add_comment(cycle_id, actor_id="coord", text=f"Anmerkung {number}")
    snapshots = raw.rows(cycle_id, raw.snapshots)
    assert [version for version, _, _ in snapshots] == [50]
    assert verify(fresh()).ok
    assert verify(fresh()).snapshots == 1

    snapshot = raw.state(cycle_id, 50, raw.snapshots)
    assert snapshot["state"]["title"] == "Qualitätszyklus 2025"
    snapshot["state"]["title"] = "Umgeschrieben"
    raw.write_state(cycle_id, 50, snapshot, raw.snapshots)

    result = verify(fresh())
    assert [(p.aggregate_id, p.version) for p in result.problems] == [(cycle_id, 50)]
    assert "snapshot" in result.problems[0].fault


def test_verify_finds_a_removed_cycle_through_the_organisations_reference(
    recorded: Recorded, raw: RawStore, fresh: Callable[[], Qualizyklus]
) -> None:
    registered = [
        version
        for version, topic, _ in raw.rows(recorded.organisation_id)
        if topic == "qualizyklus:Organisation.CycleRegistered"
    ]
    assert registered == [4]
    raw.delete(recorded.cycle_id)
    assert raw.rows(recorded.cycle_id) == []

    result = verify(fresh())

    assert [(p.aggregate_id, p.version) for p in result.problems] == [(recorded.organisation_id, 4)]
    assert str(recorded.cycle_id) in result.problems[0].fault
