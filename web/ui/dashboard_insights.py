"""The dashboard's part on the themes' insight figures over the years (from the read models).

Each theme's figures of its closed cycles as one table (a row per figure, a column per
cycle), and, per insight with shares among its figures (the parents' surveys: satisfied
parents, parents who felt listened to, answers on paper), a bar chart of those shares per
cycle with the same numbers as a table. A figure a cycle does not have (no survey that year,
or one with fewer than five answers) is "nicht erhoben", never 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

from web.i18n import localised, percent
from web.ui.dashboard_charts import BarSeries, bar_chart, number
from web.ui.dashboard_charts import not_collected as missing


def insight_cycles(series: Sequence[Mapping[str, Any]]) -> list[tuple[int, str]]:
    """The closed cycles the theme's figures span, as (year, cycle id), oldest first."""
    return sorted({(p["year"], p["cycle_id"]) for entry in series for p in entry["points"]})


def insight_table(
    series: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """The theme's insight figures over the closed cycles: a row per figure, a column per cycle."""
    if not series:
        return None
    cycles = insight_cycles(series)
    rows = []
    for entry in series:
        values = {point["cycle_id"]: point["value"] for point in entry["points"]}
        unit = localised(entry["unit"])
        rows.append(
            {
                "insight": localised(entry["insight"]),
                "label": localised(entry["label"]),
                "values": [
                    quantity(values[cycle_id], unit) if cycle_id in values else missing()
                    for _, cycle_id in cycles
                ],
            }
        )
    return {"columns": [labels.get(c, str(year)) for year, c in cycles], "rows": rows}


def share_charts(
    theme_id: str, series: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Per insight with shares among its figures: a bar chart of them per cycle (oldest first)
    and the same numbers as rows (a figure) and columns (a cycle)."""
    cycles = insight_cycles(series)
    columns = [labels.get(cycle_id, str(year)) for year, cycle_id in cycles]
    insights: dict[str, list[Mapping[str, Any]]] = {}
    for entry in series:
        if localised(entry["unit"]).strip() == "%":
            insights.setdefault(entry["insight_id"], []).append(entry)
    charts = []
    for insight_id, shares in insights.items():
        title = localised(shares[-1]["insight"])
        chart_id = f"shares-{theme_id}-{insight_id}"
        chart_title = _("%(insight)s: Anteile über die Jahre", insight=title)
        bars = [  # the chart's categories are the cycles: a bar per share in each
            BarSeries(localised(entry["label"]), tuple(_per_cycle(entry, cycles)))
            for entry in shares
        ]
        charts.append(
            {
                "id": chart_id,
                "title": chart_title,
                "chart": bar_chart(
                    chart_id, chart_title, share_description(title, columns, bars), columns, bars
                ),
                "columns": columns,
                "rows": [
                    {"label": bar.label, "values": [_shown(v) for v in bar.values]} for bar in bars
                ],
            }
        )
    return charts


def _per_cycle(entry: Mapping[str, Any], cycles: Sequence[tuple[int, str]]) -> list[float | None]:
    values = {point["cycle_id"]: point["value"] for point in entry["points"]}
    return [values.get(cycle_id) for _, cycle_id in cycles]


def share_description(title: str, columns: Sequence[str], shares: Sequence[BarSeries]) -> str:
    """The chart's text alternative: per cycle each share, or "nicht erhoben" for none."""
    parts = []
    for index, column in enumerate(columns):
        found = [(share.label, share.values[index]) for share in shares]
        if all(value is None for _, value in found):
            parts.append(f"{column}: {missing()}")
        else:
            shown = ", ".join(f"{label} {_shown(value)}" for label, value in found)
            parts.append(f"{column}: {shown}")
    return str(
        _(
            "%(insight)s in Prozent je Zyklus, der älteste zuerst: %(values)s.",
            insight=title,
            values="; ".join(parts),
        )
    )


def _shown(value: float | None) -> str:
    return missing() if value is None else percent(value)


def quantity(value: float | None, unit: str) -> str:
    """A figure's value with its unit; a percentage as the language writes it ("40 %", "40%")."""
    if unit == "%":
        return percent(value)
    return f"{number(value)}{' ' + unit if unit else ''}"
