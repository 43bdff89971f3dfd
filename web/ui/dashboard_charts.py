"""The charts of the dashboard and the state view: server-rendered SVG, no JavaScript.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>``
that states the gist of its numbers; every page shows the same numbers as a table as well.
Three kinds: a line over points with reference lines (an indicator against its target, a
theme's score over the years), horizontal bars grouped by category on a fixed 0–100 scale
(criterion medians of several cycles), and spreads (quartile box, median and mean per year).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from web.i18n import number as reader_number

PALETTE = ("#1f5f99", "#b35900", "#2e7d32", "#6a1b9a")
INK = "#1a1a1a"
GRID = "#8c8c8c"
WIDTH = 600
LEFT = 64
RIGHT = 150
TOP = 16
PLOT_HEIGHT = 180
BOTTOM = 44


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line (a target, a baseline) with its label."""

    label: str
    value: float
    dashes: str = "6 4"


@dataclass(frozen=True)
class BarSeries:
    """One series of a grouped bar chart: a label and one value (or None) per category."""

    label: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Spread:
    """Mean, median and quartiles of one category (e.g. a year)."""

    label: str
    mean: float
    median: float
    q1: float
    q3: float


def number(value: float | None, places: int = 1) -> str:
    """A chart's number, to one decimal unless told otherwise (see :func:`web.i18n.number`)."""
    return reader_number(value, places)


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg" '
        f'id="{chart_id}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]


def _scale(values: Sequence[float], fixed: tuple[float, float] | None) -> tuple[float, float]:
    """The value range of the plot: fixed, or from 0 (or the lowest value) to a bit above."""
    if fixed is not None:
        return fixed
    low = min([0.0, *values])
    high = max([*values, 1.0])
    return low, high + (high - low) * 0.1


def _y(value: float, low: float, high: float) -> float:
    span = (high - low) or 1.0
    return round(TOP + PLOT_HEIGHT * (1 - (value - low) / span), 1)


def _axis(low: float, high: float, suffix: str) -> list[str]:
    """Three grid lines with their values (low, middle, high)."""
    parts = []
    for value in (low, (low + high) / 2, high):
        y = _y(value, low, high)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" '
            'stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" class="chart-label">'
            f"{escape(number(value))}{escape(suffix)}</text>"
        )
    return parts


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[str, float]],
    *,
    references: Sequence[Reference] = (),
    suffix: str = "",
    axis_suffix: str | None = None,
    fixed: tuple[float, float] | None = None,
) -> Markup:
    """A line over labelled points, with horizontal reference lines (target, baseline).

    ``suffix`` follows each value (a unit); the axis shows ``axis_suffix`` (default: the same).
    """
    height = TOP + PLOT_HEIGHT + BOTTOM
    low, high = _scale([v for _, v in points] + [r.value for r in references], fixed)
    axis = suffix if axis_suffix is None else axis_suffix
    parts = _open(chart_id, title, description, height) + _axis(low, high, axis)
    plot = WIDTH - LEFT - RIGHT
    step = plot / max(len(points) - 1, 1)
    every = max(1, -(-len(points) // 6))  # at most about six labels on the x axis
    for number_, reference in enumerate(references):
        y = _y(reference.value, low, high)
        colour = PALETTE[(number_ + 1) % len(PALETTE)]
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{reference.dashes}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4}" class="chart-label">'
            f"{escape(reference.label)} {escape(number(reference.value))}{escape(axis)}</text>"
        )
    coordinates = [
        (round(LEFT + (step * index if len(points) > 1 else plot / 2), 1), _y(v, low, high))
        for index, (_, v) in enumerate(points)
    ]
    if len(coordinates) > 1:
        path = " ".join(f"{x},{y}" for x, y in coordinates)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>'
        )
    for index, ((label, value), (x, y)) in enumerate(zip(points, coordinates, strict=True)):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="4" fill="{PALETTE[0]}"><title>{escape(label)}: '
            f"{escape(number(value))}{escape(suffix)}</title></circle>"
        )
        if index % every == 0 or index == len(points) - 1:
            parts.append(
                f'<text x="{x}" y="{TOP + PLOT_HEIGHT + 18}" text-anchor="middle" '
                f'class="chart-label">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above is escaped


BAR = 14
GROUP_GAP = 10
BAR_LABEL = 230


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    top: float = 100.0,
    suffix: str = " %",
) -> Markup:
    """Horizontal bars, one group per category and one bar per series, on a scale 0 to ``top``."""
    group = BAR * max(len(series), 1) + GROUP_GAP
    legend = 20 * len(series)
    height = legend + group * len(categories) + 10
    width = WIDTH - BAR_LABEL - 60
    parts = _open(chart_id, title, description, height)
    for index, entry in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{BAR_LABEL}" y="{index * 20 + 3}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{BAR_LABEL + 18}" y="{index * 20 + 13}" class="chart-label">'
            f"{escape(entry.label)}</text>"
        )
    y = legend
    for row, category in enumerate(categories):
        parts.append(
            f'<text x="{BAR_LABEL - 6}" y="{y + BAR * len(series) / 2 + 4}" text-anchor="end" '
            f'class="chart-label">{escape(_short(category))}</text>'
        )
        for index, entry in enumerate(series):
            value = entry.values[row]
            length = 0 if value is None else round(width * max(0.0, value) / (top or 1), 1)
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{BAR_LABEL}" y="{y + 1}" width="{length}" height="{BAR - 2}" '
                f'fill="{colour}"><title>{escape(category)}, {escape(entry.label)}: '
                f"{escape(number(value))}{escape(suffix)}</title></rect>"
            )
            parts.append(
                f'<text x="{BAR_LABEL + length + 4}" y="{y + BAR - 3}" class="chart-value">'
                f"{escape(number(value, 0))}</text>"
            )
            y += BAR
        y += GROUP_GAP
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above is escaped


def _short(label: str, length: int = 30) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def spread_chart(
    chart_id: str,
    title: str,
    description: str,
    spreads: Sequence[Spread],
    *,
    top: float = 100.0,
    suffix: str = " %",
) -> Markup:
    """Per category a box from the lower to the upper quartile, the median as a line and the
    mean as a dot, on a vertical scale 0 to ``top``."""
    height = TOP + PLOT_HEIGHT + BOTTOM
    parts = _open(chart_id, title, description, height) + _axis(0.0, top, suffix)
    plot = WIDTH - LEFT - RIGHT
    slot = plot / max(len(spreads), 1)
    box = min(40.0, slot * 0.5)
    for index, spread in enumerate(spreads):
        centre = LEFT + slot * (index + 0.5)
        q1, q3 = _y(spread.q1, 0.0, top), _y(spread.q3, 0.0, top)
        median_y, mean_y = _y(spread.median, 0.0, top), _y(spread.mean, 0.0, top)
        left = round(centre - box / 2, 1)
        parts.append(
            f'<rect x="{left}" y="{q3}" width="{box}" height="{round(max(q1 - q3, 1), 1)}" '
            f'fill="#d6e4f0" stroke="{PALETTE[0]}" stroke-width="1.5"/>'
        )
        parts.append(
            f'<line x1="{left}" x2="{round(left + box, 1)}" y1="{median_y}" y2="{median_y}" '
            f'stroke="{INK}" stroke-width="2.5"/>'
        )
        parts.append(f'<circle cx="{round(centre, 1)}" cy="{mean_y}" r="4" fill="{PALETTE[1]}"/>')
        parts.append(
            f'<text x="{round(centre, 1)}" y="{TOP + PLOT_HEIGHT + 18}" text-anchor="middle" '
            f'class="chart-label">{escape(spread.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above is escaped
