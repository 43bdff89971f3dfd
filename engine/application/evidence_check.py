"""Does the store still extend its signed checkpoints? Names what is missing or changed.

The check first proves the recorded leaves with the checkpoints' signed roots (a leaf table
that still hashes to a signed root holds exactly what was signed). Then it walks the store's
events and the proven leaves side by side, by notification id, and names per aggregate the
versions that are missing, changed or inserted since, and the events dated before a
checkpoint that it does not hold (a forged append). When the leaf table no longer hashes to
a root, the store's own events are hashed instead, and the check says whether they match.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import EventSourcingError
from eventsourcing.utils import TopicError

from engine.application.evidence_log import checkpoints_table, leaves_table, store_leaves
from engine.application.log_tables import Leaf
from engine.application.store import Store
from engine.domain.checkpoint import Checkpoint, CheckpointError, VerifierKey, open_note
from engine.domain.merkle import roots_at


@dataclass(frozen=True)
class LogProblem:
    """One finding: a code (log-truncated, log-altered, store-differs, event-missing,
    event-changed, event-inserted, forged-append, checkpoint-invalid) and a sentence."""

    code: str
    fault: str

    def __str__(self) -> str:
        return self.fault


@dataclass
class LogCheck:
    """The outcome: how many checkpoints and events were compared, and what was found."""

    checkpoints: int = 0
    checked: int = 0
    problems: list[LogProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the store extends every checkpoint."""
        return not self.problems


def check_recorded(app: Store, verifier: VerifierKey) -> LogCheck:
    """Check the store against every checkpoint recorded in its own table."""
    checkpoints: list[Checkpoint] = []
    problems = []
    for row in checkpoints_table(app).all():
        try:
            opened = open_note(row.note, verifier)
        except CheckpointError as error:
            problems.append(
                LogProblem("checkpoint-invalid", f"recorded checkpoint {row.size}: {error}")
            )
            continue
        if opened.size != row.size or opened.root.hex() != row.root:
            fault = f"recorded checkpoint {row.size}: its row differs from its signed note"
            problems.append(LogProblem("checkpoint-invalid", fault))
        checkpoints.append(opened)
    result = check_against(app, checkpoints)
    result.problems[:0] = problems
    return result


def check_against(app: Store, checkpoints: list[Checkpoint]) -> LogCheck:
    """Check the store against checkpoints whose signatures were verified."""
    result = LogCheck(checkpoints=len(checkpoints))
    if not checkpoints:
        return result
    wanted = {c.size: c for c in checkpoints}
    largest = max(wanted.values(), key=lambda c: c.size)
    found: dict[int, bytes] = {}
    recorded = roots_at(
        (leaf.hashed() for leaf in leaves_table(app).read(0, largest.size)),
        wanted,
        found.__setitem__,
    )
    bad = [c for c in checkpoints if found.get(c.size) != c.root]
    if bad:
        _unproven(app, checkpoints, bad, recorded, result)
        return result
    leaves = leaves_table(app).read(0, largest.size)
    _compare(app, leaves, largest, result)
    return result


def _unproven(
    app: Store,
    checkpoints: list[Checkpoint],
    bad: list[Checkpoint],
    recorded: int,
    result: LogCheck,
) -> None:
    """The leaf table no longer proves some checkpoints: hash the store's events instead."""
    for checkpoint in bad:
        if recorded < checkpoint.size:
            fault = (
                f"checkpoint {checkpoint.size}: the recorded log holds only {recorded} events "
                "(truncated)"
            )
            result.problems.append(LogProblem("log-truncated", fault))
        else:
            fault = f"checkpoint {checkpoint.size}: the recorded log was altered"
            result.problems.append(LogProblem("log-altered", fault))
    found: dict[int, bytes] = {}
    result.checked = roots_at(
        (leaf.hashed() for leaf in store_leaves(app)),
        {c.size for c in checkpoints},
        found.__setitem__,
    )
    for checkpoint in checkpoints:
        if found.get(checkpoint.size) != checkpoint.root:
            fault = (
                f"checkpoint {checkpoint.size} ({checkpoint.time:%Y-%m-%d %H:%M} UTC): the "
                "store's first events no longer hash to its root (events removed, changed or "
                "inserted; which ones cannot be named without the recorded log)"
            )
            result.problems.append(LogProblem("store-differs", fault))


def _compare(app: Store, leaves: Iterable[Leaf], last: Checkpoint, result: LogCheck) -> None:
    """Walk proven leaves and the store's events by notification id; name differences."""
    findings: dict[tuple[str, str], list[int]] = {}
    stored = store_leaves(app)
    pending = next(stored, None)
    for leaf in leaves:
        while pending is not None and pending.notification_id < leaf.notification_id:
            findings.setdefault(("event-inserted", pending.originator_id), []).append(
                pending.version
            )
            result.checked += 1
            pending = next(stored, None)
        if pending is None or pending.notification_id > leaf.notification_id:
            findings.setdefault(("event-missing", leaf.originator_id), []).append(leaf.version)
            continue
        result.checked += 1
        if (pending.originator_id, pending.version, pending.seal) != (
            leaf.originator_id,
            leaf.version,
            leaf.seal,
        ):
            findings.setdefault(("event-changed", leaf.originator_id), []).append(leaf.version)
        pending = next(stored, None)
    for leaf in _rest(pending, stored):
        result.checked += 1
        if _dated_before(app, leaf, last.time):
            findings.setdefault(("forged-append", leaf.originator_id), []).append(leaf.version)
    for (code, aggregate), versions in findings.items():
        result.problems.append(_finding(code, aggregate, versions, last))


def _rest(first: Leaf | None, others: Iterator[Leaf]) -> Iterator[Leaf]:
    if first is not None:
        yield first
    yield from others


SENTENCES = {
    "event-missing": "missing (in checkpoint {size}, removed since)",
    "event-changed": "changed since checkpoint {size} (its seal differs)",
    "event-inserted": "inserted among events checkpoint {size} holds",
    "forged-append": "not in checkpoint {size} although dated before it (forged append)",
}


def _finding(code: str, aggregate: str, versions: list[int], last: Checkpoint) -> LogProblem:
    what = SENTENCES[code].format(size=last.size)
    return LogProblem(code, f"aggregate {_uuid(aggregate)} {_ranges(versions)}: {what}")


def _uuid(hex_id: str) -> str:
    if len(hex_id) != 32:
        return hex_id
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


def _ranges(versions: list[int]) -> str:
    """'version 3', or 'versions 1-4, 7'."""
    ordered = sorted(set(versions))
    spans: list[str] = []
    start = previous = ordered[0]
    for version in [*ordered[1:], None]:
        if version is not None and version == previous + 1:
            previous = version
            continue
        spans.append(str(start) if start == previous else f"{start}-{previous}")
        if version is not None:
            start = previous = version
    label = "version" if len(ordered) == 1 else "versions"
    return f"{label} {', '.join(spans)}"


def _dated_before(app: Store, leaf: Leaf, moment: datetime) -> bool:
    """Whether an event after the checkpoint claims a time before it."""
    records = app.recorder.select_events(
        UUID(leaf.originator_id), gt=leaf.version - 1, lte=leaf.version
    )
    if not records:
        return False
    try:
        event: Any = app.mapper.to_domain_event(records[0])
        return bool(event.timestamp < moment)
    except (EventSourcingError, TopicError, KeyError, ValueError, TypeError, AttributeError):
        return True
