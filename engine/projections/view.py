"""The read models' store: the library's tracking recorder plus the projection tables.

Each batch of events is applied in one transaction together with its tracking record (the
position of its last event in the notification log). The library's tracking table refuses a
position that is not beyond the recorded one, so a batch that was applied already can never be
applied again: a follower that dies anywhere resumes at the last committed position.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from statistics import median
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError, Notification, TrackingRecorder
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from engine.catalogue import Theme
from engine.projections.handlers import HANDLERS, Batch, Event
from engine.projections.schema import create_statements, drop_statements

if TYPE_CHECKING:
    from eventsourcing.persistence import Mapper

PENDING_LAND = "land"
"""qz_pending rows of this kind name a Land whose comparison is out of date."""


class ReadModel:
    """Reads and writes the projection tables next to the tracking record (mixin)."""

    placeholder = "?"
    datastore: Any

    @property
    def qualify(self) -> str:
        """The table-name prefix for this database ('' or 'schema.')."""
        schema = getattr(self.datastore, "schema", "")
        return f"{schema}." if schema else ""

    def sql(self, statement: str) -> str:
        """A statement written with 'qz_' tables and '?' placeholders, for this database."""
        known: dict[str, str] = self.__dict__.setdefault("_translated", {})
        translated = known.get(statement)
        if translated is None:
            translated = statement.replace("qz_", f"{self.qualify}qz_")
            if self.placeholder != "?":
                translated = translated.replace("?", self.placeholder)
            known[statement] = translated
        return translated

    def create_read_model_tables(self) -> None:
        """Create the projection tables (``qualizyklus init``)."""
        with self.datastore.transaction(commit=True) as cursor:
            for statement in create_statements(self.qualify):
                cursor.execute(statement)

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
        notifications: Sequence[Notification],
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
            batch = Batch(cursor, sql=self.sql, themes=themes)
            decoder = Decoder(mapper)
            for notification in notifications:
                _apply_one(batch, notification, decoder)
            _finish(batch)
            batch.flush()

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
            raise IntegrityError(msg)

    def lands_pending(self) -> list[str]:
        """Lands whose comparison waits to be recomputed."""
        rows = self.query("SELECT key FROM qz_pending WHERE kind = ?", (PENDING_LAND,))
        return sorted(row["key"] for row in rows)

    def store_land_figures(self, land: str, figures: Mapping[str, Any], position: int) -> None:
        """Keep a Land's computed comparison and clear its pending mark."""
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                self.sql(
                    "INSERT INTO qz_land_figures (land, figures, position, computed_at) "
                    "VALUES (?, ?, ?, CURRENT_TIMESTAMP) ON CONFLICT (land) DO UPDATE SET "
                    "figures = excluded.figures, position = excluded.position, "
                    "computed_at = excluded.computed_at"
                ),
                (land, json.dumps(figures), position),
            )
            cursor.execute(
                self.sql("DELETE FROM qz_pending WHERE kind = ? AND key = ?"), (PENDING_LAND, land)
            )

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


class PostgresReadModel(ReadModel, PostgresTrackingRecorder):
    """The read models in the PostgreSQL database (and schema) of the events."""

    placeholder = "%s"


class Decoder:
    """Turns stored events into handler events: plain JSON, upcast through the mapper if old."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper

    def event(self, notification: Notification) -> Event:
        """The notification's fields as the current event class would store them."""
        state = notification.state
        if self.mapper.cipher:
            state = self.mapper.cipher.decrypt(state)
        if self.mapper.compressor:
            state = self.mapper.compressor.decompress(state)
        fields = json.loads(state)
        if fields.get("class_version", 1) != CLASS_VERSIONS.get(notification.topic, 1):
            fields = self._upcast(notification)
        return Event(str(notification.originator_id), notification.originator_version, fields)

    def _upcast(self, notification: Notification) -> dict[str, Any]:
        """An older stored form, read through the mapper (which upcasts) and stored anew."""
        current = self.mapper.to_stored_event(self.mapper.to_domain_event(notification))
        state = current.state
        if self.mapper.cipher:
            state = self.mapper.cipher.decrypt(state)
        if self.mapper.compressor:
            state = self.mapper.compressor.decompress(state)
        fields: dict[str, Any] = json.loads(state)
        return fields


