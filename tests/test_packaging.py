"""A built wheel carries everything a fresh installation needs (not only what a clone has)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_templates_styles_translations_workflows_and_entry_points(
    tmp_path: Path,
) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("qualizyklus-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "web/templates").rglob("*.html")}
    assert templates <= names
    for expected in (
        "web/static/style.css",
        "web/translations/en/LC_MESSAGES/messages.mo",
        "workflows/standard-v1.toml",
        "workflows/standard-v2.toml",
        "plugins/parent_participation/catalogue.py",
    ):
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "qualizyklus = engine.cli:main" in text
    assert "parent-participation = plugins.parent_participation" in text
