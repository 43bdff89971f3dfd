"""Planning follows the analysis: goals name the needs they answer, measures outside the
cycle's period are flagged, only members who may act are responsible, and indicator values
are corrected or withdrawn (for a reason, as new events) and never silently doubled.

Each runs on a SQLite file and on PostgreSQL (the ``app`` fixture)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from engine.application import audit
from engine.application.service import Qualizyklus
from engine.domain.cycle_revisions import ValueExists
from engine.domain.errors import Forbidden, NotFound
from engine.readmodels import current, queries
from tests.engine.stories import (
    complete_analysis,
    complete_planning,
    cycle_in_phase,
    register_network,
    start_cycle,
    stored_topics,
)
from tests.engine.test_gates_and_refusals import invalid, refused


def _planning(app: Qualizyklus, net: Any) -> UUID:
    """A cycle in the plan phase with 'need-1' prioritised, 'goal-1' and 'measure-1'."""
    cycle_id = cycle_in_phase(app, net, "plan")
    complete_planning(app, net, cycle_id)
    return cycle_id


def _goal(app: Qualizyklus, cycle_id: UUID, goal_id: str = "goal-1") -> dict[str, Any]:
    return app.cycle(cycle_id)["goals"][goal_id]


def test_a_goal_names_the_prioritised_needs_it_answers_as_a_new_event(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = _planning(app, net)
    app.set_goal(
        cycle_id,
        actor_id=net.coordinator,
        goal_id="goal-2",
        title="Unterkünfte erreichen",
        need_ids=["need-1"],
    )
    assert _goal(app, cycle_id, "goal-2")["need_ids"] == ["need-1"]
    assert _goal(app, cycle_id)["need_ids"] == []  # set without needs
    assert stored_topics(app, cycle_id)[-2:] == [
        "qualizyklus:Cycle.GoalSet",
        "qualizyklus:Cycle.GoalNeedsNamed",
    ]

    # A revision that leaves the needs out keeps them; an empty list clears them.
    goal = {"title": "Unterkünfte erreichen", "theme_id": None}
    app.revise_goal(cycle_id, actor_id=net.coordinator, goal_id="goal-2", **goal)
    assert _goal(app, cycle_id, "goal-2")["need_ids"] == ["need-1"]
    app.revise_goal(cycle_id, actor_id=net.coordinator, goal_id="goal-2", need_ids=[], **goal)
    assert _goal(app, cycle_id, "goal-2")["need_ids"] == []


def test_a_goal_cannot_name_a_strength_an_unknown_finding_or_a_need_twice(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    app.record_finding(
        cycle_id, actor_id=net.coordinator, finding_id="s-1", kind="strength", text="Gut vernetzt."
    )
    complete_analysis(app, net, cycle_id)
    app.advance_phase(cycle_id, actor_id=net.coordinator)
    for needs in (["s-1"], ["nope"], ["need-1", "need-1"], "need-1"):
        with invalid(app, "need_ids", cycle_id):
            app.set_goal(
                cycle_id, actor_id=net.coordinator, goal_id="g-x", title="X", need_ids=needs
            )
    assert "g-x" not in app.cycle(cycle_id)["goals"]


def test_a_measure_outside_the_period_is_flagged_not_refused(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = _planning(app, net)  # period 2025-01-01 .. 2025-12-31
    app.plan_measure(
        cycle_id, actor_id=net.coordinator, measure_id="late", title="Spät", due="2026-03-01"
    )
    app.plan_measure(
        cycle_id, actor_id=net.coordinator, measure_id="early", title="Früh", start="2024-12-01"
    )
    measures = app.cycle(cycle_id)["measures"]
    assert measures["late"]["outside_period"] is True
    assert measures["early"]["outside_period"] is True
    assert measures["measure-1"]["outside_period"] is False  # March to September 2025
    app.plan_measure(cycle_id, actor_id=net.coordinator, measure_id="open", title="Ohne Datum")
    assert app.cycle(cycle_id)["measures"]["open"]["outside_period"] is False


def test_only_members_who_may_act_can_be_responsible_for_a_measure(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = _planning(app, net)
    for member in (net.viewer, net.stranger):
        with invalid(app, "responsible_member_id", cycle_id) as info:
            app.plan_measure(
                cycle_id,
                actor_id=net.coordinator,
                measure_id="m-x",
                title="X",
                responsible_member_id=member,
            )
    with invalid(app, "responsible_member_id", cycle_id) as info:
        app.revise_measure(
            cycle_id,
            actor_id=net.coordinator,
            measure_id="measure-1",
            title="Offene Sprechstunde",
            responsible_member_id=net.viewer,
        )
    assert "nur lesen" in info.value.de
    assert "may only read" in info.value.en
    # Contributors and coordinators may.
    app.plan_measure(
        cycle_id,
        actor_id=net.coordinator,
        measure_id="m-ok",
        title="Y",
        responsible_member_id=net.paediatrician,
    )
    assert app.cycle(cycle_id)["measures"]["m-ok"]["responsible_member_id"] == net.paediatrician


def _implementing(app: Qualizyklus) -> tuple[Any, UUID]:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "implement")
    for value, day in ((12, "2025-04-01"), (18, "2025-06-01")):
        app.record_indicator_value(
            cycle_id, actor_id=net.midwife, goal_id="goal-1", value=value, measured_on=day
        )
    return net, cycle_id


def test_a_value_is_corrected_for_a_reason_and_keeps_what_it_was(app: Qualizyklus) -> None:
    net, cycle_id = _implementing(app)
    app.correct_indicator_value(
        cycle_id,
        actor_id=net.midwife,
        goal_id="goal-1",
        position=1,
        value=16,
        measured_on="2025-06-02",
        source="Liste, nachgezählt",
        reason="Doppelt gezählte Familie.",
    )
    corrected = _goal(app, cycle_id)["values"][1]
    assert corrected["value"] == 16.0
    assert corrected["measured_on"] == date(2025, 6, 2)
    assert corrected["source"] == "Liste, nachgezählt"
    assert corrected["corrected"] == {
        "value": 18.0,
        "measured_on": date(2025, 6, 1),
        "reason": "Doppelt gezählte Familie.",
    }
    assert stored_topics(app, cycle_id)[-1] == "qualizyklus:Cycle.IndicatorValueCorrected"
    entry = audit.history(app, cycle_id)[-1]
    assert entry["reason"] == "Doppelt gezählte Familie."


def test_a_correction_needs_a_reason_and_a_value_that_is_there(app: Qualizyklus) -> None:
    net, cycle_id = _implementing(app)
    correct = {
        "actor_id": net.midwife,
        "goal_id": "goal-1",
        "value": 1,
        "measured_on": "2025-06-01",
    }
    with invalid(app, "reason", cycle_id):
        app.correct_indicator_value(cycle_id, position=1, reason="", **correct)
    with refused(app, NotFound, cycle_id):
        app.correct_indicator_value(cycle_id, position=7, reason="x", **correct)
    with invalid(app, "position", cycle_id):
        app.correct_indicator_value(cycle_id, position="1", reason="x", **correct)  # type: ignore[arg-type]
    # Moving a value onto a day that has another value asks first, as recording does.
    with refused(app, ValueExists, cycle_id):
        app.correct_indicator_value(
            cycle_id, position=1, reason="x", **{**correct, "measured_on": "2025-04-01"}
        )
    with refused(app, Forbidden, cycle_id):
        app.correct_indicator_value(
            cycle_id, position=1, reason="x", **{**correct, "actor_id": net.viewer}
        )


def test_a_withdrawn_value_no_longer_counts_but_stays_in_the_history(app: Qualizyklus) -> None:
    net, cycle_id = _implementing(app)
    with invalid(app, "reason", cycle_id):
        app.withdraw_indicator_value(
            cycle_id, actor_id=net.coordinator, goal_id="goal-1", position=1, reason=" "
        )
    app.withdraw_indicator_value(
        cycle_id, actor_id=net.coordinator, goal_id="goal-1", position=1, reason="Falsche Liste."
    )
    goal = _goal(app, cycle_id)
    assert [v["value"] for v in goal["values"]] == [12.0]
    assert goal["withdrawn_values"][0]["position"] == 1
    assert goal["withdrawn_values"][0]["withdrawn"] == {"reason": "Falsche Liste."}
    assert stored_topics(app, cycle_id)[-1] == "qualizyklus:Cycle.IndicatorValueWithdrawn"
    with invalid(app, "position", cycle_id):
        app.withdraw_indicator_value(
            cycle_id, actor_id=net.coordinator, goal_id="goal-1", position=1, reason="nochmal"
        )
    # The day is free again for a new value.
    app.record_indicator_value(
        cycle_id, actor_id=net.midwife, goal_id="goal-1", value=17, measured_on="2025-06-01"
    )
    assert [v["value"] for v in _goal(app, cycle_id)["values"]] == [12.0, 17.0]


def test_a_second_value_for_the_same_day_asks_first_then_replaces(app: Qualizyklus) -> None:
    net, cycle_id = _implementing(app)
    again = {"actor_id": net.midwife, "goal_id": "goal-1", "value": 20, "measured_on": "2025-06-01"}
    with refused(app, ValueExists, cycle_id) as info:
        app.record_indicator_value(cycle_id, **again)
    assert info.value.position == 1
    assert info.value.code == "value-exists"
    app.record_indicator_value(cycle_id, replace=True, reason="Nachgemeldet.", **again)
    values = _goal(app, cycle_id)["values"]
    assert [v["value"] for v in values] == [12.0, 20.0]
    assert values[1]["corrected"]["value"] == 18.0
    assert stored_topics(app, cycle_id)[-1] == "qualizyklus:Cycle.IndicatorValueCorrected"
    with invalid(app, "replace", cycle_id):
        app.record_indicator_value(cycle_id, replace="ja", **again)  # type: ignore[arg-type]


def test_indicator_progress_in_the_read_models_respects_corrections_and_withdrawals(
    app: Qualizyklus,
) -> None:
    net, cycle_id = _implementing(app)
    app.record_indicator_value(
        cycle_id, actor_id=net.midwife, goal_id="goal-1", value=25, measured_on="2025-08-01"
    )
    app.correct_indicator_value(
        cycle_id,
        actor_id=net.midwife,
        goal_id="goal-1",
        position=0,
        value=11,
        measured_on="2025-04-01",
        reason="Tippfehler",
    )
    app.withdraw_indicator_value(
        cycle_id, actor_id=net.midwife, goal_id="goal-1", position=2, reason="Noch nicht geprüft"
    )
    series = queries.indicator_series(current(app).view, str(net.organisation_id))
    assert [(p["measured_on"], p["value"]) for p in series[0]["values"]] == [
        ("2025-04-01", 11.0),
        ("2025-06-01", 18.0),
    ]
    assert series[0]["latest"] == 18.0


@pytest.mark.parametrize("phase", ["implement", "review"])
def test_corrections_are_allowed_where_values_are_recorded(app: Qualizyklus, phase: str) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, phase)
    app.record_indicator_value(
        cycle_id, actor_id=net.coordinator, goal_id="goal-1", value=3, measured_on="2025-05-01"
    )
    app.withdraw_indicator_value(
        cycle_id, actor_id=net.coordinator, goal_id="goal-1", position=0, reason="Irrtum"
    )
    assert _goal(app, cycle_id)["values"] == []
