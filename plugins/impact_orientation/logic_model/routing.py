"""Routes of the arrows: orthogonal lines through the gaps between the columns.

Every arrow leaves its source box at a side and enters its target at a side; its vertical
lines run in the channels between the columns (and in the margins), its horizontal lines either
stay inside one channel or cross columns in a corridor that no box of those columns occupies
(between two boxes, above or below them). So no line passes through a box:

- forward (to a column further right): out on the right, in on the left;
- inside one column: out on the right, back in on the right;
- backward (to a column further left): out on the left, in on the right.

Each channel is as wide as the lines that run in it need (tracks, one per line where they
overlap); ports share a box's side in the order of the boxes they lead to.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from plugins.impact_orientation.logic_model.layout import (
    BOX_WIDTH,
    HEADER,
    V_GAP,
    Box,
    column_order,
    stack_boxes,
)
from plugins.impact_orientation.logic_model.model import Arrow, LogicModel

TRACK = 8
"""Distance between two lines running side by side in a channel."""
CHANNEL = 56
"""Least width of a channel between two columns."""
MARGIN = 14
"""Least width of the margins left and right (channels 0 and 4)."""
CLEARANCE = 4
"""Least distance of a corridor line from a box."""
SPACING = 6
"""Least distance between two corridor lines that overlap."""

Point = tuple[float, float]


@dataclass(frozen=True)
class Route:
    """An arrow's line from its source's side to its target's side, and where its number sits."""

    arrow_id: str
    points: tuple[Point, ...]
    marker: Point
    backward: bool


@dataclass(frozen=True)
class Layout:
    """The drawing's size, its boxes (by element id), the arrows' routes and the columns' x."""

    width: float
    height: float
    boxes: dict[str, Box]
    routes: tuple[Route, ...]
    column_x: tuple[float, ...]


@dataclass
class _Plan:
    """An arrow's route before the channels have their x: sides, channels, heights."""

    arrow: Arrow
    exit_right: bool
    entry_left: bool
    channels: tuple[int, ...]
    corridor: tuple[int, ...]
    y_exit: float = 0.0
    y_entry: float = 0.0
    y_corridor: float | None = None
    tracks: list[int] = field(default_factory=list)


def lay_out(model: LogicModel) -> Layout:
    """The complete layout of ``model``: boxes in their columns and every arrow's route."""
    boxes = stack_boxes(model, column_order(model))
    plans = [_plan(arrow, boxes) for arrow in model.arrows]
    _place_ports(plans, boxes)
    used: list[tuple[float, int, int]] = []
    for plan in plans:
        if plan.corridor:
            plan.y_corridor = _corridor_y(plan, boxes, used)
    counts = _assign_tracks(plans)
    widths = [
        max(MARGIN if ch in (0, 4) else CHANNEL, (n + 1) * TRACK) for ch, n in enumerate(counts)
    ]
    starts = [0.0] * 5
    column_x = []
    for column in range(4):
        column_x.append(starts[column] + widths[column])
        starts[column + 1] = column_x[column] + BOX_WIDTH
    placed = {key: replace(box, x=column_x[box.column]) for key, box in boxes.items()}

    def track_x(channel: int, track: int) -> float:
        return round(starts[channel] + widths[channel] * (track + 1) / (counts[channel] + 1), 1)

    routes = tuple(_route(plan, placed, track_x) for plan in plans)
    bottom = max(
        [box.bottom for box in placed.values()]
        + [plan.y_corridor for plan in plans if plan.y_corridor is not None],
        default=HEADER,
    )
    return Layout(starts[4] + widths[4], bottom + V_GAP, placed, routes, tuple(column_x))


def _plan(arrow: Arrow, boxes: dict[str, Box]) -> _Plan:
    source, target = boxes[arrow.source].column, boxes[arrow.target].column
    if target > source:
        return _Plan(
            arrow, True, True, _channels(source + 1, target), tuple(range(source + 1, target))
        )
    if target == source:
        return _Plan(arrow, True, False, (source + 1,), ())
    return _Plan(
        arrow, False, False, _channels(source, target + 1), tuple(range(target + 1, source))
    )


def _channels(first: int, second: int) -> tuple[int, ...]:
    return (first,) if first == second else (first, second)


def _place_ports(plans: list[_Plan], boxes: dict[str, Box]) -> None:
    """Spread the ends on each side of a box, ordered by the height of the other end."""
    sides: dict[tuple[str, bool], list[tuple[float, int, bool]]] = {}
    for index, plan in enumerate(plans):
        target, source = boxes[plan.arrow.target], boxes[plan.arrow.source]
        sides.setdefault((plan.arrow.source, plan.exit_right), []).append(
            (target.y + target.height / 2, index, True)
        )
        sides.setdefault((plan.arrow.target, not plan.entry_left), []).append(
            (source.y + source.height / 2, index, False)
        )
    for (element_id, _right), ends in sides.items():
        box = boxes[element_id]
        for rank, (_other, index, leaving) in enumerate(sorted(ends)):
            y = round(box.y + box.height * (rank + 1) / (len(ends) + 1), 1)
            if leaving:
                plans[index].y_exit = y
            else:
                plans[index].y_entry = y


