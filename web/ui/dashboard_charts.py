"""The charts of the dashboard and the state view, from the one chart module (web.charts)."""

from __future__ import annotations

from web.charts import BarSeries, Reference, Spread, bar_chart, line_chart, number, spread_chart

__all__ = [
    "BarSeries",
    "Reference",
    "Spread",
    "bar_chart",
    "line_chart",
    "number",
    "spread_chart",
]
