"""The charts of the dashboard and the state view, from the one chart module (web.charts)."""

from __future__ import annotations

from web.charts import BarSeries, Reference, Spread, bar_chart, line_chart, number, spread_chart
from web.charts.parts import not_collected

__all__ = [
    "BarSeries",
    "Reference",
    "Spread",
    "bar_chart",
    "line_chart",
    "not_collected",
    "number",
    "spread_chart",
]
