"""A drawing printed in the report's PDF: SVG text a line at a time reads and sits as
WeasyPrint's own letter-by-letter text does, and a tall drawing is cut into page-wide bands
that hold only what reaches into them, with ids of their own."""

from __future__ import annotations

import io
import re
from itertools import pairwise

from pypdf import PdfReader
from weasyprint import HTML  # type: ignore[import-untyped]

from web.reports import svg_text
from web.reports.svg_bands import bands
from web.reports.svg_safe import sanitised

NS = 'xmlns="http://www.w3.org/2000/svg"'
TEXTS = (
    f'<svg {NS} viewBox="0 0 400 100" width="400" height="100">'
    '<text x="200" y="30" text-anchor="middle" font-size="13">Mitte der Zeichnung</text>'
    '<text x="10" y="60" font-weight="bold">Links <tspan fill="#1f5f99">blau</tspan></text>'
    '<text x="10" y="90" dx="0 2 2">abstand</text></svg>'
)


def positions(pdf: bytes) -> dict[str, tuple[float, float]]:
    """Each text run's first position on the page (x, y in points)."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() and text.strip() not in found:
            found[text.strip()] = (round(cm[4] + tm[4], 1), round(cm[5] + tm[5], 1))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def printed(markup: str) -> bytes:
    pdf = HTML(string=f"<html><body>{markup}</body></html>").write_pdf()
    assert pdf is not None
    return bytes(pdf)


def test_text_a_line_at_a_time_reads_and_sits_as_letter_by_letter() -> None:
    assert svg_text.install()
    fast = printed(TEXTS)
    letters: list[bytes] = []  # the same page with WeasyPrint's own letter-by-letter text
    svg_text.without(lambda markup: float(letters.append(printed(markup)) or 0), TEXTS)
    fast_text = PdfReader(io.BytesIO(fast)).pages[0].extract_text()
    slow_text = PdfReader(io.BytesIO(letters[0])).pages[0].extract_text()
    for words in ("Mitte der Zeichnung", "Links", "blau"):
        assert words in fast_text
    assert "".join(slow_text.split()) == "".join(fast_text.split())
    line = positions(fast)["Mitte der Zeichnung"]
    first_letter = min(xy for text, xy in positions(letters[0]).items() if text.startswith("M"))
    assert abs(line[0] - first_letter[0]) < 1.5  # centred on x=200 like WeasyPrint's own
    assert abs(line[1] - first_letter[1]) < 0.5


def tall_drawing(rows: int) -> str:
    boxes = "".join(
        f'<g class="box"><rect x="10" y="{40 + row * 60}" width="100" height="40"/>'
        f'<text x="14" y="{60 + row * 60}" font-size="13">Kasten {row + 1}</text></g>'
        for row in range(rows)
    )
    return (
        f'<svg {NS} id="zeichnung" role="img" aria-labelledby="zeichnung-t" '
        f'viewBox="0 0 400 {40 + rows * 60}"><title id="zeichnung-t">Hoch</title>'
        '<defs><marker id="kopf"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>'
        f'<path d="M200,40 L200,{rows * 60}" stroke="#000" marker-end="url(#kopf)"/>'
        f"{boxes}</svg>"
    )


def test_a_drawing_that_fits_one_page_stays_whole() -> None:
    markup = sanitised(tall_drawing(3))
    assert bands(markup) == [markup]


def test_a_tall_drawing_is_cut_into_bands_between_its_boxes() -> None:
    strips = bands(sanitised(tall_drawing(20)))
    assert len(strips) == 6  # 1240 high, 400 wide: bands of at most 224
    windows = [
        [float(n) for n in re.search(r'viewBox="([^"]+)"', strip).group(1).split()]  # type: ignore[union-attr]
        for strip in strips
    ]
    assert windows[0][1] == 0
    for before, after in pairwise(windows):
        assert before[1] + before[3] == after[1]  # the bands meet without a gap
    assert sum(window[3] for window in windows) == 1240
    boxes = [int(n) for strip in strips for n in re.findall(r"Kasten (\d+)", strip)]
    assert sorted(boxes) == list(range(1, 21))  # each box in exactly one band: none is cut
    for number, strip in enumerate(strips, start=1):
        assert f'id="zeichnung-{number}"' in strip
        assert f'aria-labelledby="zeichnung-t-{number}"' in strip
        assert f"url(#kopf-{number})" in strip  # the arrow crosses every band
        assert strip.count("<title") == 1


def test_bands_hold_nothing_outside_their_window() -> None:
    strips = bands(sanitised(tall_drawing(20)))
    assert len(strips[0]) < len(sanitised(tall_drawing(20))) / 3
