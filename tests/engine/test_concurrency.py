"""Two writers hold the same version of a cycle: exactly one wins, the other gets Conflict,
the history gains exactly one event, and every engine then reads the same state.

Runs against both stores (the fixtures give a SQLite file and a PostgreSQL schema). The
second engine is a separate ``Qualizyklus`` with its own aggregate cache, as a second
gunicorn worker would have.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest

from engine.application.service import Qualizyklus
from engine.domain.cycle import Cycle
from engine.domain.errors import Conflict, NotFound
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import register_network, start_cycle, stored_events


class RacingQualizyklus(Qualizyklus):
    """The engine, made to wait at a barrier just before it saves.

    Both writers have then loaded the cycle and decided their events before either writes:
    the race is certain, not left to timing. The store itself is the real one.
    """

    name = Qualizyklus.name  # the same tables as the engine's
    barrier: threading.Barrier | None = None

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        if self.barrier is not None:
            self.barrier.wait(timeout=30)
        return super().save(*objs, **kwargs)


@pytest.fixture
def second_app(settings: Settings) -> Iterator[Qualizyklus]:
    """Another engine on the same store, with a cache of its own."""
    application = Qualizyklus(settings, themes=SAMPLE_THEMES)
    yield application
    application.close()


@pytest.fixture
def racers(settings: Settings) -> Iterator[tuple[RacingQualizyklus, RacingQualizyklus]]:
    """Two racing engines on the same store, sharing one barrier."""
    first = RacingQualizyklus(settings, themes=SAMPLE_THEMES)
    second = RacingQualizyklus(settings, themes=SAMPLE_THEMES)
    yield first, second
    first.close()
    second.close()


def race(*writes: Callable[[], object]) -> list[object]:
    """Run each write in its own thread at once; return each one's result or exception."""
    outcomes: list[object] = [None] * len(writes)

    def run(index: int, write: Callable[[], object]) -> None:
        try:
            outcomes[index] = write()
        except Exception as error:  # noqa: BLE001 -- the outcome is what the test examines
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a writer hung"
    return outcomes


