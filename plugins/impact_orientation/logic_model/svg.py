"""The logic model drawn as SVG, server-side, and its text alternative.

The drawing follows the core charts' look (the same ink, greys and blue; a fill pattern
where colour alone would tell things apart) and is made to be printed on A4 landscape:
13 px titles wrapped in their boxes, the column headings on top, arrowheads, and each
assumption as a numbered circle on its arrow, listed under the drawing. It has
``role="img"``, a ``<title>`` and a ``<desc>``; every text people entered is escaped.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from engine import Text
from plugins.impact_orientation.logic_model.layout import FONT, LINE, PAD, SMALL_FONT
from plugins.impact_orientation.logic_model.model import (
    COLUMN_LABELS,
    COLUMNS,
    LogicModel,
    quoted,
)
from plugins.impact_orientation.logic_model.routing import Layout, lay_out

INK = "#1a1a1a"  # web/charts/parts.py
MUTED = "#555555"
GRID = "#b0b0b0"
BOX = "#d6e4f0"
BLUE = "#1f5f99"
RESULT = "#eef4e8"
CHAR = 7.2
HEAD = 8.4
"""An arrowhead's length and width: the marker's 10 units at 7/10 of the 1.2 stroke."""
LEGEND_CHAR = 6.3
"""The mean advance of an 11 px character, for wrapping the assumptions under the drawing."""

DRAWINGS_KEPT = 64
"""Drawings kept per process (a 60-element model's is about 90 kB)."""
ARROW_LABEL = Text("führt zu", "leads to")
ASSUMING = Text("unter der Annahme, dass", "assuming that")
LEADS_NOWHERE = Text("führt zu keinem weiteren Element.", "leads to no other element.")


@lru_cache(maxsize=DRAWINGS_KEPT)
def drawing(
    model: LogicModel, language: str, *, svg_id: str = "wirkmodell", for_print: bool = False
) -> str:
    """The model as one ``<svg>`` element (an empty model gives a drawing of empty columns).

    The same model (equal elements, arrows and setting) is drawn once per language and kept:
    a page asked for again is not laid out again. ``for_print`` leaves out what a printed
    page gains nothing from and a PDF pays for letter by letter and element by element: the
    assumptions under the drawing (the report lists them beside it), the tooltips of boxes
    and arrows and their groups; the arrows' lines, heads and number circles are drawn as one
    path each.
    """
    layout = lay_out(model)
    numbers = model.numbered_assumptions()
    entries = [] if for_print else _legend_entries(model, numbers, language)
    legend = _legend_columns(entries, layout.width)
    height = layout.height + (max(map(len, legend)) * LINE + 2 * LINE if legend else 0)
    title = Text("Wirkmodell des Netzwerks", "The network's logic model").get(language)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" id="{escape(svg_id)}" '
        f'aria-labelledby="{escape(svg_id)}-t {escape(svg_id)}-d" class="chart logic-model" '
        f'viewBox="0 0 {_n(layout.width)} {_n(height)}" width="{_n(layout.width)}" '
        f'height="{_n(height)}" font-family="system-ui, sans-serif" font-size="{FONT}" '
        f'preserveAspectRatio="xMidYMin meet">',
        f'<title id="{escape(svg_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(svg_id)}-d">{escape(summary(model, language))}</desc>',
        _defs(svg_id),
    ]
    parts += _headers(layout, language)
    if for_print:
        parts += _printed_arrows(layout, numbers)
    else:
        parts += _arrows(model, layout, numbers, svg_id, language)
    parts += _boxes(model, layout, language, tooltips=not for_print)
    parts += _legend(legend, layout.height, layout.width, language)
    parts.append("</svg>")
    return "\n".join(parts)


