"""Erasable free text: the engine's API for texts people type (see docs/operations.md).

How to use it for a new kind of free text (a survey answer, a session's discussion notes):
name the event field in the event class's ``FREE_TEXTS`` (engine/domain/free_text.py says
what happens then). Nothing else changes: a new event's text is written to the free-text
table beside the event and sealed by reference; reading the event gives the text back, or
an :class:`~engine.domain.free_text.ErasedText` note once :func:`erase_text` erased it.

- :class:`FreeTextMapper`: the application's mapper; stores events without their texts and
  reads them back with their texts.
- :func:`write_pending`: writes a batch of new events' texts (the service calls it on save).
- :func:`erase_text`: erases one text, records ``FreeTextErased`` and removes the old bytes.
- :func:`texts_of` / :func:`import_texts`: the rows an export carries and an import writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.persistence import EventStore, Mapper, StoredEvent
from eventsourcing.utils import get_topic

from engine.application.store import SYSTEM_ACTOR
from engine.domain import free_text
from engine.domain.cycle import Cycle
from engine.domain.errors import DomainError, InvalidInput, NotFound
from engine.domain.organisation import Organisation
from engine.domain.sealing import SealedAggregate
from engine.infrastructure.free_text_table import FreeTextTable, TextRow
from engine.infrastructure.side_tables import Host, open_side_table

MISSING = "(Text fehlt · text missing)"
"""What a field reads as when its text is neither in the table nor erased (a partial copy)."""


class TextErasedAlready(DomainError):
    """The text was erased before; nothing changed."""

    code = "text-erased-already"


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: the reference, its aggregate and the event that records it."""

    reference: str
    aggregate_id: UUID
    version: int
    erased_on: date


class ErasingEngine(Host, Protocol):
    """The service as erasure uses it."""

    @property
    def snapshots(self) -> Any:
        """The library's snapshot store (None without snapshots)."""

    @property
    def repository(self) -> Any:
        """The library's repository (with the aggregate cache)."""

    def _save(self, *aggregates: SealedAggregate) -> None:
        """Save, turning a concurrent write into Conflict."""

    def _load(self, aggregate_class: Any, aggregate_id: UUID, *, for_change: bool) -> Any:
        """An aggregate (NotFound if missing)."""

    def forget_cached_states(self, aggregate_id: UUID) -> None:
        """Drop the aggregate and every plain state kept in memory."""


def table(app: Host) -> FreeTextTable:
    """The free-text table of the engine's database."""
    return open_side_table(app, FreeTextTable)


class FreeTextMapper(Mapper[UUID]):
    """The library's mapper, storing events without their free texts and reading them back."""

    texts: FreeTextTable | None = None

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        """The stored form: referenced texts left out (they go to the free-text table)."""
        state = free_text.stored_form(dict(vars(domain_event)))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        stored = self.transcoder.encode(state)
        if self.compressor:
            stored = self.compressor.compress(stored)
        if self.cipher:
            stored = self.cipher.encrypt(stored)
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=stored,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        """The event with each referenced text put back (or the note that it is erased)."""
        event = super().to_domain_event(stored_event)
        state = vars(event)
        if state.get(free_text.REFERENCES):
            free_text.attach(state, self.resolve)
        return event

    def to_domain_events(self, stored_events: Iterable[StoredEvent]) -> list[Any]:
        """The events of a batch with their texts, all read in one query (not one per text)."""
        decode = super().to_domain_event
        events = [decode(stored) for stored in stored_events]
        wanted: set[str] = set()
        for event in events:
            if vars(event).get(free_text.REFERENCES):
                free_text.attach(dict(vars(event)), lambda reference: wanted.add(reference))
        rows = self.texts.get_many(wanted) if wanted and self.texts is not None else {}
        for event in events:
            if vars(event).get(free_text.REFERENCES):
                free_text.attach(vars(event), lambda reference: _text(rows.get(reference)))
        return events

    def resolve(self, reference: str) -> str:
        """The text of ``reference``: the text, the erasure note, or :data:`MISSING`."""
        return _text(self.texts.get(reference) if self.texts is not None else None)


def domain_events(mapper: Mapper[UUID], records: Sequence[StoredEvent]) -> list[Any]:
    """Stored events as domain events; with texts, those of all of them read in one query."""
    if isinstance(mapper, FreeTextMapper):
        return mapper.to_domain_events(records)
    return [mapper.to_domain_event(record) for record in records]


