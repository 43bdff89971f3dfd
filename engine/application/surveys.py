"""Parents' surveys: create, answer (online or from paper), close, erase a text; results.

Parents answer without an account: an online answer's actor is :data:`PARENT_ACTOR`, and
nothing about the parent (address, browser) is recorded. Many parents answer at once and all
their answers are events of one cycle, so an answer that meets a concurrent write is tried
again on the fresh cycle (zero lost, zero doubled: a retry only happens when nothing was
written). Free texts go to the erasable text store first (engine/application/survey_texts.py)
and only their references into the event.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, TypeVar
from uuid import UUID, uuid4

from engine.application.store import Engine, check_version
from engine.application.survey_texts import survey_texts
from engine.domain import validation as check
from engine.domain.catalogue import CatalogueError
from engine.domain.cycle import Cycle
from engine.domain.errors import Conflict, InvalidInput, Problems
from engine.domain.limits import MAX_ANSWER_TEXT, MAX_REASON, MAX_TITLE
from engine.domain.organisation import Organisation
from engine.domain.question_sets import QuestionSet, question_from_data
from engine.domain.surveys import (
    LANGUAGES,
    MIN_ANSWERS_FOR_RESULTS,
    PARENT_ACTOR,
    SurveyClosedError,
    accepts_answers,
    check_answer,
    plain_survey,
    survey_results,
)
from engine.extensions.isolation import Gathered
from engine.infrastructure.settings import whole_number_setting

MANAGE = "moderate"
"""The permission to create, close and fill in (from paper) surveys and to erase texts."""
DEFAULT_MAX_ANSWERS = 5000
"""How many answers a survey takes unless its coordinator (or QUALIZYKLUS_SURVEY_MAX_ANSWERS)
says otherwise."""
ATTEMPTS = 60
"""How often an answer is tried against a cycle that others wrote to meanwhile."""

T = TypeVar("T")


def question_sets(engine: Engine) -> Gathered[QuestionSet]:
    """Every installed question set (and a notice for each plugin that failed)."""
    return engine.extensions.survey_question_sets()


def _question_set(engine: Engine, set_id: str) -> QuestionSet:
    for question_set in question_sets(engine).items:
        if question_set.id == set_id:
            return question_set
    raise InvalidInput("question_set_id", "Diesen Fragensatz gibt es nicht.", "No such set.")


def _own_questions(given: Iterable[Mapping[str, Any]], taken: set[str]) -> list[dict[str, Any]]:
    questions = []
    for number, data in enumerate(given, start=1):
        data = {**data, "id": data.get("id") or f"own-{number}"}
        try:
            question = question_from_data(data, "own")
        except CatalogueError as error:
            raise InvalidInput("own_questions", str(error), str(error)) from None
        if question.id in taken:
            raise InvalidInput("own_questions", "Doppelte Frage.", "Duplicate question id.")
        taken.add(question.id)
        questions.append(question.as_data(own=True))
    return questions


def create_survey(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    title: str,
    question_set_id: str,
    closes_on: date | str,
    left_out: Iterable[str] = (),
    own_questions: Iterable[Mapping[str, Any]] = (),
    max_answers: int | None = None,
    expected_version: int | None = None,
) -> str:
    """Create a survey from a question set; its id (part of the parents' link)."""
    problems = Problems()  # every field's problem told at once
    fields: dict[str, Any] = {}
    with problems.check():
        fields["title"] = check.text("title", title, max_length=MAX_TITLE)
    with problems.check():
        fields["closes_on"] = check.a_date("closes_on", closes_on)
    with problems.check():
        fields["max_answers"] = _max_answers(max_answers)
    with problems.check():
        question_set = _question_set(engine, question_set_id)
    problems.raise_any()
    left = [q for q in dict.fromkeys(left_out)]
    known = [q.id for q in question_set.questions]
    if set(left) - set(known):
        raise InvalidInput("left_out", "Unbekannte Frage.", "Unknown question.")
    chosen = [q for q in question_set.questions if q.id not in left]
    questions = [q.as_data() for q in chosen]
    questions += _own_questions(own_questions, set(known))
    if not questions:
        raise InvalidInput("left_out", "Die Befragung braucht eine Frage.", "No question left.")
    cycle = _changeable(engine, cycle_id, actor_id, MANAGE)
    check_version(cycle, expected_version)
    survey_id = uuid4().hex
    cycle.create_survey(
        actor_id=actor_id,
        survey_id=survey_id,
        question_set_id=question_set.id,
        chosen=[q.id for q in chosen],
        left_out=left,
        own=[q["id"] for q in questions if q["own"]],
        questions=questions,
        **fields,
    )
    engine._save(cycle)
    return survey_id


def _max_answers(value: int | None) -> int:
    if value is None:
        return whole_number_setting("QUALIZYKLUS_SURVEY_MAX_ANSWERS", DEFAULT_MAX_ANSWERS)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1_000_000:
        raise InvalidInput("max_answers", "Eine Zahl von 1 bis 1000000.", "1 to 1000000.")
    return value


def close_survey(
    engine: Engine,
    cycle_id: UUID,
    survey_id: str,
    *,
    actor_id: str,
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Close a survey; the cycle's new version."""
    reason = check.optional_text("reason", reason)
    return _retried(
        lambda: _change(
            engine,
            cycle_id,
            actor_id,
            MANAGE,
            "close_survey",
            survey_id,
            expected_version=expected_version,
            reason=reason,
        )
    )


def erase_survey_text(
    engine: Engine, cycle_id: UUID, survey_id: str, reference: str, *, actor_id: str, reason: str
) -> int:
    """Erase one free-text answer for good (the history records the erasure, not the text)."""
    reason = check.text("reason", reason, max_length=MAX_REASON)
    version = _retried(
        lambda: _change(
            engine,
            cycle_id,
            actor_id,
            MANAGE,
            "erase_survey_text",
            survey_id,
            reference=reference,
            reason=reason,
        )
    )
    survey_texts(engine).erase(reference)
    return version


def answer_survey(
    engine: Engine,
    cycle_id: UUID,
    survey_id: str,
    *,
    language: str,
    choices: Mapping[str, Iterable[str]],
    texts: Mapping[str, str],
    actor_id: str | None = None,
    today: date | None = None,
) -> str:
    """Record one parent's answers; the answer's id.

    Without ``actor_id`` the answer is a parent's, given online; with it, a coordinator types
    in an answer returned on paper (marked as such, allowed after the closing date until the
    survey is closed).
    """
    language = check.one_of("language", language, LANGUAGES)
    chosen = {str(q): [str(o) for o in options] for q, options in choices.items()}
    chosen = {q: options for q, options in chosen.items() if options}
    given = {
        str(q): check.text(str(q), t, max_length=MAX_ANSWER_TEXT)
        for q, t in texts.items()
        if isinstance(t, str) and t.strip()
    }
    if actor_id is not None:
        _changeable(engine, cycle_id, actor_id, MANAGE)
    day = today or date.today()
    _refuse_early(engine, cycle_id, survey_id, language, chosen, given, day, actor_id)
    store = survey_texts(engine)
    references = {q: store.store(text) for q, text in given.items()}
    answer_id = uuid4().hex
    try:
        _retried(
            lambda: _change(
                engine,
                cycle_id,
                None,
                "",
                "answer_survey",
                survey_id,
                actor=actor_id or PARENT_ACTOR,
                today=day,
                on_paper=actor_id is not None,
                answer_id=answer_id,
                language=language,
                choices=chosen,
                texts=references,
            )
        )
    except Exception:
        for reference in references.values():
            store.erase(reference)
        raise
    return answer_id


def _refuse_early(
    engine: Engine,
    cycle_id: UUID,
    survey_id: str,
    language: str,
    choices: dict[str, list[str]],
    texts: dict[str, str],
    day: date,
    actor_id: str | None,
) -> None:
    """Check the answer against the cached cycle before storing any text (repeated on save)."""
    survey = engine._load_current(Cycle, cycle_id, engine._log_position()).survey(survey_id)
    if not accepts_answers(survey, day, on_paper=actor_id is not None):
        raise SurveyClosedError()
    check_answer(survey, language, choices, {q: "" for q in texts})


def _changeable(engine: Engine, cycle_id: UUID, actor_id: str, permission: str) -> Cycle:
    cycle = engine._load(Cycle, cycle_id, for_change=True)
    engine._organisation_of(cycle).require(actor_id, permission)
    return cycle


def _change(
    engine: Engine,
    cycle_id: UUID,
    actor_id: str | None,
    permission: str,
    method: str,
    survey_id: str,
    *,
    actor: str | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> int:
    """Load the cycle fresh, check the caller (if any) and the version they saw, apply
    ``method`` and save."""
    if actor_id is None:
        cycle = engine._load(Cycle, cycle_id, for_change=True)
    else:
        cycle = _changeable(engine, cycle_id, actor_id, permission)
    check_version(cycle, expected_version)
    getattr(cycle, method)(actor_id=actor or actor_id, survey_id=survey_id, **fields)
    engine._save(cycle)
    return int(cycle.version)


def _retried(attempt: Callable[[], T]) -> T:
    """Run ``attempt`` again after a concurrent write won the race (nothing of it was saved)."""
    for number in range(ATTEMPTS):
        try:
            return attempt()
        except Conflict as error:
            if error.expected is not None:
                raise  # the caller saw an older version: trying again cannot help
            time.sleep(random.uniform(0, 0.005 * min(number + 1, 20)))
    return attempt()


# Queries -------------------------------------------------------------------------------------


def _readable(engine: Engine, cycle_id: UUID, actor_id: str | None, permission: str) -> Cycle:
    position = engine._log_position()
    cycle = engine._load_current(Cycle, cycle_id, position)
    if actor_id is not None:
        organisation = engine._load_current(Organisation, cycle.organisation_id, position)
        organisation.require(actor_id, permission)
    return cycle


def surveys(engine: Engine, cycle_id: UUID, *, actor_id: str | None = None) -> list[dict[str, Any]]:
    """The cycle's surveys as plain data, newest first."""
    cycle = _readable(engine, cycle_id, actor_id, "read")
    found = [plain_survey(key, s) for key, s in cycle.__dict__.get("surveys", {}).items()]
    return sorted(found, key=lambda s: s["created_at"], reverse=True)


def survey(
    engine: Engine, cycle_id: UUID, survey_id: str, *, actor_id: str | None = None
) -> dict[str, Any]:
    """One survey as plain data (with results by language, each None below the minimum).

    Without ``actor_id`` it is the parents' view: anyone with the link may read the questions.
    """
    cycle = _readable(engine, cycle_id, actor_id, "read")
    state = cycle.survey(survey_id)
    plain = plain_survey(survey_id, state)
    plain["results_by_language"] = {
        lang: survey_results(state, lang) for lang in state["by_language"]
    }
    plain["texts"] = sum(1 for e in state["texts"] if not e["erased"])
    plain["organisation_id"] = str(cycle.organisation_id)
    plain["cycle_id"] = str(cycle.id)
    return plain


def survey_free_texts(
    engine: Engine,
    cycle_id: UUID,
    survey_id: str,
    *,
    actor_id: str,
    start: int = 0,
    count: int | None = None,
) -> list[dict[str, Any]]:
    """The survey's free-text answers not erased, newest first (for the coordinator, from five
    answers on); ``start`` and ``count`` choose a page of them."""
    cycle = _readable(engine, cycle_id, actor_id, MANAGE)
    state = cycle.survey(survey_id)
    if state["answers"] < MIN_ANSWERS_FOR_RESULTS:
        return []
    entries = [e for e in reversed(state["texts"]) if not e["erased"]]
    entries = entries[start:] if count is None else entries[start : start + count]
    found = survey_texts(engine).read_many(e["reference"] for e in entries)
    return [{**e, "text": found[e["reference"]]} for e in entries if e["reference"] in found]


def survey_answers(
    engine: Engine, cycle_id: UUID, survey_id: str, *, actor_id: str
) -> list[dict[str, Any]]:
    """Every answer of the survey, one dict each (for the export; empty below the minimum).

    Each holds ``language``, ``on_paper``, ``choices`` and ``texts`` (the text, or "" once
    erased); never who answered, nor when.
    """
    cycle = _readable(engine, cycle_id, actor_id, MANAGE)
    if cycle.survey(survey_id)["answers"] < MIN_ANSWERS_FOR_RESULTS:
        return []
    answers = [
        event
        for event in engine.events.get(cycle_id)  # type: ignore[attr-defined]
        if isinstance(event, Cycle.SurveyAnswered) and event.survey_id == survey_id
    ]
    found = survey_texts(engine).read_many(r for a in answers for r in a.texts.values())
    return [
        {
            "language": a.language,
            "on_paper": a.on_paper,
            "choices": {q: list(o) for q, o in a.choices.items()},
            "texts": {q: found.get(r, "") for q, r in a.texts.items()},
        }
        for a in answers
    ]