def test_the_second_of_two_writes_with_the_same_expected_version_conflicts(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    seen = app.cycle(cycle_id)["version"]

    assert (
        app.add_comment(
            cycle_id,
            actor_id=net.midwife,
            comment_id="first",
            text="Ich zuerst.",
            expected_version=seen,
        )
        == seen + 1
    )
    with pytest.raises(Conflict) as info:
        app.add_comment(
            cycle_id,
            actor_id=net.paediatrician,
            comment_id="second",
            text="Nein, ich.",
            expected_version=seen,
        )

    assert (info.value.expected, info.value.actual) == (seen, seen + 1)
    assert len(app.recorder.select_events(cycle_id)) == seen + 1
    assert list(app.cycle(cycle_id)["comments"]) == ["first"]


def test_two_engines_that_saw_the_same_version_let_only_the_first_writer_win(
    app: Qualizyklus, second_app: Qualizyklus
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    # Both engines read the cycle (and hold it in their caches) at the same version.
    seen = app.cycle(cycle_id)["version"]
    assert second_app.cycle(cycle_id)["version"] == seen

    app.record_finding(
        cycle_id,
        actor_id=net.coordinator,
        finding_id="need-a",
        kind="need",
        text="A",
        expected_version=seen,
    )
    with pytest.raises(Conflict) as info:
        second_app.record_finding(
            cycle_id,
            actor_id=net.coordinator,
            finding_id="need-b",
            kind="need",
            text="B",
            expected_version=seen,
        )

    assert info.value.actual == seen + 1  # the second engine caught up before refusing
    assert len(app.recorder.select_events(cycle_id)) == seen + 1
    assert app.cycle(cycle_id) == second_app.cycle(cycle_id)
    assert list(second_app.cycle(cycle_id)["findings"]) == ["need-a"]


def test_an_engine_with_a_stale_cache_writes_on_top_of_the_latest_version(
    app: Qualizyklus, second_app: Qualizyklus
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    second_app.cycle(cycle_id)  # cached at version 1
    app.add_comment(cycle_id, actor_id=net.midwife, comment_id="a", text="A")

    # Without an expected version the second engine is no stale writer: it catches up first.
    assert second_app.add_comment(cycle_id, actor_id=net.midwife, comment_id="b", text="B") == 3

    assert list(app.cycle(cycle_id)["comments"]) == ["a", "b"]
    assert app.cycle(cycle_id) == second_app.cycle(cycle_id)


def test_a_real_race_between_two_engines_has_exactly_one_winner(
    racers: tuple[RacingQualizyklus, RacingQualizyklus],
) -> None:
    first, second = racers
    net = register_network(first)
    cycle_id = start_cycle(first, net)
    before = len(first.recorder.select_events(cycle_id))
    assert second.cycle(cycle_id)["version"] == before
    first.barrier = second.barrier = threading.Barrier(2)

    outcomes = race(
        lambda: first.add_comment(
            cycle_id, actor_id=net.midwife, comment_id="from-first", text="Erster"
        ),
        lambda: second.add_comment(
            cycle_id, actor_id=net.paediatrician, comment_id="from-second", text="Zweiter"
        ),
    )
    first.barrier = second.barrier = None

    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    versions = [o for o in outcomes if isinstance(o, int)]
    assert len(conflicts) == 1, outcomes
    assert versions == [before + 1], outcomes
    winner = "from-first" if outcomes[0] == before + 1 else "from-second"

    # The stored history has exactly one new event: the winner's.
    events = stored_events(first, cycle_id)
    assert len(events) == before + 1
    assert events[-1].TOPIC == Cycle.CommentAdded.TOPIC
    assert events[-1].comment_id == winner
    # Both engines now read the same state, with the winner's comment only.
    assert first.cycle(cycle_id) == second.cycle(cycle_id)
    assert list(first.cycle(cycle_id)["comments"]) == [winner]

    # The loser can simply try again, on top of the winner's version.
    loser, loser_id, author = (
        (second, "from-second", net.paediatrician)
        if winner == "from-first"
        else (first, "from-first", net.midwife)
    )
    assert (
        loser.add_comment(cycle_id, actor_id=author, comment_id=loser_id, text="Nochmal")
        == before + 2
    )
    assert first.cycle(cycle_id) == second.cycle(cycle_id)


def test_a_race_between_two_phase_changes_advances_the_cycle_only_once(
    racers: tuple[RacingQualizyklus, RacingQualizyklus],
) -> None:
    first, second = racers
    net = register_network(first)
    cycle_id = start_cycle(first, net, workflow_version=1)
    for theme, criterion in (("network", "partners-known"), ("families", "low-threshold")):
        first.record_assessment(
            cycle_id, actor_id=net.coordinator, theme_id=theme, criterion_id=criterion, value=3
        )
    first.record_finding(cycle_id, actor_id=net.coordinator, kind="need", text="Bedarf")
    before = len(first.recorder.select_events(cycle_id))
    second.cycle(cycle_id)
    first.barrier = second.barrier = threading.Barrier(2)

    outcomes = race(
        lambda: first.advance_phase(cycle_id, actor_id=net.coordinator),
        lambda: second.advance_phase(cycle_id, actor_id=net.coordinator),
    )
    first.barrier = second.barrier = None

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "int"], outcomes
    topics = [e.TOPIC for e in stored_events(second, cycle_id)]
    assert len(topics) == before + 1
    assert topics.count(Cycle.PhaseAdvanced.TOPIC) == 1
    assert first.cycle(cycle_id)["phase"] == second.cycle(cycle_id)["phase"] == "plan"


def test_a_lost_race_to_start_a_cycle_stores_no_cycle(
    racers: tuple[RacingQualizyklus, RacingQualizyklus],
) -> None:
    first, second = racers
    net = register_network(first)
    second.organisation(net.organisation_id)
    first.barrier = second.barrier = threading.Barrier(2)

    outcomes = race(
        lambda: start_cycle(first, net, title="Zyklus A"),
        lambda: start_cycle(second, net, title="Zyklus B"),
    )
    first.barrier = second.barrier = None

    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "UUID"], outcomes
    (winner,) = [o for o in outcomes if isinstance(o, UUID)]
    # The organisation lists the winner, and no other cycle was stored at all.
    assert first.organisation(net.organisation_id)["cycles"] == [str(winner)]
    assert second.organisation(net.organisation_id)["cycles"] == [str(winner)]
    started = first.recorder.select_notifications(1, 1000, topics=[Cycle.CycleStarted.TOPIC])
    assert [n.originator_id for n in started] == [winner]


def test_a_read_sees_what_another_engine_wrote_in_the_meantime(
    app: Qualizyklus, second_app: Qualizyklus
) -> None:
    """Reads keep aggregates by the store's log position: another worker's write moves it."""
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    before = second_app.cycle(cycle_id, actor_id=net.midwife)

    app.add_comment(cycle_id, actor_id=net.midwife, comment_id="a", text="A")
    app.revoke_role(net.organisation_id, actor_id=net.coordinator, member_id=net.midwife)

    assert second_app.version_of(cycle_id) == before["version"] + 1
    with pytest.raises(NotFound):  # the organisation is read afresh too: no longer a member
        second_app.cycle(cycle_id, actor_id=net.midwife)
    after = second_app.cycle(cycle_id, actor_id=net.coordinator)
    assert list(after["comments"]) == ["a"] and after["version"] == before["version"] + 1


def test_an_organisation_and_its_cycle_are_read_together_and_fresh(
    app: Qualizyklus, second_app: Qualizyklus
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    other = register_network(app, slug="anderswo")
    slug = app.organisation(net.organisation_id)["slug"]
    organisation, cycle = second_app.organisation_and_cycle(slug, cycle_id)
    assert organisation["id"] == str(net.organisation_id) and cycle["id"] == str(cycle_id)

    app.add_comment(cycle_id, actor_id=net.midwife, comment_id="a", text="A")
    app.revoke_role(net.organisation_id, actor_id=net.coordinator, member_id=net.midwife)
    organisation, cycle = second_app.organisation_and_cycle(slug, cycle_id)
    assert net.midwife not in organisation["members"] and list(cycle["comments"]) == ["a"]

    with pytest.raises(NotFound):  # a cycle of another organisation, asked for under this one
        second_app.organisation_and_cycle("anderswo", cycle_id)
    with pytest.raises(NotFound):
        second_app.organisation_and_cycle("Kein Slug!", cycle_id)
    assert other.organisation_id != net.organisation_id