def _text(row: TextRow | None) -> str:
    """A row's text, the erasure note, or :data:`MISSING` without a row."""
    if row is None:
        return MISSING
    if row.text is None:
        return free_text.ErasedText(date.fromisoformat((row.erased_at or "")[:10]))
    return row.text


class TextsReadPerBatch:
    """For the application: its event store reads the free texts of a batch in one query."""

    def construct_event_store(self) -> BatchReadingEventStore:
        """The library's event store, reading a batch's free texts in one query."""
        application: Any = self  # the library's Application, with its mapper and recorder
        return BatchReadingEventStore(application.mapper, application.recorder)


class BatchReadingEventStore(EventStore[UUID]):
    """The library's event store, reading the texts of the events it returns in one query."""

    mapper: FreeTextMapper

    def get(
        self,
        originator_id: UUID,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Iterator[Any]:
        """An aggregate's events (as the library's), their texts read once for all of them."""
        records = self.recorder.select_events(
            originator_id=originator_id, gt=gt, lte=lte, desc=desc, limit=limit
        )
        return iter(self.mapper.to_domain_events(records))


def mapper_for(app: Host, plain: Mapper[UUID]) -> FreeTextMapper:
    """The application's mapper: ``plain``'s transcoder, compressor and cipher, with texts."""
    mapper = FreeTextMapper(
        transcoder=plain.transcoder, compressor=plain.compressor, cipher=plain.cipher
    )
    mapper.texts = table(app)
    return mapper


def pending_rows(events: Iterable[Any]) -> list[TextRow]:
    """The rows the new ``events`` wait to have written."""
    return [
        TextRow(
            reference=item.reference,
            aggregate_id=str(event.originator_id),
            version=event.originator_version,
            field=item.field,
            salt=item.salt,
            text=item.text,
            erased_at=None,
        )
        for event in events
        for item in free_text.pending_texts(event)
    ]


def write_pending(app: Host, events: Sequence[Any]) -> list[str]:
    """Write the new events' texts; the references written (to undo if the save fails)."""
    rows = pending_rows(events)
    table(app).insert(rows)
    return [row.reference for row in rows]


def undo_pending(app: Host, references: list[str]) -> None:
    """Remove texts whose events were not stored after all."""
    if references:
        table(app).delete(references)


def erase_text(
    app: ErasingEngine,
    reference: str,
    *,
    actor_id: str,
    reason: str,
    within: UUID | None = None,
) -> Erasure:
    """Erase one text: record ``FreeTextErased``, empty its row, drop every copy, compact.

    The system (command line) may erase any text; a person must coordinate the organisation
    the text belongs to (permission "moderate"), and with ``within`` the text must belong to
    that aggregate. An unknown reference is NotFound and one erased before is
    :class:`TextErasedAlready`; neither changes anything. The event is saved first, so a
    refused save leaves the text.
    """
    texts = table(app)
    row = texts.get(reference.strip()) if free_text.is_reference(reference.strip()) else None
    if row is None or (within is not None and row.aggregate_id != str(within)):
        raise NotFound(f"Keinen Text {reference!r} gefunden.", f"No text {reference!r}.")
    if actor_id != SYSTEM_ACTOR:
        _require_moderator(app, UUID(row.aggregate_id), actor_id)
    if row.text is None:
        raise TextErasedAlready(
            f"Der Text wurde schon am {row.erased_at} gelöscht.",
            f"The text was erased already on {row.erased_at}.",
        )
    if not reason.strip():
        raise InvalidInput("reason", "Bitte einen Grund angeben.", "Please give a reason.")
    aggregate_id = UUID(row.aggregate_id)
    aggregate = _aggregate(app, aggregate_id)
    aggregate.record_text_erased(actor_id=actor_id, reference=row.reference, reason=reason)
    app._save(aggregate)
    now = datetime.now(UTC)
    texts.erase(row.reference, now.isoformat())
    drop_copies(app, aggregate_id)
    compact(app)
    return Erasure(row.reference, aggregate_id, aggregate.version, now.date())


def texts_of_cycle(app: ErasingEngine, cycle_id: UUID, *, actor_id: str) -> list[dict[str, Any]]:
    """The cycle's free texts, newest first, for its coordinators to erase what must go."""
    _require_moderator(app, cycle_id, actor_id)
    rows = table(app).of_aggregates([str(cycle_id)])
    return [
        {
            "reference": row.reference,
            "version": row.version,
            "field": row.field,
            "text": row.text,
            "erased_on": date.fromisoformat(row.erased_at[:10]) if row.erased_at else None,
        }
        for row in reversed(rows)
    ]


def _require_moderator(app: ErasingEngine, aggregate_id: UUID, actor_id: str) -> None:
    """Refuse unless the actor coordinates the aggregate's organisation (NotFound if no member)."""
    aggregate = _aggregate(app, aggregate_id, for_change=False)
    organisation = (
        aggregate
        if isinstance(aggregate, Organisation)
        else app._load(Organisation, aggregate.organisation_id, for_change=False)
    )
    organisation.require(actor_id, "moderate")


def _aggregate(app: ErasingEngine, aggregate_id: UUID, *, for_change: bool = True) -> Any:
    try:
        return app._load(Cycle, aggregate_id, for_change=for_change)
    except NotFound:
        return app._load(Organisation, aggregate_id, for_change=for_change)


def drop_copies(app: ErasingEngine, aggregate_id: UUID) -> None:
    """Delete the aggregate's snapshots and forget what this process keeps in memory."""
    if app.snapshots is not None:
        recorder = app.snapshots.recorder
        p = "?" if app.settings.is_sqlite else "%s"
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"DELETE FROM {_snapshot_table(app)} WHERE originator_id = {p}",
                (_id(app, aggregate_id),),
            )
    app.forget_cached_states(aggregate_id)


