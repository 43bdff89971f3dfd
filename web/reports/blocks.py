"""The building blocks of the report: texts in the reader's format, tables, charts, drawings.

Every text is final (numbers as "62,5" or "62.5", dates, the themes' texts in the reader's
language); only the charts stay data (:class:`engine.Chart`), drawn as SVG by web/charts for
the page and its PDF alike, each with the same text alternative and numbers as a table. A
plugin's own drawing (:class:`engine.Drawing`) is shown only as rebuilt by web/reports/svg_safe.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from engine.domain.catalogue import Text, Theme
from engine.domain.contributions import Chart, Drawing, Series
from web.i18n import amount as reader_amount
from web.i18n import language, localised, number, short_date, unit_suffix
from web.reports.svg_bands import bands
from web.reports.svg_safe import UnsafeDrawing, sanitised

DASH = "–"

Cell = str | int | float | Text


@dataclass(frozen=True)
class Grid:
    """A table ready to show: column headings and rows of texts.

    ``numeric`` names the columns (by index) that hold numbers only, to align them right.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Picture:
    """A chart, its text alternative and its numbers as a table."""

    id: str
    chart: Chart
    title: str
    description: str
    data: Grid


@dataclass(frozen=True)
class Sketch:
    """A plugin's drawing ready to show: its whitelisted SVG (empty where the markup was
    refused), for print the same in page-high bands where it is too tall for one page (none
    where it fits), its title and text alternative."""

    id: str
    svg: Markup
    title: str
    description: str
    bands: tuple[Markup, ...] = ()


def sketch(drawing: Drawing, sketch_id: str) -> Sketch:
    """A plugin's drawing in the reader's language, its markup rebuilt from the whitelist."""
    try:
        safe = sanitised(drawing.svg_for(language()))
    except UnsafeDrawing:
        safe = ""
    strips = bands(safe) if safe else []
    return Sketch(
        sketch_id,
        Markup(safe),  # rebuilt from the whitelist
        localised(drawing.title),
        localised(drawing.description),
        tuple(Markup(strip) for strip in strips) if len(strips) > 1 else (),
    )


# Texts in the reader's format -----------------------------------------------------------------


def amount(value: float | int | None, unit: str) -> str:
    """A number with its unit as the reader writes it ("3 Anzahl", "12,5 %" / "12.5%")."""
    return DASH if value is None else reader_amount(value, unit)


def figure_text(value: Cell | None, unit: str | Text | None) -> str:
    """A key figure's value with its unit, as the reader writes it ("50 %" / "50%", "7 von 8")."""
    if isinstance(unit, Text):
        return f"{shown(value)} {shown(unit)}".strip()
    return f"{shown(value)}{unit_suffix(unit)}"


def day(value: date | str | None) -> str:
    """A date as the reader expects it; a dash for none."""
    return short_date(value) or DASH


def shown(value: Cell | None) -> str:
    """A plugin's figure value, unit or table cell as text in the reader's language."""
    if value is None:
        return DASH
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    if isinstance(value, Text):
        return localised(value)
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def grid(columns: Sequence[Cell], rows: Sequence[Sequence[Cell | None]]) -> Grid:
    """A table of texts from cells; columns that hold numbers only are marked numeric."""
    numeric = frozenset(
        index
        for index in range(len(columns))
        if rows
        and all(index < len(row) and (row[index] is None or _is_number(row[index])) for row in rows)
        and any(_is_number(row[index]) for row in rows)
    )
    return Grid(
        tuple(shown(column) for column in columns),
        tuple(tuple(shown(cell) for cell in row) for row in rows),
        numeric,
    )


def theme_title(themes: Mapping[str, Theme], theme_id: str | None) -> str:
    """A theme's title in the reader's language; its id when not installed; '' for none."""
    if not theme_id:
        return ""
    theme = themes.get(theme_id)
    return localised(theme.title) if theme else theme_id


# Charts -------------------------------------------------------------------------------------


def picture(chart: Chart, chart_id: str) -> Picture:
    """A chart with its text alternative and its numbers as a table."""
    description = localised(chart.description) if chart.description else chart_summary(chart)
    data = grid(
        (chart.title, *(series.label for series in chart.series)),
        [
            (category, *(series.values[index] for series in chart.series))
            for index, category in enumerate(chart.categories)
        ],
    )
    return Picture(chart_id, chart, localised(chart.title), description, data)


def chart_summary(chart: Chart) -> str:
    """A text alternative listing each category's values (for charts without a description)."""
    rows = []
    for index, category in enumerate(chart.categories):
        values = ", ".join(
            f"{localised(series.label)} {number(series.values[index])}" for series in chart.series
        )
        rows.append(f"{localised(category)}: {values}")
    return "; ".join(rows)


def _same(text: str) -> Text:
    """A text already in the reader's language, as the chart data type wants it."""
    return Text(text or DASH, text or DASH)


def indicator_chart(goal: Mapping[str, Any], values: Sequence[Mapping[str, Any]]) -> Chart:
    """A goal's baseline, measured values and target as bars."""
    unit = str(goal.get("unit") or "")
    categories: list[Text] = []
    numbers: list[float | None] = []
    if goal.get("baseline") is not None:
        categories.append(_same(_("Ausgangswert")))
        numbers.append(float(goal["baseline"]))
    for value in values:
        categories.append(_same(day(value["measured_on"])))
        numbers.append(float(value["value"]))
    if goal.get("target") is not None:
        categories.append(_same(_("Zielwert")))
        numbers.append(float(goal["target"]))
    label = unit or _("Wert")
    description = _(
        "Balkendiagramm des Indikators „%(indicator)s“: %(values)s.",
        indicator=goal.get("indicator") or goal.get("title") or "",
        values="; ".join(
            f"{localised(category)}: {amount(value, unit)}"
            for category, value in zip(categories, numbers, strict=True)
        ),
    )
    return Chart(
        kind="bar",
        title=_same(str(goal.get("title") or "")),
        categories=tuple(categories),
        series=(Series(_same(label), tuple(numbers)),),
        description=_same(description),
    )
