"""The command line against a real store: init, demo, audit verify, export, import, plugins."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engine.cli.main import main
from engine.domain.organisation import organisation_id_for
from tests.conftest import FillWithDemo

Run = Callable[..., Result]


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run a `qualizyklus` command against the test's store."""
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", database_url)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def demo_store(run: Run, database_url: str, fill_with_demo: FillWithDemo) -> Run:
    """The store as `qualizyklus init` and `qualizyklus demo` leave it (the demo copied, dated
    from today as the command dates it; loaded once per run, see tests/conftest.py)."""
    fill_with_demo(database_url, today=date.today())
    assert run("init").exit_code == 0
    return run


def test_init_is_safe_to_repeat(run: Run) -> None:
    first, second = run("init"), run("init")
    assert first.exit_code == second.exit_code == 0
    assert "Schema bereit" in second.output


def test_demo_is_idempotent_and_names_its_people(demo_store: Run) -> None:
    verified = demo_store("audit", "verify")
    again = demo_store("demo")
    assert again.exit_code == 0
    assert "lk-musterland: vorhanden" in again.output
    assert "Anna Becker" in again.output
    assert demo_store("audit", "verify").output == verified.output


def test_audit_verify_counts_the_events_it_checked(demo_store: Run) -> None:
    result = demo_store("audit", "verify")
    assert result.exit_code == 0
    assert "OK: " in result.output
    checked = int(result.output.split("OK: ", 1)[1].split(" ", 1)[0])
    assert checked > 100


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_audit_verify_fails_naming_aggregate_and_version_of_an_altered_event(
    demo_store: Run, database_url: str
) -> None:
    organisation_id = organisation_id_for("beispielstadt")
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        (state,) = connection.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = 1",
            (organisation_id.hex,),
        ).fetchone()
        altered = state.replace(b"Stadt Beispielstadt", b"Stadt Anderswo")
        assert altered != state
        connection.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = 1",
            (altered, organisation_id.hex),
        )
    result = demo_store("audit", "verify")
    assert result.exit_code == 1
    assert f"aggregate {organisation_id} version 1" in result.output


def test_export_then_import_into_an_empty_store_verifies(
    demo_store: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported = demo_store("export", "--org", "lk-musterland")
    assert exported.exit_code == 0
    export_file = tmp_path / "export.jsonl"
    export_file.write_text(exported.stdout, encoding="utf-8")
    header = json.loads(exported.stdout.splitlines()[0])
    assert header["organisation"] == "lk-musterland"

    monkeypatch.setenv("QUALIZYKLUS_DATABASE", f"sqlite:///{tmp_path}/target.db")
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    imported = runner.invoke(main, ["import", str(export_file)])
    assert imported.exit_code == 0, imported.output
    verified = runner.invoke(main, ["audit", "verify"])
    assert verified.exit_code == 0
    events = len(exported.stdout.splitlines()) - 2
    assert f"OK: {events} " in verified.output


def test_import_of_a_truncated_file_is_refused_and_writes_nothing(
    demo_store: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = demo_store("export", "--org", "beispielstadt").stdout.splitlines()
    export_file = tmp_path / "truncated.jsonl"
    export_file.write_text("\n".join(lines[:-5]) + "\n", encoding="utf-8")
    target = tmp_path / "target.db"
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", f"sqlite:///{target}")
    runner = CliRunner()
    runner.invoke(main, ["init"])
    refused = runner.invoke(main, ["import", str(export_file)])
    assert refused.exit_code != 0
    assert "Import abgelehnt" in refused.output
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT COUNT(*) FROM stored_events").fetchone() == (0,)


def test_plugins_list_shows_the_built_in_themes_with_their_hooks(run: Run) -> None:
    run("init")
    listed = json.loads(run("plugins", "list", "--json").output)
    names = {row["name"]: row for row in listed["plugins"]}
    for theme in ("political-anchoring", "parent-participation", "impact-orientation"):
        assert names[theme]["distribution"] == "qualizyklus"
        assert "register_themes" in names[theme]["hooks"]
    assert listed["refused"] == {}
