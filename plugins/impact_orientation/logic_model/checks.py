"""Checks that help a network improve its logic model, as hints and as reflection questions.

Four checks, each known by the id an organisation may choose as its gate (``CHECKS``):
results without an indicator (no linked goal of the cycle with an indicator), activities that
lead to nothing (no arrow leaves them), goals of the theme that no result is tied to, and
cycles in the arrows (A leads to B leads to A), naming the elements.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import Text
from plugins.impact_orientation.analysis import THEME_ID
from plugins.impact_orientation.logic_model.model import LogicModel, quoted


@dataclass(frozen=True)
class Hint:
    """One finding of a check: which check, the elements or goals concerned, the wording as a
    hint on the page and as a question for the review."""

    check: str
    subjects: tuple[str, ...]
    hint: Text
    question: Text


def hints(model: LogicModel, cycle: Mapping[str, Any]) -> list[Hint]:
    """Every check's findings for the model in ``cycle``, in the order of ``CHECKS``."""
    return [
        *results_without_indicator(model, cycle),
        *activities_leading_nowhere(model),
        *goals_outside_model(model, cycle),
        *cycles_in_arrows(model),
    ]


def results_without_indicator(model: LogicModel, cycle: Mapping[str, Any]) -> list[Hint]:
    """Results tied to no goal of the cycle that has an indicator."""
    goals = cycle.get("goals") or {}
    found = []
    for element in model.column("results"):
        if any(str((goals.get(g) or {}).get("indicator") or "").strip() for g in element.goal_ids):
            continue
        de, en = quoted(element.title, "de"), quoted(element.title, "en")
        found.append(
            Hint(
                "results-without-indicator",
                (element.id,),
                Text(
                    f"Das Resultat {de} hat keinen Indikator: Verknüpfen Sie es mit einem Ziel, "
                    "das einen Indikator hat.",
                    f"The result {en} has no indicator: link it to a goal that has one.",
                ),
                Text(
                    f"Woran würden wir erkennen, dass das Resultat {de} eingetreten ist?",
                    f"How would we know that the result {en} has come about?",
                ),
            )
        )
    return found


def activities_leading_nowhere(model: LogicModel) -> list[Hint]:
    """Areas of activity from which no arrow leads on."""
    found = []
    for element in model.column("activities"):
        if any(a.target != element.id for a in model.outgoing(element.id)):
            continue
        de, en = quoted(element.title, "de"), quoted(element.title, "en")
        found.append(
            Hint(
                "activities-leading-nowhere",
                (element.id,),
                Text(
                    f"Der Aktivitätsbereich {de} führt zu keinem Resultat: Ergänzen Sie einen "
                    "Pfeil, oder prüfen Sie, ob es ihn braucht.",
                    f"The area of activity {en} leads to no result: add an arrow, or ask "
                    "whether it is needed.",
                ),
                Text(
                    f"Was soll der Aktivitätsbereich {de} bewirken, und hat er es bewirkt?",
                    f"What is the area of activity {en} meant to achieve, and did it?",
                ),
            )
        )
    return found


def goals_outside_model(model: LogicModel, cycle: Mapping[str, Any]) -> list[Hint]:
    """Goals of the theme in the cycle that no result element is tied to."""
    tied = {goal_id for element in model.column("results") for goal_id in element.goal_ids}
    found = []
    for goal_id, goal in (cycle.get("goals") or {}).items():
        if goal.get("theme_id") != THEME_ID or goal_id in tied:
            continue
        title = str(goal.get("title") or goal_id)
        de, en = quoted(title, "de"), quoted(title, "en")
        found.append(
            Hint(
                "goals-outside-model",
                (goal_id,),
                Text(
                    f"Das Wirkungsziel {de} ist mit keinem Resultat des Wirkmodells verknüpft.",
                    f"The impact goal {en} is tied to no result of the logic model.",
                ),
                Text(
                    f"Zu welchem Resultat unseres Wirkmodells trägt das Ziel {de} bei?",
                    f"Which result of our logic model does the goal {en} contribute to?",
                ),
            )
        )
    return found


def cycles_in_arrows(model: LogicModel) -> list[Hint]:
    """One hint per circle of arrows (elements that lead back to themselves), naming them."""
    found = []
    for members in strongly_connected(model):
        titles = [model.element(m).title for m in members]
        de = " → ".join(quoted(t, "de") for t in titles)
        en = " → ".join(quoted(t, "en") for t in titles)
        found.append(
            Hint(
                "cycles",
                tuple(members),
                Text(
                    f"Die Pfeile bilden einen Kreis: {de}. Ein Wirkmodell liest sich von links "
                    "nach rechts; prüfen Sie, ob eine Rückkopplung gemeint ist.",
                    f"The arrows form a circle: {en}. A logic model reads left to right; check "
                    "whether a feedback loop is meant.",
                ),
                Text(
                    f"Wirken {de} wirklich im Kreis aufeinander, und wie zeigt sich das?",
                    f"Do {en} really act on each other in a circle, and how does it show?",
                ),
            )
        )
    return found


def strongly_connected(model: LogicModel) -> list[list[str]]:
    """The circles of the arrows: groups of elements that reach each other (Tarjan), each in
    the model's order, groups in the order of their first element; a self-arrow counts."""
    successors: dict[str, list[str]] = {e.id: [] for e in model.elements}
    for arrow in model.arrows:
        successors[arrow.source].append(arrow.target)
    position = {e.id: i for i, e in enumerate(model.elements)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in successors:
        if root in index:
            continue
        work = [(root, iter(successors[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(successors[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in successors[node]:
                    groups.append(sorted(group, key=position.__getitem__))
    return sorted(groups, key=lambda g: position[g[0]])
