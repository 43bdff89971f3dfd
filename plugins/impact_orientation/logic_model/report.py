"""The logic model in the cycle report (Qualitätsbericht): as it stood when the cycle closed.

The cycle mapping of a closed cycle is its state at the close, so the section shows the model
of that moment. A report section is data, never markup (engine's ``ReportSection``): the
model appears in words (the text alternative, one paragraph per column) and as tables
(elements, arrows with their assumptions, linked goals with value and progress). The drawing
itself is :func:`report_drawing`, for a report that can carry a picture (see the note in
the theme's report module).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import ReportSection, Text
from plugins.impact_orientation.analysis import THEME_ID
from plugins.impact_orientation.logic_model.model import model_of
from plugins.impact_orientation.logic_model.svg import drawing, summary, text_alternative
from plugins.impact_orientation.logic_model.table import report_tables

TITLE = Text("Wirkmodell des Netzwerks", "The network's logic model")


def logic_model_section(cycle: Mapping[str, Any]) -> ReportSection | None:
    """The model in words and tables; None while the model has no element."""
    model = model_of(cycle)
    if model.is_empty:
        return None
    words = {language: text_alternative(model, language) for language in ("de", "en")}
    paragraphs = [Text(summary(model, "de"), summary(model, "en"))]
    for de, en in zip(words["de"], words["en"], strict=True):
        if de.sentences:
            paragraphs.append(
                Text(
                    f"{de.heading}: " + " ".join(de.sentences),
                    f"{en.heading}: " + " ".join(en.sentences),
                )
            )
    return ReportSection(
        theme_id=THEME_ID,
        title=TITLE,
        paragraphs=tuple(paragraphs),
        tables=report_tables(model, cycle),
    )


def report_drawing(cycle: Mapping[str, Any], language: str) -> str:
    """The model's drawing (SVG, every entered text escaped) as it stands in ``cycle``."""
    return drawing(model_of(cycle), language, svg_id="wirkmodell-bericht")
