"""What plugins hand back besides catalogues: insights, report sections, field problems.

Plain frozen data, never HTML: the web layer renders it (as text, tables and SVG charts), so a
plugin cannot inject markup into a page or a report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.catalogue import Text, check_id


@dataclass(frozen=True)
class Figure:
    """One key figure: a label, a value and its unit ("62 %", "seit 2019")."""

    label: Text
    value: float | str
    unit: str = ""
    note: Text | None = None


@dataclass(frozen=True)
class Series:
    """One data series of a chart (one value per category; None where there is none)."""

    label: Text
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A simple chart: bars or lines over named categories, with a text alternative."""

    kind: Literal["bar", "line"]
    title: Text
    categories: tuple[Text, ...]
    series: tuple[Series, ...]
    description: Text | None = None

    def __post_init__(self) -> None:
        for series in self.series:
            if len(series.values) != len(self.categories):
                msg = f"chart {self.title.de!r}: each series needs one value per category"
                raise ValueError(msg)


@dataclass(frozen=True)
class Table:
    """A small table: column headings and rows of text."""

    columns: tuple[Text, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Insight:
    """Figures and charts a theme computes from a cycle (and the cycle before it)."""

    theme_id: str
    id: str
    title: Text
    figures: tuple[Figure, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    text: Text | None = None

    def __post_init__(self) -> None:
        check_id("insight", self.id)


@dataclass(frozen=True)
class ReportSection:
    """A theme's section of the cycle report (Qualitätsbericht)."""

    theme_id: str
    title: Text
    paragraphs: tuple[Text, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class FieldProblem:
    """A validation hook's objection to one field of a goal, measure or assessment."""

    field: str
    message: Text


@dataclass(frozen=True)
class Notice:
    """Something went wrong in a plugin; pages show it, naming the plugin."""

    plugin: str
    message: Text
