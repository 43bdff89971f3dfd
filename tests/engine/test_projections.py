"""The read models: what they hold, that each event counts once, and that they follow the log.

Every test runs on a real SQLite file and on PostgreSQL (the ``app`` fixture).
"""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError

from engine.application.service import Qualizyklus
from engine.readmodels import Follower, create_tables, current, queries, read_model
from tests.engine.stories import (
    complete_analysis,
    cycle_in_phase,
    register_network,
    start_cycle,
)

TABLES = (
    "qz_organisations",
    "qz_members",
    "qz_cycles",
    "qz_assessments",
    "qz_goals",
    "qz_measures",
    "qz_land_figures",
)


def tables(app: Qualizyklus) -> dict[str, list[tuple[Any, ...]]]:
    """Every read-model row, comparable (left out: when and where Lands were computed)."""
    view = read_model(app)
    found = {}
    for table in TABLES:
        rows = view.query(f"SELECT * FROM {table}")
        for row in rows:
            if table == "qz_land_figures":
                del row["computed_at"], row["position"]
        found[table] = sorted((tuple(sorted(row.items())) for row in rows), key=repr)
    return found


def busy_history(app: Qualizyklus) -> list[UUID]:
    """Two organisations with closed and running cycles: ratings, goals, measures, values."""
    cycles = []
    for slug in ("lk-nord", "lk-sued"):
        network = register_network(app, slug)
        cycles.append(cycle_in_phase(app, network, "closed"))
        running = cycle_in_phase(app, network, "implement")
        app.record_indicator_value(
            running,
            actor_id=network.coordinator,
            goal_id="goal-1",
            value=14,
            measured_on="2025-05-01",
        )
        analysing = cycle_in_phase(app, network, "analyse")
        app.record_assessment(
            analysing,
            actor_id=network.midwife,
            theme_id="network",
            criterion_id="partners-known",
            value=5,
        )
        cycles += [running, analysing]
    return cycles


def test_the_read_models_hold_what_the_aggregates_say(app: Qualizyklus) -> None:
    cycle_ids = busy_history(app)
    Follower(app).catch_up()
    view = read_model(app)
    for cycle_id in cycle_ids:
        cycle = app.cycle(cycle_id)
        [row] = view.query("SELECT * FROM qz_cycles WHERE cycle_id = ?", (str(cycle_id),))
        assert (row["phase"], row["version"], row["title"]) == (
            cycle["phase"],
            cycle["version"],
            cycle["title"],
        )
        assert row["events"] == cycle["version"]
        assert bool(row["closed"]) == (cycle["phase"] == "closed")
        measures = view.query(
            "SELECT measure_id, status, responsible_member_id, due FROM qz_measures "
            "WHERE cycle_id = ?",
            (str(cycle_id),),
        )
        assert {m["measure_id"]: m["status"] for m in measures} == {
            key: value["status"] for key, value in cycle["measures"].items()
        }
        goals = view.query(
            "SELECT goal_id, target, verdict FROM qz_goals WHERE cycle_id = ?", (str(cycle_id),)
        )
        assert {g["goal_id"]: (g["target"], g["verdict"]) for g in goals} == {
            key: (goal["target"], (goal.get("review") or {}).get("verdict"))
            for key, goal in cycle["goals"].items()
        }


def test_a_theme_score_is_the_median_of_the_raters_mean_positions(app: Qualizyklus) -> None:
    network = register_network(app)
    cycle_id = start_cycle(app, network)
    ratings = {  # rater -> (partners-known on 1..5, binding-structures level)
        network.coordinator: (5, None),
        network.midwife: (2, None),
        network.paediatrician: (3, None),
    }
    for rater, (value, _) in ratings.items():
        app.record_assessment(
            cycle_id,
            actor_id=rater,
            theme_id="network",
            criterion_id="partners-known",
            value=value,
        )
    Follower(app).catch_up()
    scores = queries.theme_scores(read_model(app), str(network.organisation_id))
    positions = sorted((value - 1) / 4 for value, _ in ratings.values())
    assert scores["network"][0]["score"] == pytest.approx(positions[1])
    assert scores["network"][0]["raters"] == 3


def test_a_batch_is_never_applied_twice(app: Qualizyklus) -> None:
    busy_history(app)
    follower = Follower(app)
    follower.catch_up()
    before = tables(app)
    notifications = app.recorder.select_notifications(start=1, limit=50)
    for after in (0, notifications[0].id, notifications[-1].id):
        with pytest.raises(IntegrityError):
            follower.view.apply(
                notifications,
                after=after,
                application_name=app.name,
                mapper=app.mapper,
                themes=app.themes,
            )
        assert follower.apply(notifications, after=after) is False
    assert tables(app) == before


