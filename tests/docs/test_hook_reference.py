"""The plugin author's documentation is complete and current.

Every hook has a docstring that names each of its parameters; docs/hooks.md is exactly what
engine.extensions.hookdoc generates from engine/extensions/hookspecs.py; the guide
(docs/plugins.md) mentions every
hook, links to the reference, and takes every code snippet verbatim from the theme template;
every public name of ``engine`` has a docstring.
"""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pluggy
import pytest

import engine
from engine.extensions import hookdoc, hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS_MD = ROOT / "docs" / "hooks.md"
GUIDE = ROOT / "docs" / "plugins.md"
SPECS = hookdoc.hook_specs()
REGENERATE = "run: .venv/bin/python -m engine.extensions.hookdoc > docs/hooks.md"
SNIPPET_LANGUAGES = {"python", "ini", "toml", "cfg"}
MARKER = re.compile(r"<!-- file: (?P<path>\S+) -->")
FENCE = re.compile(r"^```(?P<language>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def _mentions(doc: str, name: str) -> bool:
    """Whether ``doc`` names ``name`` as ``name`` in double backticks or as a plain word.

    Text inside other literals does not count: ``cycle["themes"]`` names the cycle's key,
    not a parameter called ``themes``.
    """
    if name in re.findall(r"``(.+?)``", doc, flags=re.DOTALL):
        return True
    plain = re.sub(r"``.+?``|:[a-z]+:`[^`]+`", " ", doc, flags=re.DOTALL)
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", plain) is not None


def test_the_hookspecs_define_hooks_and_the_reference_finds_them_all() -> None:
    tree = ast.parse(Path(hookspecs.__file__).read_text(encoding="utf-8"))
    defined = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert defined, "engine/extensions/hookspecs.py defines no hooks"
    assert [spec.name for spec in SPECS] == defined


def test_every_hook_has_a_docstring() -> None:
    undocumented = [spec.name for spec in SPECS if not spec.doc.strip()]
    assert undocumented == [], (
        f"hooks without a docstring in engine/extensions/hookspecs.py: {undocumented}"
    )


def test_every_hook_docstring_mentions_each_of_its_parameters() -> None:
    missing = [
        f"{spec.name}({parameter.name})"
        for spec in SPECS
        for parameter in spec.parameters
        if not _mentions(spec.doc, parameter.name)
    ]
    assert missing == [], (
        "these hook parameters are not mentioned by name in their hook's docstring "
        f"(engine/extensions/hookspecs.py): {', '.join(missing)}"
    )


def test_a_mention_is_a_literal_of_the_name_or_the_plain_word() -> None:
    assert _mentions("Looks at ``cycle`` only.", "cycle")
    assert _mentions("The previous cycle, if any.", "previous")
    assert not _mentions('Look at ``cycle["themes"]``.', "themes")
    assert not _mentions("Each :class:`engine.Theme` is checked.", "Theme")
    assert not _mentions("Every cycle records ``Theme.version``.", "version")
    assert not _mentions("All the cycles.", "cycle")


def test_docs_hooks_md_is_what_hookdoc_generates() -> None:
    assert HOOKS_MD.is_file(), f"docs/hooks.md is missing; {REGENERATE}"
    current = HOOKS_MD.read_text(encoding="utf-8")
    differences = "".join(hookdoc.check(HOOKS_MD, hookdoc.render()))
    assert current == hookdoc.render(), f"docs/hooks.md is out of date; {REGENERATE}\n{differences}"


def test_the_reference_has_each_hook_with_signature_options_and_docstring() -> None:
    text = hookdoc.render()
    headings = re.findall(r"^## (\w+)$", text, flags=re.MULTILINE)
    assert [h for h in headings if h in {s.name for s in SPECS}] == [s.name for s in SPECS]
    for spec in SPECS:
        section = text.split(f"\n## {spec.name}\n", 1)[1].split("\n## ", 1)[0]
        assert f"def {spec.name}(" in section
        for parameter in spec.parameters:
            assert f"{parameter.name}: {parameter.annotation}" in section
        assert f"firstresult: {'yes' if spec.firstresult else 'no'}" in section
        assert f"historic: {'yes' if spec.historic else 'no'}" in section
        assert hookdoc.markdown(spec.doc) in section


def test_the_reference_lists_every_public_name_with_its_first_docstring_line() -> None:
    text = hookdoc.render()
    for name in engine.__all__:
        line = hookdoc.first_line(getattr(engine, name))
        assert re.search(
            rf"^\| `{name}` \| [^|]+ \| {re.escape(hookdoc.markdown(line))} \|$", text, re.M
        )


def test_every_public_name_of_engine_has_a_docstring() -> None:
    undocumented = [
        name for name in engine.__all__ if not (inspect.getdoc(getattr(engine, name)) or "").strip()
    ]
    assert undocumented == [], f"public names of engine without a docstring: {undocumented}"


def test_the_reference_marks_firstresult_and_historic_hooks(tmp_path: Path) -> None:
    marker = pluggy.HookspecMarker("probe")

    def resolve(key: str) -> str:
        """Resolve ``key`` (the first answer wins)."""
        return key

    def announce(name: str) -> None:
        """Be told the ``name`` of every registration, also of earlier ones."""

    specs = ModuleType("probe_specs", "Probe hooks for a host of our own.")
    specs.resolve = marker(firstresult=True)(resolve)  # type: ignore[attr-defined]
    specs.announce = marker(historic=True)(announce)  # type: ignore[attr-defined]
    package = ModuleType("probe", "A package exporting nothing.")
    package.__all__ = []  # type: ignore[attr-defined]

    text = hookdoc.render(specs, package, project="probe")

    assert "| [`resolve`](#resolve) | yes | no |" in text
    assert "| [`announce`](#announce) | no | yes |" in text
    assert "def resolve(key: str) -> str: ..." in text
    assert "The first non-`None` result wins" in text
    assert "Historic: a plugin registered later" in text


def test_python_m_engine_hookdoc_prints_the_reference_and_check_exits_1_when_stale(
    tmp_path: Path,
) -> None:
    command = [sys.executable, "-m", "engine.extensions.hookdoc"]
    printed = subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    assert printed.stdout.decode("utf-8") == hookdoc.render()

    fresh = tmp_path / "hooks.md"
    fresh.write_bytes(printed.stdout)
    assert subprocess.run([*command, "--check", str(fresh)], cwd=ROOT).returncode == 0

    stale = tmp_path / "stale.md"
    stale.write_text(hookdoc.render().replace("## insights", "## insight"), encoding="utf-8")
    checked = subprocess.run(
        [*command, "--check", str(stale)], cwd=ROOT, capture_output=True, text=True
    )
    assert checked.returncode == 1
    assert "+## insights" in checked.stderr
    assert "out of date" in checked.stderr


@pytest.mark.parametrize("hook", [spec.name for spec in SPECS])
def test_the_guide_mentions_every_hook(hook: str) -> None:
    assert re.search(rf"\b{hook}\b", GUIDE.read_text(encoding="utf-8")), (
        f"docs/plugins.md does not mention the hook {hook}"
    )


def test_the_guide_links_to_the_hook_reference() -> None:
    assert "(hooks.md)" in GUIDE.read_text(encoding="utf-8")


def test_every_code_snippet_in_the_guide_is_taken_from_the_template() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    checked, problems = 0, []
    for fence in FENCE.finditer(guide):
        if fence.group("language") not in SNIPPET_LANGUAGES:
            continue
        before = guide[: fence.start()].rstrip().rsplit("\n", 1)[-1]
        marker = MARKER.fullmatch(before.strip())
        line = guide.count("\n", 0, fence.start()) + 1
        if marker is None:
            problems.append(f"line {line}: no <!-- file: PATH --> marker before the snippet")
            continue
        source = ROOT / marker.group("path")
        if not source.is_file():
            problems.append(f"line {line}: {marker.group('path')} does not exist")
        elif "\n" + fence.group("body") not in "\n" + source.read_text(encoding="utf-8"):
            problems.append(f"line {line}: the snippet is not in {marker.group('path')} verbatim")
        checked += 1
    assert problems == []
    assert checked >= 8, "the tutorial shows the template's code"
