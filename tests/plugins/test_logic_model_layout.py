"""The layout: four columns, deterministic, fewer crossings by ordering, and no arrow line
through a box, for the sample, small edge cases and generated 60-element/120-arrow models."""

from __future__ import annotations

import itertools

import pytest

from plugins.impact_orientation.logic_model.layout import (
    BOX_WIDTH,
    column_order,
    crossings_between_columns,
    title_lines,
)
from plugins.impact_orientation.logic_model.model import model_of
from plugins.impact_orientation.logic_model.routing import box_crossings, lay_out
from plugins.impact_orientation.logic_model.sample import generated_records, sample_records
from tests.plugins.test_logic_model_model import arrow, cycle_of, element


def test_boxes_stand_in_their_columns_left_to_right_without_overlapping() -> None:
    model = model_of(cycle_of(sample_records()))
    layout = lay_out(model)
    for e in model.elements:
        box = layout.boxes[e.id]
        assert box.x == layout.column_x[e.column_index]
    assert list(layout.column_x) == sorted(layout.column_x)
    assert all(
        b - a > BOX_WIDTH for a, b in zip(layout.column_x, layout.column_x[1:], strict=False)
    )
    for column in range(4):
        boxes = sorted((b for b in layout.boxes.values() if b.column == column), key=lambda b: b.y)
        assert all(upper.bottom < lower.y for upper, lower in itertools.pairwise(boxes))


def test_the_same_model_gives_the_same_layout() -> None:
    model = model_of(cycle_of(generated_records()))
    assert lay_out(model) == lay_out(model_of(cycle_of(generated_records())))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 15, 42, 99])
def test_no_arrow_passes_through_a_box_in_a_60_element_120_arrow_model(seed: int) -> None:
    model = model_of(cycle_of(generated_records(60, 120, seed)))
    layout = lay_out(model)
    assert len(layout.routes) == 120
    assert box_crossings(layout) == 0


def test_no_arrow_passes_through_a_box_in_the_sample() -> None:
    assert box_crossings(lay_out(model_of(cycle_of(sample_records())))) == 0


def test_the_crossing_count_sees_a_line_through_a_box() -> None:
    layout = lay_out(model_of(cycle_of(sample_records())))
    box = next(iter(layout.boxes.values()))
    route = layout.routes[0]
    through = type(route)(
        route.arrow_id, ((box.x - 5, box.y + 5), (box.right + 5, box.y + 5)), (0, 0), False
    )
    assert (
        box_crossings(
            type(layout)(layout.width, layout.height, layout.boxes, (through,), layout.column_x)
        )
        >= 1
    )


def test_arrows_inside_a_column_backward_and_skipping_columns_are_routed_around_boxes() -> None:
    records = {
        "element": {
            "c1": element("conditions", "Auftrag"),
            "c2": element("conditions", "Stelle"),
            "k1": element("concept", "Ziel"),
            "k2": element("concept", "Zielgruppe"),
            "k3": element("concept", "Grundsätze"),
            "a1": element("activities", "Besuche"),
            "a2": element("activities", "Briefe"),
            "r1": element("results", "Erreicht", step=2, level="output"),
            "r2": element("results", "Sicherer", step=4, level="outcome"),
        },
        "arrow": {
            "skip": arrow("c1", "r2", "über zwei Spalten"),
            "same": arrow("r1", "r2"),
            "back": arrow("r2", "c2", "Rückkopplung"),
            "self": arrow("a1", "a1"),
            "fwd": arrow("k2", "a2"),
        },
    }
    layout = lay_out(model_of(cycle_of(records)))
    routes = {route.arrow_id: route for route in layout.routes}
    assert box_crossings(layout) == 0
    assert routes["back"].backward and routes["same"].backward
    assert not routes["skip"].backward
    boxes = layout.boxes
    # each route starts at its source's side and ends at its target's side
    assert routes["skip"].points[0][0] == boxes["c1"].right
    assert routes["skip"].points[-1][0] == boxes["r2"].x
    assert routes["back"].points[0][0] == boxes["r2"].x
    assert routes["back"].points[-1][0] == boxes["c2"].right
    assert routes["same"].points[-1][0] == boxes["r2"].right
    # lines are orthogonal
    for route in layout.routes:
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            assert x1 == x2 or y1 == y2


def test_barycentre_ordering_removes_the_crossings_of_a_twisted_model() -> None:
    records = {
        "element": {
            **{f"a{i}": element("activities", f"Aktivität {i}") for i in range(4)},
            **{f"r{i}": element("results", f"Resultat {i}") for i in range(4)},
        },
        "arrow": {f"p{i}": arrow(f"a{i}", f"r{3 - i}") for i in range(4)},
    }
    model = model_of(cycle_of(records))
    entered = [
        [e.id for e in model.column(c)] for c in ("conditions", "concept", "activities", "results")
    ]
    assert crossings_between_columns(model, entered) == 6
    assert crossings_between_columns(model, [list(ids) for ids in column_order(model)]) == 0


def test_long_titles_are_wrapped_and_cut_with_an_ellipsis() -> None:
    lines = title_lines("Ein sehr langer Titel " * 10)
    assert len(lines) == 4
    assert lines[-1].endswith("…")
    assert title_lines("Kurz") == ("Kurz",)
    assert all(
        len(line) <= 24 for line in title_lines("Donaudampfschifffahrtsgesellschaftskapitän")
    )


def test_an_empty_model_lays_out_to_empty_columns() -> None:
    layout = lay_out(model_of({}))
    assert layout.boxes == {} and layout.routes == ()
    assert len(layout.column_x) == 4