def free_intervals(boxes: dict[str, Box], columns: tuple[int, ...]) -> list[tuple[float, float]]:
    """Heights where a line can cross all of ``columns`` without touching a box; the last one
    is open below (its upper end is infinity)."""
    taken = sorted(
        (box.y - CLEARANCE, box.bottom + CLEARANCE)
        for box in boxes.values()
        if box.column in columns
    )
    intervals, low = [], float(HEADER)
    for top, bottom in taken:
        if top > low:
            intervals.append((low, top))
        low = max(low, bottom)
    intervals.append((low, math.inf))
    return intervals


def _corridor_y(plan: _Plan, boxes: dict[str, Box], used: list[tuple[float, int, int]]) -> float:
    """The free height nearest to the middle of the arrow's ends, clear of other corridor lines."""
    wanted = (plan.y_exit + plan.y_entry) / 2
    span = (min(plan.channels), max(plan.channels))

    def clear(y: float) -> bool:
        return all(
            abs(y - other) >= SPACING or low > span[1] or high < span[0]
            for other, low, high in used
        )

    best: float | None = None
    for low, high in free_intervals(boxes, plan.corridor):
        for y in _candidates(low, high, wanted):
            if clear(y):
                if best is None or abs(y - wanted) < abs(best - wanted):
                    best = y
                break
    assert best is not None  # the open interval below always has room
    used.append((best, *span))
    return best


def _candidates(low: float, high: float, wanted: float) -> list[float]:
    """Heights in an interval, nearest to ``wanted`` first (open below: downwards from its top)."""
    if math.isinf(high):
        start = max(low + SPACING, wanted)
        return [round(start + SPACING * k, 1) for k in range(1000)]
    if high - low < 2 * CLEARANCE:
        return []
    middle = min(max(wanted, low + CLEARANCE), high - CLEARANCE)
    steps = int((high - low) // SPACING) + 1
    found = [middle + SPACING * k * sign for k in range(steps) for sign in (1, -1)]
    return sorted(
        {round(y, 1) for y in found if low + CLEARANCE / 2 <= y <= high - CLEARANCE / 2},
        key=lambda y: (abs(y - wanted), y),
    )


def _assign_tracks(plans: list[_Plan]) -> list[int]:
    """Give each vertical line a track in its channel, so that lines that overlap lie apart."""
    spans: dict[int, list[tuple[float, float, int, int]]] = {ch: [] for ch in range(5)}
    for index, plan in enumerate(plans):
        heights = [plan.y_exit]
        if plan.y_corridor is not None:
            heights.append(plan.y_corridor)
        heights.append(plan.y_entry)
        plan.tracks = [0] * len(plan.channels)
        for leg, channel in enumerate(plan.channels):
            low, high = sorted((heights[leg], heights[leg + 1]))
            spans[channel].append((low, high, index, leg))
    counts = []
    for channel in range(5):
        ends: list[float] = []
        for low, high, index, leg in sorted(spans[channel]):
            track = next((t for t, end in enumerate(ends) if end + SPACING <= low), len(ends))
            if track == len(ends):
                ends.append(high)
            else:
                ends[track] = high
            plans[index].tracks[leg] = track
        counts.append(len(ends))
    return counts


def _route(plan: _Plan, boxes: dict[str, Box], x_of: Callable[[int, int], float]) -> Route:
    source, target = boxes[plan.arrow.source], boxes[plan.arrow.target]
    points: list[Point] = [(source.right if plan.exit_right else source.x, plan.y_exit)]
    x1 = x_of(plan.channels[0], plan.tracks[0])
    points.append((x1, plan.y_exit))
    if plan.y_corridor is not None and len(plan.channels) == 2:
        x2 = x_of(plan.channels[1], plan.tracks[1])
        points += [(x1, plan.y_corridor), (x2, plan.y_corridor), (x2, plan.y_entry)]
    else:
        points.append((x1, plan.y_entry))
    points.append((target.x if plan.entry_left else target.right, plan.y_entry))
    simple = _simplify(points)
    return Route(plan.arrow.id, simple, _marker(simple), not plan.entry_left)


def _simplify(points: list[Point]) -> tuple[Point, ...]:
    """Drop repeated points and points in the middle of a straight run."""
    kept: list[Point] = []
    for point in points:
        if kept and kept[-1] == point:
            continue
        if len(kept) >= 2 and _collinear(kept[-2], kept[-1], point):
            kept[-1] = point
        else:
            kept.append(point)
    return tuple(kept)


def _collinear(a: Point, b: Point, c: Point) -> bool:
    return (a[0] == b[0] == c[0]) or (a[1] == b[1] == c[1])


def _marker(points: tuple[Point, ...]) -> Point:
    """The middle of the route's longest line, where the assumption's number goes."""
    legs = list(itertools.pairwise(points)) or [(points[0], points[0])]
    (x1, y1), (x2, y2) = max(legs, key=lambda leg: _length(*leg))
    return round((x1 + x2) / 2, 1), round((y1 + y2) / 2, 1)


def _length(a: Point, b: Point) -> float:
    return abs(b[0] - a[0]) + abs(b[1] - a[1])


def box_crossings(layout: Layout) -> int:
    """How many times a route's line passes through the inside of a box (0 is the aim)."""
    count = 0
    for route in layout.routes:
        for (x1, y1), (x2, y2) in itertools.pairwise(route.points):
            for box in layout.boxes.values():
                inside_x = min(x1, x2) < box.right - 0.5 and max(x1, x2) > box.x + 0.5
                inside_y = min(y1, y2) < box.bottom - 0.5 and max(y1, y2) > box.y + 0.5
                count += inside_x and inside_y
    return count
