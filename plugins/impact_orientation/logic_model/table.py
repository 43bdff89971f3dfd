"""The logic model as tables: elements, arrows with their assumptions, and the linked goals
with their latest indicator value and progress towards the target.

Two forms of the same content: plain rows (strings in the reader's language, not escaped)
for the theme's page, and :class:`engine.Table` (words as :class:`engine.Text`, titles people
entered as ``str``) for the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import Table, Text
from plugins.impact_orientation.analysis import GoalProgress, theme_goals
from plugins.impact_orientation.logic_model.model import (
    COLUMN_LABELS,
    LEVEL_SHORT,
    Element,
    LogicModel,
    quoted,
)

DASH = "–"

ELEMENT_COLUMNS = (
    Text("Spalte", "Column"),
    Text("Element", "Element"),
    Text("Stufe der Wirkungstreppe", "Step of the impact staircase"),
    Text("IOOI-Ebene", "IOOI level"),
    Text("Führt zu", "Leads to"),
    Text("Verknüpfte Ziele", "Linked goals"),
)
ARROW_COLUMNS = (
    Text("Nr.", "No."),
    Text("Von", "From"),
    Text("Nach", "To"),
    Text("Annahme („unter der Annahme, dass …“)", "Assumption (“assuming that …”)"),
)
GOAL_COLUMNS = (
    Text("Ziel", "Goal"),
    Text("Resultat im Wirkmodell", "Result in the logic model"),
    Text("Indikator", "Indicator"),
    Text("Letzter Messwert", "Latest value"),
    Text("Zielwert", "Target"),
    Text("Fortschritt", "Progress"),
)


def linked_goals(model: LogicModel, cycle: Mapping[str, Any]) -> list[tuple[GoalProgress, str]]:
    """The theme's goals tied to a result, each with its indicator, in the order they were set."""
    tied = {g for e in model.column("results") for g in e.goal_ids}
    goals = cycle.get("goals") or {}
    return [
        (goal, str((goals.get(goal.goal_id) or {}).get("indicator") or ""))
        for goal in theme_goals({**cycle, "goals": goals})
        if goal.goal_id in tied
    ]


def _goal_titles(element: Element, cycle: Mapping[str, Any]) -> list[str]:
    goals = cycle.get("goals") or {}
    return [str((goals.get(g) or {}).get("title") or g) for g in element.goal_ids if g in goals]


def element_rows(
    model: LogicModel, cycle: Mapping[str, Any], language: str
) -> list[dict[str, Any]]:
    """Per element: column, title, description, step, level, what it leads to, linked goals."""
    rows = []
    for element in model.elements:
        step = element.step_text()
        rows.append(
            {
                "id": element.id,
                "column": COLUMN_LABELS[element.column].get(language),
                "title": element.title,
                "text": element.text,
                "step": step.get(language) if step else DASH,
                "level": LEVEL_SHORT[element.level].get(language) if element.level else DASH,
                "leads_to": [model.element(a.target).title for a in model.outgoing(element.id)],
                "goals": _goal_titles(element, cycle),
            }
        )
    return rows


def arrow_rows(model: LogicModel) -> list[dict[str, Any]]:
    """Per arrow: the number of its assumption (None without one), from, to, the assumption."""
    numbers = model.numbered_assumptions()
    return [
        {
            "id": arrow.id,
            "number": numbers.get(arrow.id),
            "source": model.element(arrow.source).title,
            "target": model.element(arrow.target).title,
            "assumption": arrow.assumption,
        }
        for arrow in model.arrows
    ]


def goal_rows(model: LogicModel, cycle: Mapping[str, Any], language: str) -> list[dict[str, Any]]:
    """Per linked goal: its results, indicator, latest value, target and progress (as text and
    as a number in percent, None where it cannot be said)."""
    results = model.column("results")
    return [
        {
            "id": goal.goal_id,
            "title": goal.title,
            "results": [e.title for e in results if goal.goal_id in e.goal_ids],
            "indicator": indicator or DASH,
            "latest": goal.latest_text().get(language),
            "target": goal.amount(goal.target).get(language),
            "progress": goal.progress_text().get(language),
            "progress_value": goal.progress,
        }
        for goal, indicator in linked_goals(model, cycle)
    ]


# For the report -------------------------------------------------------------------------------

REPORT_ELEMENT_COLUMNS = (
    Text("Spalte", "Column"),
    Text("Element (Stufe · Ebene)", "Element (step · level)"),
    Text("Führt zu [Nr. der Annahme]", "Leads to [no. of the assumption]"),
)


def report_tables(model: LogicModel, cycle: Mapping[str, Any]) -> tuple[Table, ...]:
    """The elements with what they lead to, and the linked goals, as report tables.

    Compact on purpose: a PDF's time grows with its table cells, so the elements take three
    columns and the assumptions are paragraphs (:func:`assumption_paragraphs`), not a table.
    """
    numbers = model.numbered_assumptions()

    def leads(element: Element) -> str:
        return (
            "; ".join(
                model.element(a.target).title + (f" [{numbers[a.id]}]" if a.id in numbers else "")
                for a in model.outgoing(element.id)
            )
            or DASH
        )

    elements = Table(
        REPORT_ELEMENT_COLUMNS,
        tuple((COLUMN_LABELS[e.column], _titled(e), leads(e)) for e in model.elements),
    )
    results = model.column("results")
    goals = Table(
        GOAL_COLUMNS,
        tuple(
            (
                goal.title,
                "; ".join(e.title for e in results if goal.goal_id in e.goal_ids),
                indicator or DASH,
                goal.latest_text(),
                goal.amount(goal.target),
                goal.progress_text(),
            )
            for goal, indicator in linked_goals(model, cycle)
        ),
    )
    return tuple(t for t in (elements, goals) if t.rows)


def _titled(element: Element) -> str | Text:
    place = element.place()
    if place is None:
        return element.title
    return Text(f"{element.title} ({place.de})", f"{element.title} ({place.en})")


def assumption_paragraphs(model: LogicModel) -> tuple[Text, ...]:
    """Each numbered assumption: "(1) „A“ → „B“: unter der Annahme, dass …"."""
    numbers = model.numbered_assumptions()
    return tuple(
        Text(
            f"({numbers[a.id]}) {quoted(model.element(a.source).title, 'de')} → "
            f"{quoted(model.element(a.target).title, 'de')}: unter der Annahme, dass "
            f"{a.assumption}",
            f"({numbers[a.id]}) {quoted(model.element(a.source).title, 'en')} → "
            f"{quoted(model.element(a.target).title, 'en')}: assuming that {a.assumption}",
        )
        for a in model.arrows
        if a.id in numbers
    )
