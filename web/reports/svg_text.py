"""SVG text in the PDF laid out a line at a time, not a letter at a time.

WeasyPrint 70 draws every ``<text>`` of an SVG letter by letter (weasyprint/svg/text.py): one
Pango layout and one text object per character, so that per-character positions (``x``/``y``
lists, ``dx``, ``dy``, ``rotate``, ``letter-spacing``, ``textLength``) can be honoured. A
drawing of 60 boxes holds about 4,500 letters; profiled with cProfile, those layouts were
four fifths of the time the drawing added to the report's PDF (about 0.12 ms of processor time
a letter), the shapes the rest.

:func:`install` puts a faster path in front of WeasyPrint's own: a text element that asks for
none of those per-character features (a single ``x`` and ``y``, no ``dx``, ``dy``,
``rotate``, ``letter-spacing``, ``textLength``, no baseline alignment) is laid out once as a
line and drawn once, with the same style, position, bounding box (so ``text-anchor`` works as
before) and cursor. Everything else goes to WeasyPrint's function unchanged. The path is
installed only for the WeasyPrint release it was written against (setup.cfg pins 70).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from math import inf
from typing import Any

import weasyprint  # type: ignore[import-untyped]
from weasyprint import svg as weasy_svg
from weasyprint.matrix import Matrix  # type: ignore[import-untyped]
from weasyprint.svg.bounding_box import extend_bounding_box  # type: ignore[import-untyped]
from weasyprint.svg.utils import normalize, size  # type: ignore[import-untyped]

WRITTEN_FOR = "70."
"""The WeasyPrint release whose SVG text drawing this replaces in part."""
PER_LETTER = frozenset(
    {
        "dx", "dy", "rotate", "letter-spacing", "textLength", "lengthAdjust",
        "dominant-baseline", "alignment-baseline", "display-anchor",
    }
)  # fmt: skip
"""Attributes that need WeasyPrint's letter-by-letter drawing."""

weasy_text = importlib.import_module("weasyprint.svg.text")  # the name `text` is the function
_original = weasy_text.text


def _single(value: str | None) -> bool:
    return value is None or len(normalize(value).strip().split(" ")) == 1


def _plain(node: Any) -> bool:
    """Whether the text element can be drawn as one line."""
    attributes = node.attrib
    return (
        bool(node.text)
        and not PER_LETTER.intersection(attributes)
        and _single(attributes.get("x"))
        and _single(attributes.get("y"))
    )


def _style(svg: Any, node: Any, font_size: float) -> Any:
    """The style WeasyPrint gives a text element (as in weasyprint/svg/text.py)."""
    from weasyprint.css.properties import INITIAL_VALUES  # type: ignore[import-untyped]

    style = weasy_text.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [
        font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")
    ]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    if node.get("direction") in ("ltr", "rtl"):
        style["direction"] = node.get("direction")
    if weight == "normal":
        weight = 400
    elif weight == "bold":
        weight = 700
    else:
        try:
            weight = int(weight)
        except ValueError:
            weight = 400
    style["font_weight"] = weight
    style["font_size"] = font_size
    return style


def text(svg: Any, node: Any, font_size: float) -> None:
    """Draw a text element: as one line where it can be, else letter by letter."""
    if not _plain(node):
        _original(svg, node, font_size)
        return
    from weasyprint.draw.text import (  # type: ignore[import-untyped]
        draw_emojis,
        draw_first_line,
    )
    from weasyprint.text.line_break import split_first_line  # type: ignore[import-untyped]

    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x, y = svg.cursor_position
    if "x" in node.attrib:
        x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
        svg.cursor_d_position[0] = 0
    if "y" in node.attrib:
        y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)
        svg.cursor_d_position[1] = 0
    svg.cursor_position = x + width, y
    left = x + svg.cursor_d_position[0]
    bottom = y + svg.cursor_d_position[1]
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box,
        ((left, bottom - baseline), (left + width, bottom - baseline + height)),
    )
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    line = weasy_text.TextBox(layout, style)
    line.baseline = baseline
    emojis = draw_first_line(svg.stream, line, "none", "none", Matrix(d=-1, e=left, f=bottom))
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def installed() -> bool:
    """Whether WeasyPrint draws SVG text through :func:`text` in this process."""
    return weasy_svg.TAGS.get("text") is text


def without(call: Callable[[str], float], argument: str) -> float:
    """``call(argument)`` with WeasyPrint's own letter-by-letter text (for comparing)."""
    saved = dict(weasy_svg.TAGS)
    for tag, draw in saved.items():
        if draw is text:
            weasy_svg.TAGS[tag] = _original
    weasy_svg.text = _original
    try:
        return call(argument)
    finally:
        weasy_svg.TAGS.update(saved)
        weasy_svg.text = text


def install() -> bool:
    """Draw plain SVG text a line at a time from now on (in this process); False where the
    installed WeasyPrint is not the release this was written for (nothing is changed)."""
    if not str(weasyprint.__version__).startswith(WRITTEN_FOR):
        return False
    for tag, draw in list(weasy_svg.TAGS.items()):
        if draw is _original:  # text, tspan, textPath, a
            weasy_svg.TAGS[tag] = text
    weasy_svg.text = text  # draw_node tells text elements by this name (text-anchor)
    return True
