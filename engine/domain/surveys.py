"""Parents' surveys on a cycle: their events, the rules of the aggregate, and their results.

A coordinator creates a survey from a question set (chosen questions, questions left out, own
questions with their texts per language) and a closing date; parents answer it without an
account; the coordinator closes it. Answers are recorded in batches (``SurveyAnswersRecorded``,
engine/domain/survey_answers.py); their free texts never enter the sealed content: the event
names its ``texts`` in ``FREE_TEXT_MAPS``, so each text is sealed by a ``qzt1:`` reference and
kept in the common free-text table (engine/domain/free_text.py), erased like any other free
text (``FreeTextErased``). Answers of version 1 (``SurveyAnswered``) held ``sha256:``
references to a table of their own; they are read as ``legacy_texts`` and erased with
``SurveyTextErased``. The aggregate keeps counts only (per question, option and language), so
results cost the same for ten answers or ten thousand, and the ids of its latest answers, so
that an answer folded twice from the inbox (engine/application/survey_inbox.py) counts once.
The aggregate (engine/domain/cycle.py) takes the events in and mixes in :class:`CycleSurveys`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from engine.domain.errors import InvalidInput, NotFound
from engine.domain.sealing import SealedAggregate

LANGUAGES = ("de", "ls", "en", "tr", "ar", "ru", "uk")
"""The survey languages: German, Leichte Sprache, English, Turkish, Arabic, Russian, Ukrainian."""

RIGHT_TO_LEFT = frozenset({"ar"})
"""The languages written from right to left."""

QUESTION_KINDS = ("single", "multi", "smiley", "text")
"""One option, several options, a five-step smiley scale, free text."""

MIN_ANSWERS_FOR_RESULTS = 5
"""Results are shown only once a survey has this many answers (no one can be singled out)."""

PARENT_ACTOR = "survey-parent"
"""The actor of an answer a parent gave online (no account, no pseudonym that lasts)."""

TEXT_KEY = ":"
"""Between an answer id and a question id in ``SurveyAnswersRecorded.texts``."""

RECENT_ANSWERS = 1_000
"""How many of a survey's latest answer ids it remembers (several folds' worth, see
engine/application/survey_inbox.py: an answer folded again after a crash is recognised)."""


def surveys_of(cycle: Any) -> dict[str, dict[str, Any]]:
    """The cycle's surveys (cycles and snapshots from before surveys have none yet)."""
    surveys: dict[str, dict[str, Any]] = cycle.__dict__.setdefault("surveys", {})
    return surveys


def question_languages(question: dict[str, Any]) -> set[str]:
    """The languages in which a question and all its options have a text."""
    languages = {lang for lang, text in question["text"].items() if text}
    for option in question.get("options", []):
        languages &= {lang for lang, text in option["text"].items() if text}
    return languages


def offered_languages(questions: list[dict[str, Any]]) -> list[str]:
    """The languages in which every question of a survey can be read, in the usual order."""
    common = set(LANGUAGES)
    for question in questions:
        common &= question_languages(question)
    return [lang for lang in LANGUAGES if lang in common]


class SurveyCreated(SealedAggregate.Event):
    """A coordinator created a parents' survey from a question set."""

    TOPIC = "qualizyklus:Cycle.SurveyCreated"
    survey_id: str
    title: str
    question_set_id: str
    chosen: list[str]
    left_out: list[str]
    own: list[str]
    questions: list[dict[str, Any]]
    closes_on: date
    max_answers: int

    def apply(self, cycle: Any) -> None:
        """Add the open survey with no answers yet."""
        surveys_of(cycle)[self.survey_id] = {
            "title": self.title,
            "question_set_id": self.question_set_id,
            "chosen": list(self.chosen),
            "left_out": list(self.left_out),
            "own": list(self.own),
            "questions": [dict(q) for q in self.questions],
            "languages": offered_languages(list(self.questions)),
            "closes_on": self.closes_on,
            "max_answers": self.max_answers,
            "created_at": self.timestamp,
            "closed_at": None,
            "answers": 0,
            "on_paper": 0,
            "by_language": {},
            "tallies": {},
            "tallies_by_language": {},
            "texts": [],
        }


class SurveyClosed(SealedAggregate.Event):
    """The coordinator closed a survey: no more answers."""

    TOPIC = "qualizyklus:Cycle.SurveyClosed"
    survey_id: str

    def apply(self, cycle: Any) -> None:
        """Mark the survey closed."""
        surveys_of(cycle)[self.survey_id]["closed_at"] = self.timestamp


