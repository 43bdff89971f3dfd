"""`qualizyklus texts search | erase` on a real SQLite store: erased, refused twice, verified."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.application.service import Qualizyklus
from engine.cli.main import main
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.test_free_texts import KEPT, SECRET, built


def test_search_then_erase_then_refuse_the_second_erasure_and_verify_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", url)
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    app = Qualizyklus(Settings.from_environ(), themes=SAMPLE_THEMES)
    try:
        _, _, references = built(app)
    finally:
        app.close()

    found = runner.invoke(main, ["texts", "search", "beispielname"])
    erased = runner.invoke(main, ["texts", "erase", references[SECRET], "--reason", "DSGVO"])
    again = runner.invoke(main, ["texts", "erase", references[SECRET], "--reason", "DSGVO"])
    unknown = runner.invoke(main, ["texts", "erase", "qzt1:" + "0" * 64, "--reason", "x"])
    verified = runner.invoke(main, ["audit", "verify"])

    assert found.exit_code == 0, found.output
    assert references[SECRET] in found.output
    assert references[KEPT] not in found.output
    assert erased.exit_code == 0, erased.output
    assert "erased" in erased.output
    assert again.exit_code == 1
    assert "erased already" in again.output
    assert unknown.exit_code == 1
    assert "No text" in unknown.output
    assert verified.exit_code == 0, verified.output
    assert "Beispielname" not in runner.invoke(main, ["texts", "search", "beispielname"]).output
