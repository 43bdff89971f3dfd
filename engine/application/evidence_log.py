"""The Merkle log over every event's seal, and signed checkpoints of it.

Every event the store holds is a leaf, in the order of its notification id (the order the
store assigned). A checkpoint extends the log by the events recorded since the last one (it
reads only those), signs the new size and root with the installation's Ed25519 key, and records
leaves and checkpoint in one transaction. Nothing of the key reaches the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import orjson
from eventsourcing.persistence import PersistenceError

from engine.application.evidence_settings import CheckpointSettings
from engine.application.log_tables import Checkpoints, Leaf, LogLeaves, RecordedCheckpoint
from engine.application.store import Store
from engine.domain.checkpoint import Checkpoint, sign
from engine.domain.merkle import Frontier, consistency_proof
from engine.infrastructure.side_tables import open_side_table

PAGE = 5_000
STEP = 100_000
"""The most new events one checkpoint takes in; a first checkpoint over more is made in steps."""


class NoCheckpointKey(RuntimeError):
    """No checkpoint key is configured (QUALIZYKLUS_CHECKPOINT_KEY_FILE or _KEY)."""


@dataclass(frozen=True)
class Made:
    """The outcome of :func:`make_checkpoint`: the checkpoint, and whether it is new."""

    checkpoint: RecordedCheckpoint
    new: bool


def leaves_table(app: Store) -> LogLeaves:
    """The log's leaves table in the engine's database."""
    return open_side_table(app, LogLeaves)


def checkpoints_table(app: Store) -> Checkpoints:
    """The recorded checkpoints in the engine's database."""
    return open_side_table(app, Checkpoints)


def create_log_tables(app: Store) -> None:
    """Create both tables if missing (``qualizyklus init``; safe to repeat)."""
    leaves_table(app).create_table()
    checkpoints_table(app).create_table()


def seal_of(state: bytes, app: Store) -> str:
    """The seal stored in an event's state; for an unreadable record a hash of its bytes."""
    try:
        decoded: Any = orjson.loads(state)
    except orjson.JSONDecodeError:
        try:
            decoded = app.mapper.transcoder.decode(state)
        except (ValueError, TypeError):
            decoded = None
    seal = decoded.get("seal") if isinstance(decoded, dict) else None
    if isinstance(seal, str) and seal.isascii():
        return seal
    return "unreadable:" + hashlib.sha256(state).hexdigest()


def store_leaves(app: Store, *, after: int = 0, position: int = 0) -> Iterator[Leaf]:
    """The store's events after notification id ``after``, as leaves from ``position`` on."""
    start = after + 1
    while True:
        page = app.recorder.select_notifications(start, PAGE)
        for notification in page:
            originator = notification.originator_id
            yield Leaf(
                position,
                int(notification.id),
                originator.hex if isinstance(originator, UUID) else UUID(str(originator)).hex,
                int(notification.originator_version),
                seal_of(notification.state, app),
            )
            position += 1
        if len(page) < PAGE:
            return
        start = int(page[-1].id) + 1


def make_checkpoint(
    app: Store,
    settings: CheckpointSettings,
    *,
    now: datetime | None = None,
    latest: RecordedCheckpoint | Literal[False] | None = False,
) -> Made:
    """Extend the log by the events since the last checkpoint, sign it and record it.

    With no new events the last checkpoint stands (``new`` is False). More than :data:`STEP`
    new events (a first checkpoint over a large store) are taken in steps of that many, each
    signed and recorded with its leaves, so that memory stays bounded; the last is returned.
    Raises :class:`NoCheckpointKey` without a key, and ``PersistenceError`` when another
    process recorded a checkpoint at the same moment (nothing of that step is kept).
    """
    if settings.key is None:
        raise NoCheckpointKey()
    if latest is False:  # not read by the caller just before (automatic checkpoints read it)
        latest = checkpoints_table(app).latest()
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    made: Made | None = None
    while True:
        step = _next_checkpoint(app, settings, latest, moment)
        if step is None:  # nothing new since ``latest``
            assert latest is not None
            return made or Made(latest, new=False)
        made, latest = step, step.checkpoint
        if step.checkpoint.size - step.taken_from < STEP:
            return made


@dataclass(frozen=True)
class _Step(Made):
    taken_from: int = 0


def _next_checkpoint(
    app: Store,
    settings: CheckpointSettings,
    latest: RecordedCheckpoint | None,
    moment: datetime,
) -> _Step | None:
    """One checkpoint over at most :data:`STEP` more events; None when there are none."""
    assert settings.key is not None
    frontier = Frontier() if latest is None else Frontier(latest.size, latest.frontier.hashes)
    last_id = 0 if latest is None else latest.last_notification_id
    start = frontier.size
    rows = []
    for leaf in store_leaves(app, after=last_id, position=frontier.size):
        frontier.append(leaf.hashed())
        rows.append(
            (leaf.position, leaf.notification_id, leaf.originator_id, leaf.version, leaf.seal)
        )
        last_id = leaf.notification_id
        if len(rows) == STEP:
            break
    if latest is not None and not rows:
        return None
    checkpoint = Checkpoint(settings.origin, frontier.size, frontier.root(), moment)
    recorded = RecordedCheckpoint(
        size=frontier.size,
        root=checkpoint.root.hex(),
        made_at=moment.isoformat(),
        note=sign(checkpoint, settings.key),
        last_notification_id=last_id,
        frontier=frontier,
    )
    checkpoints, leaves = checkpoints_table(app), leaves_table(app)
    datastore: Any = getattr(app.factory, "datastore")  # noqa: B009
    with datastore.transaction(commit=True) as cursor:
        if rows:
            cursor.executemany(leaves.insert_statement(), rows)
        cursor.execute(checkpoints.insert_statement(), checkpoints.parameters(recorded))
    return _Step(recorded, new=True, taken_from=start)


def try_checkpoint(
    app: Store,
    settings: CheckpointSettings,
    *,
    latest: RecordedCheckpoint | Literal[False] | None = False,
) -> Made | None:
    """:func:`make_checkpoint`, or None when another process was making one at the same time."""
    try:
        return make_checkpoint(app, settings, latest=latest)
    except PersistenceError:
        return None


def consistency_between(app: Store, old_size: int, new_size: int) -> list[bytes]:
    """The RFC 9162 proof that the log's first ``old_size`` leaves are a prefix of ``new_size``.

    Built from the recorded leaves (a witness checks it against two signed roots, so a leaf
    table that was changed only yields a proof that fails).
    """
    hashed = [leaf.hashed() for leaf in leaves_table(app).read(0, new_size)]
    if len(hashed) < new_size:
        msg = f"the recorded log holds {len(hashed)} events, not {new_size}"
        raise ValueError(msg)
    return consistency_proof(hashed, old_size)