class SurveyTextErased(SealedAggregate.Event):
    """A version-1 (``sha256:``) free-text answer was erased (the history keeps that, not the
    text); newer texts are erased as every free text is (``FreeTextErased``)."""

    TOPIC = "qualizyklus:Cycle.SurveyTextErased"
    survey_id: str
    reference: str

    def apply(self, cycle: Any) -> None:
        """Mark the text erased."""
        for entry in surveys_of(cycle)[self.survey_id]["texts"]:
            if entry["reference"] == self.reference:
                entry["erased"] = True


class CycleSurveys:
    """The aggregate's survey commands (mixed into ``Cycle``); annotations for the type checker."""

    if TYPE_CHECKING:
        SurveyCreated: Any
        SurveyClosed: Any
        SurveyAnswered: Any
        SurveyAnswersRecorded: Any
        SurveyTextErased: Any
        trigger_event: Any

    def create_survey(self, *, actor_id: str, survey_id: str, **fields: Any) -> None:
        """Create a survey (fields as in ``SurveyCreated``, checked by the service)."""
        if survey_id in surveys_of(self):
            raise InvalidInput("survey_id", f"{survey_id} ist schon vergeben.", "Id taken.")
        if not offered_languages(fields["questions"]):
            raise InvalidInput(
                "questions",
                "Keine Sprache hat Texte für alle Fragen.",
                "No language has texts for every question.",
            )
        self.trigger_event(self.SurveyCreated, actor_id=actor_id, survey_id=survey_id, **fields)

    def close_survey(self, *, actor_id: str, survey_id: str, reason: str = "") -> None:
        """Close a survey that is open."""
        if self.survey(survey_id)["closed_at"] is not None:
            raise InvalidInput("survey_id", "Die Befragung ist schon beendet.", "Already closed.")
        self.trigger_event(self.SurveyClosed, actor_id=actor_id, survey_id=survey_id, reason=reason)

    def record_answers(
        self, *, actor_id: str, survey_id: str, answers: list[dict[str, Any]]
    ) -> list[str]:
        """Count parents' answers taken in (each with ``received_at``) in one event; the ids of
        those refused (a survey closed before the answer came, an unknown question or option).

        The inbox took each answer while the survey was open and under its limit; an answer
        counted before (its id among the survey's latest) is left out silently.
        """
        survey = self.survey(survey_id)
        recent = set(survey.get("recent", ()))
        taken, refused = [], []
        for answer in answers:
            if answer["answer_id"] in recent:
                continue
            closed_at = survey["closed_at"]
            try:
                if closed_at is not None and answer["received_at"] > closed_at:
                    raise SurveyClosedError()
                check_answer(survey, answer["language"], answer["choices"], answer["texts"])
            except InvalidInput:
                refused.append(answer["answer_id"])
                continue
            recent.add(answer["answer_id"])
            taken.append(answer)
        if taken:
            self.trigger_event(
                self.SurveyAnswersRecorded,
                actor_id=actor_id,
                survey_id=survey_id,
                answers=[
                    {k: a[k] for k in ("answer_id", "language", "choices", "on_paper")}
                    for a in taken
                ],
                texts={
                    f"{a['answer_id']}{TEXT_KEY}{q}": text
                    for a in taken
                    for q, text in a["texts"].items()
                },
            )
        return refused

    def erase_survey_text(
        self, *, actor_id: str, survey_id: str, reference: str, reason: str
    ) -> None:
        """Record that a free-text answer was erased."""
        entries = [e for e in self.survey(survey_id)["texts"] if e["reference"] == reference]
        if not entries:
            raise NotFound("Diese Antwort gibt es nicht.", "No such answer.")
        if all(e["erased"] for e in entries):
            raise InvalidInput("reference", "Schon gelöscht.", "Already erased.")
        self.trigger_event(
            self.SurveyTextErased,
            actor_id=actor_id,
            survey_id=survey_id,
            reference=reference,
            reason=reason,
        )

    def survey(self, survey_id: str) -> dict[str, Any]:
        """One survey's state; NotFound if the cycle has no such survey."""
        survey = surveys_of(self).get(survey_id)
        if survey is None:
            raise NotFound(f"Befragung {survey_id} gibt es nicht.", f"No survey {survey_id}.")
        return survey


class SurveyClosedError(InvalidInput):
    """The survey takes no more answers (closed, past its closing date, or full)."""

    code = "survey-closed"

    def __init__(self) -> None:
        super().__init__(
            "survey_id",
            "Die Befragung nimmt keine Antworten mehr an.",
            "The survey takes no more answers.",
        )


