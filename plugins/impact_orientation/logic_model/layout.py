"""Where each element of a logic model stands: four columns, left to right, boxes stacked.

The order within a column is chosen to reduce crossing arrows (barycentre sweeps, the best
order seen is kept); the routes of the arrows come from :mod:`.routing`. Pure and
deterministic: the same model gives the same layout, in any language (a box's lines are the
title as entered and a language-neutral place such as "4 · Outcome").
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from plugins.impact_orientation.logic_model.model import COLUMNS, Element, LogicModel

BOX_WIDTH = 190
"""Width of an element's box, in SVG units (px at 100 %)."""
FONT = 13
LINE = 16
SMALL_FONT = 11
CHARS_PER_LINE = 24
"""Characters of a title per line in a box (13 px sans-serif, a little generous)."""
MAX_LINES = 4
"""Lines of a title shown in its box; a longer title ends with "…" (the table has it whole)."""
PAD = 7
V_GAP = 30
"""Space between two boxes of a column: a corridor for arrows that cross the column."""
HEADER = 44
"""Height of the column headings above the boxes."""
SWEEPS = 6


@dataclass(frozen=True)
class Box:
    """An element's box: top-left corner, size and the lines of its title."""

    element_id: str
    column: int
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]
    place: bool

    @property
    def right(self) -> float:
        """The x of the box's right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> float:
        """The y of the box's bottom edge."""
        return self.y + self.height


def title_lines(title: str) -> tuple[str, ...]:
    """The title wrapped to the box; at most MAX_LINES, the last ending in "…" if cut."""
    lines = textwrap.wrap(title, CHARS_PER_LINE, break_long_words=True) or [title]
    if len(lines) <= MAX_LINES:
        return tuple(lines)
    last = lines[MAX_LINES - 1]
    cut = last[: CHARS_PER_LINE - 1].rstrip()
    return (*lines[: MAX_LINES - 1], f"{cut}…")


def box_height(element: Element) -> float:
    """The height an element's box needs for its title (and, for a result, its place)."""
    lines = len(title_lines(element.title))
    place = LINE if element.step is not None or element.level is not None else 0
    return 2 * PAD + lines * LINE + place


# Order within the columns ---------------------------------------------------------------------


def column_order(model: LogicModel) -> tuple[tuple[str, ...], ...]:
    """The element ids of each column, top to bottom, ordered to reduce crossing arrows."""
    order = [[e.id for e in model.column(column)] for column in COLUMNS]
    neighbours: dict[str, list[str]] = {e.id: [] for e in model.elements}
    for arrow in model.arrows:
        if arrow.source != arrow.target:
            neighbours[arrow.source].append(arrow.target)
            neighbours[arrow.target].append(arrow.source)
    column_of = {e.id: e.column_index for e in model.elements}
    best = [list(ids) for ids in order]
    fewest = crossings_between_columns(model, best)
    for sweep in range(SWEEPS):
        columns = range(1, 4) if sweep % 2 == 0 else range(2, -1, -1)
        for column in columns:
            position = _positions(order)
            fixed = column - 1 if sweep % 2 == 0 else column + 1

            def weight(
                element_id: str,
                col: int = column,
                side: int = fixed,
                position: dict[str, float] = position,
            ) -> float:
                near = [n for n in neighbours[element_id] if column_of[n] == side]
                near = near or [n for n in neighbours[element_id] if column_of[n] != col]
                if not near:
                    return position[element_id]
                return sum(position[n] for n in near) / len(near)

            ranked = order[column]
            order[column] = sorted(ranked, key=lambda e: (weight(e), ranked.index(e)))
        count = crossings_between_columns(model, order)
        if count < fewest:
            best, fewest = [list(ids) for ids in order], count
    return tuple(tuple(ids) for ids in best)


def _positions(order: list[list[str]]) -> dict[str, float]:
    """Each element's place in its column from 0 (top) to 1 (bottom)."""
    return {
        element_id: index / max(1, len(ids) - 1)
        for ids in order
        for index, element_id in enumerate(ids)
    }


def crossings_between_columns(model: LogicModel, order: list[list[str]]) -> int:
    """How many pairs of arrows between neighbouring columns cross (drawn as straight lines)."""
    rank = {element_id: index for ids in order for index, element_id in enumerate(ids)}
    column_of = {e.id: e.column_index for e in model.elements}
    spans: dict[int, list[tuple[int, int]]] = {}
    for arrow in model.arrows:
        left, right = sorted((arrow.source, arrow.target), key=lambda e: column_of[e])
        if column_of[right] - column_of[left] == 1:
            spans.setdefault(column_of[left], []).append((rank[left], rank[right]))
    count = 0
    for pairs in spans.values():
        for index, (a1, b1) in enumerate(pairs):
            for a2, b2 in pairs[index + 1 :]:
                if (a1 - a2) * (b1 - b2) < 0:
                    count += 1
    return count


# Boxes ----------------------------------------------------------------------------------------


def stack_boxes(model: LogicModel, order: tuple[tuple[str, ...], ...]) -> dict[str, Box]:
    """Boxes at x = 0 (the routing moves the columns apart), each column centred vertically."""
    heights = [
        sum(box_height(model.element(e)) for e in ids) + V_GAP * max(0, len(ids) - 1)
        for ids in order
    ]
    tallest = max(heights, default=0)
    boxes: dict[str, Box] = {}
    for column, ids in enumerate(order):
        y = HEADER + V_GAP + (tallest - heights[column]) / 2
        for element_id in ids:
            element = model.element(element_id)
            height = box_height(element)
            boxes[element_id] = Box(
                element_id,
                column,
                0.0,
                round(y, 1),
                BOX_WIDTH,
                height,
                title_lines(element.title),
                element.step is not None or element.level is not None,
            )
            y += height + V_GAP
    return boxes
