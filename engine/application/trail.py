"""The audit trail as pages and reports read it, as plain data.

Each event's stamp (version, name, actor, time, reason) without replaying the aggregate, the
state of its seal chain, and the history entries (with their changes) of chosen versions.
A damaged store is part of what this reports, never an error: stamps stop before the first
unreadable record, the chain names the version where it breaks, and entries that cannot be
replayed are left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent

from engine.application import audit
from engine.application.service import Qualizyklus
from engine.domain.assessment import BlindRound
from engine.domain.errors import StoreDamaged

SPAN_GAP = 25
"""Versions this close together are replayed in one go (cheaper than one by one)."""


@dataclass(frozen=True)
class Stamp:
    """One event's version, name, actor and time (and reason), read without replaying."""

    version: int
    name: str
    actor_id: str
    timestamp: datetime
    reason: str = ""


@dataclass(frozen=True)
class Stamps:
    """An aggregate's readable stamps, oldest first, and the first unreadable version."""

    found: tuple[Stamp, ...]
    unreadable: int | None = None


@dataclass(frozen=True)
class ChainStatus:
    """The result of checking one aggregate's seal chain.

    ``broken_at`` is the first version whose record is missing, out of order, unreadable or
    altered (None when intact); ``code`` and ``fault`` say which (see :class:`audit.Problem`);
    ``seal`` is the head seal, or the last good one before the break.
    """

    aggregate_id: UUID
    events: int
    broken_at: int | None
    code: str
    fault: str
    seal: str

    @property
    def intact(self) -> bool:
        """True when every event's seal matched."""
        return self.broken_at is None


def _stamps(mapper: Mapper[UUID], records: Sequence[StoredEvent]) -> Stamps:
    """The stamps of stored records, up to the first that cannot be read."""
    found: list[Stamp] = []
    for record in records:
        try:
            with audit.replaying():
                event: Any = mapper.to_domain_event(record)
        except StoreDamaged:
            return Stamps(tuple(found), record.originator_version)
        found.append(
            Stamp(
                record.originator_version,
                audit.event_name(record.topic),
                str(getattr(event, "actor_id", "")),
                event.timestamp,
                str(getattr(event, "reason", "")),
            )
        )
    return Stamps(tuple(found))


def _chain(aggregate_id: UUID, records: Sequence[StoredEvent], mapper: Mapper[UUID]) -> ChainStatus:
    """The seal check of stored records."""
    problem, seal = audit.check_chain(aggregate_id, records, mapper)
    if problem is None:
        return ChainStatus(aggregate_id, len(records), None, "", "", seal)
    return ChainStatus(
        aggregate_id, len(records), problem.version, problem.code, problem.fault, seal
    )


def stamps(app: Qualizyklus, aggregate_id: UUID) -> Stamps:
    """Every event's stamp of an aggregate (none for an unknown one), oldest first."""
    return _stamps(app.mapper, app.recorder.select_events(aggregate_id))


def stamp_of(app: Qualizyklus, aggregate_id: UUID, version: int) -> Stamp | None:
    """The stamp of one version (None if there is none or it cannot be read)."""
    records = app.recorder.select_events(aggregate_id, gt=version - 1, lte=version)
    found = _stamps(app.mapper, records).found
    return found[0] if found else None


def chain_status(app: Qualizyklus, aggregate_id: UUID) -> ChainStatus:
    """Check one aggregate's stored events against their seals."""
    return _chain(aggregate_id, app.recorder.select_events(aggregate_id), app.mapper)


def trail(app: Qualizyklus, aggregate_id: UUID) -> tuple[Stamps, ChainStatus]:
    """The stamps and the seal check of an aggregate, from one reading of its records."""
    records = app.recorder.select_events(aggregate_id)
    return _stamps(app.mapper, records), _chain(aggregate_id, records, app.mapper)


def spans(versions: Sequence[int], gap: int = SPAN_GAP) -> list[list[int]]:
    """The versions, sorted and without repeats, grouped where neighbours are ``gap`` or closer."""
    grouped: list[list[int]] = []
    for version in sorted(set(versions)):
        if grouped and version - grouped[-1][-1] <= gap:
            grouped[-1].append(version)
        else:
            grouped.append([version])
    return grouped


def history_entries(
    app: Qualizyklus,
    aggregate_id: UUID,
    versions: Sequence[int],
    *,
    blind: BlindRound | None = None,
) -> dict[int, dict[str, Any]]:
    """The history entries (see :func:`audit.history`) of the given versions, by version
    (with ``blind``, as a reader in the blind first round may see them).

    Close versions are replayed together. A span that cannot be replayed (a damaged store)
    is left out: the caller shows those events without their changes.
    """
    found: dict[int, dict[str, Any]] = {}
    for span in spans(versions):
        try:
            entries = audit.history(
                app, aggregate_id, start=span[0], limit=span[-1] - span[0] + 1, blind=blind
            )
        except StoreDamaged:
            continue
        found.update((e["version"], e) for e in entries if e["version"] in span)
    return found
