"""The logic model read from a cycle's theme records: tolerant of missing and broken parts."""

from __future__ import annotations

from typing import Any

from plugins.impact_orientation.logic_model.model import (
    COLUMN_LABELS,
    COLUMNS,
    Element,
    model_of,
)
from plugins.impact_orientation.logic_model.sample import generated_records, sample_records

THEME = "impact-orientation"


def cycle_of(records: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A plain cycle mapping with the theme and its records."""
    return {"themes": [THEME], "phase": "plan", "goals": {}, "records": {THEME: records}, **more}


def element(column: str, title: str, **attrs: Any) -> dict[str, Any]:
    """An element record."""
    return {"attrs": {"column": column, "title": title, **attrs}, "text": ""}


def arrow(source: str, target: str, assumption: str = "") -> dict[str, Any]:
    """An arrow record."""
    return {"attrs": {"source": source, "target": target}, "text": assumption}


def test_a_cycle_without_records_theme_or_kinds_is_an_empty_model() -> None:
    cycles: tuple[dict[str, Any], ...] = (
        {},
        {"records": {}},
        {"records": {THEME: {}}},
        {"records": {THEME: None}},
    )
    for cycle in cycles:
        model = model_of(cycle)
        assert model.is_empty
        assert model.arrows == ()
        assert model.gate_check is None


def test_elements_come_column_by_column_in_the_order_entered() -> None:
    records = {
        "element": {
            "r1": element("results", "Eltern sicherer", step=4, level="outcome", goal_ids=["g"]),
            "a1": element("activities", "Willkommensbesuche"),
            "c1": element("conditions", "Auftrag"),
            "a2": element("activities", "Elternbriefe"),
        }
    }
    model = model_of(cycle_of(records))
    assert [e.id for e in model.elements] == ["c1", "a1", "a2", "r1"]
    assert model.element("r1") == Element(
        "r1", "results", "Eltern sicherer", "", 4, "outcome", ("g",)
    )
    assert model.element("r1").place() is not None
    assert model.element("r1").place().de == "Stufe 4 · Outcome"  # type: ignore[union-attr]
    assert model.element("a1").place() is None


def test_broken_attributes_fall_back_and_unknown_columns_and_dangling_arrows_are_left_out() -> None:
    records = {
        "element": {
            "x": element("somewhere", "Nirgends"),
            "a": element("activities", "", step=9, level="huge", goal_ids="g1"),
            "b": {"text": "no attrs at all"},
            "r": element("results", "Ergebnis", step=True),
        },
        "arrow": {
            "p1": arrow("a", "r", "  es klappt  "),
            "p2": arrow("a", "x"),
            "p3": {"attrs": {"source": 3, "target": "r"}},
        },
        "setting": {"gate": {"attrs": {"check": "no-such-check"}}},
    }
    model = model_of(cycle_of(records))
    assert [e.id for e in model.elements] == ["a", "r"]
    broken = model.element("a")
    assert (broken.title, broken.step, broken.level, broken.goal_ids) == ("a", None, None, ())
    assert model.element("r").step is None  # a boolean is no step
    assert [(a.id, a.assumption) for a in model.arrows] == [("p1", "es klappt")]
    assert model.gate_check is None


def test_the_chosen_gate_check_and_numbered_assumptions_are_read() -> None:
    records = sample_records()
    records["setting"]["gate"]["attrs"]["check"] = "cycles"
    model = model_of(cycle_of(records))
    assert model.gate_check == "cycles"
    numbers = model.numbered_assumptions()
    with_assumption = [a.id for a in model.arrows if a.assumption]
    assert list(numbers) == with_assumption
    assert list(numbers.values()) == list(range(1, len(with_assumption) + 1))


def test_the_columns_have_german_and_english_labels() -> None:
    assert [COLUMN_LABELS[c].de for c in COLUMNS] == [
        "Rahmenbedingungen",
        "Konzept",
        "Aktivitätsbereiche",
        "Resultate",
    ]
    assert all(COLUMN_LABELS[c].en for c in COLUMNS)


def test_the_sample_is_a_realistic_model_and_the_generated_one_has_the_asked_size() -> None:
    sample = model_of(cycle_of(sample_records(["ziel-1", "ziel-2"])))
    assert 12 <= len(sample.elements) <= 16
    assert all(sample.column(column) for column in COLUMNS)
    assert sum(1 for a in sample.arrows if a.assumption) >= 8
    assert sample.element("re-erreicht").goal_ids == ("ziel-1",)
    big = model_of(cycle_of(generated_records()))
    assert (len(big.elements), len(big.arrows)) == (60, 120)
    assert generated_records(seed=3) == generated_records(seed=3)
