"""The impact-orientation theme's logic model records: elements, arrows and the gate setting,
checked by their schemas and, across records, by the theme's ``validate_item`` (arrows' ends,
one arrow per pair, goals of this theme); a refusal writes nothing."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import InvalidInput
from tests.plugins.theme_cycles import ANCHORING, COORDINATOR, IMPACT, Network


def element(key: str, column: str, title: str, **attrs: Any) -> dict[str, Any]:
    return {
        "kind": "element",
        "record_id": key,
        "attrs": {"column": column, "title": title, **attrs},
    }


def arrow(key: str, source: str, target: str, text: str = "") -> dict[str, Any]:
    attrs = {"source": source, "target": target}
    return {"kind": "arrow", "record_id": key, "attrs": attrs, "text": text}


def change(engine: Qualizyklus, cycle_id: UUID, **given: Any) -> int:
    return engine.change_records(cycle_id, actor_id=COORDINATOR, theme_id=IMPACT, **given)


def refused(engine: Qualizyklus, cycle_id: UUID, **given: Any) -> list[str]:
    version = engine.cycle(cycle_id)["version"]
    with pytest.raises(InvalidInput) as caught:
        change(engine, cycle_id, **given)
    assert engine.cycle(cycle_id)["version"] == version
    return [problem.field for problem in caught.value.problems]


@pytest.fixture
def planned(engine: Qualizyklus) -> tuple[Qualizyklus, UUID]:
    """A cycle in its plan phase with a goal of each of two themes, and a small model."""
    network = Network.register(engine)
    cycle_id = network.start([IMPACT, ANCHORING])
    network.analyse(cycle_id)
    network.goal(cycle_id, "wirkung", IMPACT, attrs={"impact_step": 4, "iooi_level": "outcome"})
    network.goal(cycle_id, "verankerung", ANCHORING)
    change(
        engine,
        cycle_id,
        saves=[
            element("lotsen", "activities", "Lotsendienst"),
            element("zugang", "results", "Familien finden Zugang", step=4, level="outcome",
                    goal_ids=["wirkung"]),
            arrow("a1", "lotsen", "zugang", "Familien vertrauen dem Dienst"),
        ],
    )  # fmt: skip
    return engine, cycle_id


def test_a_model_is_stored_with_its_defaults_filled_in(planned: tuple[Qualizyklus, UUID]) -> None:
    engine, cycle_id = planned

    records = engine.cycle(cycle_id)["records"][IMPACT]

    assert records["element"]["lotsen"]["attrs"] == {
        "column": "activities", "title": "Lotsendienst", "step": None, "level": None,
        "goal_ids": [],
    }  # fmt: skip
    assert records["arrow"]["a1"]["text"] == "Familien vertrauen dem Dienst"


@pytest.mark.parametrize(
    ("save", "field"),
    [
        (element("x", "elsewhere", "X"), "records.element.x.attrs.column"),
        (element("x", "results", "X" * 121), "records.element.x.attrs.title"),
        (element("x", "activities", "X", step=3), "records.element.x.attrs.step"),
        (element("x", "results", "X", step=8), "records.element.x.attrs.step"),
        (element("x", "results", "X", step=5, level="output"), "records.element.x.attrs.level"),
        (element("x", "results", "X", goal_ids=["verankerung"]),
         "records.element.x.attrs.goal_ids"),
        (element("x", "results", "X", goal_ids=["nirgends"]), "records.element.x.attrs.goal_ids"),
        (arrow("x", "lotsen", "nirgends"), "records.arrow.x.attrs.target"),
        (arrow("x", "lotsen", "lotsen"), "records.arrow.x.attrs.target"),
        (arrow("x", "lotsen", "zugang"), "records.arrow.x.attrs.target"),
        ({"kind": "setting", "record_id": "other", "attrs": {}}, "records.setting.other"),
        ({"kind": "setting", "record_id": "gate", "attrs": {"check": "x"}},
         "records.setting.gate.attrs.check"),
    ],
    ids=[
        "unknown-column", "long-title", "step-outside-results", "step-8", "step-and-level-disagree",
        "goal-of-another-theme", "unknown-goal", "arrow-to-nothing", "arrow-to-itself",
        "second-arrow", "other-setting", "unknown-check",
    ],
)  # fmt: skip
def test_a_wrong_record_is_refused_naming_its_field(
    planned: tuple[Qualizyklus, UUID], save: dict[str, Any], field: str
) -> None:
    engine, cycle_id = planned

    assert field in refused(engine, cycle_id, saves=[save])


def test_removing_an_element_an_arrow_uses_is_refused_unless_the_arrow_goes_too(
    planned: tuple[Qualizyklus, UUID],
) -> None:
    engine, cycle_id = planned
    element_only = [{"kind": "element", "record_id": "lotsen"}]

    assert refused(engine, cycle_id, removals=element_only) == ["records.arrow.a1.attrs.source"]
    change(engine, cycle_id, removals=[{"kind": "arrow", "record_id": "a1"}, *element_only])
    assert list(engine.cycle(cycle_id)["records"][IMPACT]["element"]) == ["zugang"]


def test_the_gate_choice_is_one_setting_record(planned: tuple[Qualizyklus, UUID]) -> None:
    engine, cycle_id = planned

    change(
        engine,
        cycle_id,
        saves=[{"kind": "setting", "record_id": "gate", "attrs": {"check": "cycles"}}],
    )

    setting = engine.cycle(cycle_id)["records"][IMPACT]["setting"]
    assert setting == {"gate": {"attrs": {"check": "cycles"}, "text": ""}}


def test_a_follow_up_cycle_takes_the_model_without_the_links_to_old_goals(
    engine: Qualizyklus,
) -> None:
    network = Network.register(engine)
    first = network.start([IMPACT])
    network.analyse(first)
    network.goal(first, "wirkung", IMPACT, attrs={"impact_step": 4, "iooi_level": "outcome"})
    change(
        engine,
        first,
        saves=[
            element("lotsen", "activities", "Lotsendienst"),
            element("zugang", "results", "Zugang", step=4, level="outcome", goal_ids=["wirkung"]),
            arrow("a1", "lotsen", "zugang"),
            {"kind": "setting", "record_id": "gate", "attrs": {"check": "cycles"}},
        ],
    )
    network.measure(first, "lotsen-aufbauen", IMPACT)
    network.advance(first)
    network.move(first, "lotsen-aufbauen", "done")
    network.advance(first)
    network.review_goals(first)
    network.close(first)

    second = network.start([IMPACT], year=2026, follows=first)

    carried = engine.cycle(second)["records"][IMPACT]
    assert carried["element"]["zugang"]["attrs"]["goal_ids"] == []
    assert carried["element"]["zugang"]["attrs"]["step"] == 4
    assert carried["arrow"]["a1"]["attrs"] == {"source": "lotsen", "target": "zugang"}
    assert carried["setting"]["gate"]["attrs"] == {"check": "cycles"}
