"""Changing a theme's records on a cycle: several saves and removals at once, all or nothing.

The checks, in order: the input's shape (kinds, ids, texts, the reason), each record's
``attrs`` by its kind's schema (``Theme.record_schemas``); then, with the cycle loaded, who may
(the ``plan`` permission), the version the caller saw, that the cycle is not closed and has the
theme, the limits, and last the plugins' ``validate_item`` hook with kind ``"records"`` and the
theme's *resulting* records (so that a plugin can check references between them). Every problem
found is told at once and nothing is written.

Problems name their field ``saves.N.<field>`` / ``removals.N.<field>`` for the change's own
structure, and ``records.<kind>.<record_id>.attrs.<field>`` (or ``.text``) for a record's
content, as the plugins do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from engine.application.commands.steps import Change, CycleCommand, Fields
from engine.application.store import Engine
from engine.domain import validation as check
from engine.domain.catalogue import Theme
from engine.domain.cycle import Cycle
from engine.domain.errors import InvalidInput, Problems
from engine.domain.free_text import ErasedText
from engine.domain.limits import (
    MAX_KEY,
    MAX_REASON,
    MAX_RECORD_CHANGES,
    MAX_RECORD_TEXT,
    MAX_THEME_RECORDS,
)
from engine.domain.theme_records import records_of, resulting_records

RECORDS_ITEM = "records"
"""The kind of item ``validate_item`` receives for a change of theme records."""


def _theme_of(engine: Engine, theme_id: object) -> Theme:
    theme = engine._theme(theme_id, "theme_id")
    if not theme.record_schemas:
        raise InvalidInput(
            "theme_id",
            f"Das Thema {theme.id!r} führt keine eigenen Einträge.",
            f"The theme {theme.id!r} keeps no records.",
        )
    return theme


def _kind(theme: Theme, field: str, value: object) -> str:
    kind = check.text(field, value, max_length=MAX_KEY)
    if kind not in theme.record_schemas:
        raise InvalidInput(
            field,
            f"Das Thema kennt die Art {kind!r} nicht.",
            f"The theme has no record kind {kind!r}.",
            allowed=tuple(theme.record_schemas),
        )
    return kind


def _entries(field: str, value: object) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, Mapping) for v in value):
        raise InvalidInput(field, "muss eine Liste von Objekten sein", "must be a list of objects")
    return list(value)


def _save(theme: Theme, index: int, given: Mapping[str, Any], problems: Problems) -> Fields:
    unknown = sorted(set(given) - {"kind", "record_id", "attrs", "text"})
    with problems.check():
        if unknown:
            raise InvalidInput(f"saves.{index}.{unknown[0]}", "ist unbekannt", "is unknown")
    kind = record_id = None
    with problems.check():
        kind = _kind(theme, f"saves.{index}.kind", given.get("kind"))
    with problems.check():
        record_id = check.item_id(f"saves.{index}.record_id", given.get("record_id"))
    where = f"records.{kind}.{record_id}"
    fields: Fields = {"kind": kind, "record_id": record_id, "attrs": {}, "text": ""}
    with problems.check():
        fields["text"] = check.text(
            f"{where}.text", given.get("text"), required=False, max_length=MAX_RECORD_TEXT
        )
    if kind is not None:
        with problems.check():
            schema = theme.record_schemas[kind]
            fields["attrs"] = check.attrs(given.get("attrs"), schema, f"{where}.attrs")
    return fields


def _removal(theme: Theme, index: int, given: Mapping[str, Any], problems: Problems) -> Fields:
    fields: Fields = {"kind": None, "record_id": None}
    with problems.check():
        fields["kind"] = _kind(theme, f"removals.{index}.kind", given.get("kind"))
    with problems.check():
        fields["record_id"] = check.item_id(
            f"removals.{index}.record_id", given.get("record_id") or ""
        )
    return fields


def _change(
    engine: Engine,
    *,
    theme_id: str,
    saves: object,
    removals: object,
    reason: object,
) -> Fields:
    """The change checked on its own (before the cycle is loaded): every problem at once."""
    theme = _theme_of(engine, theme_id)
    problems = Problems()
    given_saves: list[Mapping[str, Any]] = []
    given_removals: list[Mapping[str, Any]] = []
    with problems.check():
        given_saves = _entries("saves", saves)
    with problems.check():
        given_removals = _entries("removals", removals)
    fields: Fields = {"theme_id": theme.id, "reason": ""}
    with problems.check():
        fields["reason"] = check.text("reason", reason, required=False, max_length=MAX_REASON)
    fields["saves"] = [_save(theme, i, s, problems) for i, s in enumerate(given_saves)]
    fields["removals"] = [_removal(theme, i, r, problems) for i, r in enumerate(given_removals)]
    problems.raise_any()
    _refuse_repeats(fields["saves"], fields["removals"])
    if not fields["saves"] and not fields["removals"]:
        raise InvalidInput("saves", "Die Änderung ist leer.", "The change is empty.")
    if len(fields["saves"]) + len(fields["removals"]) > MAX_RECORD_CHANGES:
        raise InvalidInput(
            "saves",
            f"Höchstens {MAX_RECORD_CHANGES} Einträge auf einmal ändern.",
            f"Change at most {MAX_RECORD_CHANGES} records at once.",
        )
    return fields


def _refuse_repeats(saves: Sequence[Fields], removals: Sequence[Fields]) -> None:
    """One change names a record once: saved, or removed."""
    seen: set[tuple[str, str]] = set()
    for name, entries in (("saves", saves), ("removals", removals)):
        for index, entry in enumerate(entries):
            key = (entry["kind"], entry["record_id"])
            if key in seen:
                raise InvalidInput(
                    f"{name}.{index}.record_id",
                    f"Der Eintrag {key[1]} kommt in der Änderung zweimal vor.",
                    f"The record {key[1]} appears twice in the change.",
                )
            seen.add(key)


def _decide(change: Change) -> Fields:
    """Against the loaded cycle: open, has the theme, within the limits, the plugins agree."""
    cycle, fields = change.cycle, change.fields
    theme_id = fields["theme_id"]
    if change.engine._definition(cycle).phase(cycle.phase).terminal:  # type: ignore[union-attr]
        raise InvalidInput(
            "theme_id",
            "Der Zyklus ist abgeschlossen; seine Einträge bleiben, wie sie sind.",
            "The cycle is closed; its records stay as they are.",
        )
    if theme_id not in cycle.themes:
        raise InvalidInput(
            "theme_id",
            "Das Thema gehört nicht zu diesem Zyklus.",
            "The theme is not part of this cycle.",
        )
    current = records_of(cycle).get(theme_id, {})
    for index, removal in enumerate(fields["removals"]):
        if removal["record_id"] not in current.get(removal["kind"], {}):
            raise InvalidInput(
                f"removals.{index}.record_id",
                f"Den Eintrag {removal['record_id']} gibt es nicht.",
                f"There is no record {removal['record_id']}.",
            )
    saves = [s for s in fields["saves"] if _changes(current, s)]
    result = resulting_records(current, saves, fields["removals"])
    if sum(len(found) for found in result.values()) > MAX_THEME_RECORDS:
        raise InvalidInput(
            "saves",
            f"Ein Thema führt höchstens {MAX_THEME_RECORDS} Einträge je Zyklus.",
            f"A theme keeps at most {MAX_THEME_RECORDS} records per cycle.",
        )
    item = {"theme_id": theme_id, "records": result, "goals": _goals(cycle)}
    change.engine._validate_item(RECORDS_ITEM, item, cycle.phase)  # every problem told
    cycle.change_records(
        actor_id=change.actor_id,
        theme_id=theme_id,
        saves=saves,
        removals=fields["removals"],
        reason=fields["reason"],
    )
    return {}


def _changes(current: Mapping[str, Mapping[str, Any]], save: Fields) -> bool:
    """Whether saving would change the record (a save of it as it is writes nothing)."""
    found = current.get(save["kind"], {}).get(save["record_id"])
    return found is None or found != {"attrs": save["attrs"], "text": save["text"]}


def _goals(cycle: Cycle) -> dict[str, dict[str, Any]]:
    """The cycle's goals as a plugin checking references needs them: theme and title."""
    return {
        goal_id: {"theme_id": goal["theme_id"], "title": goal["title"]}
        for goal_id, goal in cycle.goals.items()
    }


