"""Export an organisation's complete event history as JSON Lines, and import it again.

The file holds a header line, one line per stored event (exactly as stored: topic, version
and state) and a trailer line with the count and a digest, so that a truncated file is
refused. An import checks everything first (format, topics, versions, seal chains, that
each aggregate replays, that none exists yet) and then writes all events in one transaction:
a corrupt or tampered file changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from engine.application import free_texts
from engine.application import legacy_survey_texts as legacy
from engine.application.audit import check_chain, missing_cycles
from engine.application.rating_session_codes import (
    RestoredCodes,
    restore_codes,
    session_codes,
)
from engine.application.service import Qualizyklus
from engine.domain.cycle import Cycle
from engine.domain.errors import DomainError, NotFound
from engine.domain.organisation import organisation_id_for

FORMAT = "qualizyklus-export"
FORMAT_VERSION = 2
"""Version 2's header carries the free texts (``free_texts``: rows of references, texts and
erasure notes); each text is checked against its sealed reference on import. Its last line may
carry the parents' survey texts of answers recorded before those joined the free texts
(``survey_texts``, engine/application/legacy_survey_texts.py), checked the same way."""
READABLE_VERSIONS = (1, 2)


class ImportRefused(DomainError):
    """The file cannot be imported; nothing was written."""

    code = "import-refused"


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote."""

    organisation_slug: str
    aggregates: int
    events: int
    session_codes: int = 0
    """Rating sessions' codes entered again: their sessions are joinable (or closed) as before."""
    sessions_without_code: tuple[str, ...] = ()
    """Sessions whose code another session of this installation holds: nobody can join them."""


def export_organisation(
    app: Qualizyklus, slug: str, out: IO[str], *, progress: Callable[[int], None] | None = None
) -> int:
    """Write the organisation's and its cycles' events to ``out``; return the event count."""
    organisation_id = organisation_id_for(slug)
    first = app.recorder.select_events(organisation_id, limit=1)
    if not first:
        raise NotFound(f"Organisation {slug} nicht gefunden.", f"No organisation {slug}.")
    digest = hashlib.sha256()
    out.write(
        _line(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "organisation": slug,
                "exported_at": datetime.now(UTC).isoformat(),
                "free_texts": free_texts.texts_of(app, _aggregates_of(app, organisation_id)),
            }
        )
    )
    count, old_texts = 0, []
    for aggregate_id in _aggregates_of(app, organisation_id):
        for record in app.recorder.select_events(aggregate_id):
            state = json.loads(record.state)
            old_texts += legacy.references(record.topic, state)
            line = _line(
                {
                    "aggregate_id": str(record.originator_id),
                    "version": record.originator_version,
                    "topic": record.topic,
                    "state": state,
                }
            )
            digest.update(line.encode("utf-8"))
            out.write(line)
            count += 1
        if progress is not None:
            progress(1)
    trailer: dict[str, Any] = {"events": count, "sha256": digest.hexdigest()}
    if old_texts:
        trailer[legacy.KEY] = legacy.rows_for(app, old_texts)
    out.write(_line(trailer))
    return count


def _aggregates_of(app: Qualizyklus, organisation_id: UUID) -> Iterator[UUID]:
    yield organisation_id
    organisation = app.organisation(organisation_id)
    for cycle_id in organisation["cycles"]:
        yield UUID(cycle_id)


_LINE_BREAKING = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
"""Characters some readers take for line ends; escaped so that one event stays one line."""


def _line(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_LINE_BREAKING) + "\n"


