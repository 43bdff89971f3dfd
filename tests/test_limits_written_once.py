"""No item limit is written twice: the engine's commands, the API and the forms take their limits
from engine/domain/limits.py (through engine.domain.shapes), never as a number of their own."""

from __future__ import annotations

import ast
from pathlib import Path

from engine.domain.limits import ALL

ROOT = Path(__file__).resolve().parents[1]
LIMITS = frozenset(ALL.values())
NAMED = frozenset({20_000, 2_000, 64_000})
"""Numbers that are item limits wherever they stand (the others only where a limit goes)."""
LIMIT_KEYWORDS = frozenset({"max", "max_length", "limit"})
LIMIT_CALLS = frozenset({"Length", "Text", "text", "optional_text", "_optional_text"})
OTHER_LIMITS = frozenset({("web/api/plan_csv.py", "MAX_ROWS")})
"""Constants that happen to have a limit's value but limit something else (rows of a file)."""


def literal_limits(source: str, path: str = "<source>") -> list[str]:
    """Where ``source`` writes an item limit as a number: 'path:line value'."""
    tree = ast.parse(source)
    allowed = _other_limit_constants(tree, path)
    found = set()
    for node in ast.walk(tree):
        for number in _limit_numbers(node):
            if id(number) not in allowed:
                found.add((number.lineno, number.value))
    return [f"{path}:{line} {value}" for line, value in sorted(found)]


def _limit_numbers(node: ast.AST) -> list[ast.Constant]:
    """The numbers in ``node`` that stand where a limit goes, or are named limits anywhere."""
    if _is_int(node) and node.value in NAMED:  # type: ignore[attr-defined]
        return [node]  # type: ignore[list-item]
    if not isinstance(node, ast.Call):
        return []
    numbers = [k.value for k in node.keywords if k.arg in LIMIT_KEYWORDS]
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    if name in LIMIT_CALLS:
        numbers.extend(node.args)
    return [n for n in numbers if _is_int(n) and n.value in LIMITS]  # type: ignore[misc]


def _is_int(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int


def _other_limit_constants(tree: ast.Module, path: str) -> set[int]:
    return {
        id(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and (path, t.id) in OTHER_LIMITS for t in node.targets)
    }


def literals_under(*relative: str) -> list[str]:
    """Every literal item limit in the given files and folders (relative to the project)."""
    found: list[str] = []
    for name in relative:
        base = ROOT / name
        for path in sorted([base] if base.is_file() else base.rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            found.extend(literal_limits(path.read_text(encoding="utf-8"), rel))
    return found


def test_the_scanner_finds_a_limit_written_as_a_number() -> None:
    source = (
        "MAX_ROWS = 2_000\n"
        "x = check.optional_text('reason', r, max_length=2_000)\n"
        "y = Length(max=300)\n"
        "z = Text(1_000, required=True)\n"
        "w = 20000\n"
        "ok = Length(max=MAX_TITLE)\n"
        "fine = Range(min=1, max=40)\n"
    )
    assert literal_limits(source, "web/api/plan_csv.py") == [
        "web/api/plan_csv.py:2 2000",
        "web/api/plan_csv.py:3 300",
        "web/api/plan_csv.py:4 1000",
        "web/api/plan_csv.py:5 20000",
    ]
    assert literal_limits(source, "elsewhere.py")[0] == "elsewhere.py:1 2000"


def test_the_api_and_the_forms_helper_write_no_limit_as_a_number() -> None:
    assert literals_under("web/api", "web/forms.py") == []


def test_the_shapes_name_the_limits_the_engine_always_had() -> None:
    assert ALL == {
        "MAX_TEXT": 20_000,
        "MAX_REASON": 2_000,
        "MAX_TITLE": 300,
        "MAX_DESCRIPTION": 1_000,
        "MAX_UNIT": 50,
        "MAX_KEY": 100,
        "MAX_ITEM_ID": 64,
        "MAX_SUBJECT": 200,
        "MAX_LABEL": 200,
        "MAX_FILENAME": 255,
        "MAX_ATTRS_BYTES": 64_000,
        "MAX_NUMBER_TEXT": 50,
        "MAX_THEME_RECORDS": 1_000,
        "MAX_RECORD_TEXT": 4_000,
        "MAX_RECORD_CHANGES": 250,
    }


def test_the_engine_commands_write_no_limit_as_a_number() -> None:
    assert literals_under("engine/application") == []


def test_the_ui_forms_write_no_limit_as_a_number() -> None:
    assert literals_under("web/ui") == []
