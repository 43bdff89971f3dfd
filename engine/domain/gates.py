"""The core gates a workflow definition can name for a phase transition.

A gate looks at a cycle and returns every reason why the transition cannot happen yet,
in plain German with English, so that a coordinator sees all that is missing at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from engine.domain.catalogue import Text
from engine.domain.cycle import SETTLED_STATUSES, Cycle
from engine.domain.errors import Reason

Gate = Callable[[Cycle, Mapping[str, Text]], list[Reason]]
"""A gate: (cycle, theme titles by id) -> reasons; an empty list lets the transition pass."""


def _title(titles: Mapping[str, Text], theme_id: str) -> Text:
    return titles.get(theme_id) or Text(theme_id, theme_id)


def assessment_per_theme(cycle: Cycle, theme_titles: Mapping[str, Text]) -> list[Reason]:
    """Every chosen theme has at least one assessment."""
    assessed = {key.split("/", 1)[0] for key, ratings in cycle.assessments.items() if ratings}
    missing = [_title(theme_titles, theme) for theme in cycle.themes if theme not in assessed]
    return [
        Reason(
            "assessment-missing",
            f"Für das Thema „{title.de}“ liegt noch keine Einschätzung vor.",
            f"Theme '{title.get('en')}' has no assessment yet.",
        )
        for title in missing
    ]


def need_recorded(cycle: Cycle, theme_titles: Mapping[str, Text]) -> list[Reason]:
    """At least one need (Entwicklungsbedarf) is recorded."""
    if any(f["kind"] == "need" and not f["withdrawn"] for f in cycle.findings.values()):
        return []
    return [
        Reason(
            "need-missing",
            "Es ist noch kein Entwicklungsbedarf festgehalten.",
            "No need for development has been recorded yet.",
        )
    ]


def priorities_chosen(cycle: Cycle, theme_titles: Mapping[str, Text]) -> list[Reason]:
    """At least one need is prioritised."""
    if cycle.priorities:
        return []
    return [
        Reason(
            "priorities-missing",
            "Es sind noch keine Prioritäten gesetzt.",
            "No priorities have been chosen yet.",
        )
    ]


def goals_have_indicators(cycle: Cycle, theme_titles: Mapping[str, Text]) -> list[Reason]:
    """There is a goal, and every goal has an indicator."""
    if not cycle.goals:
        return [Reason("goal-missing", "Es ist noch kein Ziel gesetzt.", "No goal has been set.")]
    return [
        Reason(
            "indicator-missing",
            f"Das Ziel „{goal['title']}“ hat noch keinen Indikator.",
            f"Goal '{goal['title']}' has no indicator.",
        )
        for goal in cycle.goals.values()
        if not goal["indicator"].strip()
    ]


def measure_with_owner_and_due(cycle: Cycle, theme_titles: Mapping[str, Text]) -> list[Reason]:
    """At least one measure has a responsible member and a due date."""
    if any(m["responsible_member_id"] and m["due"] for m in cycle.measures.values()):
        return []
    return [
        Reason(
            "measure-missing",
            "Es fehlt eine Maßnahme mit verantwortlicher Person und Fälligkeitsdatum.",
            "No measure has both a responsible member and a due date.",
        )
    ]


STATUS_TEXTS = {
    "planned": Text("geplant", "planned"),
    "running": Text("läuft", "running"),
    "blocked": Text("blockiert", "blocked"),
}


def measures_settled(cycle: Cycle, theme_titles: Mapping[str, Text]) -> list[Reason]:
    """Every measure is done, dropped or carried over."""
    return [
        Reason(
            "measure-open",
            f"Die Maßnahme „{m['title']}“ ist noch „{STATUS_TEXTS[m['status']].de}“ "
            "(nötig: erledigt, verworfen oder übertragen).",
            f"Measure '{m['title']}' is still '{STATUS_TEXTS[m['status']].get('en')}' "
            "(needs done, dropped or carried over).",
        )
        for m in cycle.measures.values()
        if m["status"] not in SETTLED_STATUSES
    ]


def goals_reviewed(cycle: Cycle, theme_titles: Mapping[str, Text]) -> list[Reason]:
    """Every goal has a review verdict."""
    return [
        Reason(
            "goal-unreviewed",
            f"Das Ziel „{goal['title']}“ ist noch nicht bewertet.",
            f"Goal '{goal['title']}' has not been reviewed.",
        )
        for goal in cycle.goals.values()
        if goal["review"] is None
    ]


CORE_GATES: dict[str, Gate] = {
    "assessment-per-theme": assessment_per_theme,
    "need-recorded": need_recorded,
    "priorities-chosen": priorities_chosen,
    "goals-have-indicators": goals_have_indicators,
    "measure-with-owner-and-due": measure_with_owner_and_due,
    "measures-settled": measures_settled,
    "goals-reviewed": goals_reviewed,
}
"""Gates by the name a workflow definition uses for them."""
