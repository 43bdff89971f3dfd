"""web/ renders what the engine reads: no module of it touches the event store itself.

import-linter keeps web from importing the library's persistence (see pyproject.toml); this
test covers what an import contract cannot see, attribute access to the application's store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import web

STORE_ATTRIBUTES = frozenset({"recorder", "mapper", "repository", "snapshots", "notification_log"})
"""The application's handles on the event store, which only the engine may use."""


def _modules() -> list[Path]:
    return sorted(Path(web.__file__).parent.rglob("*.py"))


def test_no_web_module_reaches_the_applications_event_store() -> None:
    found = [
        f"{path.relative_to(Path(web.__file__).parent.parent)}:{node.lineno} .{node.attr}"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr in STORE_ATTRIBUTES
    ]

    assert _modules(), "no web modules found"
    assert found == []


def test_no_web_module_imports_the_event_sourcing_library() -> None:
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [f"{path.name}: {name}" for name in names if name.startswith("eventsourcing")]

    assert found == []