def _snapshot_table(app: Any) -> str:
    """The snapshots' table name (schema-qualified on PostgreSQL)."""
    recorder = app.snapshots.recorder
    schema = getattr(recorder.datastore, "schema", "")
    name = str(recorder.events_table_name)
    return f"{schema}.{name}" if schema and not app.settings.is_sqlite else name


def _id(app: Host, aggregate_id: UUID) -> Any:
    """The aggregate id as the snapshots' table holds it (SQLite: 32 hex digits)."""
    return aggregate_id.hex if app.settings.is_sqlite else aggregate_id


def compact(app: Host) -> None:
    """Remove erased texts' old bytes from the database files.

    SQLite: VACUUM rewrites the file without free pages, then a WAL checkpoint (TRUNCATE)
    empties the write-ahead log. PostgreSQL: VACUUM FULL rewrites the free-text and snapshot
    tables; the server's own WAL and backups age out by its retention (docs/operations.md).
    """
    datastore = app.factory.datastore
    if app.settings.is_sqlite:
        with datastore.get_connection(commit=True) as connection:
            raw = connection._sqlite_conn
            raw.execute("VACUUM")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    names = [table(app)._table]
    if getattr(app, "snapshots", None) is not None:
        names.append(_snapshot_table(app))
    with datastore.get_connection() as connection:
        for name in names:
            connection.execute(f"VACUUM FULL {name}")


def texts_of(app: Host, aggregate_ids: Iterable[UUID]) -> list[dict[str, Any]]:
    """The free-text rows of the given aggregates as plain data (for an export)."""
    return [row.as_dict() for row in table(app).of_aggregates(str(i) for i in aggregate_ids)]


def import_texts(app: Host, rows: Iterable[dict[str, Any]]) -> int:
    """Write exported free-text rows (texts and erasure notes); how many."""
    parsed = [_row(row) for row in rows]
    for row in parsed:
        if not free_text.is_reference(row.reference) or not _matches(row):
            raise InvalidInput(
                "texts", "Ein Text passt nicht zu seiner Referenz.", "A text fails its reference."
            )
    table(app).insert(parsed)
    return len(parsed)


def _row(data: dict[str, Any]) -> TextRow:
    """An exported row, its types checked."""
    try:
        return TextRow(
            reference=str(data["reference"]),
            aggregate_id=str(UUID(str(data["aggregate_id"]))),
            version=int(data["version"]),
            field=str(data["field"]),
            salt=None if data.get("salt") is None else str(data["salt"]),
            text=None if data.get("text") is None else str(data["text"]),
            erased_at=None if data.get("erased_at") is None else str(data["erased_at"]),
        )
    except (KeyError, TypeError, ValueError):
        raise InvalidInput("texts", "Ein Text ist fehlerhaft.", "A text is malformed.") from None


def check_texts(app: Host, aggregate_ids: Iterable[UUID]) -> list[str]:
    """The references among the aggregates' texts whose text no longer matches them."""
    return [
        row.reference
        for row in table(app).of_aggregates(str(i) for i in aggregate_ids)
        if not _matches(row)
    ]


def _matches(row: TextRow) -> bool:
    """Whether the row's text (if not erased) is the one its reference was made from."""
    if row.text is None:
        return True
    try:
        return free_text.digest(row.salt or "", row.text) == row.reference
    except ValueError:
        return False
