"""The pieces every chart is made of: the accessible frame, wrapped text, a legend, the
fills and line styles that tell series apart without colour, and the word for a gap."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from flask_babel import gettext as _
from markupsafe import Markup

from web.i18n import number as reader_number

PALETTE = ("#1f5f99", "#b35900", "#2e7d32", "#6a1b9a")
INK = "#1a1a1a"
GRID = "#b0b0b0"
MUTED = "#555555"
BOX = "#d6e4f0"
WIDTH = 480
FONT = 13
LINE = 16
CHAR = 7.2  # the mean advance of a 13 px sans-serif character, a little generous
PAD = 4
DASHES = ("", "6 4", "2 3", "10 3 2 3")


@dataclass(frozen=True)
class Entry:
    """One legend entry: a label and how its series is drawn (bar fill or line style)."""

    label: str
    index: int
    kind: str = "bar"  # "bar", "line", "dot", "box" (quartiles) or "median"


def not_collected() -> str:
    """What a missing value is called on a chart (never drawn as 0)."""
    return str(_("nicht erhoben"))


def number(value: float | None, places: int = 1) -> str:
    """A chart's number, to one decimal unless told otherwise (see :func:`web.i18n.number`)."""
    return reader_number(value, places)


def open_svg(
    chart_id: str, title: str, description: str, height: float, series: int = 0
) -> list[str]:
    """The opening of an accessible chart: role, title, description and the fills of its
    ``series`` bar series (hatchings from the second on; none for a chart without bars)."""
    return [
        f'<svg role="img" aria-labelledby="{chart_id}-t {chart_id}-d" class="chart" '
        f'width="{WIDTH}" height="{round(height)}" viewBox="0 0 {WIDTH} {round(height)}" '
        f'xmlns="http://www.w3.org/2000/svg" id="{chart_id}" font-size="{FONT}" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
        _patterns(chart_id, series),
    ]


def finish(parts: Sequence[str]) -> Markup:
    """The chart's markup, closed; whole coordinates written without ".0" (22, not 22.0)."""
    markup = "".join([*parts, "</svg>"])
    tidy = re.sub(r"<[^>]*>", lambda tag: _WHOLE.sub(r"\1", tag.group(0)), markup)
    return Markup(tidy)  # every text is escaped where it is drawn


_WHOLE = re.compile(r"(\d)\.0(?=[\s,\"])")


def _patterns(chart_id: str, series: int) -> str:
    """Hatchings for the second and later series, so that bars differ beyond their colour
    (only as many as the chart has series: every node costs the PDF's layout time)."""
    if series < 2:
        return ""
    defs = ["<defs>"]
    for index, colour in enumerate(PALETTE[1:series], start=1):
        angle = (45, -45, 90)[(index - 1) % 3]
        defs.append(
            f'<pattern id="{chart_id}-p{index}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse" patternTransform="rotate({angle})">'
            f'<rect width="6" height="6" fill="{colour}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern>'
        )
    defs.append("</defs>")
    return "".join(defs)


def fill(chart_id: str, index: int) -> str:
    """The fill of series ``index``: plain colour for the first, hatched for the others."""
    index %= len(PALETTE)
    return PALETTE[0] if index == 0 else f"url(#{chart_id}-p{index})"


def wrap(label: str, width: float) -> list[str]:
    """The label cut into lines that fit ``width`` pixels (never cut inside a short word)."""
    columns = max(8, int(width // CHAR))
    return textwrap.wrap(label, columns, break_long_words=True) or [""]


def text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    css: str = "",
    colour: str = INK,
    italic: bool = False,
) -> str:
    """One line of text, escaped; ``css`` names a class (chart-label, chart-value, ...)."""
    extra = (f' class="{css}"' if css else "") + (' font-style="italic"' if italic else "")
    return (
        f'<text x="{round(x, 1)}" y="{round(y, 1)}" text-anchor="{anchor}" fill="{colour}"'
        f"{extra}>{escape(content)}</text>"
    )


def lines(x: float, y: float, rows: Sequence[str], *, css: str = "chart-label") -> str:
    """Several lines of text, one below the other, starting at baseline ``y``."""
    return "".join(text(x, y + LINE * index, row, css=css) for index, row in enumerate(rows))


def legend(chart_id: str, entries: Sequence[Entry], y: float) -> tuple[list[str], float]:
    """The legend as rows of swatches and names, wrapping within the width; its markup and
    the y below it. Drawn only when there is more than one entry."""
    if len(entries) < 2:
        return [], y
    parts = [f'<g class="chart-legend" aria-label="{escape(_("Legende"))}">']
    x: float = PAD
    for entry in entries:
        room = 22 + CHAR * len(entry.label) + 14
        if x > PAD and x + room > WIDTH:
            x, y = PAD, y + LINE + 4
        parts.append(_swatch(chart_id, entry, x, y))
        parts.append(text(x + 22, y + 11, entry.label, css="chart-label"))
        x += room
    parts.append("</g>")
    return parts, y + LINE + 10


def _swatch(chart_id: str, entry: Entry, x: float, y: float) -> str:
    colour = PALETTE[entry.index % len(PALETTE)]
    if entry.kind == "box":
        return (
            f'<rect x="{x}" y="{y}" width="16" height="12" fill="{BOX}" stroke="{PALETTE[0]}" '
            'stroke-width="1.5"/>'
        )
    if entry.kind == "median":
        return (
            f'<line x1="{x}" x2="{x + 18}" y1="{y + 6}" y2="{y + 6}" stroke="{INK}" '
            'stroke-width="3"/>'
        )
    if entry.kind == "bar":
        return (
            f'<rect x="{x}" y="{y}" width="16" height="12" fill="{fill(chart_id, entry.index)}" '
            f'stroke="{colour}"/>'
        )
    if entry.kind == "dot":
        return f'<circle cx="{x + 8}" cy="{y + 6}" r="4" fill="{colour}"/>'
    dashes = DASHES[entry.index % len(DASHES)]
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (
        f'<line x1="{x}" x2="{x + 18}" y1="{y + 6}" y2="{y + 6}" stroke="{colour}" '
        f'stroke-width="2.5"{dash}/>'
    )
