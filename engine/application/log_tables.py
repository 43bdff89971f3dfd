"""The Merkle log's two tables beside the events: its leaves and its signed checkpoints.

``qualizyklus_log_leaves`` holds one row per event in the order the store gave them their
notification ids (position 0, 1, ...): the notification id, aggregate, version and seal.
``qualizyklus_checkpoints`` holds each signed checkpoint with what the next one needs to go on
(the frontier of the tree and the last notification id in it). Neither holds anything that
the events do not: the tables can be rebuilt from the store, and a signed checkpoint proves
whether they (and the store) still hold what it was made over.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from engine.domain.merkle import Frontier, leaf_hash
from engine.infrastructure.side_tables import SideTable

LEAVES_TABLE = "qualizyklus_log_leaves"
CHECKPOINTS_TABLE = "qualizyklus_checkpoints"
PAGE = 5000


class Leaf(NamedTuple):
    """One event as the log holds it (a tuple: millions are made in one check)."""

    position: int
    notification_id: int
    originator_id: str
    version: int
    seal: str

    def hashed(self) -> bytes:
        """The RFC 9162 leaf hash over ``notification id:aggregate (hex):version:seal``."""
        text = f"{self.notification_id}:{self.originator_id}:{self.version}:{self.seal}"
        return leaf_hash(text.encode("ascii", "replace"))


@dataclass(frozen=True)
class RecordedCheckpoint:
    """A checkpoint row: size, root (hex), when, the signed note, and where the log stood."""

    size: int
    root: str
    made_at: str
    note: str
    last_notification_id: int
    frontier: Frontier


class LogLeaves(SideTable):
    """The log's leaves, by position."""

    TABLE = LEAVES_TABLE

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "position BIGINT PRIMARY KEY, notification_id BIGINT NOT NULL, "
                "originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, "
                "seal TEXT NOT NULL)"
            )
            index = f"{LEAVES_TABLE}_by_aggregate"
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {index} ON {self._table} (originator_id, position)"
            )

    def insert_statement(self) -> str:
        """The INSERT for one leaf (used inside a checkpoint's transaction)."""
        p = self._p
        return (
            f"INSERT INTO {self._table} (position, notification_id, originator_id, "
            f"originator_version, seal) VALUES ({p}, {p}, {p}, {p}, {p})"
        )

    def read(self, start: int = 0, stop: int | None = None) -> Iterator[Leaf]:
        """The leaves from ``start`` up to (not including) ``stop``, in position order."""
        p = self._p
        position = start
        while stop is None or position < stop:
            limit = PAGE if stop is None else min(PAGE, stop - position)
            rows = self._datastore.rows(
                f"SELECT position, notification_id, originator_id, originator_version, seal "
                f"FROM {self._table} WHERE position >= {p} ORDER BY position LIMIT {p}",
                (position, limit),
            )
            yield from map(_leaf, rows)
            if len(rows) < limit:
                return
            position = int(rows[-1]["position"]) + 1

    def newest_of(self, originator_id: str, *, before: int) -> Leaf | None:
        """The aggregate's leaf with the highest position below ``before``, if any."""
        p = self._p
        rows = self._datastore.rows(
            f"SELECT position, notification_id, originator_id, originator_version, seal "
            f"FROM {self._table} WHERE originator_id = {p} AND position < {p} "
            "ORDER BY position DESC LIMIT 1",
            (originator_id, before),
        )
        return _leaf(rows[0]) if rows else None


class Checkpoints(SideTable):
    """The signed checkpoints made on this installation, by size."""

    TABLE = CHECKPOINTS_TABLE

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "size BIGINT PRIMARY KEY, root TEXT NOT NULL, made_at TEXT NOT NULL, "
                "note TEXT NOT NULL, last_notification_id BIGINT NOT NULL, "
                "frontier TEXT NOT NULL)"
            )

    def insert_statement(self) -> str:
        """The INSERT for one checkpoint."""
        p = self._p
        return (
            f"INSERT INTO {self._table} (size, root, made_at, note, last_notification_id, "
            f"frontier) VALUES ({p}, {p}, {p}, {p}, {p}, {p})"
        )

    @staticmethod
    def parameters(checkpoint: RecordedCheckpoint) -> Sequence[object]:
        """The INSERT's parameters for a checkpoint."""
        frontier = json.dumps([h.hex() for h in checkpoint.frontier.hashes])
        return (
            checkpoint.size,
            checkpoint.root,
            checkpoint.made_at,
            checkpoint.note,
            checkpoint.last_notification_id,
            frontier,
        )

    def latest(self) -> RecordedCheckpoint | None:
        """The largest checkpoint, or None before the first."""
        rows = self._datastore.rows(f"{self._select()} ORDER BY size DESC LIMIT 1")
        return _recorded(rows[0]) if rows else None

    def all(self) -> list[RecordedCheckpoint]:
        """Every recorded checkpoint, smallest first."""
        return [_recorded(row) for row in self._datastore.rows(f"{self._select()} ORDER BY size")]

    def at_size(self, size: int) -> RecordedCheckpoint | None:
        """The checkpoint of exactly this size, if recorded."""
        rows = self._datastore.rows(f"{self._select()} WHERE size = {self._p}", (size,))
        return _recorded(rows[0]) if rows else None

    def _select(self) -> str:
        return (
            f"SELECT size, root, made_at, note, last_notification_id, frontier FROM {self._table}"
        )


def _leaf(row: Any) -> Leaf:
    return Leaf(
        int(row["position"]),
        int(row["notification_id"]),
        str(row["originator_id"]),
        int(row["originator_version"]),
        str(row["seal"]),
    )


def _recorded(row: Any) -> RecordedCheckpoint:
    get = row.__getitem__
    hashes = [bytes.fromhex(h) for h in json.loads(get("frontier"))]
    size = int(get("size"))
    return RecordedCheckpoint(
        size=size,
        root=str(get("root")),
        made_at=str(get("made_at")),
        note=str(get("note")),
        last_notification_id=int(get("last_notification_id")),
        frontier=Frontier(size, hashes),
    )
