"""Each check finds what it should and nothing else; the chosen check is a gate before
implementation; in the review phase the findings are reflection questions."""

from __future__ import annotations

from typing import Any

from engine import Insight
from plugins.impact_orientation import dashboard, gates
from plugins.impact_orientation.logic_model.checks import (
    activities_leading_nowhere,
    cycles_in_arrows,
    goals_outside_model,
    hints,
    results_without_indicator,
)
from plugins.impact_orientation.logic_model.model import model_of
from tests.plugins.test_logic_model_model import arrow, cycle_of, element


def goal(title: str, indicator: str = "Anteil in %", **more: Any) -> dict[str, Any]:
    """A goal of the impact theme as the cycle mapping holds it."""
    return {
        "theme_id": "impact-orientation",
        "title": title,
        "indicator": indicator,
        "unit": "%",
        "baseline": 40,
        "target": 60,
        "values": [],
        "attrs": {},
        "review": None,
        **more,
    }


def sound() -> tuple[dict[str, Any], dict[str, Any]]:
    """A model every check is happy with, and its goals."""
    records = {
        "element": {
            "a": element("activities", "Willkommensbesuche"),
            "r": element("results", "Familien erreicht", goal_ids=["g1"]),
        },
        "arrow": {"p": arrow("a", "r")},
    }
    return records, {"g1": goal("Mehr Familien erreichen")}


def test_a_sound_model_has_no_hints() -> None:
    records, goals = sound()
    cycle = cycle_of(records, goals=goals)
    assert hints(model_of(cycle), cycle) == []


def test_a_result_without_a_goal_with_an_indicator_is_named() -> None:
    records, goals = sound()
    records["element"]["r2"] = element("results", "Eltern sicherer", goal_ids=["g2", "gone"])
    goals["g2"] = goal("Eltern stärken", indicator="  ")
    cycle = cycle_of(records, goals=goals)
    found = results_without_indicator(model_of(cycle), cycle)
    assert [(h.check, h.subjects) for h in found] == [("results-without-indicator", ("r2",))]
    assert "„Eltern sicherer“" in found[0].hint.de
    assert found[0].question.en.startswith("How would we know")


def test_an_activity_without_an_outgoing_arrow_is_named_a_self_arrow_does_not_count() -> None:
    records, goals = sound()
    records["element"]["a2"] = element("activities", "Elternbriefe")
    records["arrow"]["self"] = arrow("a2", "a2")
    cycle = cycle_of(records, goals=goals)
    found = activities_leading_nowhere(model_of(cycle))
    assert [h.subjects for h in found] == [("a2",)]
    records["arrow"]["on"] = arrow("a2", "r")
    assert activities_leading_nowhere(model_of(cycle_of(records))) == []


def test_a_goal_of_the_theme_tied_to_no_result_is_named_other_themes_goals_are_not() -> None:
    records, goals = sound()
    goals["g2"] = goal("Fachkräfte qualifizieren")
    goals["other"] = {**goal("Eltern beteiligen"), "theme_id": "parent-participation"}
    records["element"]["k"] = element("concept", "Konzept", goal_ids=["g2"])  # not a result
    cycle = cycle_of(records, goals=goals)
    found = goals_outside_model(model_of(cycle), cycle)
    assert [h.subjects for h in found] == [("g2",)]
    assert "„Fachkräfte qualifizieren“" in found[0].hint.de


def test_a_circle_of_arrows_is_named_with_its_elements() -> None:
    records, goals = sound()
    records["element"]["r2"] = element("results", "Vertrauen wächst", goal_ids=["g1"])
    records["arrow"]["p2"] = arrow("r", "r2")
    records["arrow"]["p3"] = arrow("r2", "r")
    records["arrow"]["loop"] = arrow("a", "a")
    found = cycles_in_arrows(model_of(cycle_of(records, goals=goals)))
    assert [h.subjects for h in found] == [("a",), ("r", "r2")]
    assert "„Familien erreicht“ → „Vertrauen wächst“" in found[1].hint.de
    records2, _ = sound()
    assert cycles_in_arrows(model_of(cycle_of(records2))) == []


def test_the_chosen_check_blocks_the_move_to_implementation_only() -> None:
    records, goals = sound()
    records["element"]["a2"] = element("activities", "Elternbriefe")
    cycle = cycle_of(records, goals=goals)
    assert gates.gate_reasons(cycle, "plan", "implement") == []  # no check chosen
    records["setting"] = {"gate": {"attrs": {"check": "activities-leading-nowhere"}, "text": ""}}
    reasons = gates.gate_reasons(cycle, "plan", "implement")
    assert [r.code for r in reasons] == ["impact-logic-model-activities-leading-nowhere"]
    assert "„Elternbriefe“" in reasons[0].de and "“Elternbriefe”" in reasons[0].en
    assert gates.gate_reasons(cycle, "implement", "review") == []
    assert gates.gate_reasons({**cycle, "themes": []}, "plan", "implement") == []


def test_a_chosen_check_that_finds_nothing_lets_the_cycle_move_on() -> None:
    records, goals = sound()
    records["setting"] = {"gate": {"attrs": {"check": "cycles"}, "text": ""}}
    records["element"]["a2"] = element("activities", "Elternbriefe")  # another check's finding
    cycle = cycle_of(records, goals=goals)
    assert gates.gate_reasons(cycle, "plan", "implement") == []


def questions(cycle: dict[str, Any]) -> list[Insight]:
    return [i for i in dashboard.insights(cycle, None) if i.id == "logic-model-questions"]


def test_in_the_review_phase_the_findings_are_reflection_questions() -> None:
    records, goals = sound()
    records["element"]["a2"] = element("activities", "Elternbriefe")
    in_review = cycle_of(records, goals=goals, phase="review")
    (insight,) = questions(in_review)
    assert [row[0].de for row in insight.tables[0].rows] == [  # type: ignore[union-attr]
        "Was soll der Aktivitätsbereich „Elternbriefe“ bewirken, und hat er es bewirkt?"
    ]
    assert questions(cycle_of(records, goals=goals, phase="plan")) == []
    sound_records, sound_goals = sound()
    assert questions(cycle_of(sound_records, goals=sound_goals, phase="review")) == []
