"""The chapters of the report: the themes' sections, goals and their reviews, measures,
indicator values and lessons, each ready to show in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from engine.domain.catalogue import Theme
from engine.domain.contributions import ReportSection
from web.audit_text import actor_name
from web.i18n import STATUSES, VERDICTS, localised
from web.reports.blocks import (
    DASH,
    Grid,
    Picture,
    Sketch,
    amount,
    day,
    figure_text,
    grid,
    indicator_chart,
    picture,
    sketch,
    theme_title,
)

SETTLED = frozenset({"done", "dropped", "carried-over"})
"""Measure statuses that are never overdue."""


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of a theme: label, value with its unit, a note in small print."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Part:
    """One theme's section of the report."""

    id: str
    theme_id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    figures: tuple[KeyFigure, ...] = ()
    pictures: tuple[Picture, ...] = ()
    grids: tuple[Grid, ...] = ()
    drawings: tuple[Sketch, ...] = ()


@dataclass(frozen=True)
class Review:
    """A goal's judgement with its evidence."""

    goal: str
    verdict: str
    evidence: str


@dataclass(frozen=True)
class IndicatorResult:
    """One goal's measured values: a chart (when there are values) and the values as a table."""

    id: str
    goal: str
    indicator: str
    picture: Picture | None
    values: Grid


@dataclass(frozen=True)
class Lesson:
    """A lesson learned, with the title of its theme (empty if it has none)."""

    theme: str
    text: str


# The parts of the report ----------------------------------------------------------------------


def part(section: ReportSection, index: int) -> Part:
    """One theme's report section, ready to show."""
    anchor = f"theme-{index}"
    return Part(
        id=anchor,
        theme_id=section.theme_id,
        title=localised(section.title),
        paragraphs=tuple(localised(p) for p in section.paragraphs if localised(p)),
        figures=tuple(
            KeyFigure(
                localised(figure.label),
                figure_text(figure.value, figure.unit),
                localised(figure.note) if figure.note else "",
            )
            for figure in section.figures
        ),
        pictures=tuple(
            picture(chart, f"{anchor}-chart-{number_ + 1}")
            for number_, chart in enumerate(section.charts)
        ),
        grids=tuple(grid(table.columns, table.rows) for table in section.tables),
        drawings=tuple(
            sketch(drawing, f"{anchor}-drawing-{number_ + 1}")
            for number_, drawing in enumerate(section.drawings)
        ),
    )


def ordered(sections: Sequence[ReportSection], themes: Sequence[str]) -> list[ReportSection]:
    """The sections in the order of the cycle's themes (others after them, as they came)."""
    position = {theme_id: index for index, theme_id in enumerate(themes)}
    return sorted(sections, key=lambda s: position.get(s.theme_id, len(position)))


def goal_values(goal: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A goal's measured values, oldest first."""
    return sorted(goal.get("values") or [], key=lambda value: value["measured_on"])


def latest_text(goal: Mapping[str, Any]) -> str:
    """The latest measured value with its unit and date ("5 Anzahl (15.09.2025)")."""
    values = goal_values(goal)
    if not values:
        return DASH
    last = values[-1]
    return f"{amount(last['value'], str(goal.get('unit') or ''))} ({day(last['measured_on'])})"


def goals_grid(cycle: Mapping[str, Any], themes: Mapping[str, Theme]) -> Grid:
    """The goals with theme, the needs they answer, indicator, baseline, latest value, target
    and verdict."""
    rows = []
    for goal in cycle["goals"].values():
        unit = str(goal.get("unit") or "")
        review = goal.get("review") or {}
        verdict = review.get("verdict")
        rows.append(
            (
                str(goal["title"]),
                theme_title(themes, goal.get("theme_id")) or DASH,
                goal_needs(cycle, goal),
                str(goal.get("indicator") or DASH),
                amount(goal.get("baseline"), unit),
                latest_text(goal),
                amount(goal.get("target"), unit),
                str(VERDICTS.get(verdict, verdict)) if verdict else _("noch nicht bewertet"),
            )
        )
    return Grid(
        (
            _("Ziel"),
            _("Thema"),
            _("Entwicklungsbedarfe"),
            _("Indikator"),
            _("Ausgangswert"),
            _("Letzter Wert"),
            _("Zielwert"),
            _("Bewertung"),
        ),
        tuple(rows),
    )


def goal_needs(cycle: Mapping[str, Any], goal: Mapping[str, Any]) -> str:
    """The needs (findings) a goal answers, one after the other; a dash for none."""
    findings = cycle.get("findings") or {}
    texts = [str(findings[need]["text"]) for need in goal.get("need_ids") or () if need in findings]
    return "; ".join(texts) or DASH


def reviews(cycle: Mapping[str, Any]) -> tuple[Review, ...]:
    """The goals that have been judged, with the evidence."""
    found = []
    for goal in cycle["goals"].values():
        review = goal.get("review")
        if review:
            verdict = review.get("verdict")
            found.append(
                Review(
                    str(goal["title"]),
                    str(VERDICTS.get(verdict, verdict)),
                    str(review.get("evidence") or ""),
                )
            )
    return tuple(found)


def measures_grid(
    cycle: Mapping[str, Any], themes: Mapping[str, Theme], names: Mapping[str, str], today: date
) -> Grid:
    """The measures with goal (or theme), responsible person, status and dates."""
    rows = []
    goals = cycle["goals"]
    for measure in cycle["measures"].values():
        goal = goals.get(measure.get("goal_id") or "")
        status = str(measure.get("status") or "")
        label = str(STATUSES.get(status, status))
        due = measure.get("due")
        if isinstance(due, date) and due < today and status not in SETTLED:
            label = _("%(status)s, überfällig", status=label)
        responsible = measure.get("responsible_member_id")
        rows.append(
            (
                str(measure["title"]),
                str(goal["title"])
                if goal
                else theme_title(themes, measure.get("theme_id")) or DASH,
                actor_name(responsible, names) if responsible else DASH,
                label,
                day(measure.get("start")),
                day(due),
            )
        )
    return Grid(
        (
            _("Maßnahme"),
            _("Ziel oder Thema"),
            _("Verantwortlich"),
            _("Status"),
            _("Beginn"),
            _("Fällig"),
        ),
        tuple(rows),
    )


def indicator_results(cycle: Mapping[str, Any]) -> tuple[IndicatorResult, ...]:
    """Each goal's measured values as a chart and a table."""
    results = []
    for index, goal in enumerate(cycle["goals"].values(), start=1):
        values = goal_values(goal)
        unit = str(goal.get("unit") or "")
        table = Grid(
            (_("Gemessen am"), _("Wert"), _("Quelle")),
            tuple(
                (day(v["measured_on"]), amount(v["value"], unit), str(v.get("source") or DASH))
                for v in values
            ),
            frozenset({1}),
        )
        anchor = f"indicator-{index}"
        results.append(
            IndicatorResult(
                anchor,
                str(goal["title"]),
                str(goal.get("indicator") or ""),
                picture(indicator_chart(goal, values), f"{anchor}-chart") if values else None,
                table,
            )
        )
    return tuple(results)
