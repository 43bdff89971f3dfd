"""The parents' survey figures a coordinator compares year by year: answers, the share of
satisfied parents (smiley 4 or 5), the share who felt listened to, and paper answers, pooled
over the cycle's surveys with results and keyed by question set and question; no figure from
fewer than five answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from engine.application.service import Qualizyklus
from plugins.parent_participation.survey_figures import MAX_KEY, figure_key, measure_of
from tests.plugins.parent_surveys import parents_survey
from tests.plugins.test_theme_hooks import insights_of, participation_cycle_in_review
from tests.plugins.theme_cycles import Network

OWN_SMILEY = {
    "kind": "smiley",
    "text": {"de": "Wie gefällt Ihnen das Elterncafé?"},
    "options": [{"id": str(n), "text": {"de": f"Stufe {n}"}} for n in range(1, 6)],
}


def survey(
    engine: Qualizyklus,
    cycle_id: UUID,
    answers: Sequence[Mapping[str, list[str]]],
    *,
    on_paper: int = 0,
) -> str:
    """A good-practice survey with an own smiley question and ``answers``."""
    return parents_survey(engine, cycle_id, answers, on_paper=on_paper, own_questions=[OWN_SMILEY])


def figures(engine: Qualizyklus, cycle_id: UUID) -> dict[str, float | str]:
    """The survey insight's figures by key, in their order."""
    insight = insights_of(engine, cycle_id)[("parent-participation", "parents-surveys")]
    return {figure.key: figure.value for figure in insight.figures}  # type: ignore[misc]


def test_figures_pool_the_surveys_with_results_and_leave_out_one_with_four_answers(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    happy = {"rating": ["5"], "heard": ["yes"], "own-1": ["5"]}
    sad = {"rating": ["2"], "heard": ["no"], "own-1": ["1"]}
    survey(engine, cycle_id, [happy, happy, sad, sad, sad, sad], on_paper=2)
    survey(engine, cycle_id, [happy, happy, happy, sad, {"rating": ["4"]}])
    survey(engine, cycle_id, [happy] * 4)  # below five: counts for nothing

    found = figures(engine, cycle_id)

    assert list(found) == [
        "survey-answers",
        "survey-heard",
        "survey-satisfied",
        "survey-paper-answers",
        "survey-paper-share",
    ]  # the own smiley question has no figure: its id is only numbered per survey
    assert found["survey-answers"] == 11
    assert found["survey-heard"] == 50.0  # 5 of the 10 who answered the question
    assert found["survey-satisfied"] == 54.5  # 6 of 11 chose 4 or 5
    assert found["survey-paper-answers"] == 2
    assert found["survey-paper-share"] == 18.2


def test_a_question_answered_by_fewer_than_five_gives_no_share(engine: Qualizyklus) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    survey(engine, cycle_id, [{"rating": ["5"], "heard": ["yes"]}] * 4 + [{"rating": ["3"]}])

    found = figures(engine, cycle_id)

    assert found["survey-answers"] == 5
    assert found["survey-satisfied"] == 80.0
    assert "survey-heard" not in found  # four answers to it


def test_only_surveys_below_five_answers_give_no_figure_at_all(engine: Qualizyklus) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    survey(engine, cycle_id, [{"rating": ["5"], "heard": ["yes"]}] * 4)

    assert figures(engine, cycle_id) == {}


def test_a_smiley_question_of_another_set_is_keyed_by_set_and_question() -> None:
    question = {
        "id": "care_rating",
        "kind": "smiley",
        "text": {"de": "Wie war die Beratung?", "en": "How was the counselling?"},
        "options": [
            {"id": str(n), "text": {"de": f"Stufe {n}", "en": f"step {n}"}} for n in range(1, 6)
        ],
    }

    measure = measure_of("beratung_2025", question)

    assert measure is not None
    assert measure.key == "survey-beratung-2025-care-rating-positive"
    assert measure.options == ("4", "5")
    assert measure.label.de == "Wie war die Beratung? – Stufe 4 oder Stufe 5"
    assert measure_of("beratung_2025", {**question, "own": True}) is None
    assert measure_of("beratung_2025", {**question, "kind": "single"}) is None
    long_key = figure_key("a" * 64, "b" * 64)
    assert len(long_key) <= MAX_KEY and long_key == figure_key("a" * 64, "b" * 64)
    assert long_key != figure_key("a" * 64, "c" * 64)
