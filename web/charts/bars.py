"""Horizontal bar charts: one group per category, one bar per series.

Shares are drawn on a 0–100 % scale (a bar for 27.5 % is 27.5 % of the plot), counts on a
scale from 0 to a round value. Category labels sit above their bars and wrap within the
chart; the grid lines run beside the bars only, never through a label; a missing value is
written as "nicht erhoben", never drawn as 0; with more than one series a legend names them,
and the series differ by fill pattern as well as by colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from web.charts.parts import (
    GRID,
    LINE,
    MUTED,
    PAD,
    PALETTE,
    WIDTH,
    Entry,
    fill,
    finish,
    legend,
    lines,
    not_collected,
    number,
    open_svg,
    text,
    wrap,
)
from web.charts.scale import Scale, places, share_scale, value_scale
from web.i18n import percent_suffix

BAR = 14
GROUP_GAP = 10
PLOT_LEFT = PAD + 14
VALUE_ROOM = 70


@dataclass(frozen=True)
class BarSeries:
    """One series of a grouped bar chart: a label and one value (or None) per category."""

    label: str
    values: tuple[float | None, ...]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[BarSeries],
    *,
    share: bool = True,
    suffix: str | None = None,
) -> Markup:
    """Horizontal bars, one group per category and one bar per series.

    ``share``: the values are percentages, drawn on 0–100 %; otherwise on 0 to a round top
    (whole steps when every value is whole). ``suffix`` follows each value (by default, for
    shares, the percent sign as the reader's language writes it: " %" / "%"; else nothing).
    """
    unit = (percent_suffix() if share else "") if suffix is None else suffix
    values = [v for entry in series for v in entry.values if v is not None]
    length = WIDTH - PLOT_LEFT - VALUE_ROOM
    scale = (
        share_scale(values, PLOT_LEFT, length)
        if share
        else value_scale(
            values, PLOT_LEFT, length, whole=all(float(v).is_integer() for v in values)
        )
    )
    entries = [Entry(entry.label, index) for index, entry in enumerate(series)]
    key, y = legend(chart_id, entries, 4)
    body, bands, bottom = _groups(chart_id, categories, series, scale, unit, y + LINE + 6)
    parts = open_svg(chart_id, title, description, bottom + 4, len(series))
    ticks = _ticks(scale, percent_suffix() if share else unit, y + LINE - 2, bands)
    return finish(parts + key + ticks + body)


def _ticks(scale: Scale, unit: str, y: float, bands: Sequence[tuple[float, float]]) -> list[str]:
    """Tick labels above the plot and a grid line per tick, drawn beside the bars only (one
    path of segments, one per category's ``bands`` of bars), so no label is crossed."""
    decimals = places(scale.step)
    parts = []
    for tick in scale.ticks():
        x = scale.at(tick)
        segments = " ".join(f"M{x} {round(top, 1)}V{round(end, 1)}" for top, end in bands)
        parts.append(
            f'<path d="{segments}" stroke="{GRID}" stroke-width="{1 if tick == 0 else 0.5}"/>'
        )
        parts.append(
            text(x, y, f"{number(tick, decimals)}{unit}", anchor="middle", css="chart-tick")
        )
    return parts


def _groups(
    chart_id: str,
    categories: Sequence[str],
    series: Sequence[BarSeries],
    scale: Scale,
    unit: str,
    y: float,
) -> tuple[list[str], list[tuple[float, float]], float]:
    """Each category: its label (wrapped) and below it one bar per series; the markup, the
    vertical band of each category's bars, and the y below the last."""
    parts: list[str] = []
    bands: list[tuple[float, float]] = []
    zero = scale.at(max(0.0, scale.low))
    for row, category in enumerate(categories):
        label = wrap(category, WIDTH - 2 * PAD)
        parts.append(lines(PAD, y + 12, label))
        y += LINE * len(label)
        top = y
        for index, entry in enumerate(series):
            parts.append(_bar(chart_id, scale, zero, y, category, entry, index, row, unit))
            y += BAR + 3
        bands.append((top - 1, y - 2))
        y += GROUP_GAP
    return parts, bands, y


def _bar(
    chart_id: str,
    scale: Scale,
    zero: float,
    y: float,
    category: str,
    entry: BarSeries,
    index: int,
    row: int,
    unit: str,
) -> str:
    """One bar with its value beside it, or the words for a missing value."""
    value = entry.values[row]
    if value is None:
        return text(
            zero + 4, y + BAR - 3, not_collected(), css="chart-missing", colour=MUTED, italic=True
        )
    left, right = sorted((zero, scale.at(value)))
    shown = f"{number(value)}{unit}"
    return (
        f'<rect x="{left}" y="{y}" width="{round(right - left, 1)}" height="{BAR}" '
        f'fill="{fill(chart_id, index)}" stroke="{PALETTE[index % len(PALETTE)]}">'
        f"<title>{escape(category)}, {escape(entry.label)}: {escape(shown)}</title></rect>"
        + text(max(right, zero) + 4, y + BAR - 3, shown, css="chart-value")
    )
