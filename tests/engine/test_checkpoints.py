"""Signed checkpoints catch what keeps every seal chain whole (SQLite and PostgreSQL).

Each tamper test first shows that ``verify()`` (the seal chains) passes after the change, as
someone with write access to the database can arrange, and then that the check against the
signed checkpoint fails and names the aggregate and versions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from engine.application import evidence_log
from engine.application.audit import verify
from engine.application.evidence_check import check_against, check_recorded
from engine.application.evidence_log import (
    checkpoints_table,
    leaves_table,
    make_checkpoint,
    store_leaves,
)
from engine.application.evidence_settings import CheckpointSettings
from engine.application.service import Qualizyklus
from engine.domain.checkpoint import CheckpointError, open_note, verifier_of
from engine.domain.merkle import consistency_proof, root_of, verify_consistency
from engine.domain.sealing import GENESIS_SEAL, compute_seal
from tests.engine.test_audit import RawStore, Recorded, fresh, raw, recorded

__all__ = ["fresh", "raw", "recorded"]  # fixtures shared with the seal-chain tamper tests


@pytest.fixture
def keyed() -> CheckpointSettings:
    """Checkpoint settings with a fresh key (never written anywhere)."""
    key = Ed25519PrivateKey.generate()
    return CheckpointSettings(key=key, origin="test-log", public_key=verifier_of("test-log", key))


@pytest.fixture
def checkpointed(app: Qualizyklus, recorded: Recorded, keyed: CheckpointSettings) -> Recorded:
    """The recorded cycle with a signed checkpoint over it."""
    made = make_checkpoint(app, keyed)
    assert made.new
    assert made.checkpoint.size == 4 + recorded.last
    return recorded


def check(app: Qualizyklus, keyed: CheckpointSettings) -> list[tuple[str, str]]:
    """(code, sentence) of every problem against the recorded checkpoints."""
    assert keyed.public_key is not None
    return [(p.code, p.fault) for p in check_recorded(app, keyed.public_key).problems]


def reseal(app: Qualizyklus, raw: RawStore, aggregate_id: UUID, start: int) -> None:
    """Recompute the seals of ``aggregate_id`` from version ``start`` on (a chain kept whole)."""
    rows = raw.rows(aggregate_id)
    previous = GENESIS_SEAL if start == 1 else json.loads(rows[start - 2][2])["seal"]
    for version, topic, stored in rows[start - 1 :]:
        state = json.loads(stored)
        decoded = app.mapper.transcoder.decode(stored)
        state["seal"] = previous = compute_seal(
            previous, topic=topic, originator_id=aggregate_id, originator_version=version,
            state=decoded,
        )  # fmt: skip
        raw.write_state(aggregate_id, version, state)


def sealed_after(app: Qualizyklus, raw: RawStore, aggregate_id: UUID, state: dict[str, Any]) -> Any:
    """``state`` sealed as the next event of ``aggregate_id``."""
    version, topic, stored = raw.rows(aggregate_id)[-1]
    state = dict(state)
    state["seal"] = ""
    decoded = app.mapper.transcoder.decode(json.dumps(state).encode())
    state["seal"] = compute_seal(
        json.loads(stored)["seal"], topic=topic, originator_id=aggregate_id,
        originator_version=version + 1, state=decoded,
    )  # fmt: skip
    return version + 1, topic, state


def test_an_untouched_store_extends_its_checkpoints_and_each_is_consistent_with_the_last(
    app: Qualizyklus, checkpointed: Recorded, keyed: CheckpointSettings
) -> None:
    first = checkpoints_table(app).latest()
    assert make_checkpoint(app, keyed).new is False  # nothing new: the last one stands
    app.add_comment(checkpointed.cycle_id, actor_id="coord", text="Nachtrag")
    second = make_checkpoint(app, keyed).checkpoint
    assert first is not None and second.size == first.size + 1

    assert check(app, keyed) == []
    leaves = [leaf.hashed() for leaf in leaves_table(app).read()]
    assert [leaf.hashed() for leaf in store_leaves(app)] == leaves
    proof = consistency_proof(leaves, first.size)
    verify_consistency(
        first.size, second.size, bytes.fromhex(first.root), bytes.fromhex(second.root), proof
    )
    assert root_of(leaves).hex() == second.root


def test_many_new_events_are_taken_in_signed_steps_that_the_store_extends(
    app: Qualizyklus,
    recorded: Recorded,
    keyed: CheckpointSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = 4 + recorded.last
    monkeypatch.setattr(evidence_log, "STEP", 3)  # a first checkpoint over a large store

    made = make_checkpoint(app, keyed)

    sizes = [c.size for c in checkpoints_table(app).all()]
    assert sizes == [*range(3, events, 3), events]
    assert made.new and made.checkpoint.size == events
    assert len(list(leaves_table(app).read())) == events
    assert check(app, keyed) == []
    assert make_checkpoint(app, keyed).new is False


def test_a_truncated_cycle_is_named(
    app: Qualizyklus, checkpointed: Recorded, raw: RawStore, keyed: CheckpointSettings,
    fresh: Callable[[], Qualizyklus],
) -> None:  # fmt: skip
    last = checkpointed.last
    raw.delete(checkpointed.cycle_id, last)
    raw.delete(checkpointed.cycle_id, last - 1)
    assert verify(fresh()).ok  # the chain of what is left is whole

    problems = check(fresh(), keyed)

    assert [code for code, _ in problems] == ["event-missing"]
    assert f"aggregate {checkpointed.cycle_id} versions {last - 1}-{last}" in problems[0][1]


def test_an_altered_event_with_every_later_seal_recomputed_is_named(
    app: Qualizyklus, checkpointed: Recorded, raw: RawStore, keyed: CheckpointSettings,
    fresh: Callable[[], Qualizyklus],
) -> None:  # fmt: skip
    state = raw.state(checkpointed.cycle_id, 2)
    state["value"] = 5
    raw.write_state(checkpointed.cycle_id, 2, state)
    reseal(app, raw, checkpointed.cycle_id, 2)
    assert verify(fresh()).ok

    problems = check(fresh(), keyed)

    assert [code for code, _ in problems] == ["event-changed"]
    last = checkpointed.last
    assert f"aggregate {checkpointed.cycle_id} versions 2-{last}: changed" in problems[0][1]


def test_a_forged_append_dated_before_the_checkpoint_is_named(
    app: Qualizyklus, checkpointed: Recorded, raw: RawStore, keyed: CheckpointSettings,
    fresh: Callable[[], Qualizyklus],
) -> None:  # fmt: skip
    state = raw.state(checkpointed.cycle_id, checkpointed.last)
    state["value"] = 6
    state["timestamp"]["_data_"] = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    version, topic, forged = sealed_after(app, raw, checkpointed.cycle_id, state)
    raw.insert(checkpointed.cycle_id, version, topic, forged)
    assert verify(fresh()).ok

    problems = check(fresh(), keyed)

    assert [code for code, _ in problems] == ["forged-append"]
    assert f"aggregate {checkpointed.cycle_id} version {version}: not in" in problems[0][1]


def test_a_deleted_organisation_with_its_cycles_is_named(
    app: Qualizyklus, checkpointed: Recorded, raw: RawStore, keyed: CheckpointSettings,
    fresh: Callable[[], Qualizyklus],
) -> None:  # fmt: skip
    raw.delete(checkpointed.cycle_id)
    raw.delete(checkpointed.organisation_id)
    assert verify(fresh()).ok

    problems = check(fresh(), keyed)

    assert sorted(problems) == sorted([
        ("event-missing", f"aggregate {checkpointed.organisation_id} versions 1-4: missing "
         "(in checkpoint 14, removed since)"),
        ("event-missing", f"aggregate {checkpointed.cycle_id} versions 1-10: missing "
         "(in checkpoint 14, removed since)"),
    ])  # fmt: skip


def test_a_rewritten_leaf_table_cannot_hide_a_change(
    app: Qualizyklus, checkpointed: Recorded, raw: RawStore, keyed: CheckpointSettings,
    fresh: Callable[[], Qualizyklus],
) -> None:  # fmt: skip
    raw.delete(checkpointed.cycle_id, checkpointed.last)
    raw.query(f"DELETE FROM {_table(raw, 'qualizyklus_log_leaves')} WHERE position = ?", (13,))

    codes = [code for code, _ in check(fresh(), keyed)]

    assert codes == ["log-truncated", "store-differs"]


def test_a_checkpoint_row_rewritten_in_the_database_is_refused(
    app: Qualizyklus, checkpointed: Recorded, raw: RawStore, keyed: CheckpointSettings
) -> None:
    table = _table(raw, "qualizyklus_checkpoints")
    (note,) = raw.query(f"SELECT note FROM {table}")[0]
    raw.query(f"UPDATE {table} SET note = ?", (note.replace("\n14\n", "\n12\n"),))

    problems = check(app, keyed)

    assert problems[0][0] == "checkpoint-invalid"
    assert "signature does not verify" in problems[0][1]


def test_a_checkpoint_checked_with_another_key_or_altered_is_refused(
    app: Qualizyklus, checkpointed: Recorded, keyed: CheckpointSettings
) -> None:
    latest = checkpoints_table(app).latest()
    assert latest is not None and keyed.public_key is not None
    opened = open_note(latest.note, keyed.public_key)
    assert check_against(app, [opened]).ok
    other = verifier_of("test-log", Ed25519PrivateKey.generate())
    with pytest.raises(CheckpointError, match="no signature by this key"):
        open_note(latest.note, other)
    with pytest.raises(CheckpointError, match="does not verify"):
        open_note(latest.note.replace("test-log\n14", "test-log\n15"), keyed.public_key)


def _table(raw: RawStore, name: str) -> str:
    return f'"{name}"' if raw.is_sqlite else f'"{raw.schema}"."{name}"'
