"""The audit trail: history with changes, state as of a version or a time, diffs, seal checks."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import EventSourcingError
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import TopicError, resolve_topic

from engine.application.free_texts import domain_events
from engine.application.service import Qualizyklus
from engine.domain.assessment import BlindRound
from engine.domain.errors import NotFound, StoreDamaged
from engine.domain.organisation import Organisation
from engine.domain.sealing import GENESIS_SEAL, compute_seal

LOCAL_TIME = ZoneInfo("Europe/Berlin")
UNDIFFED_KEYS = frozenset({"version", "modified_on", "created_on"})
REPLAY_FAULTS = (EventSourcingError, TopicError, KeyError, ValueError, TypeError, AttributeError)
"""What reading or replaying a damaged (tampered) store can raise."""


@contextmanager
def replaying() -> Iterator[None]:
    """Read or replay stored events; a damaged record raises :class:`StoreDamaged` instead.

    A missing aggregate is :class:`NotFound`, like everywhere else in the engine.
    """
    try:
        yield
    except AggregateNotFoundError:
        raise NotFound() from None
    except REPLAY_FAULTS as error:
        raise StoreDamaged(str(error)) from error


def event_name(topic: str) -> str:
    """The short name of an event topic ('qualizyklus:Cycle.GoalSet' -> 'GoalSet')."""
    return topic.rsplit(".", 1)[-1].rsplit(":", 1)[-1]


def history(
    app: Qualizyklus,
    aggregate_id: UUID,
    *,
    start: int = 1,
    limit: int | None = None,
    blind: BlindRound | None = None,
) -> list[dict[str, Any]]:
    """Who did what, when and why, and what it changed, for versions ``start`` onwards.

    With ``blind`` (a reader's blind first round), a hidden rating's change shows only that
    it was recorded (see :meth:`BlindRound.masked`). Raises :class:`NotFound` for an unknown
    aggregate, :class:`StoreDamaged` when a record in the range cannot be read or replayed.
    """
    with replaying():
        return _history(app, aggregate_id, start=max(start, 1), limit=limit, blind=blind)


def _history(
    app: Qualizyklus,
    aggregate_id: UUID,
    *,
    start: int,
    limit: int | None,
    blind: BlindRound | None = None,
) -> list[dict[str, Any]]:
    seen = blind.masked if blind is not None else dict
    lte = None if limit is None else start + limit - 1
    stored = app.recorder.select_events(aggregate_id, gt=start - 1, lte=lte)
    if not stored and start == 1:
        raise NotFound("Nicht gefunden.", "Not found.")
    aggregate: Any = app.repository.get(aggregate_id, version=start - 1) if start > 1 else None
    before = seen(_state(aggregate))
    entries = []
    for record in stored:
        event: Any = app.mapper.to_domain_event(record)
        aggregate = event.mutate(aggregate)
        after = seen(_state(aggregate))
        entries.append(
            {
                "version": record.originator_version,
                "timestamp": event.timestamp,
                "actor_id": getattr(event, "actor_id", ""),
                "event": event_name(record.topic),
                "reason": getattr(event, "reason", ""),
                "changes": diff_states(before, after),
            }
        )
        before = after
    return entries


def _state(aggregate: Any) -> dict[str, Any]:
    return {} if aggregate is None else dict(aggregate.as_dict())


def state_at(
    app: Qualizyklus,
    aggregate_id: UUID,
    *,
    version: int | None = None,
    at: datetime | date | None = None,
    blind: BlindRound | None = None,
) -> dict[str, Any]:
    """The aggregate as it stood at a version, or at a point in time (a date means its end).

    With ``blind`` (a reader's blind first round), the ratings hidden from the reader are
    left out (see :meth:`BlindRound.state`). Raises :class:`NotFound` for a version or time
    without it, :class:`StoreDamaged` when its records cannot be replayed.
    """
    if at is not None:
        version = version_at(app, aggregate_id, at)
        if version == 0:
            raise NotFound(
                "Zu diesem Zeitpunkt gab es den Datensatz noch nicht.", "Not yet existing."
            )
    if version is not None and version < 1:
        raise NotFound("Diese Version gibt es nicht.", "No such version.")
    with replaying():
        aggregate: Any = app.repository.get(aggregate_id, version=version)
        if version is not None and aggregate.version != version:
            raise NotFound("Diese Version gibt es nicht.", "No such version.")
        # A cycle as queries give it (withdrawn values apart, measures flagged), else as stored
        state = aggregate.as_state() if hasattr(aggregate, "as_state") else aggregate.as_dict()
        return blind.state(state) if blind is not None else dict(state)


def version_at(app: Qualizyklus, aggregate_id: UUID, at: datetime | date) -> int:
    """The last version recorded at or before ``at`` (0 if none); binary search on versions."""
    with replaying():
        return _version_at(app, aggregate_id, _moment(at))


def _version_at(app: Qualizyklus, aggregate_id: UUID, moment: datetime) -> int:
    last = app.recorder.select_events(aggregate_id, desc=True, limit=1)
    if not last:
        raise NotFound("Nicht gefunden.", "Not found.")
    low, high = 0, last[0].originator_version
    while low < high:
        middle = (low + high + 1) // 2
        record = app.recorder.select_events(aggregate_id, gt=middle - 1, lte=middle)[0]
        event: Any = app.mapper.to_domain_event(record)
        if event.timestamp <= moment:
            low = middle
        else:
            high = middle - 1
    return low


def _moment(at: datetime | date) -> datetime:
    if isinstance(at, datetime):
        return at if at.tzinfo else at.replace(tzinfo=LOCAL_TIME)
    return datetime.combine(at, time.max, tzinfo=LOCAL_TIME)


def diff_versions(
    app: Qualizyklus,
    aggregate_id: UUID,
    first: int,
    second: int,
    *,
    blind: BlindRound | None = None,
) -> list[dict[str, Any]]:
    """What differs between two versions of an aggregate (with ``blind``: a hidden rating's
    change only as recorded, by whom and when; see :meth:`BlindRound.masked`)."""
    before = state_at(app, aggregate_id, version=first)
    after = state_at(app, aggregate_id, version=second)
    if blind is not None:
        before, after = blind.masked(before), blind.masked(after)
    return diff_states(before, after)


def diff_states(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Changed leaves between two plain states, as paths with the value before and after."""
    changes: list[dict[str, Any]] = []
    _diff(before, after, "", changes)
    return [c for c in changes if c["path"].split(".", 1)[0] not in UNDIFFED_KEYS]


def _diff(before: Any, after: Any, path: str, changes: list[dict[str, Any]]) -> None:
    if isinstance(before, dict) and isinstance(after, dict):
        for key in list(before) + [k for k in after if k not in before]:
            child = f"{path}.{key}" if path else str(key)
            _diff(before.get(key), after.get(key), child, changes)
    elif isinstance(before, list) and isinstance(after, list) and after[: len(before)] == before:
        for index in range(len(before), len(after)):
            changes.append({"path": f"{path}[{index}]", "before": None, "after": after[index]})
    elif before != after:
        changes.append({"path": path, "before": before, "after": after})


@dataclass
class Problem:
    """One fault the seal check found: which aggregate, which version, what (``code``).

    Codes: event-missing, event-out-of-order, event-unreadable, seal-broken, snapshot-differs,
    snapshot-beyond-events, cycle-missing.
    """

    aggregate_id: UUID
    version: int
    fault: str
    code: str

    def __str__(self) -> str:
        return f"aggregate {self.aggregate_id} version {self.version}: {self.fault}"


@dataclass
class Verification:
    """The result of checking every seal chain (and every snapshot) in the store."""

    aggregates: int = 0
    events: int = 0
    snapshots: int = 0
    problems: list[Problem] = field(default_factory=list)
    heads: dict[UUID, tuple[int, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.problems

    @property
    def digest(self) -> str:
        """One hash over every chain's head; record it elsewhere to anchor the whole store."""
        digest = hashlib.sha256()
        for aggregate_id in sorted(self.heads, key=str):
            version, seal = self.heads[aggregate_id]
            digest.update(f"{aggregate_id}:{version}:{seal}\n".encode())
        return digest.hexdigest()


def check_chain(
    aggregate_id: UUID, records: Sequence[StoredEvent], mapper: Mapper[UUID]
) -> tuple[Problem | None, str]:
    """Check one aggregate's stored events: versions 1..n, each topic known, each seal right.

    Returns the first problem (or None) and the last good seal.
    """
    seal = GENESIS_SEAL
    for expected_version, record in enumerate(records, start=1):
        version = record.originator_version
        if version != expected_version:
            missing = "missing" if version > expected_version else "out-of-order"
            fault = f"event {missing.replace('-', ' ')}"
            return Problem(aggregate_id, expected_version, fault, f"event-{missing}"), seal
        try:
            resolve_topic(record.topic)
            state = mapper.transcoder.decode(record.state)
        except (TopicError, ValueError) as error:
            fault = f"unreadable event: {error}"
            return Problem(aggregate_id, version, fault, "event-unreadable"), seal
        if not isinstance(state, dict):
            fault = "unreadable event: not an object"
            return Problem(aggregate_id, version, fault, "event-unreadable"), seal
        expected = compute_seal(
            seal,
            topic=record.topic,
            originator_id=aggregate_id,
            originator_version=version,
            state=state,
        )
        if state.get("seal") != expected:
            fault = "seal broken (altered, reordered or inserted)"
            return Problem(aggregate_id, version, fault, "seal-broken"), seal
        seal = expected
    return None, seal


def verify(
    app: Qualizyklus,
    *,
    aggregate_ids: list[UUID] | None = None,
    progress: Callable[[int], object] | None = None,
) -> Verification:
    """Check every aggregate's seal chain, every snapshot, and that registered cycles exist."""
    result = Verification()
    if aggregate_ids is None:
        aggregate_ids = all_aggregate_ids(app)
    for aggregate_id in aggregate_ids:
        records = app.recorder.select_events(aggregate_id)
        result.aggregates += 1
        result.events += len(records)
        problem, seal = check_chain(aggregate_id, records, app.mapper)
        if problem is not None:
            result.problems.append(problem)
        else:
            result.heads[aggregate_id] = (len(records), seal)
            result.snapshots += _check_snapshots(app, aggregate_id, records, result.problems)
            result.problems += missing_cycles(app, aggregate_id, records, set(aggregate_ids))
        if progress is not None:
            progress(1)
    return result


def all_aggregate_ids(app: Qualizyklus) -> list[UUID]:
    """Every aggregate in the store, in the order of their first event."""
    seen: dict[Any, None] = {}
    start = 1
    while True:
        page = app.recorder.select_notifications(start, 1000)
        for notification in page:
            seen.setdefault(notification.originator_id, None)
        if len(page) < 1000:
            return list(seen)
        start = page[-1].id + 1


def _check_snapshots(
    app: Qualizyklus, aggregate_id: UUID, records: Sequence[StoredEvent], problems: list[Problem]
) -> int:
    """Each snapshot must equal the state replayed from the (verified) events."""
    if app.snapshots is None:
        return 0
    snapshots = {s.originator_version: s for s in app.snapshots.get(aggregate_id)}
    count = len(snapshots)
    aggregate: Any = None
    replayed = [r for r in records if r.originator_version <= max(snapshots, default=0)]
    for record, event in zip(replayed, domain_events(app.mapper, replayed), strict=True):
        aggregate = event.mutate(aggregate)
        snapshot = snapshots.pop(record.originator_version, None)
        if snapshot is None:
            continue
        restored = snapshot.mutate(None)  # type: ignore[attr-defined]
        if restored.as_dict() != aggregate.as_dict() or restored._seal != aggregate._seal:
            problems.append(
                Problem(
                    aggregate_id, record.originator_version, "snapshot differs", "snapshot-differs"
                )
            )
    for version in snapshots:
        problems.append(
            Problem(
                aggregate_id, version, "snapshot beyond the last event", "snapshot-beyond-events"
            )
        )
    return count


def missing_cycles(
    app: Qualizyklus, aggregate_id: UUID, records: Sequence[StoredEvent], known: set[UUID]
) -> list[Problem]:
    """Cycles an organisation registered that are not among ``known`` (a removed cycle)."""
    problems = []
    for record in records:
        if record.topic != Organisation.CycleRegistered.TOPIC:
            continue
        cycle_id = app.mapper.to_domain_event(record).cycle_id  # type: ignore[attr-defined]
        if cycle_id not in known:
            problems.append(
                Problem(
                    aggregate_id,
                    record.originator_version,
                    f"registered cycle {cycle_id} missing",
                    "cycle-missing",
                )
            )
    return problems
