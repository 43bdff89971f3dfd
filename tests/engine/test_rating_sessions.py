"""Rating sessions: open, join without an account, rate blind per round, reveal, round 2, close.

Runs against a real SQLite file and a real PostgreSQL (the ``app`` fixture's two stores); the
concurrency test lets many threads, each with an engine of its own (as gunicorn workers would
have), rate into one cycle at once and counts every rating.
"""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from engine.application.audit import verify
from engine.application.rating_sessions import JOIN_CLIENT, Joined
from engine.application.service import Qualizyklus
from engine.application.transfer import export_organisation, import_history
from engine.domain.errors import Forbidden, InvalidInput, NotFound
from engine.domain.rating_sessions import SessionRefused, TooManyRequests
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import Network, register_network, start_cycle, stored_topics
from tests.engine.test_upcasting import CYCLE_ID, fixture_lines

CRITERIA = ["network/partners-known", "network/binding-structures", "families/low-threshold"]


def soon(minutes: int = 90) -> datetime:
    """A moment ahead (UTC)."""
    return datetime.now(UTC) + timedelta(minutes=minutes)


def opened(app: Qualizyklus) -> tuple[Network, UUID, dict[str, str]]:
    """A network, a cycle in the analyse phase and a session on three criteria."""
    network = register_network(app)
    cycle_id = start_cycle(app, network)
    session = app.open_rating_session(
        cycle_id,
        actor_id=network.coordinator,
        title="Netzwerktreffen",
        criteria=CRITERIA,
        ends_at=soon(),
    )
    return network, cycle_id, session


def join(app: Qualizyklus, code: str, field: str = "Jugendhilfe", name: str = "") -> Joined:
    """Join by code as a new participant."""
    cycle_id, session_id = app.find_session(code, client="198.51.100.7")
    return app.join_rating_session(cycle_id, session_id, field=field, display_name=name)


def rate(app: Qualizyklus, joined: Joined, key: str, value: float | str) -> int:
    """Rate one criterion in the session's current round."""
    theme_id, _, criterion_id = key.partition("/")
    return app.rate_in_session(
        joined.cycle_id,
        joined.session_id,
        participant_id=joined.participant_id,
        theme_id=theme_id,
        criterion_id=criterion_id,
        value=value,
    )


def test_a_session_rating_is_an_assessment_of_the_cycle_with_session_and_round(
    app: Qualizyklus,
) -> None:
    network, cycle_id, session = opened(app)
    joined = join(app, session["code"].lower(), name="Frau Beispiel")
    rate(app, joined, "network/partners-known", 4)
    cycle = app.cycle(cycle_id, actor_id=network.coordinator)
    assert cycle["assessments"]["network/partners-known"][joined.participant_id]["value"] == 4
    events = list(app.recorder.select_events(cycle_id))
    recorded = app.mapper.to_domain_event(events[-1])
    assert (recorded.session_id, recorded.round) == (session["session_id"], 1)
    assert "Frau Beispiel" not in str([e.state for e in events])
    assert app.display_names([joined.participant_id])[joined.participant_id] == "Frau Beispiel"
    assert stored_topics(app, cycle_id)[-3:] == [
        "qualizyklus:Cycle.RatingSessionOpened",
        "qualizyklus:Cycle.SessionParticipantJoined",
        "qualizyklus:Cycle.AssessmentRecorded",
    ]


def test_a_changed_mind_replaces_the_rating_of_the_round(app: Qualizyklus) -> None:
    network, cycle_id, session = opened(app)
    joined = join(app, session["code"])
    rate(app, joined, "network/partners-known", 2)
    rate(app, joined, "network/partners-known", 5)
    results = app.session_results(cycle_id, session["session_id"], actor_id=network.coordinator)
    known = next(c for c in results["criteria"] if c["key"] == "network/partners-known")
    assert known["rounds"]["1"]["counts"] == [0, 0, 0, 0, 1]
    assert results["joined"] == 1 and results["rated"] == 1


