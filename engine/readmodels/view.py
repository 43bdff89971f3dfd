"""The read models' store: the library's tracking recorder plus the projection tables.

Each batch of events is applied in one transaction together with its tracking record (the
position of its last event in the notification log). The library's tracking table refuses a
position that is not beyond the recorded one, so a batch that was applied already can never be
applied again: a follower that dies anywhere resumes at the last committed position.

An event that cannot be applied is set aside (``qz_set_aside``) in a transaction that moves the
position past it, and every later event of its aggregate is held there behind it; re-applying
one deletes its row in the same transaction that writes its rows, so each event still counts
exactly once: applied in order, or set aside.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError, TrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from engine.domain.catalogue import Theme
from engine.domain.cycle import Cycle
from engine.domain.validation import safe_text
from engine.readmodels.batch import PENDING_INSIGHTS, Batch
from engine.readmodels.decoder import Decoder, topic
from engine.readmodels.handlers import HANDLERS
from engine.readmodels.log import Entry
from engine.readmodels.schema import (
    ASSESSMENTS,
    CYCLES,
    GOALS,
    INSIGHT_FIGURES,
    MEASURES,
    ORGANISATIONS,
    PENDING,
    SCHEMA_TABLE,
    SET_ASIDE,
    TABLES,
    create_statements,
    discard_statements,
    drop_statements,
    fingerprint,
    qualified,
    schema_prefix,
)
from engine.readmodels.unit import safe_rows, upsert_statement

if TYPE_CHECKING:
    from eventsourcing.persistence import Mapper

PENDING_LAND = "land"
"""qz_pending rows of this kind name a Land whose comparison is out of date."""
MAX_ERROR = 2_000
"""How much of an error's message a set-aside event keeps."""


class PositionMoved(IntegrityError):
    """The read models are no longer at the position a batch was read after (another
    follower applied it); nothing of the batch was written."""


