"""A plugin's drawing in the report is rebuilt from a strict SVG whitelist: an allowed drawing
keeps its meaning, and every attack sample is stripped or refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.reports.svg_safe import UnsafeDrawing, sanitised

SVG = 'xmlns="http://www.w3.org/2000/svg"'
DRAWING = (
    f'<svg {SVG} viewBox="0 0 200 100" role="img" aria-labelledby="d-t">'
    '<title id="d-t">Zwei Kästen</title><desc>A führt zu B &amp; C</desc>'
    '<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
    'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
    '<g class="element"><rect x="10" y="10" width="60" height="30" rx="4" fill="#fff" '
    'stroke="#1f5f99"/><text x="14" y="28" font-size="13">A &lt; B</text></g>'
    '<path d="M70,25 L130,25" fill="none" stroke="#000" marker-end="url(#head)"/>'
    '<text x="14" y="60" xml:space="preserve"><tspan x="14" dy="0">eins</tspan></text>'
    '<circle cx="100" cy="80" r="8"/><line x1="0" y1="0" x2="1" y2="1"/>'
    '<polyline points="0,0 1,1"/><polygon points="0,0 1,1 2,0"/><ellipse cx="1" cy="1" rx="1" '
    'ry="2"/></svg>'
)


def test_an_allowed_drawing_passes_unchanged_in_meaning() -> None:
    assert sanitised(DRAWING) == DRAWING


def test_a_drawing_with_a_namespace_prefix_comes_out_plain() -> None:
    prefixed = '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:rect width="1"/></s:svg>'
    assert sanitised(prefixed) == f'<svg {SVG}><rect width="1"/></svg>'


@pytest.mark.parametrize(
    ("attack", "gone"),
    [
        (f'<svg {SVG}><script>alert(1)</script><rect width="1"/></svg>', "script"),
        (f'<svg {SVG} onload="alert(1)"><rect width="1" onclick="x()"/></svg>', "on"),
        (
            f'<svg {SVG} xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:'
            'alert(1)"><text>klick</text></a><rect width="1"/></svg>',
            "javascript",
        ),
        (
            f'<svg {SVG} xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="https://'
            'evil.example/x.svg#a"/><image href="https://evil.example/p.png"/><rect width="1" '
            'xlink:href="https://evil.example/"/></svg>',
            "evil",
        ),
        (
            f'<svg {SVG}><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">'
            "<iframe src='https://evil.example'/></div></foreignObject><rect width=\"1\"/></svg>",
            "evil",
        ),
        (
            f"<svg {SVG}><style>rect {{ fill: url(https://evil.example/) }}</style>"
            '<rect width="1" style="fill: url(https://evil.example/)"/></svg>',
            "evil",
        ),
        (
            f'<svg {SVG}><rect width="1" fill="url(https://evil.example/#a)" '
            'filter="url(#f)" stroke="url(\'data:image/svg+xml,x\')"/></svg>',
            "url(",
        ),
        (f'<svg {SVG}><rect width="1" fill="javascript:alert(1)"/></svg>', "javascript"),
        (
            f'<svg {SVG}><?xml-stylesheet href="https://evil.example/s.css"?>'
            '<rect width="1"/></svg>',
            "evil",
        ),
        (f'<svg {SVG}><!-- <script>alert(1)</script> --><rect width="1"/></svg>', "script"),
    ],
)
def test_each_attack_sample_is_stripped(attack: str, gone: str) -> None:
    safe = sanitised(attack)
    assert gone not in safe.lower()
    assert '<rect width="1"/>' in safe  # what is allowed stays


@pytest.mark.parametrize(
    "attack",
    [
        # entity expansion ("billion laughs") and external entities need a document type
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        f"<svg {SVG}><text>&b;</text></svg>",
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f"<svg {SVG}><text>&x;</text></svg>",
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        f'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg {SVG}/>',
        f"<svg {SVG}><text>&nbsp;</text></svg>",  # an undeclared entity
        "<svg><rect/></svg>",  # not in the SVG namespace
        '<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>',
        f"<svg {SVG}><rect></svg>",  # not well-formed
        f"<svg {SVG}/><svg {SVG}/>",
        f"<svg {SVG}>" + "<g>" * 80 + "</g>" * 80 + "</svg>",
    ],
)
def test_documents_types_entities_and_other_markup_are_refused(attack: str) -> None:
    with pytest.raises(UnsafeDrawing):
        sanitised(attack)


def test_text_and_values_are_escaped_anew() -> None:
    safe = sanitised(f'<svg {SVG}><text x="1&quot; onload=&quot;x">&lt;script&gt;</text></svg>')
    assert "<script>" not in safe
    assert re.search(r'x="1&quot; onload=&quot;x"', safe)


def test_a_drawing_needs_markup_title_and_description_of_the_right_kind() -> None:
    from engine import Drawing, Text

    title = Text("Zeichnung", "Drawing")
    drawing = Drawing(svg=Text(f"<svg {SVG}/>", f"<svg {SVG} id='en'/>"), title=title,
                      description=title)  # fmt: skip
    assert drawing.svg_for("en") == f"<svg {SVG} id='en'/>"
    assert Drawing(svg=f"<svg {SVG}/>", title=title, description=title).svg_for("en") == (
        f"<svg {SVG}/>"
    )
    with pytest.raises(TypeError):
        Drawing(svg=b"<svg/>", title=title, description=title)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Drawing(svg="<svg/>", title="Zeichnung", description=title)  # type: ignore[arg-type]


def test_a_refused_drawing_leaves_its_description_in_the_report(tmp_path: Path) -> None:
    from engine import Drawing, Text
    from web.app import create_app
    from web.reports.blocks import sketch

    app = create_app(
        {
            "SECRET_KEY": "x",
            "QUALIZYKLUS_DATABASE": f"sqlite:///{tmp_path}/qualizyklus.db",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
        }
    )
    hostile = "<!DOCTYPE svg [<!ENTITY a 'a'>]><svg/>"
    with app.test_request_context("/"):
        shown = sketch(Drawing(hostile, Text("Zeichnung"), Text("In Worten")), "d-1")
    app.extensions["qualizyklus"].close()
    assert shown.svg == ""
    assert shown.bands == ()
    assert shown.description == "In Worten"
