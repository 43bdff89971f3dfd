"""No event can stop the read models: text is checked before it becomes an event, old text is
stored safely, and an event the follower cannot apply is set aside while the rest goes on.

Every test runs on a real SQLite file and on PostgreSQL (the ``app`` fixture). Events "written
by an older version" are real events in the store, written through the aggregate and the
application's save with today's checks switched off for that one command.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest
from click.testing import CliRunner
from eventsourcing.persistence import OperationalError, ProgrammingError

import engine.domain.sealing
from engine.application.service import Qualizyklus
from engine.cli.main import main
from engine.domain import validation
from engine.domain.cycle import Cycle
from engine.domain.errors import InvalidInput
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower, read_model
from engine.readmodels import view as projection_view
from engine.readmodels.batch import Batch, Event
from engine.readmodels.handlers import cycle_started
from tests.engine.stories import Network, register_network, start_cycle

CYCLE_STARTED = str(Cycle.CycleStarted.TOPIC)


@contextmanager
def as_an_older_version(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Commands inside write what they are given: no text check, no date check."""
    with monkeypatch.context() as patched:
        patched.setattr(validation, "refuse_unsafe", lambda *_: None)
        patched.setattr(engine.domain.sealing, "refuse_unsafe_content", lambda *_: None)
        patched.setattr(validation, "a_date", lambda _field, value: value)
        yield


def cycle_rows(app: Qualizyklus) -> dict[str, dict[str, Any]]:
    """The cycles' read-model rows by cycle id."""
    rows = read_model(app).query("SELECT cycle_id, title, version, events FROM qz_cycles")
    return {row["cycle_id"]: row for row in rows}


def rate(app: Qualizyklus, network: Network, cycle_id: UUID, value: int = 3) -> None:
    """One rating: a later event of the cycle."""
    app.record_assessment(
        cycle_id,
        actor_id=network.coordinator,
        theme_id="network",
        criterion_id="partners-known",
        value=value,
    )


@pytest.mark.parametrize(
    "title", ["A\x00B", "A\x07B", "A\x1bB", "A\x7fB", "A\x85B", "A\ud800B", "\udfff"]
)
def test_a_title_with_a_control_character_or_lone_surrogate_is_refused_and_nothing_written(
    app: Qualizyklus, title: str
) -> None:
    network = register_network(app)
    before = app.recorder.max_notification_id()
    with pytest.raises(InvalidInput) as refused:
        start_cycle(app, network, title=title)
    assert refused.value.field == "title"
    assert app.recorder.max_notification_id() == before


def test_tab_and_line_breaks_are_welcome_in_a_text(app: Qualizyklus) -> None:
    network = register_network(app)
    cycle_id = start_cycle(app, network, title="Zyklus\t2025\r\nzweite Zeile")
    assert app.cycle(cycle_id)["title"] == "Zyklus\t2025\r\nzweite Zeile"


def test_theme_data_with_a_nul_is_refused_naming_its_path(app: Qualizyklus) -> None:
    network = register_network(app)
    cycle_id = start_cycle(app, network)
    version = app.cycle(cycle_id)["version"]
    with pytest.raises(InvalidInput) as refused:
        app.record_assessment(
            cycle_id,
            actor_id=network.coordinator,
            theme_id="network",
            criterion_id="partners-known",
            value=3,
            attrs={"sources": ["Protokoll", "Liste\x00"]},
        )
    assert refused.value.field.startswith("attrs")
    assert app.cycle(cycle_id)["version"] == version


def test_the_last_gate_refuses_an_event_whatever_command_made_it(app: Qualizyklus) -> None:
    """An event class given a NUL directly (no command's check) is refused when sealed."""
    network = register_network(app)
    with pytest.raises(InvalidInput) as refused:
        Cycle.start(
            actor_id=network.coordinator,
            organisation_id=network.organisation_id,
            title="Zyklus",
            themes=["network"],
            theme_versions={"network": "1"},
            workflow_id="standard",
            workflow_version=1,
            first_phase="analyse",
            period_start="2025-01-01",
            period_end="2025-12-31",
            follows=None,
            reason="Grund\x00",
        )
    assert refused.value.field == "reason"


def test_an_old_event_with_a_nul_title_projects_with_its_text_made_safe(
    app: Qualizyklus, monkeypatch: pytest.MonkeyPatch
) -> None:
    nord, sued = register_network(app, "lk-nord"), register_network(app, "lk-sued")
    with as_an_older_version(monkeypatch):
        old = start_cycle(app, nord, title="Alt\x00er Titel")
    assert app.cycle(old)["title"] == "Alt\x00er Titel"  # really stored as written
    other = start_cycle(app, sued, title="Anderer Zyklus")
    follower = Follower(app)
    follower.catch_up()
    rows = cycle_rows(app)
    assert rows[str(old)]["title"] == "Alt\ufffder Titel"
    assert rows[str(other)]["title"] == "Anderer Zyklus"
    assert follower.behind() == 0
    assert follower.view.set_aside_events() == []


def bad_start(
    app: Qualizyklus, network: Network, monkeypatch: pytest.MonkeyPatch, **options: Any
) -> UUID:
    """A cycle whose start the read models cannot take: its period is no date."""
    with as_an_older_version(monkeypatch):
        return start_cycle(
            app, network, title="Kaputt", period=("irgendwann", "zuletzt"), **options
        )