def _apply_one(batch: Batch, notification: Notification, decoder: Decoder) -> None:
    handler = HANDLERS_BY_TOPIC.get(notification.topic)
    if handler is not None:
        handler(batch, decoder.event(notification))
    elif notification.topic.startswith(CYCLE_TOPIC_PREFIX):
        batch.note_cycle_event(str(notification.originator_id), notification.originator_version)


def _topic(event_class: type[Any]) -> str:
    return str(event_class.TOPIC)


HANDLERS_BY_TOPIC = {_topic(event_class): handler for event_class, handler in HANDLERS.items()}
"""Handlers by stored topic, so an event nobody handles is never decoded."""
CLASS_VERSIONS = {
    _topic(event_class): getattr(event_class, "class_version", 1) for event_class in HANDLERS
}
"""The current class version of each handled event (older stored forms are upcast)."""
CYCLE_TOPIC_PREFIX = "qualizyklus:Cycle."


def _finish(batch: Batch) -> None:
    """Write what the batch's events touched: versions, theme scores, pending Lands."""
    for cycle_id, (version, moment) in batch.cycle_versions.items():
        batch.execute(
            "UPDATE qz_cycles SET version = ?, events = events + ?, "
            "updated_at = CASE WHEN ? = '' THEN updated_at ELSE ? END WHERE cycle_id = ?",
            (version, batch.cycle_events.get(cycle_id, 0), moment, moment, cycle_id),
        )
    for cycle_id, theme_id in sorted(batch.scores):
        _rescore(batch, cycle_id, theme_id)
    _mark_lands(batch)


def _rescore(batch: Batch, cycle_id: str, theme_id: str) -> None:
    """A theme's score in a cycle: the median of the raters' mean positions (0 to 1)."""
    rows = batch.fetch(
        "SELECT rater_id, criterion_id, share FROM qz_ratings WHERE cycle_id = ? AND theme_id = ?",
        (cycle_id, theme_id),
    )
    per_rater: dict[str, list[float]] = {}
    for row in rows:
        if row["share"] is not None:
            per_rater.setdefault(row["rater_id"], []).append(float(row["share"]))
    if not rows:
        batch.execute(
            "DELETE FROM qz_theme_scores WHERE cycle_id = ? AND theme_id = ?", (cycle_id, theme_id)
        )
        return
    means = [sum(shares) / len(shares) for shares in per_rater.values()]
    batch.execute(
        "INSERT INTO qz_theme_scores (cycle_id, theme_id, organisation_id, score, raters, "
        "criteria) VALUES (?, ?, (SELECT organisation_id FROM qz_cycles WHERE cycle_id = ?), "
        "?, ?, ?) ON CONFLICT (cycle_id, theme_id) DO UPDATE SET score = excluded.score, "
        "raters = excluded.raters, criteria = excluded.criteria",
        (
            cycle_id,
            theme_id,
            cycle_id,
            round(median(means), 4) if means else None,
            len({row["rater_id"] for row in rows}),
            len({row["criterion_id"] for row in rows}),
        ),
    )


def _mark_lands(batch: Batch) -> None:
    """Mark the Lands of every touched organisation and cycle for a new comparison."""
    lands = _lands_of(batch, "organisation_id", "qz_organisations", batch.organisations)
    lands |= _lands_of(batch, "cycle_id", "qz_cycles", batch.cycles)
    for land in sorted(lands):
        batch.execute(
            "INSERT INTO qz_pending (kind, key) VALUES (?, ?) ON CONFLICT (kind, key) DO NOTHING",
            (PENDING_LAND, land),
        )


def _lands_of(batch: Batch, column: str, table: str, ids: Iterable[str]) -> set[str]:
    wanted = sorted(ids)
    lands: set[str] = set()
    join = "" if table == "qz_organisations" else " JOIN qz_organisations o USING (organisation_id)"
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        rows = batch.fetch(
            f"SELECT DISTINCT land FROM {table} t{join} WHERE t.{column} IN ({marks})",
            tuple(chunk),
        )
        lands.update(row["land"] for row in rows)
    return lands
