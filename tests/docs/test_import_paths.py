"""The author docs and the code agree on the public names: every name of ``engine`` and
``engine.testing`` is documented, each with one import path, and no import path or dotted name
the docs give is missing from the code.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

import engine
import engine.testing

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "docs" / "plugins.md", ROOT / "docs" / "hooks.md"]
TEMPLATE_PACKAGE = "qualizyklus_theme_example"
"""Imported in the docs from the template, which is only importable once installed."""
FROM_IMPORT = re.compile(r"\bfrom ([\w.]+) import ((?:\w+(?:, )?)+)")
DOTTED = re.compile(r"`((?:engine|web)\.[\w.]+)")
PUBLIC = {name: "engine" for name in engine.__all__} | dict.fromkeys(
    engine.testing.__all__, "engine.testing"
)


def docs_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


def imports(text: str) -> list[tuple[str, str]]:
    """Every (module, name) a ``from module import name`` in ``text`` names."""
    return [
        (module, name.strip())
        for module, names in FROM_IMPORT.findall(text)
        for name in names.split(",")
        if name.strip()
    ]


def resolves(dotted: str) -> bool:
    """Whether ``dotted`` is a module, or an attribute of one (possibly of a class in it)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            if not hasattr(found, part):
                return False
            found = getattr(found, part)
        return True
    return False


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_name_is_documented(name: str) -> None:
    assert f"`{name}`" in docs_text(), f"{name} is in neither docs/plugins.md nor docs/hooks.md"


def test_every_import_in_the_docs_exists() -> None:
    missing = [
        f"from {module} import {name}"
        for module, name in imports(docs_text())
        if not module.startswith(TEMPLATE_PACKAGE)
        and not hasattr(importlib.import_module(module), name)
    ]
    assert missing == []


def test_the_docs_import_the_templates_names_from_files_that_define_them() -> None:
    template = ROOT / "examples" / "theme-template"
    for module, name in imports(docs_text()):
        if module.startswith(TEMPLATE_PACKAGE):
            path = template / Path(*module.split("."))
            source = path.with_suffix(".py") if path.with_suffix(".py").is_file() else path
            text = (source / "__init__.py" if source.is_dir() else source).read_text()
            assert re.search(rf"^(def |class )?{name}\b", text, re.M), f"{module}.{name}"


def test_the_docs_import_each_public_name_from_its_one_path() -> None:
    wrong = sorted(
        {
            f"from {module} import {name} (use {PUBLIC[name]})"
            for module, name in imports(docs_text())
            if name in PUBLIC and module != PUBLIC[name]
        }
    )
    assert wrong == []


def test_every_dotted_name_in_the_docs_exists() -> None:
    named = {found.rstrip(".") for found in DOTTED.findall(docs_text())}
    assert named, "the docs name no engine or web module"
    assert sorted(name for name in named if not resolves(name)) == []


def test_the_checks_find_what_they_look_for() -> None:
    text = "from engine import Theme, hookimpl\nfrom engine.testing import Network"
    assert imports(text) == [
        ("engine", "Theme"),
        ("engine", "hookimpl"),
        ("engine.testing", "Network"),
    ]
    assert resolves("engine.Theme") and resolves("engine.testing.Qualizyklus.start_cycle")
    assert not resolves("engine.Thema") and not resolves("engine.domain.nowhere")
