"""Charts over time: a line with reference lines, and spreads (quartile box, median, mean).

The x axis is a true time axis: points sit at their year (or date, as a fraction of its
year), so a missing year leaves a gap, and on yearly charts that gap is labelled
"nicht erhoben" and breaks the line. Values run on round ticks; target and baseline lines
are named in a legend and differ by dash pattern as well as by colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from flask_babel import gettext as _
from markupsafe import Markup

from web.charts.parts import (
    BOX,
    DASHES,
    GRID,
    INK,
    MUTED,
    PALETTE,
    WIDTH,
    Entry,
    finish,
    legend,
    not_collected,
    number,
    open_svg,
    text,
)
from web.charts.scale import Scale, nice_step, places, share_scale, value_scale
from web.i18n import percent_suffix

LEFT = 52
RIGHT = 18
TOP = 12
PLOT_HEIGHT = 170
INSET = 18  # room between the y axis and the first point


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line (a target, a baseline) with its label."""

    label: str
    value: float
    dashes: str = "6 4"


@dataclass(frozen=True)
class Spread:
    """Mean, median and quartiles of one category (a year, as its label)."""

    label: str
    mean: float
    median: float
    q1: float
    q3: float


def time_scale(times: Sequence[float]) -> Scale:
    """The x scale: from the first to the last time, inset from both plot edges."""
    low, high = min(times), max(times)
    if high - low < 1:
        low, high = low - 0.5, high + 0.5
    step = nice_step(high - low, 6, whole=True)
    return Scale(low, high, step, LEFT + INSET, WIDTH - LEFT - RIGHT - 2 * INSET)


def _y_scale(values: Sequence[float], share: bool) -> Scale:
    if share:
        return share_scale(values, TOP, PLOT_HEIGHT, flipped=True)
    return value_scale(values, TOP, PLOT_HEIGHT, flipped=True)


def _y_axis(scale: Scale, unit: str) -> list[str]:
    parts = []
    for tick in scale.ticks():
        y = scale.at(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{GRID}" '
            f'stroke-width="{1 if tick == 0 else 0.5}"/>'
        )
        parts.append(
            text(
                LEFT - 6,
                y + 4,
                f"{number(tick, places(scale.step))}{unit}",
                anchor="end",
                css="chart-tick",
            )
        )
    return parts


def _x_axis(scale: Scale, times: Sequence[float], labels: Sequence[str]) -> list[str]:
    """Whole years as ticks; within a single year, the points' own labels."""
    y = TOP + PLOT_HEIGHT + 18
    if max(times) - min(times) < 1:
        ends = sorted({0, len(times) - 1})
        return [
            text(scale.at(times[i]), y, labels[i], anchor="middle", css="chart-tick") for i in ends
        ]
    first = int(-(-scale.low // scale.step) * scale.step)
    years = range(first, int(scale.high) + 1, int(scale.step))
    return [text(scale.at(year), y, str(year), anchor="middle", css="chart-tick") for year in years]


def _gaps(scale: Scale, times: Sequence[float]) -> list[str]:
    """A label "nicht erhoben" at every whole year between the first and the last without data."""
    present = {int(t) for t in times}
    parts = []
    for year in range(int(min(times)), int(max(times)) + 1):
        if year not in present:
            x = scale.at(year)
            parts.append(
                f'<line x1="{x}" x2="{x}" y1="{TOP}" y2="{TOP + PLOT_HEIGHT}" stroke="{MUTED}" '
                'stroke-dasharray="1 3"/>'
            )
            parts.append(
                f'<text x="{x - 4}" y="{TOP + PLOT_HEIGHT - 6}" transform="rotate(-90 {x - 4} '
                f'{TOP + PLOT_HEIGHT - 6})" fill="{MUTED}" font-style="italic" '
                f'class="chart-missing">{escape(f"{year}: {not_collected()}")}</text>'
            )
    return parts


def _runs(times: Sequence[float], yearly: bool) -> list[list[int]]:
    """Indexes of the points joined by the line: broken where a whole year is missing."""
    runs: list[list[int]] = [[]]
    for index, time in enumerate(times):
        if runs[-1] and yearly and int(time) - int(times[runs[-1][-1]]) > 1:
            runs.append([])
        runs[-1].append(index)
    return runs


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[str, float]],
    *,
    at: Sequence[float],
    yearly: bool = False,
    label: str = "",
    references: Sequence[Reference] = (),
    suffix: str = "",
    axis_suffix: str | None = None,
    share: bool = False,
) -> Markup:
    """A line over labelled points placed at their times ``at`` (years, or dates as
    fractional years), with reference lines (target, baseline) named in a legend.

    ``yearly``: whole years without a point are labelled as not collected and break the
    line. ``share``: the values are percentages on 0–100 %. ``suffix`` follows each value.
    """
    unit = suffix if axis_suffix is None else axis_suffix
    ys = _y_scale([v for _, v in points] + [r.value for r in references], share)
    xs = time_scale(at)
    parts = _y_axis(ys, unit) + _x_axis(xs, at, [name for name, _ in points])
    if yearly:
        parts += _gaps(xs, at)
    entries = [Entry(label or title, 0, "line")]
    for index, reference in enumerate(references, start=1):
        y = ys.at(reference.value)
        dash = DASHES[index % len(DASHES)]
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}" stroke="{PALETTE[index]}" '
            f'stroke-width="2" stroke-dasharray="{dash}"/>'
        )
        entries.append(Entry(f"{reference.label} {number(reference.value)}{unit}", index, "line"))
    coordinates = [(xs.at(t), ys.at(v)) for t, (_, v) in zip(at, points, strict=True)]
    for run in _runs(at, yearly):
        if len(run) > 1:
            path = " ".join(f"{coordinates[i][0]},{coordinates[i][1]}" for i in run)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>'
            )
    for (name, value), (x, y) in zip(points, coordinates, strict=True):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="4" fill="{PALETTE[0]}"><title>{escape(name)}: '
            f"{escape(number(value))}{escape(suffix)}</title></circle>"
        )
    key, bottom = legend(chart_id, entries if references else [], TOP + PLOT_HEIGHT + 30)
    return _close(chart_id, title, description, parts + key, bottom)