class ReadModel:
    """Reads and writes the projection tables next to the tracking record (mixin)."""

    placeholder = "?"
    datastore: Any

    @property
    def qualify(self) -> str:
        """The table-name prefix for this database ('' or 'schema.')."""
        return schema_prefix(getattr(self.datastore, "schema", ""))

    def sql(self, statement: str) -> str:
        """A statement written with 'qz_' tables and '?' placeholders, for this database."""
        known: dict[str, str] = self.__dict__.setdefault("_translated", {})
        translated = known.get(statement)
        if translated is None:
            translated = qualified(statement, self.qualify)
            if self.placeholder != "?":
                translated = translated.replace("?", self.placeholder)
            known[statement] = translated
        return translated

    def create_read_model_tables(self, application_name: str) -> bool:
        """Create the projection tables (``qualizyklus init``).

        Tables built with other definitions (an older release) are dropped and the position
        forgotten, so that the next catch-up rebuilds them; True when that happened.
        """
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self.sql(f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} (fingerprint TEXT NOT NULL)")
            )
            cursor.execute(self.sql(f"SELECT fingerprint FROM {SCHEMA_TABLE}"))
            found = cursor.fetchone()
            current = fingerprint()
            stale = found is None or found["fingerprint"] != current
            if stale:
                for statement in discard_statements(self.qualify, [t.name for t in TABLES]):
                    cursor.execute(statement)
                cursor.execute(
                    self.sql(f"DELETE FROM {self.tracking_table} WHERE application_name = ?"),
                    (application_name,),
                )
                cursor.execute(self.sql(f"DELETE FROM {SCHEMA_TABLE}"))
                cursor.execute(
                    self.sql(f"INSERT INTO {SCHEMA_TABLE} (fingerprint) VALUES (?)"), (current,)
                )
            for statement in create_statements(self.qualify):
                cursor.execute(statement)
        return stale and found is not None

    def query(self, statement: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a read-only query, as dicts."""
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(self.sql(statement), tuple(parameters))
            return [dict(row) for row in cursor.fetchall()]

    def position(self, application_name: str) -> int:
        """The position of the last event applied (0 before the first)."""
        tracker: TrackingRecorder = self  # type: ignore[assignment]
        return tracker.max_tracking_id(application_name) or 0

    def apply(
        self,
        notifications: Sequence[Entry],
        *,
        after: int,
        application_name: str,
        mapper: Mapper[Any],
        themes: Mapping[str, Theme],
    ) -> None:
        """Apply a batch read after position ``after`` and move the position, atomically.

        Raises IntegrityError, writing nothing, unless the recorded position is still
        ``after``: another follower got there first, and its batch must not count twice.
        """
        with self.datastore.transaction(commit=True) as cursor:
            # The position first: on PostgreSQL its row lock holds a second follower here
            # until this batch is committed, and then its compare-and-set fails.
            self._advance(cursor, application_name, after, notifications[-1].id)
            blocked = self._blocked(cursor)
            if blocked:
                held = [n for n in notifications if n.originator_id in blocked]
                self._set_aside(cursor, held, held=True, error="")
                notifications = [n for n in notifications if n.originator_id not in blocked]
            self._apply_entries(cursor, notifications, mapper, themes)

    def _apply_entries(
        self, cursor: Any, entries: Sequence[Entry], mapper: Mapper[Any], themes: Any
    ) -> None:
        batch = Batch(
            cursor,
            sql=self.sql,
            themes=themes,
            arrays=self.placeholder != "?",
            position=entries[-1].id if entries else 0,
        )
        decoder = Decoder(mapper)
        _prefetch(batch, entries)
        for entry in entries:
            _apply_one(batch, entry, decoder)
        batch.flush()
        _finish(batch)

    def set_aside(
        self, entry: Entry, error: BaseException, *, after: int, application_name: str
    ) -> None:
        """Set aside an event that cannot be applied, moving the position past it.

        Raises :class:`PositionMoved`, writing nothing, unless the position is still ``after``.
        """
        with self.datastore.transaction(commit=True) as cursor:
            self._advance(cursor, application_name, after, entry.id)
            self._set_aside(cursor, [entry], held=False, error=describe(error))

    def _set_aside(self, cursor: Any, entries: Sequence[Entry], *, held: bool, error: str) -> None:
        if not entries:
            return
        moment = datetime.now(UTC).isoformat()
        cursor.executemany(
            self.sql(upsert_statement(SET_ASIDE)),
            [
                [e.id, e.originator_id, e.originator_version, e.topic, int(held), error, moment]
                for e in entries
            ],
        )

    def _blocked(self, cursor: Any) -> set[str]:
        """Aggregates with an event set aside (their later events are held behind it)."""
        cursor.execute(self.sql("SELECT DISTINCT originator_id FROM qz_set_aside"))
        return {row["originator_id"] for row in cursor.fetchall()}

    def set_aside_events(self) -> list[dict[str, Any]]:
        """The events set aside, in the order of the log."""
        return self.query(
            "SELECT notification_id, originator_id, originator_version, topic, held, error, "
            "set_aside_at FROM qz_set_aside ORDER BY notification_id"
        )

    def blocked_aggregates(self, *, held_only: bool = False) -> list[str]:
        """Aggregates with events set aside (``held_only``: none of them failed itself)."""
        statement = "SELECT DISTINCT originator_id FROM qz_set_aside"
        if held_only:
            statement += (
                " WHERE originator_id NOT IN "
                "(SELECT originator_id FROM qz_set_aside WHERE held = 0)"
            )
        return sorted(row["originator_id"] for row in self.query(statement))

    def first_set_aside(self, originator_id: str) -> int | None:
        """The position of the aggregate's earliest event set aside, if any."""
        rows = self.query(
            "SELECT MIN(notification_id) AS first FROM qz_set_aside WHERE originator_id = ?",
            (originator_id,),
        )
        first = rows[0]["first"] if rows else None
        return None if first is None else int(first)

    def reapply(self, entry: Entry, *, mapper: Mapper[Any], themes: Mapping[str, Theme]) -> bool:
        """Apply a set-aside event and forget its row, atomically; False when it was no
        longer set aside (another retry applied it). Raises what applying it raises."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self.sql(
                    "DELETE FROM qz_set_aside WHERE notification_id = ? RETURNING notification_id"
                ),
                (entry.id,),
            )
            if cursor.fetchone() is None:
                return False
            self._apply_entries(cursor, [entry], mapper, themes)
        return True

    def still_failing(self, entry: Entry, error: BaseException) -> None:
        """Keep the newest error of a set-aside event that failed again (held no longer)."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self.sql("UPDATE qz_set_aside SET held = 0, error = ? WHERE notification_id = ?"),
                (describe(error), entry.id),
            )

    def _advance(self, cursor: Any, application_name: str, after: int, to: int) -> None:
        """Compare-and-set the tracking record from ``after`` to ``to``."""
        if after == 0:
            statement = (
                f"INSERT INTO {self.tracking_table} (application_name, notification_id) "
                "VALUES (?, ?) ON CONFLICT (application_name) DO NOTHING RETURNING notification_id"
            )
            parameters: tuple[Any, ...] = (application_name, to)
        else:
            statement = (
                f"UPDATE {self.tracking_table} SET notification_id = ? "
                "WHERE application_name = ? AND notification_id = ? RETURNING notification_id"
            )
            parameters = (to, application_name, after)
        cursor.execute(self.sql(statement), parameters)
        if cursor.fetchone() is None:
            msg = f"the read models are no longer at position {after} ({application_name})"
            raise PositionMoved(msg)

    def lands_pending(self) -> list[str]:
        """Lands whose comparison waits to be recomputed."""
        rows = self.query("SELECT key FROM qz_pending WHERE kind = ?", (PENDING_LAND,))
        return sorted(row["key"] for row in rows)

    def store_land_figures(self, land: str, figures: Mapping[str, Any], position: int) -> None:
        """Keep a Land's comparison computed at ``position`` and clear its mark up to there.

        Figures computed at an earlier position than the kept ones are dropped, and a mark
        made by a later batch stays: another follower may have computed meanwhile, or may be
        behind (several hosts, web workers catching up).
        """
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self.sql(
                    "INSERT INTO qz_land_figures (land, figures, position, computed_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (land) DO UPDATE SET "
                    "figures = excluded.figures, position = excluded.position, "
                    "computed_at = excluded.computed_at "
                    "WHERE qz_land_figures.position <= excluded.position"
                ),
                (land, json.dumps(figures), position, datetime.now(UTC).isoformat()),
            )
            cursor.execute(
                self.sql("DELETE FROM qz_pending WHERE kind = ? AND key = ? AND position <= ?"),
                (PENDING_LAND, land, position),
            )

    def replace_insight_figures(
        self, cycle_id: str, rows: Sequence[Mapping[str, Any]], *, version: int | None
    ) -> bool:
        """Keep a cycle's insight figures (replacing earlier ones) and clear its mark.

        ``version`` is the cycle's version in the read models when the figures were gathered;
        if a batch has moved the cycle on since (reopened it, closed it again), nothing is
        written and the mark stays for the figures of the newer state. False then.
        """
        with self.datastore.transaction(commit=True) as cursor:
            if version is not None:
                # A write first: it holds batches changing this cycle back until the commit.
                cursor.execute(
                    self.sql(
                        "UPDATE qz_cycles SET version = version "
                        "WHERE cycle_id = ? AND version = ? RETURNING version"
                    ),
                    (cycle_id, version),
                )
                if cursor.fetchone() is None:
                    return False
            cursor.execute(
                self.sql("DELETE FROM qz_insight_figures WHERE cycle_id = ?"), (cycle_id,)
            )
            if rows:
                cursor.executemany(
                    self.sql(upsert_statement(INSIGHT_FIGURES)),
                    [
                        [row[name] for name in INSIGHT_FIGURES.names]
                        for row in safe_rows(INSIGHT_FIGURES, [dict(row) for row in rows])
                    ],
                )
            cursor.execute(
                self.sql("DELETE FROM qz_pending WHERE kind = ? AND key = ?"),
                (PENDING_INSIGHTS, cycle_id),
            )
        return True

    def clear(self, application_name: str) -> None:
        """Delete every read model's rows and the position, for a rebuild from the start."""
        with self.datastore.transaction(commit=True) as cursor:
            for statement in drop_statements(self.qualify):
                cursor.execute(statement)
            cursor.execute(
                self.sql(f"DELETE FROM {self.tracking_table} WHERE application_name = ?"),
                (application_name,),
            )

    @property
    def tracking_table(self) -> str:
        """The library's tracking table (qualified)."""
        name = getattr(self, "tracking_table_name", "tracking")
        return name if "." in name else f"{self.qualify}{name}"


