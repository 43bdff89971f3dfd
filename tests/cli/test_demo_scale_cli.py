"""`qualizyklus demo --scale N`: generated data with a progress bar, against a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engine.application.audit import all_aggregate_ids
from engine.application.bootstrap import open_engine
from engine.cli.main import main
from engine.demo.scale import plan_organisations
from engine.infrastructure.settings import Settings

Run = Callable[..., Result]


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A fresh SQLite store's URL."""
    return f"sqlite:///{tmp_path}/qualizyklus.db"


@pytest.fixture
def run(database: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run a `qualizyklus` command against the test's store, after `init`."""
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", database)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    assert invoke("init").exit_code == 0
    return invoke


def _aggregates(database: str) -> int:
    with open_engine(Settings(database=database)) as app:
        return len(all_aggregate_ids(app))


def test_demo_scale_shows_progress_and_a_summary_and_writes_the_data(
    run: Run, database: str
) -> None:
    result = run("demo", "--scale", "2", "--cycles", "2")
    assert result.exit_code == 0, result.output
    assert "Erzeuge / generating" in result.output
    assert "2 Organisationen, 4 Zyklen, " in result.output
    with open_engine(Settings(database=database)) as app:
        for planned in plan_organisations(2, 1):
            organisation = app.organisation_by_slug(planned.slug)
            assert len(organisation["cycles"]) == 2
    verified = run("audit", "verify")
    assert verified.exit_code == 0
    assert "OK: " in verified.output


def test_demo_scale_twice_with_the_same_seed_writes_nothing_more(run: Run, database: str) -> None:
    assert run("demo", "--scale", "2", "--cycles", "1", "--seed", "5").exit_code == 0
    count = _aggregates(database)
    again = run("demo", "--scale", "2", "--cycles", "1", "--seed", "5")
    assert again.exit_code == 0
    assert "0 Organisationen, 0 Zyklen, 0 Ereignisse" in again.output
    assert "2 schon vorhanden" in again.output
    assert _aggregates(database) == count


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scale", "0"], "'--scale': 0 is not in the range x>=1"),
        (["--scale", "-4"], "'--scale': -4 is not in the range x>=1"),
        (["--scale", "2", "--cycles", "0"], "'--cycles': 0 is not in the range x>=1"),
        (["--scale", "2", "--seed", "-1"], "'--seed': -1 is not in the range x>=0"),
        (["--cycles", "3"], "--cycles und --seed nur mit --scale"),
    ],
)
def test_demo_scale_refuses_bad_input_and_writes_nothing(
    run: Run, database: str, arguments: list[str], message: str
) -> None:
    result = run("demo", *arguments)
    assert result.exit_code == 2
    assert message in result.output
    assert _aggregates(database) == 0
