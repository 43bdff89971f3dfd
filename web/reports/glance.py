"""The report's first page, "at a glance": each goal's verdict, each theme's key figures and
what comes next, taken from the same content as the chapters that follow."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from web.reports.blocks import Grid, day
from web.reports.sections import SETTLED, KeyFigure, Part

FIGURES = 3
"""Key figures shown per theme."""
STEPS = 5
"""Open measures shown as next steps."""
GOAL_COLUMNS = (0, 5, 6, 7)
"""Of the goals table: goal, latest value, target, verdict."""


@dataclass(frozen=True)
class Glance:
    """The one-page summary: goals with their verdicts, key figures by theme, next steps."""

    goals: Grid
    figures: tuple[tuple[str, tuple[KeyFigure, ...]], ...]
    next_steps: tuple[str, ...]


def columns(grid: Grid, keep: Sequence[int]) -> Grid:
    """Some of a table's columns, in the order given."""
    kept = [index for index in keep if index < len(grid.columns)]
    return Grid(
        tuple(grid.columns[index] for index in kept),
        tuple(tuple(row[index] for index in kept) for row in grid.rows),
        frozenset(position for position, index in enumerate(kept) if index in grid.numeric),
    )


def next_steps(cycle: Mapping[str, Any]) -> tuple[str, ...]:
    """The closing's follow-up when the cycle is closed, else the open measures by due date."""
    follow_up = (cycle.get("closing") or {}).get("follow_up")
    if follow_up:
        return (str(follow_up),)
    open_measures = [
        measure
        for measure in cycle["measures"].values()
        if str(measure.get("status") or "") not in SETTLED
    ]
    open_measures.sort(key=lambda m: m.get("due") if isinstance(m.get("due"), date) else date.max)
    return tuple(step(measure) for measure in open_measures[:STEPS])


def step(measure: Mapping[str, Any]) -> str:
    """An open measure as a next step: its title and, if it has one, its due date."""
    due = measure.get("due")
    return f"{measure['title']} ({_('Fällig')}: {day(due)})" if due else str(measure["title"])


def glance(cycle: Mapping[str, Any], parts: Sequence[Part], goals: Grid) -> Glance:
    """The summary of a cycle's report from its goals table and its themes' parts."""
    return Glance(
        goals=columns(goals, GOAL_COLUMNS),
        figures=tuple((part.title, part.figures[:FIGURES]) for part in parts if part.figures),
        next_steps=next_steps(cycle),
    )