def test_a_rebuild_gives_the_same_read_models(app: Qualizyklus) -> None:
    busy_history(app)
    follower = Follower(app, batch_size=7)
    follower.catch_up()
    before = tables(app)
    seen: list[int] = []
    applied = follower.rebuild(progress=seen.append)
    assert applied == app.recorder.max_notification_id()
    assert sum(seen) == applied and max(seen) <= 7
    assert tables(app) == before


def test_catching_up_in_small_batches_equals_one_large_batch(app: Qualizyklus) -> None:
    busy_history(app)
    Follower(app, batch_size=1).catch_up()
    small = tables(app)
    Follower(app, batch_size=100_000).rebuild()
    assert tables(app) == small


def test_a_reader_sees_its_own_write_at_once(app: Qualizyklus) -> None:
    network = register_network(app)
    Follower(app).catch_up()
    cycle_id = start_cycle(app, network)
    fresh = current(app)
    assert fresh.lag == 0
    cycles = queries.organisation_cycles(fresh.view, str(network.organisation_id))
    assert [c["cycle_id"] for c in cycles] == [str(cycle_id)]


def test_a_reader_far_behind_is_not_held_up(app: Qualizyklus) -> None:
    busy_history(app)
    fresh = current(app, limit=3)
    assert fresh.lag == app.recorder.max_notification_id()
    assert fresh.view.query("SELECT COUNT(*) AS n FROM qz_cycles")[0]["n"] == 0


def test_the_follower_applies_new_events_as_they_come(app: Qualizyklus) -> None:
    network = register_network(app)
    follower = Follower(app, batch_size=5)
    stop = threading.Event()
    runner = threading.Thread(target=follower.follow, args=(stop,))
    runner.start()
    try:
        cycle_id = start_cycle(app, network)
        complete_analysis(app, network, cycle_id)
        _wait_for(lambda: follower.behind() == 0)
    finally:
        stop.set()
        runner.join(timeout=10)
    assert not runner.is_alive()
    [row] = follower.view.query("SELECT version, events FROM qz_cycles")
    assert row["version"] == row["events"] == app.cycle(cycle_id)["version"]


def test_two_followers_at_once_apply_each_event_once(app: Qualizyklus) -> None:
    stop = threading.Event()
    followers = [Follower(app, batch_size=3), Follower(app, batch_size=4)]
    runners = [threading.Thread(target=f.follow, args=(stop,)) for f in followers]
    for runner in runners:
        runner.start()
    try:
        cycle_ids = busy_history(app)
        _wait_for(lambda: all(f.behind() == 0 for f in followers))
    finally:
        stop.set()
        for runner in runners:
            runner.join(timeout=10)
    rows = read_model(app).query("SELECT cycle_id, version, events FROM qz_cycles")
    assert len(rows) == len(cycle_ids)
    assert all(row["events"] == row["version"] for row in rows)


def test_measures_due_are_those_of_open_cycles_within_the_days(app: Qualizyklus) -> None:
    network = register_network(app)
    closed = cycle_in_phase(app, network, "closed")
    running = cycle_in_phase(app, network, "implement")
    for measure_id, due_on in (
        ("soon", "2025-06-14"),
        ("later", "2025-06-15"),
        ("late", "2025-05-31"),
    ):
        app.plan_measure(
            running,
            actor_id=network.coordinator,
            measure_id=measure_id,
            title=measure_id,
            responsible_member_id=network.midwife,
            due=due_on,
        )
    Follower(app).catch_up()
    due = queries.measures_due(
        read_model(app),
        organisation_id=str(network.organisation_id),
        on=date(2025, 6, 1),
        days=13,
    )
    assert [(m["measure_id"], m["days_left"]) for m in due] == [("late", -1), ("soon", 13)]
    assert all(m["cycle_id"] == str(running) for m in due)
    assert str(closed) not in {m["cycle_id"] for m in due}
    mine = queries.measures_due(
        read_model(app), member_id=network.midwife, on=date(2025, 6, 1), days=13
    )
    assert [m["measure_id"] for m in mine] == ["late", "soon"]


