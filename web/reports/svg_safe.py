"""A plugin's drawing made safe to show: SVG markup rebuilt from a strict whitelist.

A report section may carry a drawing a plugin made itself (:class:`engine.Drawing`). Its
markup reaches the report page and the PDF only through :func:`sanitised`, which parses it as
XML (refusing any document type declaration, so no entity can be declared or expanded) and
writes a new ``<svg>`` from what the whitelist allows:

- elements: ``svg g rect path line polyline polygon circle ellipse text tspan title desc
  defs marker``, in the SVG namespace; any other element (``script``, ``style``,
  ``foreignObject``, ``image``, ``use``, ``a``, …) is left out with everything inside it;
- attributes: geometry, presentation attributes and a few for accessibility; no event
  handler, no ``href`` of any kind, no ``style``; attributes in another namespace (``xlink:``)
  are left out, except ``xml:space`` and ``xml:lang``;
- references: a value that names ``url(…)`` passes only as exactly one local ``url(#id)``;
  values holding ``javascript:``, ``data:`` or ``expression(`` are left out.

Text and attribute values are escaped anew, comments and processing instructions dropped. Why
not a library: nh3 (ammonia) and bleach sanitise HTML with an HTML parser, which lower-cases
SVG's attribute names (``viewBox``) and knows no SVG whitelist, and bleach is deprecated;
py-svg-hush and svg-sanitize are young bindings without a track record. The standard
library's expat parser with its document-type handlers refusing is what defusedxml does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 64
"""How deeply elements may nest in a drawing."""

ELEMENTS = frozenset(
    {
        "svg", "g", "rect", "path", "line", "polyline", "polygon", "circle", "ellipse",
        "text", "tspan", "title", "desc", "defs", "marker",
    }
)  # fmt: skip
GEOMETRY = frozenset(
    {
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
        "d", "points", "dx", "dy", "rotate", "viewBox", "preserveAspectRatio", "transform",
        "refX", "refY", "markerWidth", "markerHeight", "markerUnits", "orient", "pathLength",
        "textLength", "lengthAdjust",
    }
)  # fmt: skip
PRESENTATION = frozenset(
    {
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "opacity", "color", "visibility", "display", "clip-rule",
        "vector-effect", "paint-order", "marker-start", "marker-mid", "marker-end",
        "font-family", "font-size", "font-weight", "font-style", "font-variant",
        "text-anchor", "dominant-baseline", "alignment-baseline", "letter-spacing",
        "word-spacing", "text-decoration", "direction", "shape-rendering", "text-rendering",
    }
)  # fmt: skip
ACCESSIBILITY = frozenset(
    {"id", "class", "role", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
     "lang", "focusable", "version"}
)  # fmt: skip
ATTRIBUTES = GEOMETRY | PRESENTATION | ACCESSIBILITY
XML_ATTRIBUTES = frozenset({"space", "lang"})
LOCAL_URL = re.compile(r"url\(\s*#[A-Za-z_][\w.:-]*\s*\)")
DANGEROUS = re.compile(r"javascript:|vbscript:|data:|expression\(|url\(", re.IGNORECASE)


class UnsafeDrawing(ValueError):
    """The markup is not a drawing that can be shown (not XML, not an ``<svg>``, a DTD)."""


@dataclass
class Node:
    """An element as parsed: its namespaced tag ("NS name"), attributes and children."""

    tag: str
    attributes: dict[str, str]
    children: list[Node | str] = field(default_factory=list)


def sanitised(markup: str) -> str:
    """The drawing rebuilt from the whitelist (see the module); ``UnsafeDrawing`` if the markup
    is not well-formed XML, declares a document type or is not one ``<svg>`` element."""
    root = parse(markup)
    if root.tag != f"{SVG_NS} svg":
        msg = "a drawing is one <svg> element in the SVG namespace"
        raise UnsafeDrawing(msg)
    parts: list[str] = []
    _write(root, parts, top=True)
    return "".join(parts)


def _refuse(*_: object) -> int:
    msg = "a drawing may not declare a document type or entities"
    raise UnsafeDrawing(msg)


def parse(markup: str) -> Node:
    """The one element of ``markup`` as a tree; ``UnsafeDrawing`` for a DTD or bad XML."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    stack: list[Node] = [Node("", {})]

    def start(tag: str, attributes: dict[str, str]) -> None:
        node = Node(tag, attributes)
        stack[-1].children.append(node)
        stack.append(node)
        if len(stack) > MAX_DEPTH + 1:
            msg = f"a drawing may nest elements {MAX_DEPTH} deep at most"
            raise UnsafeDrawing(msg)

    def end(_: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        stack[-1].children.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(markup, True)
    except expat.ExpatError as error:
        msg = f"a drawing must be well-formed XML: {error}"
        raise UnsafeDrawing(msg) from error
    elements = [child for child in stack[0].children if isinstance(child, Node)]
    if len(elements) != 1:
        msg = "a drawing is one <svg> element"
        raise UnsafeDrawing(msg)
    return elements[0]


def _allowed(name: str, value: str) -> str | None:
    """The attribute as written out (``name="value"``), or None to leave it out."""
    if " " in name:  # namespaced: only xml:space and xml:lang
        namespace, local = name.split(" ", 1)
        if namespace != XML_NS or local not in XML_ATTRIBUTES:
            return None
        name = f"xml:{local}"
    elif name not in ATTRIBUTES:
        return None
    if DANGEROUS.search(value) and not LOCAL_URL.fullmatch(value.strip()):
        return None
    return f'{name}="{escape(value, quote=True)}"'


def _write(node: Node, parts: list[str], top: bool = False) -> None:
    namespace, _, tag = node.tag.rpartition(" ")
    if namespace != SVG_NS or tag not in ELEMENTS:
        return
    attributes = [
        written
        for name, value in node.attributes.items()
        if (written := _allowed(name, value)) is not None
    ]
    if top:
        attributes.insert(0, f'xmlns="{SVG_NS}"')
    opening = " ".join((tag, *attributes))
    if not node.children:
        parts.append(f"<{opening}/>")
        return
    parts.append(f"<{opening}>")
    for child in node.children:
        if isinstance(child, str):
            parts.append(escape(child, quote=False))
        else:
            _write(child, parts)
    parts.append(f"</{tag}>")
