"""The logic model in the cycle report (Qualitätsbericht): as it stood when the cycle closed.

The cycle mapping of a closed cycle is its state at the close, so the section shows the model
of that moment: the drawing (an :class:`engine.Drawing`, which the report shows through its
SVG whitelist), its numbered assumptions as paragraphs, and tables (elements with what they
lead to, linked goals with value and progress).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Drawing, ReportSection, Text
from plugins.impact_orientation.analysis import THEME_ID
from plugins.impact_orientation.logic_model.model import LogicModel, model_of
from plugins.impact_orientation.logic_model.svg import drawing, summary
from plugins.impact_orientation.logic_model.table import assumption_paragraphs, report_tables

IN_THE_TABLE = Text(
    "Die Tabelle nennt je Element, wozu es führt; die Nummern verweisen auf die Annahmen.",
    "The table names what each element leads to; the numbers refer to the assumptions.",
)
TITLE = Text("Wirkmodell des Netzwerks", "The network's logic model")


def logic_model_section(cycle: Mapping[str, Any]) -> ReportSection | None:
    """The model drawn, its numbered assumptions and its tables (elements and what they lead
    to, linked goals); None while the model has no element."""
    model = model_of(cycle)
    if model.is_empty:
        return None
    summary_text = Text(summary_for_report(model, "de"), summary_for_report(model, "en"))
    return ReportSection(
        theme_id=THEME_ID,
        title=TITLE,
        paragraphs=(summary_text, *assumption_paragraphs(model)),
        tables=report_tables(model, cycle),
        drawings=(
            Drawing(
                svg=Text(report_drawing(cycle, "de"), report_drawing(cycle, "en")),
                title=TITLE,
                description=summary_text,
            ),
        ),
    )


def summary_for_report(model: LogicModel, language: str) -> str:
    """The drawing's summary, pointing to the table rather than to the drawing."""
    return summary(model, language, IN_THE_TABLE)


def report_drawing(cycle: Mapping[str, Any], language: str) -> str:
    """The model's drawing for print (SVG, every entered text escaped) as it stands in
    ``cycle``: without the assumptions under it, which the section lists as paragraphs."""
    return drawing(model_of(cycle), language, svg_id="wirkmodell-bericht", for_print=True)
