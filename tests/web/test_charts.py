"""The chart module without an engine: true scales, legends, wrapped labels, round ticks,
missing values as missing and years on a time axis."""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from flask import Flask
from flask_babel import Babel

from web.charts import BarSeries, Spread, bar_chart, line_chart, spread_chart
from web.charts.parts import WIDTH, wrap
from web.charts.scale import nice_step, share_scale, value_scale

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _context() -> Iterator[None]:
    app = Flask(__name__)
    app.config["BABEL_DEFAULT_LOCALE"] = "de"  # German first, as the pages
    Babel(app)
    with app.test_request_context():
        yield


def _tree(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def _texts(root: ElementTree.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_a_bar_for_27_5_percent_is_27_5_percent_of_the_full_width() -> None:
    root = _tree(
        bar_chart(
            "c", "Titel", "Text", ["Ziel A", "Ziel B"], [BarSeries("Fortschritt", (27.5, 10.0))]
        )
    )
    bar = next(rect for rect in root.iter(f"{SVG}rect") if rect.get("height") == "14")
    scale = share_scale([27.5, 10.0], 0, 100)
    assert (scale.low, scale.high) == (0, 100)
    ticks = [text for text in _texts(root) if text.endswith("%") and " " in text]
    assert ticks[:5] == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    grid = [float(_segments(path)[0][0]) for path in root.iter(f"{SVG}path")]
    assert len(grid) == 5
    full = grid[-1] - grid[0]
    assert float(bar.get("width", 0)) == pytest.approx(0.275 * full, abs=0.2)
    assert float(bar.get("x", 0)) == pytest.approx(grid[0])


def _segments(path: ElementTree.Element) -> list[tuple[float, float, float]]:
    """A grid line's segments as (x, top, bottom), from its "Mx yVy" path."""
    found = re.findall(r"M([\d.]+) ([\d.]+)V([\d.]+)", path.get("d", ""))
    return [(float(x), float(top), float(end)) for x, top, end in found]


def test_grid_lines_run_beside_the_bars_and_never_through_a_label() -> None:
    categories = ["Instrumentalisierung", "Mehr Familien mit Neugeborenen erreichen"]
    series = [BarSeries("dieser Zyklus", (1.0, 0.0)), BarSeries("Vorzyklus", (0.0, 1.0))]
    root = _tree(bar_chart("c", "T", "D", categories, series, share=False))
    labels = [
        float(node.get("y", 0))
        for node in root.iter(f"{SVG}text")
        if node.get("class") == "chart-label"
    ][2:]  # after the legend's two names
    assert len(labels) == 2
    for path in root.iter(f"{SVG}path"):
        for _x, top, bottom in _segments(path):
            # a label's glyphs reach from about 11 px above its baseline to 2 px below
            assert not any(top < label + 2 and bottom > label - 11 for label in labels)


def test_a_single_series_chart_defines_no_hatching() -> None:
    root = _tree(bar_chart("c", "T", "D", ["a"], [BarSeries("eins", (50.0,))]))
    assert not list(root.iter(f"{SVG}pattern"))


def test_shares_carry_the_percent_sign_as_the_reader_writes_it() -> None:
    english = Flask(__name__)
    english.config["BABEL_DEFAULT_LOCALE"] = "en"
    Babel(english)
    chart = ("c", "Title", "Text", ["Goal A"], [BarSeries("Progress", (27.5,))])
    with english.test_request_context():
        texts = _texts(_tree(bar_chart(*chart)))
    assert {"0%", "25%", "100%", "27.5%"} <= set(texts)
    assert {"0 %", "25 %", "100 %", "27,5 %"} <= set(_texts(_tree(bar_chart(*chart))))


def test_a_two_series_chart_has_a_legend_naming_both() -> None:
    root = _tree(
        bar_chart(
            "c",
            "Titel",
            "Text",
            ["Stufe 1", "Stufe 2"],
            [BarSeries("dieser Zyklus", (3.0, 1.0)), BarSeries("Vorzyklus", (2.0, None))],
            share=False,
        )
    )
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-legend")
    assert ["".join(t.itertext()) for t in legend.iter(f"{SVG}text")] == [
        "dieser Zyklus",
        "Vorzyklus",
    ]
    assert "nicht erhoben" in _texts(root)
    fills = {rect.get("fill") for rect in root.iter(f"{SVG}rect") if rect.get("height") == "14"}
    assert len(fills) == 2  # the series differ by fill pattern, not only by colour


def test_a_single_series_chart_has_no_legend() -> None:
    root = _tree(bar_chart("c", "T", "D", ["a"], [BarSeries("eins", (50.0,))]))
    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "chart-legend"]


@pytest.mark.parametrize(
    ("values", "ticks"),
    [
        ([3.0, 6.0], [0, 2, 4, 6]),
        ([1.0, 7.0], [0, 2, 4, 6, 8]),
        ([0.3, 0.9], [0, 0.25, 0.5, 0.75, 1]),
    ],
)
def test_ticks_are_round(values: list[float], ticks: list[float]) -> None:
    whole = all(v.is_integer() for v in values)
    assert value_scale(values, 0, 100, whole=whole).ticks() == ticks


def test_round_steps_are_one_two_or_five_times_a_power_of_ten() -> None:
    assert [nice_step(span) for span in (100, 6.6, 10, 33, 0.9)] == [25, 2, 2.5, 10, 0.25]


def test_counts_never_tick_at_thirds() -> None:
    root = _tree(bar_chart("c", "T", "D", ["a", "b"], [BarSeries("n", (6.0, 1.0))], share=False))
    ticks = [t for t in _texts(root) if re.fullmatch(r"[\d,.]+", t)]
    assert ticks[:4] == ["0", "2", "4", "6"]


def test_a_long_label_wraps_inside_the_svg_box() -> None:
    label = (
        "Das Netzwerk hat gemeinsame Werte und Ziele, die alle Partner kennen und teilen, "
        "schriftlich"
    )
    root = _tree(bar_chart("c", "T", "D", [label], [BarSeries("s", (80.0,))]))
    rows = [node for node in root.iter(f"{SVG}text") if node.get("class") == "chart-label"]
    assert len(rows) >= 2
    assert " ".join("".join(r.itertext()) for r in rows) == label
    for row in root.iter(f"{SVG}text"):
        x = float(row.get("x", 0))
        assert 0 <= x <= WIDTH
        if row.get("text-anchor") == "start":
            assert x + 7.2 * len("".join(row.itertext())) <= WIDTH
    assert all(len(line) * 7.2 <= WIDTH for line in wrap(label, WIDTH - 8))


def test_a_missing_year_leaves_a_gap_and_is_labelled_as_not_collected() -> None:
    points = [("2021", 40.0), ("2022", 55.0), ("2024", 60.0)]
    root = _tree(
        line_chart(
            "s", "T", "D", points, at=[2021.0, 2022.0, 2024.0], yearly=True, share=True, suffix=" %"
        )
    )
    dots = [float(c.get("cx", 0)) for c in root.iter(f"{SVG}circle")]
    assert dots[2] - dots[1] == pytest.approx(2 * (dots[1] - dots[0]), abs=0.2)
    assert "2023: nicht erhoben" in _texts(root)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 1 and len(lines[0].get("points", "").split()) == 2  # broken at 2023
    assert {"2021", "2022", "2023", "2024"} <= set(_texts(root))


def test_a_line_with_a_target_has_a_legend_and_round_ticks() -> None:
    from web.charts import Reference

    root = _tree(
        line_chart(
            "i",
            "Kennzahl",
            "D",
            [("01.03.2023", 3.3), ("01.09.2024", 6.6)],
            at=[2023.16, 2024.66],
            label="Gemessener Wert",
            references=[Reference("Ziel", 5.0)],
        )
    )
    texts = _texts(root)
    assert "Gemessener Wert" in texts and "Ziel 5" in texts
    assert not any(t in texts for t in ("3,3", "6,6", "33", "66"))
    assert {"0", "2", "4", "6", "8"} <= set(texts)


def test_spreads_sit_on_a_time_axis_with_gaps() -> None:
    spreads = [Spread("2020", 50, 50, 40, 60), Spread("2023", 60, 62, 50, 70)]
    root = _tree(spread_chart("l", "T", "D", spreads))
    assert "2021: nicht erhoben" in _texts(root) and "2022: nicht erhoben" in _texts(root)
    assert "Median" in _texts(root)
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