def accepts_answers(survey: dict[str, Any], today: date, *, on_paper: bool = False) -> bool:
    """Whether the survey still takes answers on ``today``."""
    if survey["closed_at"] is not None or survey["answers"] >= survey["max_answers"]:
        return False
    return on_paper or today <= survey["closes_on"]


def check_answer(
    survey: dict[str, Any], language: str, choices: dict[str, list[str]], texts: dict[str, str]
) -> None:
    """Refuse an answer in a language the survey lacks, or naming unknown questions or options."""
    if language not in survey["languages"]:
        raise InvalidInput(
            "language", "Diese Sprache hat die Befragung nicht.", "No such language."
        )
    questions = {q["id"]: q for q in survey["questions"]}
    for question_id, options in choices.items():
        question = questions.get(question_id)
        if question is None or question["kind"] == "text":
            raise InvalidInput(question_id, "Unbekannte Frage.", "Unknown question.")
        known = {o["id"] for o in question["options"]}
        if not options or set(options) - known or len(set(options)) != len(options):
            raise InvalidInput(question_id, "Unbekannte Antwort.", "Unknown option.")
        if question["kind"] != "multi" and len(options) > 1:
            raise InvalidInput(question_id, "Nur eine Antwort.", "Only one option.")
    for question_id in texts:
        question = questions.get(question_id)
        if question is None or question["kind"] != "text":
            raise InvalidInput(question_id, "Unbekannte Frage.", "Unknown question.")


def survey_results(survey: dict[str, Any], language: str | None = None) -> dict[str, Any] | None:
    """Per question: the number of answers and of each option (of one language, if given).

    None while the survey (or the language) has fewer than :data:`MIN_ANSWERS_FOR_RESULTS`
    answers: results of so few could point to a person.
    """
    total = survey["answers"] if language is None else survey["by_language"].get(language, 0)
    if total < MIN_ANSWERS_FOR_RESULTS:
        return None
    tallies = survey["tallies"] if language is None else survey["tallies_by_language"][language]
    questions = []
    for question in survey["questions"]:
        if question["kind"] == "text":
            count = sum(
                1
                for e in survey["texts"]
                if e["question_id"] == question["id"] and language in (None, e["language"])
            )
            questions.append({"id": question["id"], "kind": "text", "answers": count})
            continue
        counts = tallies.get(question["id"], {})
        options = [{"id": o["id"], "count": counts.get(o["id"], 0)} for o in question["options"]]
        questions.append(
            {
                "id": question["id"],
                "kind": question["kind"],
                "answers": counts.get("_answers", 0),
                "options": options,
            }
        )
    return {"answers": total, "questions": questions}


def plain_survey(survey_id: str, survey: dict[str, Any]) -> dict[str, Any]:
    """A survey as plain data for queries and plugins: its questions, counts and results
    (None below the minimum), never its free-text references."""
    return {
        "id": survey_id,
        "title": survey["title"],
        "question_set_id": survey["question_set_id"],
        "questions": [dict(q) for q in survey["questions"]],
        "chosen": list(survey["chosen"]),
        "left_out": list(survey["left_out"]),
        "own": list(survey["own"]),
        "languages": list(survey["languages"]),
        "closes_on": survey["closes_on"],
        "max_answers": survey["max_answers"],
        "created_at": survey["created_at"],
        "closed_at": survey["closed_at"],
        "closed": survey["closed_at"] is not None,
        "answers": survey["answers"],
        "on_paper": survey["on_paper"],
        "by_language": dict(survey["by_language"]),
        "results": survey_results(survey),
    }


def survey_to_answer(survey_id: str, survey: dict[str, Any]) -> dict[str, Any]:
    """A survey as parents answer it: its questions, languages and whether it takes answers.

    No results: parents never see them, and they take longer the more answers (and texts) a
    survey has, so the parents' pages, read on every step and answer, stay equally quick for
    the thousandth parent as for the first.
    """
    return {
        "id": survey_id,
        "title": survey["title"],
        "questions": [dict(q) for q in survey["questions"]],
        "languages": list(survey["languages"]),
        "closes_on": survey["closes_on"],
        "max_answers": survey["max_answers"],
        "closed": survey["closed_at"] is not None,
        "answers": survey["answers"],
    }


def plain_surveys(cycle: Any) -> dict[str, dict[str, Any]]:
    """The cycle's surveys as plain data, by id."""
    return {key: plain_survey(key, survey) for key, survey in surveys_of(cycle).items()}
