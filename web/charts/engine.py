"""A chart that a theme hands back (:class:`engine.Chart`) drawn by the chart module.

Its series are shares when their label says so ("Fortschritt in %"): then the bars run on
0–100 %; otherwise (counts) on 0 to a round top. Missing values stay missing.
"""

from __future__ import annotations

from markupsafe import Markup

from engine.domain.contributions import Chart
from web.charts.bars import BarSeries, bar_chart
from web.i18n import localised
from web.i18n import number as reader_number


def is_share(chart: Chart) -> bool:
    """Whether the chart shows percentages (a series labelled "… in %" or "Prozent")."""
    words = " ".join(f"{s.label.de} {s.label.en}" for s in chart.series).casefold()
    return "%" in words or "prozent" in words or "percent" in words


def svg(chart: Chart, chart_id: str) -> Markup:
    """The chart as accessible SVG markup (title, description, legend, bars and values)."""
    return bar_chart(
        chart_id,
        localised(chart.title),
        localised(chart.description) if chart.description else summary(chart),
        [localised(category) for category in chart.categories],
        [BarSeries(localised(s.label), s.values) for s in chart.series],
        share=is_share(chart),
        suffix="",  # the series' label names the unit
    )


def summary(chart: Chart) -> str:
    """A text alternative listing each category's values (for charts without a description)."""
    rows = []
    for index, category in enumerate(chart.categories):
        values = ", ".join(
            f"{localised(series.label)} {reader_number(series.values[index])}"
            for series in chart.series
        )
        rows.append(f"{localised(category)}: {values}")
    return "; ".join(rows)