class SQLiteReadModel(ReadModel, SQLiteTrackingRecorder):
    """The read models in the SQLite file of the events."""


def describe(error: BaseException) -> str:
    """An error as a set-aside event keeps it: its type and message, storable and short."""
    return safe_text(f"{type(error).__name__}: {error}")[:MAX_ERROR]


def _prefetch(batch: Batch, entries: Sequence[Entry]) -> None:
    """Read the rows of the cycles the entries touch in one query per table.

    Only when the batch touches few cycles (following live events): a rebuild's batches
    start most of their cycles themselves, and need not ask for the others' rows at all.
    """
    cycles = {e.originator_id for e in entries if e.topic.startswith(CYCLE_TOPIC_PREFIX)}
    started = sum(1 for e in entries if e.topic == CYCLE_STARTED)
    if cycles and started < len(cycles):
        for table in (CYCLES, GOALS, MEASURES, ASSESSMENTS):
            batch.prefetch(table, cycles)


def _apply_one(batch: Batch, entry: Entry, decoder: Decoder) -> None:
    handler = HANDLERS_BY_TOPIC.get(entry.topic)
    if handler is not None:
        handler(batch, decoder.event(entry))
    elif entry.topic.startswith(CYCLE_TOPIC_PREFIX):
        batch.count_cycle_event(entry.originator_id, entry.originator_version)


HANDLERS_BY_TOPIC = {topic(event_class): handler for event_class, handler in HANDLERS.items()}
"""Handlers by stored topic, so an event nobody handles is never decoded."""
CYCLE_TOPIC_PREFIX = "qualizyklus:Cycle."
CYCLE_STARTED = topic(Cycle.CycleStarted)


def _finish(batch: Batch) -> None:
    """After the rows are written: mark the Lands whose comparison must be recomputed."""
    _mark_lands(batch)
    batch.flush()


def _mark_lands(batch: Batch) -> None:
    """Mark the Land of every touched organisation for a new comparison."""
    lands = set()
    for organisation_id in batch.organisations:
        organisation = batch.get(ORGANISATIONS, (organisation_id,))
        if organisation is not None:
            lands.add(organisation["land"])
    for land in sorted(lands):
        batch.put(PENDING, batch.mark(PENDING_LAND, land))
