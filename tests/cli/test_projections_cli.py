"""`qualizyklus projections run|rebuild` as real processes, killed at random moments.

A follower process dies (SIGKILL) in the middle of its work again and again, while new events
arrive; each restart resumes where the last committed batch ended. In the end every cycle's
count of applied events equals its number of events (nothing counted twice or left out), and
the read models equal a rebuild from scratch.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.cli.main import main
from engine.demo.networks import (
    DEMO_LAND_ORGANISATIONS,
    DEMO_ORGANISATIONS,
    DEMO_REFERENCE_DAY,
)
from engine.infrastructure.settings import Settings
from engine.readmodels import Follower, read_model
from engine.readmodels.insights import pending_cycles
from tests.conftest import FillWithDemo
from tests.engine.stories import Network, register_network, start_cycle
from tests.engine.test_projections import tables

QUALIZYKLUS = str(Path(sys.executable).parent / "qualizyklus")


@pytest.fixture
def demo_app(settings: Settings, fill_with_demo: FillWithDemo) -> Iterator[Qualizyklus]:
    """The demo in the test's store, the read models not yet built.
    (A copy of the demo, loaded once per run.)"""
    fill_with_demo(settings.database, today=DEMO_REFERENCE_DAY)
    app = open_engine(settings)
    yield app
    app.close()


def _follower_process(database: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [QUALIZYKLUS, "projections", "run", "--batch-size", "3"],
        env={**os.environ, "QUALIZYKLUS_DATABASE": database},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _rate_in_new_cycle(app: Qualizyklus, network: Network, title: str) -> None:
    """A new cycle on an installed theme, with each of its criteria rated."""
    theme = next(iter(app.themes.values()))
    cycle_id = start_cycle(app, network, title=title, themes=[theme.id])
    for criterion in theme.criteria:
        scale = criterion.scale
        value = scale.levels[-1].id if scale.kind == "levels" else scale.maximum
        app.record_assessment(
            cycle_id,
            actor_id=network.coordinator,
            theme_id=theme.id,
            criterion_id=criterion.id,
            value=value,
        )


def _progress_or_exit(
    observer: Follower, start: int, process: subprocess.Popen[bytes]
) -> Callable[[], bool]:
    return lambda: observer.position > start or process.poll() is not None


def _wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_a_killed_follower_resumes_without_applying_any_event_twice(
    demo_app: Qualizyklus, settings: Settings
) -> None:
    app = demo_app
    observer = Follower(app)
    rng = random.Random(2026)
    killed_midway = 0
    network = register_network(app, "lk-kill")
    for round_number in range(6):
        before = observer.position
        process = _follower_process(settings.database)
        try:
            # Let it get going, then kill it at a random moment of its work.
            _wait_for(_progress_or_exit(observer, before, process))
            time.sleep(rng.uniform(0, 0.05))
        finally:
            process.kill()
            process.wait()
        if 0 < observer.position < (app.recorder.max_notification_id() or 0):
            killed_midway += 1
        # New events arrive while no follower runs (and while the next one starts).
        _rate_in_new_cycle(app, network, f"Zyklus {round_number}")
    assert killed_midway >= 3, "the follower should have been killed in the middle of its work"

    process = _follower_process(settings.database)
    try:
        _wait_for(lambda: observer.behind() == 0)
    finally:
        process.send_signal(signal.SIGTERM)
        _, errors = process.communicate(timeout=30)
    assert process.returncode == 0, errors.decode()

    counts = read_model(app).query("SELECT cycle_id, version, events FROM qz_cycles")
    demo_cycles = 2 * len(DEMO_ORGANISATIONS + DEMO_LAND_ORGANISATIONS)  # closed and running
    assert len(counts) == len(app.cycles_of(network.organisation_id)) + demo_cycles
    assert all(row["events"] == row["version"] for row in counts)
    followed = tables(app)
    Follower(app).rebuild()
    assert tables(app) == followed


def test_rebuild_replays_the_log_with_a_progress_bar(
    demo_app: Qualizyklus, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    Follower(demo_app).catch_up()
    before = tables(demo_app)
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", settings.database)
    result = CliRunner().invoke(main, ["projections", "rebuild", "--batch-size", "50"])
    assert result.exit_code == 0, result.output
    total = demo_app.recorder.max_notification_id()
    assert f"{total} Ereignisse angewandt" in result.output
    assert "Projektionen / projections" in result.output
    assert tables(demo_app) == before


def test_a_bad_batch_size_is_refused_and_changes_nothing(
    demo_app: Qualizyklus, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", settings.database)
    result = CliRunner().invoke(main, ["projections", "rebuild", "--batch-size", "0"])
    assert result.exit_code == 2
    assert "--batch-size" in result.output
    assert Follower(demo_app).position == 0


def test_the_themes_insights_into_closed_cycles_are_kept_as_figures(
    demo_app: Qualizyklus,
) -> None:
    follower = Follower(demo_app)
    follower.catch_up()
    closed = [
        row["cycle_id"]
        for row in follower.view.query("SELECT cycle_id FROM qz_cycles WHERE closed = 1")
    ]
    assert sorted(pending_cycles(follower.view)) == sorted(closed)
    assert follower.refresh_insights() == len(closed)
    assert pending_cycles(follower.view) == []
    for cycle_id in closed:
        expected = sorted(
            (insight.theme_id, insight.id, index, float(figure.value))
            for insight in demo_app.insights(UUID(cycle_id)).items
            for index, figure in enumerate(insight.figures)
            if isinstance(figure.value, int | float)
        )
        kept = sorted(
            (row["theme_id"], row["insight_id"], row["figure"], row["value"])
            for row in follower.view.query(
                "SELECT * FROM qz_insight_figures WHERE cycle_id = ?", (cycle_id,)
            )
        )
        assert kept == expected and kept


def test_a_reopened_cycle_loses_its_insight_figures(demo_app: Qualizyklus) -> None:
    follower = Follower(demo_app)
    follower.catch_up()
    follower.refresh_insights()
    [row] = follower.view.query(
        "SELECT cycle_id, organisation_id FROM qz_cycles WHERE closed = 1 LIMIT 1"
    )
    coordinator = next(
        member["member_id"]
        for member in follower.view.query(
            "SELECT member_id FROM qz_members WHERE organisation_id = ? AND role = 'coordinator'",
            (row["organisation_id"],),
        )
    )
    demo_app.reopen_phase(
        UUID(row["cycle_id"]),
        actor_id=coordinator,
        to_phase="review",
        reason="Nachtrag zur Auswertung",
    )
    follower.catch_up()
    assert pending_cycles(follower.view) == [row["cycle_id"]]
    follower.refresh_insights()
    assert (
        follower.view.query(
            "SELECT * FROM qz_insight_figures WHERE cycle_id = ?", (row["cycle_id"],)
        )
        == []
    )
