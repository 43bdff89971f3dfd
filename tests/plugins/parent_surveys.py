"""A parents' survey from the theme's good-practice question set, answered and maybe closed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

from engine.application.service import Qualizyklus
from tests.plugins.theme_cycles import COORDINATOR


def parents_survey(
    engine: Qualizyklus,
    cycle_id: UUID,
    answers: Sequence[Mapping[str, list[str]]],
    *,
    on_paper: int = 0,
    year: int = 2025,
    own_questions: Iterable[Mapping[str, Any]] = (),
    close: bool = False,
) -> str:
    """A good-practice survey of ``year`` with ``answers`` (the first ``on_paper`` typed in
    from paper, the others given online in German, Turkish and Arabic by turns); its id."""
    survey_id = engine.create_survey(
        cycle_id,
        actor_id=COORDINATOR,
        title=f"Elternbefragung {year}",
        question_set_id="parents-good-practice",
        closes_on=date(year, 11, 30),
        own_questions=own_questions,
    )
    own = bool(own_questions)  # own questions here are German only: so are the answers
    for number, choices in enumerate(answers):
        engine.answer_survey(
            cycle_id,
            survey_id,
            language="de" if own else ("de", "tr", "ar")[number % 3],
            choices=choices,
            texts={},
            actor_id=COORDINATOR if number < on_paper else None,
            today=date(year, 11, 1),
        )
    if close:
        engine.close_survey(cycle_id, survey_id, actor_id=COORDINATOR)
    return survey_id