def import_history(app: Qualizyklus, lines: Iterable[str]) -> ImportReport:
    """Check a whole export and write it in one transaction, or refuse and write nothing."""
    header, records = _parse(lines)
    by_aggregate: dict[UUID, list[StoredEvent]] = {}
    for record in records:
        by_aggregate.setdefault(record.originator_id, []).append(record)  # type: ignore[arg-type]
    cycles = []
    for aggregate_id, chain in by_aggregate.items():
        problem, _ = check_chain(aggregate_id, chain, app.mapper)
        if problem is not None:
            raise ImportRefused(f"Die Datei ist beschädigt: {problem}", f"Corrupt file: {problem}")
        replayed = _require_replay(app, aggregate_id, chain)
        if isinstance(replayed, Cycle):
            cycles.append(replayed)
        if app.recorder.select_events(aggregate_id, limit=1):
            raise ImportRefused(
                f"Der Speicher enthält {aggregate_id} schon.",
                f"The store already holds {aggregate_id}.",
            )
    for aggregate_id, chain in by_aggregate.items():
        missing = missing_cycles(app, aggregate_id, chain, set(by_aggregate))
        if missing:
            raise _refused(f"the file is incomplete: {missing[0]}")
    slug = str(header.get("organisation", ""))
    if organisation_id_for(slug) not in by_aggregate:
        raise ImportRefused("Die Organisation fehlt in der Datei.", "The organisation is missing.")
    texts = header.get("free_texts") or []
    if not isinstance(texts, list) or not all(
        isinstance(text, dict) and _belongs(text, by_aggregate) for text in texts
    ):
        raise _refused("a free text belongs to no aggregate of the file")
    old_texts = _old_texts(header, records)
    free_texts.import_texts(app, texts)
    codes = RestoredCodes()
    entered: list[str] = []
    try:
        entered = legacy.enter(app, old_texts)
        restore_codes(app, cycles, codes)
        app.recorder.insert_events(records)
    except BaseException:
        free_texts.undo_pending(app, [str(text["reference"]) for text in texts])
        legacy.take_out(app, entered)
        for code in codes.restored:
            session_codes(app).release(code)
        raise
    return ImportReport(
        slug, len(by_aggregate), len(records), len(codes.restored), tuple(codes.taken)
    )


def _old_texts(header: dict[str, Any], records: list[StoredEvent]) -> list[dict[str, str]]:
    """The file's parents' survey texts of version 1 answers, checked against its events."""
    named = {
        reference
        for record in records
        for reference in legacy.references(record.topic, json.loads(record.state))
    }
    try:
        return legacy.checked(header.get(legacy.KEY) or [], named)
    except ValueError as fault:
        raise _refused(str(fault)) from None


def _belongs(text: dict[str, Any], by_aggregate: dict[UUID, Any]) -> bool:
    try:
        return UUID(str(text.get("aggregate_id"))) in by_aggregate
    except ValueError:
        return False


def _parse(lines: Iterable[str]) -> tuple[dict[str, Any], list[StoredEvent]]:
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise _refused(f"line {number}: not JSON ({error.msg})") from None
    if len(rows) < 2 or not all(isinstance(row, dict) for row in rows):
        raise _refused("not a Qualizyklus export")
    header, *body, trailer = rows
    if header.get("format") != FORMAT or header.get("format_version") not in READABLE_VERSIONS:
        raise _refused("not a Qualizyklus export of a known format version")
    digest = hashlib.sha256()
    records = []
    for number, row in enumerate(body, start=2):
        digest.update(_line(row).encode("utf-8"))
        records.append(_stored_event(number, row))
    if trailer.get("events") != len(records) or trailer.get("sha256") != digest.hexdigest():
        raise _refused("the file is incomplete or was changed after export (count or digest)")
    return {**header, legacy.KEY: trailer.get(legacy.KEY)}, records


def _stored_event(number: int, row: dict[str, Any]) -> StoredEvent:
    try:
        return StoredEvent(
            originator_id=UUID(row["aggregate_id"]),
            originator_version=int(row["version"]),
            topic=str(row["topic"]),
            state=json.dumps(row["state"], ensure_ascii=False, separators=(",", ":")).encode(),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _refused(f"line {number}: malformed event ({error})") from None


def _require_replay(app: Qualizyklus, aggregate_id: UUID, chain: list[StoredEvent]) -> Any:
    """The aggregate replayed from its chain; refused when it does not replay."""
    aggregate: Any = None
    try:
        for record in chain:
            aggregate = app.mapper.to_domain_event(record).mutate(aggregate)  # type: ignore[attr-defined]
    except Exception as error:  # noqa: BLE001 -- any failure to replay refuses the file
        raise _refused(f"aggregate {aggregate_id} does not replay: {error}") from None
    return aggregate


def _refused(fault: str) -> ImportRefused:
    return ImportRefused(f"Import abgelehnt: {fault}", f"Import refused: {fault}")
