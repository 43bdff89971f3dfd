"""The parent participation theme and parents' surveys: a closed survey with five answers
satisfies the gate for parents' feedback, and its results appear in the theme's insights."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import GateRefused
from tests.plugins.test_theme_hooks import insights_of, participation_cycle_in_review
from tests.plugins.theme_cycles import COORDINATOR, Network


def _survey_with_answers(engine: Qualizyklus, cycle_id: UUID, answers: int) -> str:
    survey_id = engine.create_survey(
        cycle_id,
        actor_id=COORDINATOR,
        title="Elternbefragung",
        question_set_id="parents-good-practice",
        closes_on="2025-12-31",
    )
    for number in range(answers):
        engine.answer_survey(
            cycle_id,
            survey_id,
            language="tr" if number % 2 else "de",
            choices={"rating": [str(number % 5 + 1)], "heard": ["yes"]},
            texts={},
            today=date(2025, 11, 1),
        )
    return survey_id


def test_a_closed_survey_with_five_answers_satisfies_the_gate_but_four_or_an_open_one_do_not(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    few = _survey_with_answers(engine, cycle_id, 4)
    engine.close_survey(cycle_id, few, actor_id=COORDINATOR)
    enough = _survey_with_answers(engine, cycle_id, 5)
    with pytest.raises(GateRefused):
        net.close(cycle_id)
    engine.close_survey(cycle_id, enough, actor_id=COORDINATOR)
    assert engine.next_step(cycle_id)["reasons"] == []
    net.close(cycle_id)


def test_the_results_of_a_survey_appear_in_the_theme_insights_from_five_answers(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    _survey_with_answers(engine, cycle_id, 4)
    insight = insights_of(engine, cycle_id)[("parent-participation", "parents-surveys")]
    assert insight.tables == () and insight.text is not None
    _survey_with_answers(engine, cycle_id, 6)
    insight = insights_of(engine, cycle_id)[("parent-participation", "parents-surveys")]
    figures = {figure.key: figure.value for figure in insight.figures}
    assert figures["survey-answers"] == 6  # the survey with four answers counts for nothing
    assert len(insight.tables) == 1 and len(insight.charts) == 1
    assert insight.charts[0].series[0].values == (2.0, 1.0, 1.0, 1.0, 1.0)
    heard = [row for row in insight.tables[0].rows if row[1].de == "Ja"]
    assert heard[0][2] == 6


def test_the_report_has_a_section_with_the_survey_results(engine: Qualizyklus) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    _survey_with_answers(engine, cycle_id, 5)
    sections = engine.report_sections(cycle_id).items
    surveyed = [s for s in sections if s.title.de == "Elternbefragungen"]
    assert len(surveyed) == 1 and len(surveyed[0].tables) == 1
