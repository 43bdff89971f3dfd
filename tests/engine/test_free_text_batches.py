"""Reading a batch of stored events reads their free texts in one query, not one per text.

Counted on a real SQLite file: every statement its connections run is traced (the
``sqlite3`` trace callback), and those that read the free-text table are counted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from engine.application import free_texts
from engine.application.service import Qualizyklus
from engine.infrastructure.free_text_table import MANY, TABLE
from engine.infrastructure.settings import Settings
from tests.conftest import SAMPLE_THEMES
from tests.engine.stories import register_network, start_cycle
from tests.engine.traced import Statements

TEXTS = 50


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """A fresh SQLite store in a file."""
    settings = Settings(database=f"sqlite:///{tmp_path / 'texts.db'}")
    Qualizyklus(settings, create_tables=True, themes=SAMPLE_THEMES).close()
    return settings


def cycle_with_texts(settings: Settings) -> UUID:
    """A cycle with 50 comments, without snapshots (so that reading it replays every event)."""
    app = Qualizyklus(settings, themes=SAMPLE_THEMES)
    try:
        network = register_network(app)
        cycle_id = start_cycle(app, network)
        for n in range(TEXTS):
            app.add_comment(cycle_id, actor_id=network.coordinator, text=f"Anmerkung Nummer {n}")
        assert list(app.snapshots.get(cycle_id))  # one was made at version 50
        free_texts.drop_copies(app, cycle_id)
        assert not list(app.snapshots.get(cycle_id))  # erasure drops them (SQLite too)
        return cycle_id
    finally:
        app.close()


def reading_texts(statements: Statements) -> int:
    """How many statements read the free-text table so far; starts counting anew."""
    return statements.count(lambda s: TABLE in s and s.lstrip().upper().startswith("SELECT"))


@pytest.fixture
def fresh(sqlite_settings: Settings) -> Iterator[tuple[Qualizyklus, UUID]]:
    """A second engine on the store (nothing cached) and the cycle with 50 texts."""
    cycle_id = cycle_with_texts(sqlite_settings)
    app = Qualizyklus(sqlite_settings, themes=SAMPLE_THEMES)
    yield app, cycle_id
    app.close()


def test_loading_a_cycle_reads_its_fifty_texts_in_one_query(
    fresh: tuple[Qualizyklus, UUID],
) -> None:
    app, cycle_id = fresh
    statements = Statements(app)

    state = app.cycle(cycle_id, actor_id="koordination")

    texts = {comment["text"] for comment in state["comments"].values()}
    assert texts == {f"Anmerkung Nummer {n}" for n in range(TEXTS)}
    assert reading_texts(statements) == 1


def test_one_event_at_a_time_reads_one_query_per_text(fresh: tuple[Qualizyklus, UUID]) -> None:
    app, cycle_id = fresh
    records = app.recorder.select_events(cycle_id)
    statements = Statements(app)

    one_by_one = [app.mapper.to_domain_event(record) for record in records]
    per_event = reading_texts(statements)
    batch = app.mapper.to_domain_events(records)
    per_batch = reading_texts(statements)

    assert per_event >= TEXTS
    assert per_batch == 1
    assert [vars(e) for e in batch] == [vars(e) for e in one_by_one]


def test_a_batch_asks_for_many_texts_in_chunks(sqlite_settings: Settings) -> None:
    cycle_id = cycle_with_texts(sqlite_settings)
    app = Qualizyklus(sqlite_settings, themes=SAMPLE_THEMES)
    try:
        stored = free_texts.table(app).of_aggregates([str(cycle_id)])
        unknown = [f"qzt1:{n:064x}" for n in range(MANY + 10)]
        statements = Statements(app)

        found = free_texts.table(app).get_many([*unknown, *(row.reference for row in stored)])

        assert reading_texts(statements) == 2
        assert found == {row.reference: row for row in stored}
    finally:
        app.close()
