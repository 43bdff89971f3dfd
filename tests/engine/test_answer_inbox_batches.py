"""Answers that arrive together are kept in one transaction of a few statements: the same
answers are kept, counted and refused as when they are put one after another; the statements
do not grow with the batch; and concurrent batches over the same clients and surveys, named
in any order, neither deadlock nor lose a count (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

import plugins.parent_participation as parent_participation
from engine.application import survey_inbox
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.infrastructure.answer_inbox import FULL, KEPT, LIMITED, AnswerInbox, Entry, Pending
from engine.infrastructure.request_limits import Window
from engine.infrastructure.settings import Settings
from tests.engine.stories import participation_engine
from tests.engine.traced import Statements

CYCLE = "00000000-0000-4000-8000-000000000001"
HOUR = timedelta(hours=1)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with the parent participation theme."""
    yield from participation_engine(settings)


@pytest.fixture
def table(engine: Qualizyklus) -> AnswerInbox:
    """The engine's inbox of answers."""
    return survey_inbox.inbox(engine)


@dataclass(frozen=True)
class Answer:
    """One answer of a batch: its survey (count so far, limit) and its client (limit)."""

    survey: str
    counted: int
    most: int
    client: str
    per_client: int

    def entry(self, prefix: str, tag: object) -> Entry:
        """The inbox entry ``<prefix>-<tag>``, its survey and client named with ``prefix``."""
        item = Pending(
            f"{prefix}-{tag}",
            CYCLE,
            f"{prefix}-{self.survey}",
            time.time(),
            {"actor": "survey-parent", "on_paper": False, "language": "de", "choices": {}},
        )
        limit = (f"{prefix}-{self.client}", Window(most=self.per_client, length=HOUR))
        return Entry(item, most=self.most, counted=self.counted, limit=limit)


def _received(table: AnswerInbox, survey_id: str) -> int | None:
    rows = table._datastore.rows(
        f"SELECT received FROM {table._counts} WHERE survey_id = {table._p}", (survey_id,)
    )
    return int(rows[0]["received"]) if rows else None


def _requests(table: AnswerInbox, key: str) -> int | None:
    rows = table._datastore.rows(
        f"SELECT requests FROM {table.limits._table} WHERE limit_key = {table._p}", (key,)
    )
    return int(rows[0]["requests"]) if rows else None


def _kept(table: AnswerInbox, prefix: str) -> set[str]:
    waiting = table.pending(CYCLE, limit=10_000)
    return {
        row.answer_id.split("-", 1)[1] for row in waiting if row.answer_id.startswith(prefix + "-")
    }


def _random_batch(rng: random.Random, surveys_named: int) -> list[Answer]:
    surveys = {f"s{n}": (rng.randint(1, 6), rng.randint(0, 2)) for n in range(surveys_named)}
    clients = {f"c{n}": rng.randint(1, 4) for n in range(3)}
    batch = []
    for _ in range(rng.randint(1, 14)):
        survey = rng.choice(sorted(surveys))
        most, counted = surveys[survey]
        client = rng.choice(sorted(clients))
        counted += rng.choice((0, 0, 0, most))  # now and then a stale page saw it full
        batch.append(Answer(survey, counted, most, client, clients[client]))
    return batch


def test_a_mixed_batch_keeps_counts_and_refuses_as_one_answer_after_another(
    table: AnswerInbox,
) -> None:
    batch = [
        Answer("s", counted=1, most=3, client="x", per_client=2),  # kept: survey 2, x 1
        Answer("s", counted=1, most=3, client="x", per_client=2),  # kept: survey 3, x 2
        Answer("s", counted=1, most=3, client="y", per_client=2),  # full: survey took 3
        Answer("s", counted=1, most=3, client="x", per_client=2),  # limited: x 3 > 2
        Answer("t", counted=5, most=5, client="y", per_client=2),  # full before counting y
    ]

    results = table.put([answer.entry("b", n) for n, answer in enumerate(batch)])

    assert results == [KEPT, KEPT, FULL, LIMITED, FULL]
    assert _kept(table, "b") == {"0", "1"}
    assert (_received(table, "b-s"), _received(table, "b-t")) == (3, None)
    assert (_requests(table, "b-x"), _requests(table, "b-y")) == (3, 1)