def test_participants_see_no_distribution_before_the_reveal(app: Qualizyklus) -> None:
    network, cycle_id, session = opened(app)
    first, second = join(app, session["code"]), join(app, session["code"], "Gesundheitswesen")
    rate(app, first, "network/binding-structures", "minimum")
    rate(app, second, "network/binding-structures", "more")
    view = app.participant_view(
        cycle_id, session["session_id"], participant_id=first.participant_id
    )
    assert all(item["rounds"] == {} for item in view["criteria"])
    assert [i["mine"] for i in view["criteria"]] == [None, "minimum", None]
    app.reveal_session_results(
        cycle_id,
        session["session_id"],
        actor_id=network.coordinator,
        criteria=["network/binding-structures"],
    )
    view = app.participant_view(
        cycle_id, session["session_id"], participant_id=first.participant_id
    )
    revealed = {item["key"]: item["rounds"] for item in view["criteria"]}
    assert revealed["network/binding-structures"]["1"]["counts"] == [0, 1, 1]
    assert revealed["network/partners-known"] == {}


def test_round_two_keeps_round_one_and_shows_how_much_closer_the_group_came(
    app: Qualizyklus,
) -> None:
    network, cycle_id, session = opened(app)
    people = [join(app, session["code"]) for _ in range(4)]
    for person, value in zip(people, [1, 1, 5, 5], strict=True):
        rate(app, person, "network/partners-known", value)
    sid = session["session_id"]
    app.reveal_session_results(cycle_id, sid, actor_id=network.coordinator)
    app.open_rating_round(
        cycle_id, sid, actor_id=network.coordinator, criteria=["network/partners-known"]
    )
    for person, value in zip(people, [3, 3, 3, 4], strict=True):
        rate(app, person, "network/partners-known", value)
    with pytest.raises(InvalidInput):  # not part of round 2
        rate(app, people[0], "families/low-threshold", 2)
    results = app.session_results(cycle_id, sid, actor_id=network.coordinator)
    known = results["criteria"][0]
    assert known["key"] == "network/partners-known"
    assert known["rounds"]["1"]["counts"] == [2, 0, 0, 0, 2]
    assert known["rounds"]["2"]["counts"] == [0, 0, 3, 1, 0]
    assert known["rounds"]["1"]["disagreement"] == pytest.approx(1.0)
    assert known["change"] < -0.5
    assert results["round"] == 2 and results["rated"] == 4


