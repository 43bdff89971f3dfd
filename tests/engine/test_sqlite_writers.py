"""SQLite writers take turns on a lock file beside the database (woken by the kernel, not by
SQLite's sleeping busy handler); readers never wait for it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from engine.infrastructure.sqlite_writers import SUFFIX, WriterTurns
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import cycle_in_phase, register_network


@pytest.fixture
def database(tmp_path: Path) -> str:
    return str(tmp_path / "store.db")


def _in_thread(work: object) -> tuple[threading.Thread, threading.Event]:
    done = threading.Event()

    def run() -> None:
        work()  # type: ignore[operator]
        done.set()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done


def _turn_in_thread(turns: WriterTurns) -> tuple[threading.Thread, threading.Event]:
    """Another writer taking its turn (and letting go at once) in a thread of its own."""

    def take_turn() -> None:
        with turns.turn():
            pass

    return _in_thread(take_turn)


def test_a_second_writer_waits_until_the_first_lets_go(database: str) -> None:
    # two WriterTurns open the lock file twice, as two processes do
    first, second = WriterTurns(database), WriterTurns(database)

    with first.turn():
        thread, done = _turn_in_thread(second)
        assert not done.wait(0.3)
    assert done.wait(5)
    thread.join()


def test_a_turn_within_a_turn_keeps_the_lock_until_the_outer_one_ends(database: str) -> None:
    first, second = WriterTurns(database), WriterTurns(database)

    with first.turn():
        with first.turn():
            pass
        thread, done = _turn_in_thread(second)
        assert not done.wait(0.3)  # the inner turn's end did not let go
    assert done.wait(5)
    thread.join()


def test_a_writer_that_waited_as_long_as_sqlite_would_goes_on_without_the_turn(
    database: str,
) -> None:
    hung = WriterTurns(database)  # a process that hangs while holding the lock
    patient = WriterTurns(database, wait=0.3)

    with hung.turn():
        started = time.monotonic()
        thread, done = _turn_in_thread(patient)
        assert done.wait(5)
        assert time.monotonic() - started >= 0.3
    thread.join()


def test_without_a_lock_file_writers_fall_back_to_sqlites_waiting(tmp_path: Path) -> None:
    turns = WriterTurns(str(tmp_path / "missing-folder" / "store.db"))
    with turns.turn():  # no error: the lock file cannot be opened
        pass


@pytest.fixture
def sqlite_engine(database: str) -> Iterator[Qualizyklus]:
    app = Qualizyklus(
        Settings(database=f"sqlite:///{database}"), create_tables=True, themes=SAMPLE_THEMES
    )
    yield app
    app.close()


def test_the_engines_commands_wait_for_their_turn_and_its_queries_do_not(
    sqlite_engine: Qualizyklus, database: str
) -> None:
    network = register_network(sqlite_engine)
    cycle_id = cycle_in_phase(sqlite_engine, network, "analyse")
    other_process = WriterTurns(database)
    assert Path(database + SUFFIX).exists()

    def comment() -> None:
        sqlite_engine.add_comment(cycle_id, actor_id=network.coordinator, text="Später.")

    with other_process.turn():
        started = time.monotonic()
        state = sqlite_engine.cycle(cycle_id)  # a query: no turn needed
        assert time.monotonic() - started < 5
        thread, done = _in_thread(comment)
        assert not done.wait(0.3)
    assert done.wait(10)
    thread.join()
    assert len(sqlite_engine.cycle(cycle_id)["comments"]) == len(state["comments"]) + 1
