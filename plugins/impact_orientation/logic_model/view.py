"""What the theme's logic-model page shows, as one context for its template partial.

``view_context(cycle, language)`` gives the partial
``impact_orientation/logic_model_view.html`` everything it renders: the drawing (SVG,
already escaped, marked safe), its text alternative, the tables, the checks' hints and every
heading in the reader's language, so the partial needs no translations of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from engine import Text
from plugins.impact_orientation.logic_model.checks import hints
from plugins.impact_orientation.logic_model.model import model_of
from plugins.impact_orientation.logic_model.svg import drawing, text_alternative
from plugins.impact_orientation.logic_model.table import (
    ARROW_COLUMNS,
    ELEMENT_COLUMNS,
    GOAL_COLUMNS,
    arrow_rows,
    element_rows,
    goal_rows,
)

CHECK_LABELS: dict[str, Text] = {
    "results-without-indicator": Text(
        "Jedes Resultat hat einen Indikator", "Every result has an indicator"
    ),
    "activities-leading-nowhere": Text(
        "Jeder Aktivitätsbereich führt zu etwas", "Every area of activity leads somewhere"
    ),
    "goals-outside-model": Text(
        "Jedes Wirkungsziel ist im Wirkmodell verknüpft",
        "Every impact goal is tied to the logic model",
    ),
    "cycles": Text("Die Pfeile bilden keinen Kreis", "The arrows form no circle"),
}
"""The checks by id, worded as the condition an organisation may make its gate."""

LABELS: dict[str, Text] = {
    "heading": Text("Wirkmodell", "Logic model"),
    "drawing": Text("Wirkmodell als Zeichnung", "Logic model as a drawing"),
    "alternative": Text("Das Wirkmodell in Worten", "The logic model in words"),
    "elements": Text("Elemente", "Elements"),
    "arrows": Text("Pfeile und Annahmen", "Arrows and assumptions"),
    "goals": Text("Verknüpfte Ziele und Indikatoren", "Linked goals and indicators"),
    "hints": Text("Hinweise zum Wirkmodell", "Hints on the logic model"),
    "no_hints": Text(
        "Die Prüfungen finden nichts zu verbessern.", "The checks find nothing to improve."
    ),
    "empty": Text(
        "Das Wirkmodell hat noch keine Elemente. Beginnen Sie mit den Rahmenbedingungen und "
        "dem Konzept, und verbinden Sie die Aktivitätsbereiche mit ihren Resultaten.",
        "The logic model has no elements yet. Start with the framework conditions and the "
        "concept, and link the areas of activity to their results.",
    ),
    "dashed": Text(
        "Gestrichelte Pfeile führen zurück oder innerhalb einer Spalte; die Nummern an den "
        "Pfeilen verweisen auf die Annahmen.",
        "Dashed arrows lead back or within one column; the numbers on the arrows refer to the "
        "assumptions.",
    ),
    "gate": Text("Vor der Umsetzung muss erfüllt sein:", "Must hold before implementation starts:"),
    "none": Text("keine", "none"),
    "description": Text("Beschreibung", "Description"),
}
"""The partial's headings and sentences."""


def view_context(cycle: Mapping[str, Any], language: str) -> dict[str, Any]:
    """Everything the partial renders for ``cycle``'s logic model, in ``language``.

    Keys: ``empty`` (no element yet), ``svg`` (Markup), ``alternative`` (sections of
    sentences), ``elements``, ``arrows``, ``goals`` (rows), ``element_columns``,
    ``arrow_columns``, ``goal_columns`` (headings), ``hints`` (sentences), ``gate`` (the
    chosen check's wording or None), ``labels`` (headings by name).
    """
    model = model_of(cycle)
    language = "en" if language == "en" else "de"
    return {
        "empty": model.is_empty,
        "svg": Markup(drawing(model, language)),
        "alternative": text_alternative(model, language),
        "elements": element_rows(model, cycle, language),
        "arrows": arrow_rows(model),
        "goals": goal_rows(model, cycle, language),
        "element_columns": [c.get(language) for c in ELEMENT_COLUMNS],
        "arrow_columns": [c.get(language) for c in ARROW_COLUMNS],
        "goal_columns": [c.get(language) for c in GOAL_COLUMNS],
        "hints": [hint.hint.get(language) for hint in hints(model, cycle)],
        "gate": CHECK_LABELS[model.gate_check].get(language) if model.gate_check else None,
        "labels": {name: text.get(language) for name, text in LABELS.items()},
    }
