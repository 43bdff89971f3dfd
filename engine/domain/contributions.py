"""What plugins hand back besides catalogues: insights, report sections, field problems.

Plain frozen data, never HTML: the web layer renders it (as text, tables and SVG charts), so a
plugin cannot inject markup into a page or a report. The one picture a plugin draws itself, a
:class:`Drawing`, is SVG that the web layer rebuilds from a strict whitelist before showing it.

Every reader sees a page in German or English, so anything in words is a :class:`Text` (German
and English). Figure values and units and table cells may also be language-neutral: a number
(an ``int`` or ``float``, which the page shows in the reader's number format: 62.5 as "62,5" or
"62.5", 3.0 as "3") or a plain ``str`` that reads the same in both languages (a name, a
document's title, a dash, "+2", "03/2019", an ISO date). A ``str`` is shown exactly as given:
never put German words, a German date ("14.03.2019") or a decimal comma into one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.domain.catalogue import Text, check_id


@dataclass(frozen=True)
class Figure:
    """One key figure: its key, label, value and unit ("7 von 8"); words as Text.

    ``value`` is a number where there is one (``5``, ``62.5``), a :class:`Text` where it is
    wording or formatted by language (``Text("+2,5", "+2.5")``, ``Text("keine", "none")``),
    else a language-neutral ``str`` ("–", "+2"). ``unit`` is a neutral ``str`` ("%", "") or a
    :class:`Text` (``Text("von 8", "of 8")``, ``Text("Prozentpunkte", "percentage points")``).
    ``note`` adds a short remark in small print ("seit 03/2019").

    ``key`` names the figure for good (a lower-case slug, ``"mean-progress"``): the dashboard
    joins an insight's figures across the years by it, so one figure keeps its key in every
    cycle, and two figures of one insight never share one. Give it by keyword; every new
    figure should have one. A figure without a key is keyed by its German label (deprecated:
    a reworded label then starts a new row over the years).
    """

    label: Text
    value: float | str | Text
    unit: str | Text = ""
    note: Text | None = None
    key: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        if self.key:
            check_id("figure", self.key)
        else:  # figures from before keys: keyed by their German label
            object.__setattr__(self, "key", self.label.de)


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
    """A small table: column headings and rows of cells; names as str, words as Text.

    Each cell is a number (``3``, ``62.5``), a :class:`Text` for anything in words (a
    criterion's title, a level's label, a status, ``Text("7 von 8", "7 of 8")``, a value
    with a German date or decimal comma), or a ``str`` that reads the same in every language:
    a name or title people entered (a goal, a measure, a document), a dash, "03/2019".
    """

    columns: tuple[Text, ...]
    rows: tuple[tuple[str | float | Text, ...], ...]


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
        keys = [figure.key for figure in self.figures]
        if len(set(keys)) != len(keys):
            repeated = sorted({key for key in keys if keys.count(key) > 1})
            msg = f"insight {self.id!r}: figure keys must differ, {repeated} repeat"
            raise ValueError(msg)


@dataclass(frozen=True)
class Drawing:
    """A picture the plugin draws itself, as SVG, with its title and its text alternative.

    For what a :class:`Chart` cannot show (a diagram of boxes and arrows, a map). ``svg`` is
    one ``<svg>`` element in the SVG namespace with a ``viewBox``, the same for both languages
    (a ``str``) or a :class:`Text` with the German and the English drawing. Escape every text
    people entered. The report keeps only a strict whitelist (web/reports/svg_safe.py): the
    elements ``svg g rect path line polyline polygon circle ellipse text tspan title desc defs
    marker``, geometry and presentation attributes, and references only as local ``url(#id)``;
    scripts, styles, links, images, ``foreignObject`` and event handlers are left out, and
    markup with a document type declaration is refused (the section then shows the
    description alone). ``description`` says in words what the drawing shows; it is printed
    under the drawing, so every reader gets it. The PDF prints it on an A4 landscape page, a
    drawing taller than that in page-wide bands; its time grows with the drawing's elements and
    words, so draw with few elements and tell the rest in paragraphs or tables.
    """

    svg: str | Text
    title: Text
    description: Text

    def __post_init__(self) -> None:
        if not isinstance(self.svg, str | Text):
            msg = "a drawing's svg is a str or a Text (German and English markup)"
            raise TypeError(msg)
        if not isinstance(self.title, Text) or not isinstance(self.description, Text):
            msg = "a drawing's title and description are Text"
            raise TypeError(msg)

    def svg_for(self, language: str) -> str:
        """The drawing's markup for a reader of ``language``."""
        return self.svg.get(language) if isinstance(self.svg, Text) else self.svg


@dataclass(frozen=True)
class ReportSection:
    """A theme's section of the cycle report (Qualitätsbericht).

    The report shows, in this order: paragraphs, figures, charts, drawings, tables.
    """

    theme_id: str
    title: Text
    paragraphs: tuple[Text, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = field(default_factory=tuple)
    drawings: tuple[Drawing, ...] = ()


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
