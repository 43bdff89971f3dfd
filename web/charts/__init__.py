"""The chart module of pages and report: server-rendered, accessible SVG, no JavaScript.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>``;
every page shows the same numbers as a table beside it. Shares run on 0–100 %, ticks are
round, a legend names the series wherever there is more than one, labels wrap inside the
chart, missing values are written as "nicht erhoben" (never drawn as 0), and years sit on a
true time axis. (pygal was considered: it draws tooltips with JavaScript and gives the SVG
no role or description hook, so the charts stay our own.)
"""

from __future__ import annotations

from web.charts.bars import BarSeries, bar_chart
from web.charts.engine import svg
from web.charts.lines import Reference, Spread, line_chart, spread_chart
from web.charts.parts import PALETTE, number

__all__ = [
    "PALETTE",
    "BarSeries",
    "Reference",
    "Spread",
    "bar_chart",
    "line_chart",
    "number",
    "spread_chart",
    "svg",
]
