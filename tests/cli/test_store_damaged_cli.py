"""A command that meets stored events failing verification prints one line saying so (in
German and English, naming ``qualizyklus audit verify``) and exits 1, without a traceback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from click.testing import CliRunner

from engine.application.service import Qualizyklus
from engine.cli.main import main
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import register_network


def test_exporting_a_damaged_organisation_is_one_line_and_exit_status_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/qualizyklus.db"
    settings = Settings(database=url)
    Qualizyklus(settings, create_tables=True).close()
    app = Qualizyklus(settings, themes=SAMPLE_THEMES)
    network = register_network(app, "lk-kaputt")
    app.close()
    with sqlite3.connect(settings.sqlite_path(), isolation_level=None) as connection:
        connection.execute(
            "UPDATE stored_events SET topic = ? WHERE originator_id = ? AND originator_version = 2",
            ("qualizyklus:Organisation.NeverDefined", network.organisation_id.hex),
        )
    connection.close()

    result = CliRunner().invoke(
        main,
        ["export", "--org", "lk-kaputt", "--output", str(tmp_path / "export.jsonl")],
        env={"QUALIZYKLUS_DATABASE": url},
    )

    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Die gespeicherten Daten haben die Prüfung nicht bestanden" in lines[0]
    assert "The stored data failed verification" in lines[0]
    assert "qualizyklus audit verify" in lines[0]
    assert "Traceback" not in result.output + result.stderr
