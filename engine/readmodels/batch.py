"""The batch a handler writes into, and the event it is given.

A :class:`Batch` is an open transaction with the batch's bookkeeping (the cycles it counts
events on, the scores and Länder to recompute); an :class:`Event` is a stored event's fields as
JSON values, so that a rebuild need not build domain objects. The handlers themselves are in
engine/readmodels/handlers.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from statistics import median
from typing import Any

from engine.domain.catalogue import Theme
from engine.readmodels.log import uuid_text
from engine.readmodels.schema import ASSESSMENTS, CYCLES, Table
from engine.readmodels.unit import Key, Row, UnitOfWork


class Event:
    """One stored event: its aggregate, version, time and fields (JSON values)."""

    __slots__ = ("fields", "originator_id", "version")

    def __init__(self, originator_id: str, version: int, fields: Mapping[str, Any]) -> None:
        self.originator_id = originator_id
        self.version = version
        self.fields = fields

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    @property
    def timestamp(self) -> str:
        """When the event happened (ISO text)."""
        return str(plain(self.fields["timestamp"]))


Handler = Callable[["Batch", Event], None]
PENDING_INSIGHTS = "insights"
"""qz_pending rows of this kind name a cycle whose insight figures are to be (re)computed."""


def plain(value: Any) -> Any:
    """A stored value as text: dates and times in ISO form, ids with dashes; others as they are."""
    if isinstance(value, dict) and "_type_" in value:
        data = value["_data_"]
        return uuid_text(data) if value["_type_"] == "uuid_hex" else data
    return value


class Batch(UnitOfWork):
    """One transaction's worth of events: their rows and what they touched."""

    def __init__(
        self,
        cursor: Any,
        *,
        sql: Callable[[str], str],
        themes: Mapping[str, Theme],
        arrays: bool = False,
        position: int = 0,
    ) -> None:
        super().__init__(cursor, sql, arrays=arrays)
        self.themes = themes
        self.log_position = position
        """The position of the batch's last event (kept with the marks it makes)."""
        self.scores: set[tuple[str, str]] = set()
        """(cycle id, theme id) pairs whose score must be recomputed."""
        self.organisations: set[str] = set()
        """Organisations whose Land's comparison must be recomputed."""
        self._shares: dict[tuple[str, str, str], Any] = {}
        self._cycles: dict[str, Row] = {}
        self._new_cycles: set[str] = set()
        """Cycles started in this batch: nothing of theirs can be in the database yet."""

    def mark(self, kind: str, key: str) -> Row:
        """A qz_pending row: derived figures of this kind and key are out of date."""
        return {"kind": kind, "key": key, "position": self.log_position}

    def cycle(self, event: Event) -> Row | None:
        """The event's cycle row, its version and event count moved on by the event."""
        row = self.count_cycle_event(event.originator_id, event.version, event.timestamp)
        if row is not None:
            self.organisations.add(row["organisation_id"])
        return row

    def count_cycle_event(self, cycle_id: str, version: int, moment: str = "") -> Row | None:
        """Count one event of a cycle and keep its version (and time, when known)."""
        row = self._cycles.get(cycle_id)
        if row is None:
            row = self.get(CYCLES, (cycle_id,))
            if row is None:
                return None
            self.put(CYCLES, row)
            self._cycles[cycle_id] = row
        row["version"] = version
        row["events"] += 1
        if moment:
            row["updated_at"] = moment
        return row

    def put(self, table: Table, row: Row) -> None:
        """Keep a whole row (a cycle's row stays the one the batch counts events on)."""
        super().put(table, row)
        if table is CYCLES:
            self._cycles[row["cycle_id"]] = row

    def started(self, cycle_id: str) -> None:
        """Note that the cycle started in this batch."""
        self._new_cycles.add(cycle_id)

    def part_of_cycle(self, table: Table, key: Key) -> Row | None:
        """A row of a cycle's goal or measure, without asking the database for a new cycle."""
        if key[0] in self._new_cycles:
            return self.changed_row(table, key)
        return self.get(table, key)

    def position(self, theme_id: str, criterion_id: str, value: Any) -> Any:
        """Where a rating lies on its criterion's scale (remembered per batch)."""
        key = (theme_id, criterion_id, repr(value))
        if key not in self._shares:
            self._shares[key] = share(self.themes, theme_id, criterion_id, value)
        return self._shares[key]

    def flush(self) -> None:
        """Write everything, the touched assessments with their scores; rows are read afresh."""
        for row in self.changed(ASSESSMENTS):
            row.update(theme_score(row["ratings"]))
        super().flush()
        self._cycles = {}
        self._new_cycles = set()


def theme_score(ratings: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The score (median of the raters' mean positions), raters and criteria of ratings."""
    per_rater: dict[str, list[float]] = {}
    for by_rater in ratings.values():
        for rater_id, (_, position) in by_rater.items():
            shares = per_rater.setdefault(rater_id, [])
            if position is not None:
                shares.append(float(position))
    means = [sum(shares) / len(shares) for shares in per_rater.values() if shares]
    return {
        "score": round(median(means), 4) if means else None,
        "raters": len(per_rater),
        "criteria": sum(1 for by_rater in ratings.values() if by_rater),
    }


def share(themes: Mapping[str, Theme], theme_id: str, criterion_id: str, value: Any) -> Any:
    """Where a rating lies on its scale, 0 (lowest) to 1 (highest); None if unknown."""
    theme = themes.get(theme_id)
    criterion = theme.criterion(criterion_id) if theme is not None else None
    if criterion is None:
        return None
    scale = criterion.scale
    lowest = scale.position(scale.levels[0].id) if scale.kind == "levels" else scale.minimum
    try:
        return (scale.position(value) - lowest) / scale.span if scale.span else None
    except (ValueError, TypeError):
        return None