def _close(chart_id: str, title: str, description: str, parts: list[str], bottom: float) -> Markup:
    height = max(bottom, TOP + PLOT_HEIGHT + 28)
    return finish([*open_svg(chart_id, title, description, height), *parts])


def spread_chart(
    chart_id: str,
    title: str,
    description: str,
    spreads: Sequence[Spread],
    *,
    suffix: str | None = None,
) -> Markup:
    """Per year a box from the lower to the upper quartile, the median as a line and the mean
    as a dot, on 0–100 %, years on a time axis (labels that are no year: one after another)."""
    years = [float(s.label) if s.label.isdigit() else float(i) for i, s in enumerate(spreads)]
    yearly = all(s.label.isdigit() for s in spreads)
    ys = _y_scale([v for s in spreads for v in (s.q1, s.q3, s.mean, s.median)], True)
    xs = time_scale(years or [0.0])
    suffix = percent_suffix() if suffix is None else suffix
    parts = _y_axis(ys, suffix)
    if yearly and spreads:
        parts += _x_axis(xs, years, [s.label for s in spreads]) + _gaps(xs, years)
    slot = (xs.length + 2 * INSET) / max(xs.high - xs.low + 1, 1)
    box = min(36.0, slot * 0.5)
    for spread, time in zip(spreads, years, strict=True):
        parts += _spread(spread, xs.at(time), box, ys, suffix, labelled=not yearly)
    entries = [
        Entry(_("Unteres bis oberes Quartil"), 0, "box"),
        Entry(_("Median"), 0, "median"),
        Entry(_("Mittelwert"), 1, "dot"),
    ]
    key, bottom = legend(chart_id, entries, TOP + PLOT_HEIGHT + 30)
    return _close(chart_id, title, description, parts + key, bottom)


def _spread(
    spread: Spread, centre: float, box: float, ys: Scale, suffix: str, *, labelled: bool
) -> list[str]:
    q1, q3 = ys.at(spread.q1), ys.at(spread.q3)
    median, mean = ys.at(spread.median), ys.at(spread.mean)
    left = round(centre - box / 2, 1)
    summary = f"{spread.label}: {number(spread.median)}{suffix}"
    parts = [
        f'<rect x="{left}" y="{q3}" width="{round(box, 1)}" height="{round(max(q1 - q3, 1), 1)}" '
        f'fill="{BOX}" stroke="{PALETTE[0]}" stroke-width="1.5">'
        f"<title>{escape(summary)}</title></rect>",
        f'<line x1="{left}" x2="{round(left + box, 1)}" y1="{median}" y2="{median}" '
        f'stroke="{INK}" stroke-width="3"/>',
        f'<circle cx="{round(centre, 1)}" cy="{mean}" r="4" fill="{PALETTE[1]}"/>',
    ]
    if labelled:
        parts.append(
            text(centre, TOP + PLOT_HEIGHT + 18, spread.label, anchor="middle", css="chart-tick")
        )
    return parts
