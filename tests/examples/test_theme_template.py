"""The theme template is a separate distribution the engine finds through the entry point alone.

The template is built offline with the environment's own setuptools and installed into a
folder of its own (pip --target); a `qualizyklus` process lists it only when that folder is on
PYTHONPATH, and the template's own tests pass against it there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "examples" / "theme-template"
DISTRIBUTION = "qualizyklus-theme-example"
PACKAGE = "qualizyklus_theme_example"
PLUGIN = "qualifizierung"
PROJECT_CODE = ("engine", "plugins", "web", "workflows", "setup.cfg", "pyproject.toml")
"""What makes up the installed application (docs, tests and examples aside)."""


@dataclass(frozen=True)
class Installed:
    """The template installed into ``target``, and a store initialised for the CLI."""

    source: Path
    target: Path
    workdir: Path
    database: str

    def environ(self, *, with_template: bool) -> dict[str, str]:
        """The subprocess environment: the store, and the template's folder on PYTHONPATH."""
        environ = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
        environ.pop("PYTHONPATH", None)
        environ["QUALIZYKLUS_DATABASE"] = self.database
        if with_template:
            environ["PYTHONPATH"] = str(self.target)
        return environ


def _run(command: list[str], cwd: Path, environ: Mapping[str, str]) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=dict(environ), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def _qualizyklus() -> str:
    """The `qualizyklus` console script of the environment running the tests."""
    script = shutil.which("qualizyklus", path=str(Path(sys.executable).parent))
    assert script, f"no qualizyklus script beside {sys.executable}"
    return script


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The template copied (the build leaves files behind), built offline and installed."""
    base = tmp_path_factory.mktemp("template")
    source = base / "theme-template"
    shutil.copytree(
        TEMPLATE,
        source,
        ignore=shutil.ignore_patterns(
            "build", "*.egg-info", "__pycache__", ".pytest_cache", "*.pyc"
        ),
    )
    target = base / "site"
    pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation"]
    pip += ["--no-index", "--disable-pip-version-check", "--quiet", "--target", str(target)]
    built = subprocess.run(
        [*pip, str(source)], cwd=base, capture_output=True, text=True, timeout=300
    )
    assert "bdist_wheel" not in built.stderr, (
        "this environment's setuptools cannot build a wheel by itself (it needs 70.1 or later, "
        f"or the 'wheel' package): {sys.executable} -m pip install 'setuptools>=70.1'"
    )
    assert built.returncode == 0, f"{built.stdout}\n{built.stderr}"
    workdir = base / "installation"
    workdir.mkdir()
    database = f"sqlite:///{workdir / 'qualizyklus.db'}"
    found = Installed(source, target, workdir, database)
    _run([_qualizyklus(), "init"], workdir, found.environ(with_template=False))
    return found


def _plugins_list(installed: Installed, *, with_template: bool) -> dict[str, Any]:
    output = _run(
        [_qualizyklus(), "plugins", "list", "--json"],
        installed.workdir,
        installed.environ(with_template=with_template),
    )
    listing: dict[str, Any] = json.loads(output)
    return listing


def test_the_template_installs_as_its_own_distribution_offline(installed: Installed) -> None:
    (dist_info,) = installed.target.glob("qualizyklus_theme_example-*.dist-info")
    metadata = (dist_info / "METADATA").read_text(encoding="utf-8")
    assert f"Name: {DISTRIBUTION}" in metadata
    entry_points = (dist_info / "entry_points.txt").read_text(encoding="utf-8")
    assert re.search(rf"\[qualizyklus\]\s+{PLUGIN} = {PACKAGE}\s", entry_points)
    assert (installed.target / PACKAGE / "__init__.py").is_file()


def test_plugins_list_shows_the_template_with_its_distribution_and_hooks(
    installed: Installed,
) -> None:
    listing = _plugins_list(installed, with_template=True)

    rows = {row["name"]: row for row in listing["plugins"]}
    assert rows[PLUGIN] == {
        "name": PLUGIN,
        "distribution": DISTRIBUTION,
        "version": "0.1.0",
        "hooks": ["gate_reasons", "insights", "register_themes"],
    }
    assert listing["refused"] == {}


def test_the_plugin_is_imported_from_the_installed_folder(installed: Installed) -> None:
    code = f"import {PACKAGE}; print({PACKAGE}.__file__)"
    output = _run(
        [sys.executable, "-P", "-c", code],
        installed.source,
        installed.environ(with_template=True),
    )
    assert Path(output.strip()).is_relative_to(installed.target)


def test_without_the_folder_on_the_path_the_plugin_is_absent(installed: Installed) -> None:
    listing = _plugins_list(installed, with_template=False)

    assert PLUGIN not in {row["name"] for row in listing["plugins"]}
    assert DISTRIBUTION not in {row["distribution"] for row in listing["plugins"]}, (
        f"{DISTRIBUTION} is installed in {sys.prefix}; uninstall it to run this test"
    )
    assert {row["name"] for row in listing["plugins"]} >= {"impact-orientation"}


def test_no_code_of_the_application_refers_to_the_template() -> None:
    pattern = re.compile(rf"{PACKAGE}|{DISTRIBUTION}|{PLUGIN} =")
    mentions = [
        str(path.relative_to(ROOT))
        for name in PROJECT_CODE
        for path in ([ROOT / name] if (ROOT / name).is_file() else (ROOT / name).rglob("*"))
        if path.is_file()
        and path.suffix in {".py", ".cfg", ".toml", ".html", ".txt"}
        and pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert mentions == []


def test_the_templates_own_tests_pass_against_the_installed_plugin(installed: Installed) -> None:
    environ = installed.environ(with_template=True)
    environ.pop("QUALIZYKLUS_DATABASE")
    command = [sys.executable, "-P", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += ["--rootdir", str(installed.source), str(installed.source / "tests")]
    result = subprocess.run(
        command, cwd=installed.source, env=environ, capture_output=True, text=True, timeout=300
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    summary = output.strip().splitlines()[-1]
    assert re.search(r"\b\d+ passed\b", summary), summary
    assert not re.search(r"failed|error|skipped|xfail|deselected", summary), summary


def test_the_template_passes_ruff_on_its_own_outside_the_project(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Copied where no Qualizyklus config lies above it, ruff reads the template's own."""
    source = tmp_path_factory.mktemp("alone") / "qualizyklus-theme-example"
    shutil.copytree(TEMPLATE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    assert not any((parent / "pyproject.toml").exists() for parent in source.parents)
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff, f"no ruff beside {sys.executable}"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RUFF")}

    settings = _run([ruff, "check", "--show-settings", "tests/test_theme.py"], source, environ)
    assert f"Settings path: {source / 'pyproject.toml'}" in settings.replace('"', "")
    _run([ruff, "check", "--no-cache", "."], source, environ)
    _run([ruff, "format", "--check", "--no-cache", "."], source, environ)
