"""Automatic checkpoints: when a cycle closes, at the interval, never in a command's way."""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from engine.application.evidence_check import check_recorded
from engine.application.evidence_log import checkpoints_table, leaves_table, try_checkpoint
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import complete_review, cycle_in_phase, register_network


@pytest.fixture
def keyed_app(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Callable[[int], Qualizyklus]]:
    """Engines with a checkpoint key in the environment (base64) and a witness folder."""
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_KEY", base64.b64encode(raw).decode())
    monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_DIR", str(tmp_path / "witness"))
    made: list[Qualizyklus] = []

    def make(interval: int) -> Qualizyklus:
        monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_INTERVAL", str(interval))
        made.append(Qualizyklus(settings, themes=SAMPLE_THEMES))
        return made[-1]

    yield make
    for app in made:
        app.close()


def test_closing_a_cycle_makes_a_checkpoint_and_hands_it_to_the_witness(
    keyed_app: Callable[[int], Qualizyklus], tmp_path: Path
) -> None:
    app = keyed_app(0)  # no interval: only the closing
    network = register_network(app)
    cycle_id = cycle_in_phase(app, network, "review")
    app.auto_checkpoints.wait()
    complete_review(app, network, cycle_id)
    app.auto_checkpoints.wait()
    assert checkpoints_table(app).all() == []

    app.close_cycle(cycle_id, actor_id=network.coordinator, summary="Zugang verbessert.")
    app.auto_checkpoints.wait(timeout=30)

    (checkpoint,) = checkpoints_table(app).all()
    events = len(app.recorder.select_notifications(1, 10_000))
    assert checkpoint.size == events
    assert (tmp_path / "witness" / f"checkpoint-{events}.txt").read_text() == checkpoint.note
    key = app.auto_checkpoints._settings.public_key
    assert key is not None
    assert check_recorded(app, key).ok


def test_checkpoints_follow_the_interval(keyed_app: Callable[[int], Qualizyklus]) -> None:
    app = keyed_app(1)
    network = register_network(app)  # the first commit: no checkpoint yet, so one is due
    app.auto_checkpoints.wait(timeout=30)
    assert len(checkpoints_table(app).all()) == 1

    app.grant_role(network.organisation_id, actor_id=network.coordinator, member_id="x1",
                   role="contributor")  # fmt: skip
    app.auto_checkpoints.wait(timeout=30)
    assert len(checkpoints_table(app).all()) == 1  # within the second

    time.sleep(1.2)
    app.grant_role(network.organisation_id, actor_id=network.coordinator, member_id="x2",
                   role="contributor")  # fmt: skip
    app.auto_checkpoints.wait(timeout=30)
    sizes = [c.size for c in checkpoints_table(app).all()]
    assert len(sizes) == 2
    assert sizes[1] == len(app.recorder.select_notifications(1, 10_000))


def test_a_failing_checkpoint_never_fails_the_command(
    keyed_app: Callable[[int], Qualizyklus], caplog: pytest.LogCaptureFixture
) -> None:
    app = keyed_app(1)
    datastore = app.factory.datastore  # type: ignore[attr-defined]
    with datastore.transaction(commit=True) as cursor:
        cursor.execute(f"DROP TABLE {checkpoints_table(app)._table}")
    with caplog.at_level(logging.ERROR):
        network = register_network(app)
        app.auto_checkpoints.wait(timeout=30)
    assert app.organisation(network.organisation_id, actor_id=network.coordinator)
    assert "automatic checkpoint failed" in caplog.text


def test_two_workers_making_a_checkpoint_at_once_record_exactly_one(
    keyed_app: Callable[[int], Qualizyklus],
) -> None:
    first, second = keyed_app(0), keyed_app(0)  # two workers: own connections, one store
    network = register_network(first)
    cycle_in_phase(first, network, "analyse")
    settings = first.auto_checkpoints._settings
    latest = checkpoints_table(first).latest()  # both found the same last checkpoint (none)

    won = try_checkpoint(first, settings, latest=latest)
    lost = try_checkpoint(second, settings, latest=latest)

    assert won is not None and won.new
    assert lost is None  # refused whole: no leaf and no checkpoint of its own
    assert [c.note for c in checkpoints_table(second).all()] == [won.checkpoint.note]
    assert len(list(leaves_table(second).read())) == won.checkpoint.size
    assert settings.public_key is not None
    assert check_recorded(second, settings.public_key).ok
    again = try_checkpoint(second, settings)  # the loser goes on from the winner's
    assert again is not None and not again.new
