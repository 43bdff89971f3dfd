"""The logic model in the theme's insights: which results were reached, and in the review
phase the checks' findings as reflection questions.

Reached results are figures keyed by the result's record id (``result-<id>``): record ids
carry over from one cycle to the next, so the dashboard joins a result across the years.
A result counts as reached when it is tied to at least one goal and every goal tied to it was
judged "reached" in the review; its figure is the share of its goals judged reached (100 % =
reached), "–" while it has no goal.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from engine import Figure, Insight, Table, Text, rounded
from plugins.impact_orientation.analysis import THEME_ID
from plugins.impact_orientation.logic_model.checks import hints
from plugins.impact_orientation.logic_model.model import Element, LogicModel, model_of, quoted

RESULTS_INSIGHT = "logic-model-results"
QUESTIONS_INSIGHT = "logic-model-questions"
REACHED = "reached"
"""The verdict of a goal judged reached in the review."""
_NOT_SLUG = re.compile(r"[^a-z0-9-]+")


def logic_model_insights(cycle: Mapping[str, Any]) -> list[Insight]:
    """The reached results (if the model has results) and, in the review phase, the questions."""
    model = model_of(cycle)
    found = []
    if model.column("results"):
        found.append(results_insight(model, cycle))
    if cycle.get("phase") == "review":
        questions = questions_insight(model, cycle)
        if questions is not None:
            found.append(questions)
    return found


def result_key(element_id: str) -> str:
    """The figure key of a result: ``result-`` and its record id as a slug (a short hash is
    added where the id had to be changed or shortened, so two results never share a key)."""
    slug = _NOT_SLUG.sub("-", element_id.lower()).strip("-")
    if slug == element_id and len(slug) <= 50:
        return f"result-{slug}"
    digest = hashlib.sha256(element_id.encode()).hexdigest()[:8]
    return f"result-{slug[:40].strip('-')}-{digest}".replace("--", "-")


def reached_share(element: Element, cycle: Mapping[str, Any]) -> float | None:
    """The share of the result's goals judged reached, in percent (None without a goal)."""
    goals = cycle.get("goals") or {}
    linked = [goals[g] for g in element.goal_ids if g in goals]
    if not linked:
        return None
    reached = sum(1 for goal in linked if (goal.get("review") or {}).get("verdict") == REACHED)
    return rounded(100.0 * reached / len(linked))


def results_insight(model: LogicModel, cycle: Mapping[str, Any]) -> Insight:
    """Per result: the share of its goals judged reached; the count of results reached."""
    results = model.column("results")
    shares = {e.id: reached_share(e, cycle) for e in results}
    reached = [e for e in results if shares[e.id] == 100.0]
    judged = [e for e in results if shares[e.id] is not None]
    figures = [
        Figure(
            Text("Erreichte Resultate", "Results reached"),
            len(reached),
            Text(f"von {len(judged)} mit Zielen", f"of {len(judged)} with goals"),
            key="results-reached",
        )
    ]
    figures += [
        Figure(
            Text(e.title, e.title),
            "–" if shares[e.id] is None else shares[e.id],  # type: ignore[arg-type]
            "" if shares[e.id] is None else "%",
            key=result_key(e.id),
        )
        for e in results
    ]
    names_de = ", ".join(quoted(e.title, "de") for e in reached) or "keines"
    names_en = ", ".join(quoted(e.title, "en") for e in reached) or "none"
    return Insight(
        theme_id=THEME_ID,
        id=RESULTS_INSIGHT,
        title=Text("Resultate des Wirkmodells", "Results of the logic model"),
        figures=tuple(figures),
        text=Text(
            "Je Resultat der Anteil seiner Ziele, die in der Auswertung als erreicht bewertet "
            f"sind (100 % = Resultat erreicht). Erreicht: {names_de}.",
            "Per result, the share of its goals judged reached in the review (100% = result "
            f"reached). Reached: {names_en}.",
        ),
    )


def questions_insight(model: LogicModel, cycle: Mapping[str, Any]) -> Insight | None:
    """The checks' findings as questions for the review (None when there is nothing to ask)."""
    found = hints(model, cycle) if not model.is_empty else []
    if not found:
        return None
    return Insight(
        theme_id=THEME_ID,
        id=QUESTIONS_INSIGHT,
        title=Text("Reflexionsfragen zum Wirkmodell", "Reflection questions on the logic model"),
        tables=(
            Table(
                (Text("Frage für die Auswertung", "Question for the review"),),
                tuple((hint.question,) for hint in found),
            ),
        ),
        text=Text(
            "Aus den Prüfungen des Wirkmodells: Stellen Sie diese Fragen bei der Auswertung.",
            "From the checks of the logic model: ask these questions in the review.",
        ),
    )