def test_closed_expired_and_full_sessions_refuse_and_change_nothing(
    app: Qualizyklus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALIZYKLUS_SESSION_MAX_PARTICIPANTS", "2")
    network, cycle_id, session = opened(app)
    sid = session["session_id"]
    joined = [join(app, session["code"]), join(app, session["code"])]
    version = app.version_of(cycle_id)
    with pytest.raises(SessionRefused, match="voll"):
        join(app, session["code"])
    with pytest.raises(SessionRefused, match="abgelaufen"):
        app.rate_in_session(
            cycle_id,
            sid,
            participant_id=joined[0].participant_id,
            theme_id="network",
            criterion_id="partners-known",
            value=3,
            now=soon(120),
        )
    with pytest.raises(InvalidInput):
        rate(app, joined[0], "network/partners-known", 9)
    with pytest.raises(SessionRefused):
        app.rate_in_session(
            cycle_id,
            sid,
            participant_id="p-not-joined",
            theme_id="network",
            criterion_id="partners-known",
            value=3,
        )
    assert app.version_of(cycle_id) == version
    app.close_rating_session(cycle_id, sid, actor_id=network.coordinator)
    with pytest.raises(SessionRefused, match="beendet"):
        rate(app, joined[1], "network/partners-known", 3)


def test_only_coordinators_open_reveal_and_close(app: Qualizyklus) -> None:
    network, cycle_id, session = opened(app)
    with pytest.raises(Forbidden):
        app.open_rating_session(
            cycle_id, actor_id=network.midwife, title="x", criteria=CRITERIA, ends_at=soon()
        )
    with pytest.raises((Forbidden, NotFound)):
        app.reveal_session_results(cycle_id, session["session_id"], actor_id=network.stranger)
    with pytest.raises(InvalidInput):
        app.open_rating_session(
            cycle_id,
            actor_id=network.coordinator,
            title="x",
            criteria=["network/nope"],
            ends_at=soon(),
        )
    with pytest.raises(InvalidInput):
        app.open_rating_session(
            cycle_id,
            actor_id=network.coordinator,
            title="x",
            criteria=CRITERIA,
            ends_at=soon(-5),
        )


def test_unknown_codes_are_counted_per_client(app: Qualizyklus) -> None:
    opened(app)
    for _ in range(20):
        with pytest.raises(NotFound):
            app.find_session("ZZZZZZ", client="203.0.113.9")
    with pytest.raises(TooManyRequests):
        app.find_session("ZZZZZZ", client="203.0.113.9")


def test_the_coordinator_erases_a_participants_name(app: Qualizyklus) -> None:
    network, _, session = opened(app)
    joined = join(app, session["code"], name="Herr Beispiel")
    with pytest.raises(Forbidden):
        app.erase_participant_name(joined.cycle_id, joined.participant_id, actor_id=network.midwife)
    assert app.erase_participant_name(
        joined.cycle_id, joined.participant_id, actor_id=network.coordinator
    )
    assert app.display_names([joined.participant_id])[joined.participant_id] != "Herr Beispiel"


def test_concurrent_participants_lose_and_double_no_rating(
    app: Qualizyklus, settings: Settings
) -> None:
    network, cycle_id, session = opened(app)
    people = [join(app, session["code"]) for _ in range(8)]
    engines = [Qualizyklus(settings, themes=SAMPLE_THEMES) for _ in range(4)]
    failures: list[BaseException] = []

    def rate_all(index: int, person: Joined) -> None:
        engine = engines[index % len(engines)]
        try:
            for key in CRITERIA:
                value: float | str = "minimum" if key.endswith("structures") else 1 + index % 5
                rate(engine, person, key, value)
        except BaseException as error:  # noqa: BLE001 -- reported below
            failures.append(error)

    threads = [threading.Thread(target=rate_all, args=(i, p)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for engine in engines:
        engine.close()
    assert failures == []
    results = app.session_results(cycle_id, session["session_id"], actor_id=network.coordinator)
    assert [c["rounds"]["1"]["raters"] for c in results["criteria"]] == [8, 8, 8]
    assessed = [
        e
        for e in app.recorder.select_events(cycle_id)
        if e.topic == "qualizyklus:Cycle.AssessmentRecorded"
    ]
    assert len(assessed) == 8 * len(CRITERIA)


def test_a_version_1_rating_reads_as_one_given_outside_any_session(settings: Settings) -> None:
    app = Qualizyklus(settings, themes=SAMPLE_THEMES, create_tables=True)
    try:
        import_history(app, fixture_lines())
        stored = [
            e
            for e in app.recorder.select_events(CYCLE_ID)
            if e.topic == "qualizyklus:Cycle.AssessmentRecorded"
        ]
        assert stored and all(b'"session_id"' not in e.state for e in stored)
        ratings = [app.mapper.to_domain_event(e) for e in stored]
        assert {(r.session_id, r.round) for r in ratings} == {(None, None)}
    finally:
        app.close()


def test_joins_are_counted_per_client(app: Qualizyklus) -> None:
    for _ in range(JOIN_CLIENT.most):
        app.count_join("192.0.2.44")
    with pytest.raises(TooManyRequests):
        app.count_join("192.0.2.44")
    app.count_join("192.0.2.45")  # another client is not held up


def test_a_cycle_with_a_session_exports_imports_and_verifies(
    app: Qualizyklus, tmp_path: Path
) -> None:
    network, cycle_id, session = opened(app)
    joined = join(app, session["code"])
    rate(app, joined, "network/partners-known", 3)
    app.reveal_session_results(cycle_id, session["session_id"], actor_id=network.coordinator)
    out = io.StringIO()
    export_organisation(app, "lk-beispiel", out)
    fresh = Qualizyklus(
        Settings(database=f"sqlite:///{tmp_path / 'fresh.db'}"),
        themes=SAMPLE_THEMES,
        create_tables=True,
    )
    try:
        import_history(fresh, out.getvalue().splitlines(keepends=True))
        assert verify(fresh).ok
        results = fresh.session_results(
            cycle_id, session["session_id"], actor_id=network.coordinator
        )
        known = next(c for c in results["criteria"] if c["key"] == "network/partners-known")
        assert known["rounds"]["1"]["counts"] == [0, 0, 1, 0, 0]
    finally:
        fresh.close()
