"""A plan read from a file is set in one change: every goal and measure, or none."""

from __future__ import annotations

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import InvalidInput
from tests.engine.stories import cycle_in_phase, register_network, stored_events


def test_goals_and_measures_are_set_together(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "plan")
    version = app.cycle(cycle_id)["version"]

    new_version = app.import_plan(
        cycle_id,
        actor_id=net.coordinator,
        goals=[{"goal_id": "g-a", "title": "Mehr Familien erreichen", "indicator": "Anteil"}],
        measures=[
            {
                "measure_id": "m-a",
                "title": "Sprechstunde",
                "goal_id": "g-a",
                "responsible_member_id": net.midwife,
                "due": "2025-09-30",
            },
        ],
        expected_version=version,
    )

    assert new_version == version + 2
    cycle = app.cycle(cycle_id)
    assert cycle["measures"]["m-a"]["goal_id"] == "g-a"
    assert cycle["goals"]["g-a"]["indicator"] == "Anteil"


def test_one_bad_item_refuses_the_whole_plan_naming_it(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "plan")
    before = len(stored_events(app, cycle_id))

    with pytest.raises(InvalidInput) as refused:
        app.import_plan(
            cycle_id,
            actor_id=net.coordinator,
            goals=[{"title": "Ein gutes Ziel"}],
            measures=[
                {"title": "Gut"},
                {"title": "Schlecht", "responsible_member_id": net.stranger},
            ],
        )

    assert refused.value.field == "measures.1.responsible_member_id"
    assert len(stored_events(app, cycle_id)) == before
