"""The drawing is well-formed, accessible SVG with every entered text escaped; its text
alternative says what each element leads to; the page partial renders all of it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from plugins.impact_orientation.logic_model.model import model_of
from plugins.impact_orientation.logic_model.sample import generated_records, sample_records
from plugins.impact_orientation.logic_model.svg import (
    drawing,
    text_alternative,
    text_alternative_plain,
)
from plugins.impact_orientation.logic_model.view import view_context
from tests.plugins.test_logic_model_model import arrow, cycle_of, element

SVG = "{http://www.w3.org/2000/svg}"
TEMPLATES = Path(__file__).parents[2] / "plugins" / "impact_orientation" / "templates"
HOSTILE = 'Eltern <script>alert("x")</script> & "Kinder" \'1\''


def hostile_model() -> dict[str, Any]:
    """A model whose titles and assumption try to break out of the markup."""
    return {
        "element": {
            "a": element("activities", HOSTILE),
            "r": element("results", "Resultat </text><g onload='x'>", step=4, level="outcome"),
        },
        "arrow": {"p": arrow("a", "r", "<b>fett</b> & mehr")},
    }


def test_the_drawing_is_well_formed_svg_with_role_title_and_description() -> None:
    svg = drawing(model_of(cycle_of(sample_records())), "de")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby", "").split()
    ids = {node.get("id"): node for node in root.iter() if node.get("id")}
    assert [ids[i].tag for i in labelled] == [f"{SVG}title", f"{SVG}desc"]
    assert ids[labelled[0]].text == "Wirkmodell des Netzwerks"
    assert "Resultate: 5" in (ids[labelled[1]].text or "")
    headers = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert headers[:4] == ["Rahmenbedingungen", "Konzept", "Aktivitätsbereiche", "Resultate"]
    assert len([p for p in root.iter(f"{SVG}path") if p.get("marker-end")]) == 17


def test_entered_text_is_escaped_and_comes_back_unchanged() -> None:
    svg = drawing(model_of(cycle_of(hostile_model())), "en")
    root = ET.fromstring(svg)  # would fail if a title broke the markup
    assert "<script" not in svg and "onload=" not in svg.replace("onload=&#x27;", "")
    assert not [n for n in root.iter() if n.tag in (f"{SVG}script", "script")]
    titles = [n.text for n in root.iter(f"{SVG}title")]
    assert HOSTILE in titles
    texts = " ".join(n.text or "" for n in root.iter(f"{SVG}text"))
    assert "<b>fett</b> & mehr" in texts  # the assumption, listed under the drawing
    assert "(1) assuming that" in texts


def test_assumptions_are_numbered_on_their_arrows_and_listed() -> None:
    model = model_of(cycle_of(sample_records()))
    root = ET.fromstring(drawing(model, "de"))
    circles = list(root.iter(f"{SVG}circle"))
    numbered = sum(1 for a in model.arrows if a.assumption)
    assert len(circles) == numbered
    listed = [
        n.text
        for n in root.iter(f"{SVG}text")
        if (n.text or "").startswith("(") and ")" in (n.text or "")[:4]
    ]
    assert len(listed) == numbered
    assert listed[0] == "(1) unter der Annahme, dass die Stelle dauerhaft besetzt ist"


def test_the_text_alternative_says_what_each_element_leads_to_with_assumptions() -> None:
    model = model_of(cycle_of(sample_records()))
    sections = text_alternative(model, "de")
    assert [s.heading for s in sections] == [
        "Rahmenbedingungen",
        "Konzept",
        "Aktivitätsbereiche",
        "Resultate",
    ]
    activities = sections[2].sentences
    assert (
        "„Willkommensbesuche bei allen Neugeborenen“ führt zu „Mehr Familien mit Neugeborenen "
        "erreicht“, unter der Annahme, dass die Geburtsmeldungen vollständig vorliegen."
    ) in activities
    results = sections[3].sentences
    assert (
        "„Kinder wachsen gesund und geschützt auf“ (Stufe 7 · Impact) "
        "führt zu keinem weiteren Element." in results
    )
    english = text_alternative_plain(model, "en")
    assert "Results:" in english and "leads to no other element." in english


def test_an_empty_model_says_so() -> None:
    model = model_of({})
    root = ET.fromstring(drawing(model, "de"))
    assert root.find(f"{SVG}desc").text == "Das Wirkmodell hat noch keine Elemente."  # type: ignore[union-attr]
    context = view_context({}, "de")
    assert context["empty"] is True


def render(context: dict[str, Any]) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True)
    )
    env.globals["url_for"] = lambda endpoint, filename: f"/static/{filename}"
    return env.get_template("impact_orientation/logic_model_view.html").render(logic_model=context)


def test_the_partial_renders_drawing_words_tables_and_hints_escaped() -> None:
    records = hostile_model()
    cycle = cycle_of(records)
    page = render(view_context(cycle, "de"))
    assert page.count("<svg") == 1
    assert "<script>" not in page
    assert "Eltern &lt;script&gt;alert" in page
    assert "Das Wirkmodell in Worten" in page
    assert "Pfeile und Annahmen" in page
    assert "hat keinen Indikator" in page  # the result has no goal
    english = render(view_context(cycle, "en"))
    assert "The logic model in words" in english and "Hints on the logic model" in english


def test_the_partial_for_an_empty_model_shows_how_to_start() -> None:
    page = render(view_context({}, "de"))
    assert "Beginnen Sie mit den Rahmenbedingungen" in page
    assert "<svg" not in page


def test_the_large_model_renders_in_one_drawing() -> None:
    context = view_context(cycle_of(generated_records()), "de")
    root = ET.fromstring(str(context["svg"]))
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "element"]) == 60
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "arrow"]) == 120


A4_LANDSCAPE_PX = (277 / 25.4 * 96, 190 / 25.4 * 96)
"""The printable area of A4 landscape with 10 mm margins, in CSS pixels."""


def print_scale(svg: str) -> float:
    """How much the drawing shrinks to fit the printable area of one A4 landscape page."""
    root = ET.fromstring(svg)
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    return min(1.0, A4_LANDSCAPE_PX[0] / width, A4_LANDSCAPE_PX[1] / height)


def test_the_sample_fits_one_a4_landscape_page_with_titles_of_at_least_9_pt() -> None:
    scale = print_scale(drawing(model_of(cycle_of(sample_records())), "de"))
    assert 13 * scale * 0.75 >= 9  # 13 px titles, 0.75 pt per px
    # The bound, stated: the generated 60/120 model (24 results in one column) needs about
    # four pages' height; on one page its titles would shrink below 3 pt. Its table carries it.
    large = print_scale(drawing(model_of(cycle_of(generated_records())), "de"))
    assert large < 0.3


def test_the_printed_drawing_has_few_elements_and_passes_the_report_whitelist() -> None:
    from plugins.impact_orientation.logic_model.report import report_drawing
    from web.reports.svg_safe import sanitised

    cycle = cycle_of(generated_records())
    printed = report_drawing(cycle, "de")
    screen = drawing(model_of(cycle), "de")
    root = ET.fromstring(printed)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.findall(f".//{ns}g") == []  # no groups, no tooltips: the PDF styles every element
    assert len(root.findall(f".//{ns}title")) == 1  # the drawing's own
    paths = root.findall(f"{ns}path")
    assert len(paths) <= 4  # lines, dashed lines, heads, number circles
    assert sum(p.get("d", "").count("Z") for p in paths) >= 120  # a head for every arrow
    assert "Annahmen an den Pfeilen" not in printed  # listed in the report's paragraphs
    assert "Annahmen an den Pfeilen" in screen
    assert len(printed) < len(screen) / 2
    assert ET.fromstring(sanitised(printed)).attrib == root.attrib
