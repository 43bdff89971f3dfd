"""Theme records: data a theme keeps on a cycle beyond goals and measures (a logic model, a
theory of change), stored in core events so that no plugin defines an event class.

A record belongs to a theme, has a *kind* the theme declares (``Theme.record_schemas``), an id
unique within its kind, ``attrs`` checked by the kind's schema and an optional free ``text``
(erasable, sealed by reference). The cycle keeps them as
``records[theme_id][kind][record_id] = {"attrs": {...}, "text": str}``; plugins receive that
mapping as ``cycle["records"]``. The aggregate (engine/domain/cycle.py) mixes in
:class:`ThemeRecords`; the command that checks a change is engine/application/commands/records.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from engine.domain.errors import InvalidInput, NotFound
from engine.domain.sealing import SealedAggregate

CARRIED_FORWARD = "übernommen aus dem vorigen Zyklus / carried forward from the previous cycle"
"""The reason of the records a follow-up cycle takes over from the cycle it follows."""


def records_of(cycle: Any) -> dict[str, dict[str, dict[str, dict[str, Any]]]]:
    """The cycle's theme records (cycles and snapshots from before records have none)."""
    records: dict[str, Any] = cycle.__dict__.setdefault("records", {})
    return records


class ThemeRecordSaved(SealedAggregate.Event):
    """A theme's record was saved (added, or replaced whole)."""

    TOPIC = "qualizyklus:Cycle.ThemeRecordSaved"
    FREE_TEXTS = ("text",)  # sealed by reference (engine/domain/free_text.py)
    theme_id: str
    kind: str
    record_id: str
    attrs: dict[str, Any]
    text: str

    def apply(self, cycle: Any) -> None:
        """Put the record in place of any record of the same kind and id."""
        kinds = records_of(cycle).setdefault(self.theme_id, {})
        kinds.setdefault(self.kind, {})[self.record_id] = {
            "attrs": dict(self.attrs),
            "text": self.text,
        }


class ThemeRecordRemoved(SealedAggregate.Event):
    """A theme's record was removed."""

    TOPIC = "qualizyklus:Cycle.ThemeRecordRemoved"
    theme_id: str
    kind: str
    record_id: str

    def apply(self, cycle: Any) -> None:
        """Take the record out (and its kind and theme, once empty)."""
        themes = records_of(cycle)
        kinds = themes.get(self.theme_id, {})
        kinds.get(self.kind, {}).pop(self.record_id, None)
        if self.kind in kinds and not kinds[self.kind]:
            del kinds[self.kind]
        if self.theme_id in themes and not themes[self.theme_id]:
            del themes[self.theme_id]


def resulting_records(
    current: Mapping[str, Mapping[str, Mapping[str, Any]]],
    saves: Sequence[Mapping[str, Any]],
    removals: Sequence[Mapping[str, Any]],
) -> dict[str, dict[str, Mapping[str, Any]]]:
    """One theme's records after ``removals``, then ``saves`` (each names kind and record_id)."""
    result: dict[str, dict[str, Mapping[str, Any]]] = {
        kind: dict(found) for kind, found in current.items()
    }
    for removal in removals:
        result.get(removal["kind"], {}).pop(removal["record_id"], None)
    for save in saves:
        result.setdefault(save["kind"], {})[save["record_id"]] = {
            "attrs": dict(save["attrs"]),
            "text": save["text"],
        }
    return {kind: found for kind, found in result.items() if found}


class ThemeRecords:
    """The theme records' command, mixed into the Cycle aggregate."""

    ThemeRecordSaved = ThemeRecordSaved
    ThemeRecordRemoved = ThemeRecordRemoved
    trigger_event: Any
    themes: list[str]

    def change_records(
        self,
        *,
        actor_id: str,
        theme_id: str,
        saves: Sequence[Mapping[str, Any]],
        removals: Sequence[Mapping[str, Any]],
        reason: str,
    ) -> None:
        """Remove and save records of one theme (checked by the application): removals first."""
        if theme_id not in self.themes:
            raise InvalidInput(
                "theme_id",
                "Das Thema gehört nicht zu diesem Zyklus.",
                "The theme is not part of this cycle.",
            )
        present = records_of(self).get(theme_id, {})
        for removal in removals:
            if removal["record_id"] not in present.get(removal["kind"], {}):
                raise NotFound(
                    f"Eintrag {removal['record_id']} gibt es nicht.",
                    f"No record {removal['record_id']}.",
                )
        for removal in removals:
            self.trigger_event(
                self.ThemeRecordRemoved,
                actor_id=actor_id,
                theme_id=theme_id,
                kind=removal["kind"],
                record_id=removal["record_id"],
                reason=reason,
            )
        for save in saves:
            self.trigger_event(
                self.ThemeRecordSaved,
                actor_id=actor_id,
                theme_id=theme_id,
                kind=save["kind"],
                record_id=save["record_id"],
                attrs=dict(save["attrs"]),
                text=save["text"],
                reason=reason,
            )