def fixed_cycle_started(batch: Batch, event: Event) -> None:
    """The handler as a later release might have it: an undated start counts as 2025."""
    fields = dict(event.fields)
    if not str(fields["period_start"])[:4].isdigit():
        fields["period_start"] = "2025-01-01"
    cycle_started(batch, Event(event.originator_id, event.version, fields))


def test_an_event_that_cannot_be_applied_is_set_aside_and_every_other_goes_on(
    app: Qualizyklus, monkeypatch: pytest.MonkeyPatch
) -> None:
    nord, sued = register_network(app, "lk-nord"), register_network(app, "lk-sued")
    good_before = start_cycle(app, nord, title="Davor")
    broken = bad_start(app, nord, monkeypatch)
    rate(app, nord, broken)
    rate(app, nord, broken, 4)
    good_after = start_cycle(app, sued, title="Danach")
    rate(app, sued, good_after)

    follower = Follower(app, batch_size=1_000)
    follower.catch_up()

    assert follower.behind() == 0
    rows = cycle_rows(app)
    assert str(broken) not in rows
    for cycle_id in (good_before, good_after):
        row = rows[str(cycle_id)]
        assert row["events"] == row["version"] == app.cycle(cycle_id)["version"]
    set_aside = follower.view.set_aside_events()
    assert {e["originator_id"] for e in set_aside} == {str(broken)}
    [failed] = [e for e in set_aside if not e["held"]]
    assert failed["topic"] == CYCLE_STARTED
    assert failed["error"].startswith("ValueError")
    held = [e["originator_version"] for e in set_aside if e["held"]]
    assert held == [2, 3]  # the two ratings wait behind the start, in order

    # More events of the blocked cycle are held too; other cycles still go on.
    rate(app, nord, broken, 5)
    rate(app, sued, good_after, 5)
    follower.catch_up()
    assert len(follower.view.set_aside_events()) == 4
    row = cycle_rows(app)[str(good_after)]
    assert row["events"] == row["version"] == app.cycle(good_after)["version"]


def run_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    """`qualizyklus …` in-process against the test's store."""
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", settings.database)
    return CliRunner().invoke(main, list(args))


def test_status_reports_a_set_aside_event_and_retry_applies_it_once_its_cause_is_fixed(
    app: Qualizyklus, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    nord = register_network(app, "lk-nord")
    broken = bad_start(app, nord, monkeypatch)
    rate(app, nord, broken)
    follower = Follower(app)
    follower.catch_up()
    position = follower.position

    status = run_cli(settings, monkeypatch, "projections", "status")
    assert status.exit_code == 1, status.output  # monitoring notices events set aside
    assert "1 fehlgeschlagen / failed, 1 dahinter zurückgehalten / held" in status.output
    assert f"{CYCLE_STARTED} v1 {broken}: ValueError" in status.output
    assert f"held: #{position}" in status.output

    still = run_cli(settings, monkeypatch, "projections", "retry")
    assert still.exit_code == 1, still.output
    assert "0 angewandt / applied" in still.output
    assert len(follower.view.set_aside_events()) == 2
    assert str(broken) not in cycle_rows(app)

    fixed = {**projection_view.HANDLERS_BY_TOPIC, CYCLE_STARTED: fixed_cycle_started}
    monkeypatch.setattr(projection_view, "HANDLERS_BY_TOPIC", fixed)
    retried = run_cli(settings, monkeypatch, "projections", "retry")
    assert retried.exit_code == 0, retried.output
    assert "2 angewandt / applied" in retried.output
    assert follower.view.set_aside_events() == []
    row = cycle_rows(app)[str(broken)]
    assert row["events"] == row["version"] == 2  # applied once each, in order
    assert follower.position == position

    again = run_cli(settings, monkeypatch, "projections", "retry")
    assert "0 angewandt / applied" in again.output
    assert cycle_rows(app)[str(broken)]["events"] == 2
    assert run_cli(settings, monkeypatch, "projections", "status").exit_code == 0


def test_a_rebuild_tries_set_aside_events_again(
    app: Qualizyklus, monkeypatch: pytest.MonkeyPatch
) -> None:
    nord = register_network(app, "lk-nord")
    broken = bad_start(app, nord, monkeypatch)
    other = start_cycle(app, nord)
    follower = Follower(app, batch_size=2)
    follower.catch_up()
    assert len(follower.view.set_aside_events()) == 1

    follower.rebuild()
    assert [e["originator_id"] for e in follower.view.set_aside_events()] == [str(broken)]
    assert set(cycle_rows(app)) == {str(other)}

    fixed = {**projection_view.HANDLERS_BY_TOPIC, CYCLE_STARTED: fixed_cycle_started}
    monkeypatch.setattr(projection_view, "HANDLERS_BY_TOPIC", fixed)
    follower.rebuild()
    assert follower.view.set_aside_events() == []
    assert set(cycle_rows(app)) == {str(broken), str(other)}


def test_a_lost_database_is_not_blamed_on_an_event(app: Qualizyklus) -> None:
    """A failure of the database itself is raised (the follower tries later), never set aside."""
    network = register_network(app)
    start_cycle(app, network)
    follower = Follower(app)
    view = follower.view
    original = view.sql

    def broken_sql(statement: str) -> str:
        return original(statement).replace("qz_cycles", "qz_no_such_table")

    view.sql = broken_sql  # type: ignore[method-assign]
    try:
        with pytest.raises((OperationalError, ProgrammingError), match="no_such_table"):
            follower.catch_up()
    finally:
        view.sql = original  # type: ignore[method-assign]
    assert follower.position == 0
    assert view.set_aside_events() == []
    follower.catch_up()
    assert follower.behind() == 0