@pytest.mark.parametrize("surveys", [1, 3], ids=["one-survey", "three-surveys"])
@pytest.mark.parametrize("seed", range(6))
def test_a_random_batch_ends_where_its_answers_one_by_one_end(
    table: AnswerInbox, seed: int, surveys: int
) -> None:
    """One survey: on PostgreSQL the batch is one statement; several: a statement each."""
    batch = _random_batch(random.Random(seed), surveys)

    together = table.put([answer.entry("b", n) for n, answer in enumerate(batch)])
    alone = [table.put([answer.entry("a", n)])[0] for n, answer in enumerate(batch)]

    assert together == alone
    assert (
        _kept(table, "b")
        == _kept(table, "a")
        == {str(n) for n, result in enumerate(alone) if result == KEPT}
    )
    for answer in batch:
        assert _received(table, f"b-{answer.survey}") == _received(table, f"a-{answer.survey}")
        assert _requests(table, f"b-{answer.client}") == _requests(table, f"a-{answer.client}")


def test_a_batch_runs_as_many_statements_for_eight_answers_as_for_two(tmp_path: Path) -> None:
    settings = Settings(database=f"sqlite:///{tmp_path / 'batches.db'}")
    engine = open_engine(
        settings, plugins=(parent_participation,), entry_point_group=None, create_tables=True
    )
    table = survey_inbox.inbox(engine)
    statements = Statements(engine)  # traced on SQLite's connections
    tables = (table._table, table._counts, table.limits._table)

    def written(size: int, prefix: str) -> int:
        answer = Answer("s", counted=0, most=100, client="c", per_client=100)
        table.put([answer.entry(prefix, n) for n in range(size)], expire=False)
        return statements.count(lambda s: any(name in s for name in tables))

    try:
        assert written(2, "two") == written(8, "eight") == 3  # clients, survey, answers
    finally:
        engine.close()


def test_expired_client_counts_are_forgotten_only_when_asked(table: AnswerInbox) -> None:
    old = Answer("s", counted=0, most=100, client="old", per_client=5)
    table.limits.take("b-old", Window(most=5, length=HOUR), now=time.time() - 2 * 3600)
    fresh = Answer("s", counted=0, most=100, client="new", per_client=5)

    table.put([fresh.entry("b", 0)], expire=False)
    assert _requests(table, "b-old") == 1
    table.put([fresh.entry("b", 1)], expire=True)
    assert _requests(table, "b-old") is None
    assert table.put([old.entry("b", 2)]) == [KEPT]  # a new window for the old client


def test_a_process_cleans_up_the_client_counts_once_a_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1_000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    group = survey_inbox._Group()

    assert group.expire_now()
    clock[0] += survey_inbox.EXPIRE_EVERY - 1
    assert not group.expire_now()
    clock[0] += 1
    assert group.expire_now()


def test_concurrent_batches_naming_the_same_rows_in_any_order_neither_deadlock_nor_lose_counts(
    table: AnswerInbox,
) -> None:
    rounds, errors = 40, []

    def writer(name: str, clients: list[str], surveys: list[str]) -> None:
        try:
            for number in range(rounds):
                answers = [Answer(s, 0, 10_000, c, 10_000) for c in clients for s in surveys]
                table.put([a.entry("c", f"{name}.{number}.{n}") for n, a in enumerate(answers)])
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)

    threads = [  # the same clients and surveys, named in the opposite order
        threading.Thread(target=writer, args=("forward", ["x", "y"], ["s1", "s2"])),
        threading.Thread(target=writer, args=("backward", ["y", "x"], ["s2", "s1"])),
        threading.Thread(target=writer, args=("other", ["z"], ["s2", "s1"])),  # own client
        threading.Thread(target=writer, args=("s1-only", ["y", "x"], ["s1"])),  # one survey
        threading.Thread(target=writer, args=("s2-only", ["x", "y"], ["s2"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert (_received(table, "c-s1"), _received(table, "c-s2")) == (7 * rounds, 7 * rounds)
    assert (_requests(table, "c-x"), _requests(table, "c-y")) == (6 * rounds, 6 * rounds)
    assert len(_kept(table, "c")) == 14 * rounds


def test_a_lone_statement_is_committed_by_itself_and_returns_its_rows(
    engine: Qualizyklus, table: AnswerInbox
) -> None:
    p = table._p
    returned = table._datastore.committed_rows(
        f"INSERT INTO {table._counts} (survey_id, received) VALUES ({p}, {p}) RETURNING received",
        ("lone", 7),
    )

    assert [int(row["received"]) for row in returned] == [7]
    other = open_engine(engine.settings, plugins=(parent_participation,), entry_point_group=None)
    try:  # another engine, its own connections: the row was committed
        assert _received(survey_inbox.inbox(other), "lone") == 7
    finally:
        other.close()
