"""A built wheel carries everything a fresh installation needs (not only what a clone has).

The wheel is built from a copy of the project: a build in the checkout itself rewrites its
qualizyklus.egg-info, which importlib.metadata reads there (the checkout is on sys.path) when
another test process looks up the plugins' entry points at the same moment.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_BUILT = shutil.ignore_patterns(
    ".*", "*.egg-info", "__pycache__", "build", "var", "node_modules", "test-artifacts", "tests"
)
"""What a build of the copy needs not: the virtualenv, caches, local state, the tests."""


def test_the_wheel_holds_templates_styles_translations_workflows_and_entry_points(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=NOT_BUILT)
    wheels = tmp_path / "wheels"
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
            str(wheels),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("qualizyklus-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "web/templates").rglob("*.html")}
    assert templates <= names
    for expected in (
        "web/static/style.css",
        "web/static/favicon.svg",
        "web/static/favicon.ico",
        "web/legal/impressum.de.md",
        "web/legal/barrierefreiheit.en.md",
        "web/translations/en/LC_MESSAGES/messages.mo",
        "workflows/standard-v1.toml",
        "workflows/standard-v2.toml",
        "plugins/parent_participation/catalogue.py",
        "plugins/impact_orientation/templates/impact_orientation/logic_model.html",
        "plugins/impact_orientation/static/logic_model.css",
    ):
        assert expected in names, expected
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "qualizyklus = engine.cli:main" in text
    assert "parent-participation = plugins.parent_participation" in text
