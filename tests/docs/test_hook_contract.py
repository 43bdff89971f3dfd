"""The hook reference is a contract: each hook says what stays and what may change, and no hook's
signature changes without an entry in the changelog of the hook reference.

tests/docs/hook_signatures.json records every hook's signature (its name, its arguments' names,
firstresult, historic); engine/extensions/hookdoc_changelog.toml holds the changelog, whose
newest entry for each hook records the same signature. Changing a hook means changing all three
(how: the start of docs/hooks.md).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from types import ModuleType

import pluggy
import pytest

from engine.extensions import hookdoc

ROOT = Path(__file__).resolve().parents[2]
SIGNATURES = Path(__file__).with_name("hook_signatures.json")
SPECS = hookdoc.hook_specs()
ENTRIES = hookdoc.changelog()
HOW = (
    "add an entry under the hook in engine/extensions/hookdoc_changelog.toml, then run "
    ".venv/bin/python -m engine.extensions.hookdoc --signatures > tests/docs/hook_signatures.json"
    " and .venv/bin/python -m engine.extensions.hookdoc > docs/hooks.md"
)


def newest(entries: list[hookdoc.ChangelogEntry]) -> dict[str, hookdoc.ChangelogEntry]:
    """Each hook's newest changelog entry (the file lists them oldest first)."""
    return {entry.hook: entry for entry in entries}


def unrecorded(
    current: dict[str, dict[str, object]], entries: list[hookdoc.ChangelogEntry]
) -> list[str]:
    """The hooks whose signature differs from their newest changelog entry (or that have none),
    and removed hooks that are still there."""
    last = newest(entries)
    problems = [
        name
        for name, signature in current.items()
        if name not in last or last[name].removed or last[name].signature() != signature
    ]
    problems += [name for name, entry in last.items() if name not in current and not entry.removed]
    return sorted(problems)


def test_every_hook_signature_is_the_one_recorded() -> None:
    recorded = json.loads(SIGNATURES.read_text(encoding="utf-8"))
    assert hookdoc.signatures(SPECS) == recorded, f"a hook's signature changed: {HOW}"


def test_the_recorded_signatures_are_one_line_per_hook_sorted() -> None:
    recorded = json.loads(SIGNATURES.read_text(encoding="utf-8"))
    assert SIGNATURES.read_text(encoding="utf-8") == hookdoc.signatures_json(recorded)


def test_every_signature_has_its_changelog_entry() -> None:
    recorded = json.loads(SIGNATURES.read_text(encoding="utf-8"))
    assert unrecorded(recorded, ENTRIES) == [], f"no changelog entry for these hooks: {HOW}"


def test_a_changed_signature_without_an_entry_is_found_and_an_entry_settles_it() -> None:
    current = hookdoc.signatures(SPECS)
    changed = {**current, "insights": {**current["insights"], "arguments": ["cycle", "years"]}}
    added = {**current, "question_sets": {"arguments": [], "firstresult": False, "historic": False}}
    assert unrecorded(changed, ENTRIES) == ["insights"]
    assert unrecorded(added, ENTRIES) == ["question_sets"]

    entry = hookdoc.ChangelogEntry(
        "insights",
        "0.2.0",
        date(2027, 1, 1),
        "years instead of previous",
        ("cycle", "years"),
        firstresult=False,
        historic=False,
    )
    assert unrecorded(changed, [*ENTRIES, entry]) == []
    gone = {name: s for name, s in current.items() if name != "web_blueprints"}
    assert unrecorded(gone, ENTRIES) == ["web_blueprints"]
    removal = hookdoc.ChangelogEntry(
        "web_blueprints", "1.0.0", date(2027, 1, 1), "Removed.", (), False, False, removed=True
    )
    assert unrecorded(gone, [*ENTRIES, removal]) == []


def test_the_changelog_lists_hooks_alphabetically_each_oldest_first() -> None:
    hooks = list(dict.fromkeys(entry.hook for entry in ENTRIES))
    assert hooks == sorted(hooks)
    for hook in hooks:
        days = [entry.day for entry in ENTRIES if entry.hook == hook]
        assert days == sorted(days), f"entries of {hook} are not oldest first"
    assert all(isinstance(entry.day, date) and entry.change.strip() for entry in ENTRIES)
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", entry.version) for entry in ENTRIES)


def test_the_reference_shows_the_changelog_newest_first() -> None:
    text = hookdoc.render()
    section = text.split("\n## Changelog of the hooks\n", 1)[1]
    rows = re.findall(r"^\| (\d{4}-\d\d-\d\d) \| [^|]+ \| \[`(\w+)`\]", section, re.M)
    assert sorted(rows, key=lambda row: (-date.fromisoformat(row[0]).toordinal(), row[1])) == rows
    assert {hook for _, hook in rows} == {spec.name for spec in SPECS}


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_every_hook_says_what_stays_and_what_may_change(spec: hookdoc.HookSpec) -> None:
    assert "**Stable:**" in spec.doc, f"{spec.name}: no **Stable:** note in its docstring"
    assert "**May change:**" in spec.doc, f"{spec.name}: no **May change:** note in its docstring"
    section = hookdoc.render().split(f"\n## {spec.name}\n", 1)[1].split("\n## ", 1)[0]
    assert "**Stable:**" in section and "**May change:**" in section


def test_the_reference_says_how_to_add_a_changelog_entry() -> None:
    text = hookdoc.render()
    assert "engine/extensions/hookdoc_changelog.toml" in text
    assert "tests/docs/hook_signatures.json" in text


def test_signatures_prints_the_recorded_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert hookdoc.main(["--signatures"]) == 0
    assert capsys.readouterr().out == SIGNATURES.read_text(encoding="utf-8")


def test_a_host_of_our_own_gets_its_options_recorded() -> None:
    marker = pluggy.HookspecMarker("probe")

    def resolve(key: str) -> str:
        """Resolve ``key``."""
        return key

    specs = ModuleType("probe_specs")
    specs.resolve = marker(firstresult=True, historic=False)(resolve)  # type: ignore[attr-defined]
    assert hookdoc.signatures(hookdoc.hook_specs(specs, "probe")) == {
        "resolve": {"arguments": ["key"], "firstresult": True, "historic": False}
    }
