"""Server-rendered SVG charts with a text alternative (no JavaScript, no external library).

A chart is drawn as horizontal bars (one group per category, one bar per series) or as a
line; the SVG carries role="img" and a title and description, and every page shows the same
numbers as a table beside it.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from engine.domain.contributions import Chart
from web.i18n import localised
from web.i18n import number as reader_number

ROW = 26
LABEL_WIDTH = 220
BAR_WIDTH = 300
PALETTE = ("#1f5f99", "#b35900", "#2e7d32", "#6a1b9a")


def svg(chart: Chart, chart_id: str) -> Markup:
    """The chart as accessible SVG markup (title, description, bars with their values)."""
    values = [v for series in chart.series for v in series.values if v is not None]
    top = max(values, default=0) or 1
    bars_per_row = max(len(chart.series), 1)
    height = ROW * len(chart.categories) * bars_per_row + ROW
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" '
        f'viewBox="0 0 {LABEL_WIDTH + BAR_WIDTH + 80} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-t">{escape(localised(chart.title))}</title>',
        f'<desc id="{chart_id}-d">{escape(localised(chart.description) or _summary(chart))}</desc>',
    ]
    y = ROW // 2
    for index, category in enumerate(chart.categories):
        parts.append(
            f'<text x="0" y="{y + 14}" class="chart-label">{escape(localised(category))}</text>'
        )
        for number, series in enumerate(chart.series):
            value = series.values[index]
            width = 0 if value is None else round(BAR_WIDTH * value / top)
            colour = PALETTE[number % len(PALETTE)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width}" height="{ROW - 8}" '
                f'fill="{colour}"><title>{escape(localised(series.label))}: '
                f"{reader_number(value)}</title></rect>"
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 14}" class="chart-value">'
                f"{reader_number(value)}</text>"
            )
            y += ROW
    parts.append("</svg>")
    return Markup("".join(parts))  # every text above is escaped


def _summary(chart: Chart) -> str:
    rows = []
    for index, category in enumerate(chart.categories):
        values = ", ".join(
            f"{localised(series.label)} {reader_number(series.values[index])}"
            for series in chart.series
        )
        rows.append(f"{localised(category)}: {values}")
    return "; ".join(rows)