CHANGE_RECORDS = CycleCommand("change_records", "plan", _change, None, decide=_decide, phased=False)


def change_records(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    theme_id: str,
    saves: Sequence[Mapping[str, Any]] = (),
    removals: Sequence[Mapping[str, Any]] = (),
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Save and remove records of one theme on a cycle, together; the cycle's new version.

    ``saves``: ``{"kind", "record_id" (made up when left out), "attrs", "text"}`` each, a record
    replaced whole; ``removals``: ``{"kind", "record_id"}`` each. All are written, or none.
    """
    return CHANGE_RECORDS.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        theme_id=theme_id,
        saves=list(saves),
        removals=list(removals),
        reason=reason,
    )


def carry_forward(previous: Cycle, cycle: Cycle, actor_id: str, reason: str) -> None:
    """Save the previous cycle's records of the themes the new cycle has, under the same ids.

    Goals stay with their cycle, so links to them (``goal_ids`` in a record's attrs) are left
    out of the copies.
    """
    for theme_id, kinds in records_of(previous).items():
        if theme_id not in cycle.themes:
            continue
        saves = [
            {
                "kind": kind,
                "record_id": record_id,
                "attrs": _without_goals(record["attrs"]),
                "text": "" if isinstance(record["text"], ErasedText) else str(record["text"]),
            }
            for kind, found in kinds.items()
            for record_id, record in found.items()
        ]
        cycle.change_records(
            actor_id=actor_id, theme_id=theme_id, saves=saves, removals=[], reason=reason
        )


def _without_goals(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The attrs with the links to goals emptied (``goal_ids``, by convention: docs/plugins.md)."""
    return {key: ([] if key == "goal_ids" else value) for key, value in attrs.items()}
