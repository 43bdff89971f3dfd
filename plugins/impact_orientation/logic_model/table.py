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


def report_tables(model: LogicModel, cycle: Mapping[str, Any]) -> tuple[Table, ...]:
    """The elements, the arrows with their assumptions and the linked goals, as report tables."""
    elements = Table(
        ELEMENT_COLUMNS,
        tuple(
            (
                COLUMN_LABELS[e.column],
                e.title,
                step if (step := e.step_text()) else DASH,
                LEVEL_SHORT[e.level] if e.level else DASH,
                "; ".join(model.element(a.target).title for a in model.outgoing(e.id)) or DASH,
                "; ".join(_goal_titles(e, cycle)) or DASH,
            )
            for e in model.elements
        ),
    )
    numbers = model.numbered_assumptions()
    arrows = Table(
        ARROW_COLUMNS,
        tuple(
            (
                str(numbers[a.id]) if a.id in numbers else DASH,
                model.element(a.source).title,
                model.element(a.target).title,
                a.assumption or DASH,
            )
            for a in model.arrows
        ),
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
    return tuple(t for t in (elements, arrows, goals) if t.rows)
