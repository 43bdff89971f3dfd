"""A tall drawing printed in bands: page-wide strips, each on a page of its own.

A drawing scaled to fit one A4 landscape page shrinks its text with its height: a logic model
of 60 elements is three times as tall as wide and would print its 13 px titles at under 3 pt.
Printed as wide as the page instead, it is cut into bands of the page's height. Each band is
an ``<svg>`` of its own with the drawing's width and a window of its height (``viewBox``), and
holds only the parts of the drawing that reach into that window, so that the PDF does not draw
the whole drawing once per page. Cuts fall between boxes and texts where there is room (never
through a ``rect`` or a ``text``); lines that cross a cut continue on the next page. Ids get
the band's number, so the bands and the whole drawing can stand in one page.

Works on markup that web/reports/svg_safe.py has rebuilt (its own parser and node type).
"""

from __future__ import annotations

import math
import re
from html import escape
from itertools import pairwise

from web.reports.svg_safe import SVG_NS, Node, parse

BAND_RATIO = 0.56
"""A band's height to its width: the printable part of an A4 landscape page under the caption
(about 26.7 cm wide, 15 cm high; web/static/report-print.css)."""
TALLER_BY = 1.15
"""A drawing up to this much taller than one band is scaled down onto one page instead."""
SEARCH = 0.3
"""How far (as a share of a band) a cut may move up to fall between boxes."""
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
LOCAL_URL = re.compile(r"url\(\s*#([^)\s]+)\s*\)")
ID_LISTS = frozenset({"aria-labelledby", "aria-describedby"})
Extent = tuple[float, float] | None
"""Top and bottom of a part in the drawing's units; None where it cannot be told."""


def bands(markup: str) -> list[str]:
    """The drawing as bands for print; one item (the markup itself) where it fits one page."""
    root = parse(markup)
    box = [float(n) for n in NUMBER.findall(root.attributes.get("viewBox", ""))]
    if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
        return [markup]
    left, top, width, height = box
    band = width * BAND_RATIO
    if height <= band * TALLER_BY:
        return [markup]
    count = math.ceil(height / band)
    cuts = _cuts(root, top, height, count)
    return [
        _band(root, (left, upper, width, lower - upper), number)
        for number, (upper, lower) in enumerate(pairwise(cuts), start=1)
    ]


def _cuts(root: Node, top: float, height: float, count: int) -> list[float]:
    """Where the bands meet: near equal heights, moved up to fall between boxes and texts."""
    solid = sorted(
        extent
        for child in _walk(root)
        if child.tag.endswith((" rect", " text")) and (extent := _extent(child)) is not None
    )
    cuts = [top]
    step = height / count
    for number in range(1, count):
        cut = top + step * number
        lowest = cut - step * SEARCH
        moved = True
        while moved and cut > lowest:
            moved = False
            for upper, lower in solid:
                if upper < cut < lower:
                    cut, moved = upper - 1, True
        cuts.append(max(cut, lowest, cuts[-1] + 1))
    cuts.append(top + height)
    return cuts


def _walk(node: Node) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            found.append(child)
            found += _walk(child)
    return found


def _numbers(value: str | None) -> list[float]:
    return [float(n) for n in NUMBER.findall(value or "")]


def _extent(node: Node) -> Extent:
    """The vertical extent of a part (with what it holds); None where it cannot be told."""
    tag = node.tag.rpartition(" ")[2]
    a = node.attributes
    if "transform" in a:
        return None
    ys: list[float] = []
    if tag == "rect":
        y, h = _numbers(a.get("y")) or [0.0], _numbers(a.get("height")) or [0.0]
        ys = [y[0], y[0] + h[0]]
    elif tag in ("circle", "ellipse"):
        cy, r = _numbers(a.get("cy")) or [0.0], _numbers(a.get("r") or a.get("ry")) or [0.0]
        ys = [cy[0] - r[0], cy[0] + r[0]]
    elif tag == "line":
        ys = _numbers(a.get("y1")) + _numbers(a.get("y2"))
    elif tag in ("polyline", "polygon"):
        ys = _numbers(a.get("points"))[1::2]
    elif tag == "path":
        d = a.get("d", "")
        if re.fullmatch(r"[\sML0-9.,eZz-]*", d) is None:
            return None  # relative moves, curves: not told here
        ys = _numbers(d)[1::2]
    elif tag in ("text", "tspan"):
        size = (_numbers(a.get("font-size")) or [16.0])[0]
        ys = [y + shift for y in _numbers(a.get("y")) for shift in (-size, size / 3)]
    for child in node.children:
        if isinstance(child, Node) and child.tag.rpartition(" ")[2] not in ("title", "desc"):
            inner = _extent(child)
            if inner is None:
                return None
            ys += [inner[0], inner[1]] if inner[1] >= inner[0] else []
    if not ys:
        return (math.inf, -math.inf) if tag == "g" else None  # an empty group reaches nowhere
    return (min(ys), max(ys))


def _band(root: Node, window: tuple[float, float, float, float], number: int) -> str:
    """One band: the drawing's frame with the window as its viewBox and the parts inside it."""
    upper, lower = window[1], window[1] + window[3]
    attributes = {
        name: value
        for name, value in root.attributes.items()
        if name not in ("width", "height", "viewBox")
    }
    attributes["viewBox"] = " ".join(f"{n:g}" for n in window)
    parts = [f'<svg xmlns="{SVG_NS}"{_attributes(attributes, number)}>']
    for child in root.children:
        if isinstance(child, str):
            continue
        tag = child.tag.rpartition(" ")[2]
        extent = None if tag in ("defs", "title", "desc") else _extent(child)
        if extent is None or (extent[0] < lower and extent[1] > upper):
            parts.append(_written(child, number))
    parts.append("</svg>")
    return "".join(parts)


def _renamed(name: str, value: str, number: int) -> str:
    if name == "id":
        return f"{value}-{number}"
    if name in ID_LISTS:
        return " ".join(f"{part}-{number}" for part in value.split())
    return LOCAL_URL.sub(lambda m: f"url(#{m.group(1)}-{number})", value)


def _attributes(attributes: dict[str, str], number: int) -> str:
    written = []
    for name, value in attributes.items():
        shown = name.replace("http://www.w3.org/XML/1998/namespace ", "xml:")
        written.append(f' {shown}="{escape(_renamed(name, value, number), quote=True)}"')
    return "".join(written)


def _written(node: Node, number: int) -> str:
    tag = node.tag.rpartition(" ")[2]
    opening = f"{tag}{_attributes(node.attributes, number)}"
    if not node.children:
        return f"<{opening}/>"
    inner = "".join(
        escape(child, quote=False) if isinstance(child, str) else _written(child, number)
        for child in node.children
    )
    return f"<{opening}>{inner}</{tag}>"