def _n(value: float) -> str:
    """A coordinate without needless decimals."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _defs(svg_id: str) -> str:
    marker = escape(f"{svg_id}-head")
    return (
        "<defs>"
        f'<marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{INK}"/></marker></defs>'
    )


def _headers(layout: Layout, language: str) -> list[str]:
    parts = []
    for column, x in zip(COLUMNS, layout.column_x, strict=True):
        label = COLUMN_LABELS[column].get(language)
        parts.append(
            f'<rect x="{_n(x)}" y="4" width="190" height="30" rx="3" fill="{BOX}"/>'
            f'<text x="{_n(x + 95)}" y="24" text-anchor="middle" font-weight="bold" '
            f'fill="{INK}">{escape(label)}</text>'
        )
    return parts


def _boxes(model: LogicModel, layout: Layout, language: str, *, tooltips: bool) -> list[str]:
    parts = []
    for element_id, box in layout.boxes.items():
        element = model.element(element_id)
        result = element.column == "results"  # told apart by fill and a heavier frame
        fill, frame = (RESULT, "2.5") if result else ("#ffffff", "1.2")
        if tooltips:
            parts.append(f'<g class="element"><title>{escape(element.title)}</title>')
        parts.append(
            f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" '
            f'height="{_n(box.height)}" rx="4" fill="{fill}" stroke="{BLUE}" '
            f'stroke-width="{frame}"/>'
        )
        y = box.y + PAD + FONT
        for line in box.lines:
            parts.append(
                f'<text x="{_n(box.x + PAD)}" y="{_n(y)}" fill="{INK}">{escape(line)}</text>'
            )
            y += LINE
        place = element.place()
        if place is not None:
            parts.append(
                f'<text x="{_n(box.x + PAD)}" y="{_n(y)}" font-size="{SMALL_FONT}" '
                f'fill="{MUTED}">{escape(place.get(language))}</text>'
            )
        if tooltips:
            parts.append("</g>")
    return parts


def _route_path(points: tuple[tuple[float, float], ...]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{_n(x)},{_n(y)}" for i, (x, y) in enumerate(points))


def _number(x: float, y: float, number: int) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y + 4)}" text-anchor="middle" font-size="{SMALL_FONT}" '
        f'font-weight="bold" fill="{BLUE}">{number}</text>'
    )


def _head(start: tuple[float, float], tip: tuple[float, float]) -> str:
    """An arrowhead at ``tip`` as a closed path, as the marker draws it (8.4 long, 8.4 wide)."""
    dx, dy = tip[0] - start[0], tip[1] - start[1]
    length = max((dx * dx + dy * dy) ** 0.5, 0.001)
    ux, uy = dx / length, dy / length
    bx, by = tip[0] - HEAD * ux, tip[1] - HEAD * uy
    px, py = -uy * HEAD / 2, ux * HEAD / 2
    return f"M{_n(tip[0])},{_n(tip[1])} L{_n(bx + px)},{_n(by + py)} L{_n(bx - px)},{_n(by - py)} Z"


def _printed_arrows(layout: Layout, numbers: dict[str, int]) -> list[str]:
    """The arrows for print: lines, dashed lines, heads and number circles one path each."""
    solid: list[str] = []
    dashed: list[str] = []
    heads: list[str] = []
    circles: list[str] = []
    labels: list[str] = []
    for route in layout.routes:
        (dashed if route.backward else solid).append(_route_path(route.points))
        heads.append(_head(route.points[-2], route.points[-1]))
        number = numbers.get(route.arrow_id)
        if number is not None:
            x, y = route.marker
            circles.append(f"M{_n(x - 8)},{_n(y)} a8,8 0 1,0 16,0 a8,8 0 1,0 -16,0 Z")
            labels.append(_number(x, y, number))
    lines = f'fill="none" stroke="{INK}" stroke-width="1.2"'
    parts = [
        f'<path d="{" ".join(paths)}" {lines}{extra}/>'
        for paths, extra in ((solid, ""), (dashed, ' stroke-dasharray="6 3"'))
        if paths
    ]
    if heads:
        parts.append(f'<path d="{" ".join(heads)}" fill="{INK}"/>')
    if circles:
        parts.append(f'<path d="{" ".join(circles)}" fill="#ffffff" stroke="{BLUE}"/>')
    return parts + labels


def _arrows(
    model: LogicModel,
    layout: Layout,
    numbers: dict[str, int],
    svg_id: str,
    language: str,
) -> list[str]:
    parts = []
    arrows = {arrow.id: arrow for arrow in model.arrows}
    marker = escape(f"{svg_id}-head")
    for route in layout.routes:
        arrow = arrows[route.arrow_id]
        source, target = model.element(arrow.source), model.element(arrow.target)
        dashes = ' stroke-dasharray="6 3"' if route.backward else ""
        label = f"{source.title} {ARROW_LABEL.get(language)} {target.title}"
        parts.append(
            f'<g class="arrow"><title>{escape(label)}</title>'
            f'<path d="{_route_path(route.points)}" fill="none" stroke="{INK}" '
            f'stroke-width="1.2"{dashes} marker-end="url(#{marker})"/>'
        )
        number = numbers.get(arrow.id)
        if number is not None:
            x, y = route.marker
            parts.append(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="8" fill="#ffffff" stroke="{BLUE}"/>'
                + _number(x, y, number)
            )
        parts.append("</g>")
    return parts


def _legend_entries(model: LogicModel, numbers: dict[str, int], language: str) -> list[str]:
    return [
        f"({numbers[arrow.id]}) {ASSUMING.get(language)} {arrow.assumption}"
        for arrow in model.arrows
        if arrow.id in numbers
    ]


def _wrapped(text: str, chars: int) -> list[str]:
    lines = textwrap.wrap(text, chars, break_long_words=True, subsequent_indent="     ")
    return lines or [text]


def _legend_columns(entries: list[str], width: float) -> list[list[str]]:
    """The assumptions wrapped, in two columns side by side (one if they are few)."""
    if not entries:
        return []
    halves = 2 if len(entries) > 3 else 1
    chars = int((width - 28) / halves / LEGEND_CHAR)
    wrapped = [_wrapped(entry, chars) for entry in entries]
    total = sum(len(lines) for lines in wrapped)
    columns: list[list[str]] = [[] for _ in range(halves)]
    for lines in wrapped:
        column = 0 if len(columns[0]) + len(lines) <= -(-total // halves) else halves - 1
        columns[column] += lines
    return columns


def _legend(columns: list[list[str]], top: float, width: float, language: str) -> list[str]:
    if not columns:
        return []
    heading = Text("Annahmen an den Pfeilen:", "Assumptions on the arrows:").get(language)
    parts = [
        f'<text x="14" y="{_n(top + LINE)}" font-size="{SMALL_FONT}" fill="{INK}" '
        f'font-weight="bold">{escape(heading)}</text>'
    ]
    for index, lines in enumerate(columns):
        x = 14 + index * (width - 28) / len(columns)
        for row, line in enumerate(lines):
            parts.append(
                f'<text x="{_n(x)}" y="{_n(top + LINE * (row + 2))}" font-size="{SMALL_FONT}" '
                f'fill="{INK}" xml:space="preserve">{escape(line)}</text>'
            )
    return parts


# The text alternative ---------------------------------------------------------------------------


IN_WORDS_BELOW = Text(
    "Die Beschreibung in Worten steht unter der Zeichnung.",
    "The description in words follows the drawing.",
)


def summary(model: LogicModel, language: str, pointer: Text = IN_WORDS_BELOW) -> str:
    """Sentences for ``<desc>``: how many elements per column and how many arrows, and where
    the model is told in full (``pointer``)."""
    if model.is_empty:
        return Text(
            "Das Wirkmodell hat noch keine Elemente.", "The logic model has no elements yet."
        ).get(language)
    counts = ", ".join(
        f"{COLUMN_LABELS[column].get(language)}: {len(model.column(column))}" for column in COLUMNS
    )
    arrows = Text.counted(
        len(model.arrows),
        Text("{n} Pfeil", "{n} arrow"),
        Text("{n} Pfeile", "{n} arrows"),
    ).get(language)
    return Text(
        f"Wirkmodell in vier Spalten, von links nach rechts ({counts}), mit {arrows}. {pointer.de}",
        f"Logic model in four columns, left to right ({counts}), with {arrows}. "
        f"{pointer.get('en')}",
    ).get(language)


@dataclass(frozen=True)
class Section:
    """One column of the text alternative: its heading and a sentence per element."""

    heading: str
    sentences: tuple[str, ...]


def text_alternative(model: LogicModel, language: str) -> list[Section]:
    """In words, column by column: per element what it leads to, with the assumptions (plain
    strings, not escaped)."""
    titles = {e.id: e.title for e in model.elements}
    sections: list[Section] = []
    for column in COLUMNS:
        items = []
        for element in model.column(column):
            place = element.place()
            name = quoted(element.title, language)
            if place is not None:
                name += f" ({place.get(language)})"
            leads = []
            for arrow in model.outgoing(element.id):
                target = quoted(titles[arrow.target], language)
                if arrow.assumption:
                    target += f", {ASSUMING.get(language)} {arrow.assumption}"
                leads.append(target)
            if leads:
                items.append(f"{name} {ARROW_LABEL.get(language)} " + "; ".join(leads) + ".")
            else:
                items.append(f"{name} {LEADS_NOWHERE.get(language)}")
        sections.append(Section(COLUMN_LABELS[column].get(language), tuple(items)))
    return sections


def text_alternative_plain(model: LogicModel, language: str) -> str:
    """The text alternative as one plain text (headings on their own lines)."""
    lines = [summary(model, language)]
    for section in text_alternative(model, language):
        lines.append(f"{section.heading}:")
        lines += [f"- {sentence}" for sentence in section.sentences]
    return "\n".join(lines)
