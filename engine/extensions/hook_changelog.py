"""The changelog of the hooks (hookdoc_changelog.toml beside this module) and the record of
every hook's signature (tests/docs/hook_signatures.json) that a test holds to it."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from engine.extensions.doc_text import cell

CHANGELOG = Path(__file__).with_name("hookdoc_changelog.toml")
"""The changelog of the hooks: one ``[[hook_name]]`` table per change."""


@dataclass(frozen=True)
class ChangelogEntry:
    """One change of one hook: the signature after it, the release, the day, what changed."""

    hook: str
    version: str
    day: date
    change: str
    arguments: tuple[str, ...]
    firstresult: bool
    historic: bool
    removed: bool = False

    def signature(self) -> dict[str, Any]:
        """The signature this entry records, as :func:`signatures` gives it."""
        return {
            "arguments": list(self.arguments),
            "firstresult": self.firstresult,
            "historic": self.historic,
        }


def changelog(path: Path = CHANGELOG) -> list[ChangelogEntry]:
    """The entries of the changelog file, in the file's order (hooks sorted, oldest first)."""
    tables = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        ChangelogEntry(
            hook=hook,
            version=str(entry["version"]),
            day=entry["date"],
            change=str(entry["change"]),
            arguments=tuple(entry["arguments"]),
            firstresult=bool(entry["firstresult"]),
            historic=bool(entry["historic"]),
            removed=bool(entry.get("removed", False)),
        )
        for hook, entries in tables.items()
        for entry in entries
    ]


def signatures_json(recorded: Mapping[str, Mapping[str, Any]]) -> str:
    """Signatures as JSON, one line per hook in name order (so that additions merge apart)."""
    rows = [f"  {json.dumps(name)}: {json.dumps(recorded[name])}" for name in sorted(recorded)]
    return "{\n" + ",\n".join(rows) + "\n}\n"


def changelog_section(entries: Sequence[ChangelogEntry]) -> list[str]:
    """The changelog of the hooks, newest first."""
    lines = [
        "## Changelog of the hooks",
        "",
        "Every change of a hook's name, arguments or options, newest first. Each entry "
        "records the signature after the change; a test fails when a hook's signature "
        "changes without its entry (how to add one: see the start of this reference).",
        "",
        "| day | version | hook | change | arguments after the change |",
        "|---|---|---|---|---|",
    ]
    for entry in sorted(entries, key=lambda entry: (-entry.day.toordinal(), entry.hook)):
        options = [f"{o}" for o in ("firstresult", "historic") if getattr(entry, o)]
        arguments = ", ".join(f"`{a}`" for a in entry.arguments) or "none"
        if options:
            arguments += f" ({', '.join(options)})"
        if entry.removed:
            arguments = "removed"
        lines.append(
            f"| {entry.day.isoformat()} | {entry.version} | [`{entry.hook}`](#{entry.hook}) "
            f"| {cell(entry.change)} | {arguments} |"
        )
    lines.append("")
    return lines
