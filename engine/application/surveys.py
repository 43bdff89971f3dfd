"""Parents' surveys: create, answer (online or from paper), close, erase a text; results.

Parents answer without an account: an online answer's actor is :data:`PARENT_ACTOR`, and
nothing about the parent (address, browser) is recorded. Many parents answer at once and all
their answers are events of one cycle, so an answer is taken into an inbox in one small
insert and recorded on the cycle in batches (engine/application/survey_inbox.py); every query
here folds the cycle's waiting answers first. Free texts are sealed by reference and kept in
the common free-text table (engine/application/free_texts.py); texts of version-1 answers
live in the old table (engine/application/survey_texts.py) and are read and erased there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from engine.application import free_texts
from engine.application.store import Engine, check_version
from engine.application.survey_inbox import (  # the inbox's start and end, for the service
    create_tables,
    fold,
    fold_before_reading,
    retried,
    stop_folder,
    take_in,
)
from engine.application.survey_queries import (  # the queries, named here for the service
    forget_position,
    readable,
    survey,
    survey_answers,
    survey_free_texts,
    survey_to_answer,
    surveys,
)
from engine.application.survey_texts import survey_texts
from engine.domain import validation as check
from engine.domain.catalogue import CatalogueError
from engine.domain.cycle import Cycle
from engine.domain.errors import InvalidInput, Problems
from engine.domain.free_text import is_reference
from engine.domain.limits import MAX_ANSWER_TEXT, MAX_REASON, MAX_TITLE
from engine.domain.question_sets import QuestionSet, question_from_data
from engine.domain.surveys import (
    LANGUAGES,
    PARENT_ACTOR,
    SurveyClosedError,
    accepts_answers,
    check_answer,
)
from engine.extensions.isolation import Gathered
from engine.infrastructure.request_limits import Window
from engine.infrastructure.settings import whole_number_setting

__all__ = [  # besides the commands: the queries and the inbox's start and end, for the service
    "create_tables",
    "stop_folder",
    "survey",
    "survey_answers",
    "survey_free_texts",
    "survey_to_answer",
    "surveys",
]
MANAGE = "moderate"
"""The permission to create, close and fill in (from paper) surveys and to erase texts."""
DEFAULT_MAX_ANSWERS = 5000
"""How many answers a survey takes unless its coordinator (or QUALIZYKLUS_SURVEY_MAX_ANSWERS)
says otherwise."""


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
    forget_position(engine)
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
    fold(engine, cycle_id, wait=True)  # answers taken in before closing count
    return retried(
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
    """Erase one free-text answer for good (the history records the erasure, not the text).

    A text of the common free-text table (``qzt1:``) is erased like every free text; a
    version-1 text (``sha256:``) is erased in its old table.
    """
    reason = check.text("reason", reason, max_length=MAX_REASON)
    fold_before_reading(engine, cycle_id)
    if is_reference(reference):
        readable(engine, cycle_id, actor_id, MANAGE).survey(survey_id)
        erasure = free_texts.erase_text(
            engine,  # type: ignore[arg-type]
            reference,
            actor_id=actor_id,
            reason=reason,
            within=cycle_id,
        )
        return erasure.version
    version = retried(
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
    limit: tuple[str, Window] | None = None,
    just_read: bool = False,
) -> str:
    """Take in one parent's answers (recorded on the cycle soon after); the answer's id.

    Without ``actor_id`` the answer is a parent's, given online; with it, a coordinator types
    in an answer returned on paper (marked as such, allowed after the closing date until the
    survey is closed). ``limit`` (a request limit key and window) is counted in the same
    transaction: TooManyAnswers once it is used up. ``just_read``: the caller read the survey a
    moment ago (the parents' page), so the answer is checked against the cycle cached then.
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
    cycle = (
        engine._peek(Cycle, cycle_id)
        if just_read
        else engine._load_current(Cycle, cycle_id, engine._log_position())
    )
    survey = _refuse_early(cycle, survey_id, language, chosen, given, day, actor_id)
    answer = {
        "actor": actor_id or PARENT_ACTOR,
        "on_paper": actor_id is not None,
        "language": language,
        "choices": chosen,
        "texts": given,
    }
    answer_id = take_in(
        engine,
        cycle_id,
        survey_id,
        answer,
        most=survey["max_answers"],
        counted=survey["answers"],
        limit=limit,
    )
    if actor_id is not None:
        fold(engine, cycle_id, wait=True)  # the coordinator sees a paper answer at once
    return answer_id


def _refuse_early(
    cycle: Cycle,
    survey_id: str,
    language: str,
    choices: dict[str, list[str]],
    texts: dict[str, str],
    day: date,
    actor_id: str | None,
) -> dict[str, Any]:
    """Check the answer against the current cycle before taking it in (repeated on folding)."""
    survey = cycle.survey(survey_id)
    if not accepts_answers(survey, day, on_paper=actor_id is not None):
        raise SurveyClosedError()
    check_answer(survey, language, choices, {q: "" for q in texts})
    return survey


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
    forget_position(engine)
    return int(cycle.version)