def _land_with(app: Qualizyklus, organisations: int, land: str = "SN") -> list[float]:
    """Organisations in one Land, each rating partners-known once; their scores."""
    scores = []
    for number in range(organisations):
        coordinator = f"koordination-{number}"
        organisation_id = app.register_organisation(
            name=f"Landkreis Probe {number}",
            slug=f"lk-probe-{number}",
            land=land,
            coordinator_id=coordinator,
        )
        cycle_id = app.start_cycle(
            organisation_id,
            actor_id=coordinator,
            title="Qualitätszyklus 2025",
            themes=["network"],
            period_start="2025-01-01",
            period_end="2025-12-31",
        )
        value = 1 + number % 5
        app.record_assessment(
            cycle_id,
            actor_id=coordinator,
            theme_id="network",
            criterion_id="partners-known",
            value=value,
        )
        scores.append((value - 1) / 4)
    return scores


def test_a_land_of_four_organisations_shows_nothing(app: Qualizyklus) -> None:
    _land_with(app, 4)
    Follower(app).catch_up()
    seen = queries.state_view(read_model(app), "SN")
    assert seen["shown"] is False
    assert "themes" not in seen and "shared" not in seen and seen["organisations"] is None


def test_a_land_of_five_organisations_shows_figures_over_all_five(app: Qualizyklus) -> None:
    scores = _land_with(app, 5)
    Follower(app).catch_up()
    seen = queries.state_view(read_model(app), "SN")
    assert seen["shown"] is True and seen["organisations"] == 5
    [figure] = seen["themes"]
    assert figure["organisations"] == 5
    assert figure["mean"] == pytest.approx(sum(scores) / 5, abs=1e-4)
    assert seen["shared"] == []


def test_only_organisations_that_share_are_named(app: Qualizyklus) -> None:
    _land_with(app, 5)
    sharing = app.organisation_by_slug("lk-probe-2")
    app.set_state_sharing(UUID(sharing["id"]), actor_id="koordination-2", shares=True)
    Follower(app).catch_up()
    seen = queries.state_view(read_model(app), "SN")
    assert [o["name"] for o in seen["shared"]] == ["Landkreis Probe 2"]


def _wait_for(condition: Any, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            msg = "condition not met in time"
            raise AssertionError(msg)
        time.sleep(0.05)


def test_init_drops_read_models_of_an_older_definition_and_they_are_rebuilt(
    app: Qualizyklus,
) -> None:
    busy_history(app)
    follower = Follower(app)
    follower.catch_up()
    before = tables(app)
    view = read_model(app)
    with view.datastore.transaction(commit=True) as cursor:
        cursor.execute(view.sql("UPDATE qz_schema SET fingerprint = ?"), ("older",))

    assert create_tables(app) is True
    assert follower.position == 0
    assert view.query("SELECT COUNT(*) AS n FROM qz_cycles")[0]["n"] == 0
    follower.catch_up()
    assert tables(app) == before
    assert create_tables(app) is False  # the same definition: nothing is dropped
    assert tables(app) == before


def test_memberships_and_the_organisation_list_read_the_same_as_the_organisations(
    app: Qualizyklus,
) -> None:
    busy_history(app)
    north = app.organisation_by_slug("lk-nord")
    app.revoke_role(UUID(north["id"]), actor_id="koordination", member_id="ausschuss")

    memberships = app.memberships("ausschuss")
    summaries = app.organisation_summaries()

    assert [(m["slug"], m["role"]) for m in memberships] == [("lk-sued", "viewer")]
    for summary in summaries:
        organisation = app.organisation(UUID(summary["id"]))
        assert summary["members"] == organisation["members"]
        assert sorted(summary["cycles"]) == sorted(organisation["cycles"])
        assert (summary["name"], summary["land"]) == (organisation["name"], organisation["land"])
    assert [s["slug"] for s in summaries] == ["lk-nord", "lk-sued"]


def test_a_figure_that_would_give_away_the_few_who_do_not_share_is_left_out(
    app: Qualizyklus,
) -> None:
    _land_with(app, 7)
    for number in range(2):  # two share, five do not: the figure stays
        sharing = app.organisation_by_slug(f"lk-probe-{number}")
        app.set_state_sharing(UUID(sharing["id"]), actor_id=f"koordination-{number}", shares=True)
    Follower(app).catch_up()
    assert len(queries.state_view(read_model(app), "SN")["themes"]) == 1

    third = app.organisation_by_slug("lk-probe-2")
    app.set_state_sharing(UUID(third["id"]), actor_id="koordination-2", shares=True)
    Follower(app).catch_up()
    seen = queries.state_view(read_model(app), "SN")
    assert seen["themes"] == []  # four do not share: too few to hide behind the figure
    assert len(seen["shared"]) == 3
