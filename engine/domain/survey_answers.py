"""Parents' answers as events: a batch of answers folded from the inbox, and one answer (the
form of version 1 and of answers recorded one by one).

``SurveyAnswersRecorded`` holds many answers (engine/application/survey_inbox.py folds them in
batches): ``answers`` lists each answer's id, language, choices and whether it came on paper;
``texts`` maps ``"<answer id>:<question id>"`` to its free text, sealed by reference
(``FREE_TEXT_MAPS``, engine/domain/free_text.py) and erasable like every free text.
"""

from __future__ import annotations

from typing import Any

from engine.domain import free_text
from engine.domain.sealing import SealedAggregate
from engine.domain.surveys import RECENT_ANSWERS, TEXT_KEY, surveys_of


def count_answer(
    survey: dict[str, Any],
    answer: dict[str, Any],
    texts: list[tuple[str, str, bool]],
) -> None:
    """Count one answer in the survey's tallies, remember its id, list its texts
    (question id, reference, erased)."""
    language = answer["language"]
    survey["answers"] += 1
    survey["on_paper"] += int(answer["on_paper"])
    survey["by_language"][language] = survey["by_language"].get(language, 0) + 1
    recent = survey.setdefault("recent", [])
    recent.append(answer["answer_id"])
    if len(recent) > RECENT_ANSWERS:
        del recent[: len(recent) - RECENT_ANSWERS]
    by_language = survey["tallies_by_language"].setdefault(language, {})
    for question_id, options in answer["choices"].items():
        for tallies in (survey["tallies"], by_language):
            counts = tallies.setdefault(question_id, {"_answers": 0})
            counts["_answers"] += 1
            for option in options:
                counts[option] = counts.get(option, 0) + 1
    for question_id, reference, erased in texts:
        survey["texts"].append(
            {
                "question_id": question_id,
                "reference": reference,
                "language": language,
                "erased": erased,
            }
        )


class SurveyAnswersRecorded(SealedAggregate.Event):
    """Parents' answers taken in by the inbox were recorded (a batch, one actor)."""

    TOPIC = "qualizyklus:Cycle.SurveyAnswersRecorded"
    FREE_TEXT_MAPS = ("texts",)  # sealed by reference (engine/domain/free_text.py)
    survey_id: str
    answers: list[dict[str, Any]]
    texts: dict[str, str]

    def apply(self, cycle: Any) -> None:
        """Count every answer of the batch."""
        survey = surveys_of(cycle)[self.survey_id]
        references = vars(self).get(free_text.REFERENCES) or {}
        by_answer: dict[str, list[tuple[str, str, bool]]] = {}
        for key, text in self.texts.items():
            answer_id, _, question_id = key.partition(TEXT_KEY)
            reference = references.get(f"texts{free_text.MAP_KEY}{key}", "")
            erased = isinstance(text, free_text.ErasedText)
            by_answer.setdefault(answer_id, []).append((question_id, reference, erased))
        for answer in self.answers:
            count_answer(survey, answer, by_answer.get(answer["answer_id"], []))

    def answer_texts(self, answer_id: str) -> dict[str, str]:
        """One answer's texts by question id (erased ones as the erasure note)."""
        prefix = f"{answer_id}{TEXT_KEY}"
        return {k[len(prefix) :]: t for k, t in self.texts.items() if k.startswith(prefix)}


class SurveyAnswered(SealedAggregate.Event):
    """One parent's answers were recorded (online, or typed in from paper by the coordinator);
    answers are now recorded in batches (``SurveyAnswersRecorded``), this is read from old logs.

    ``choices`` maps a question id to the chosen option ids; ``texts`` maps a question id to
    its free text, sealed by reference (``FREE_TEXT_MAPS``; erased, it reads as an
    :class:`~engine.domain.free_text.ErasedText`). Version 1 held ``sha256:`` references to a
    table of its own instead; they are read as ``legacy_texts``.
    """

    TOPIC = "qualizyklus:Cycle.SurveyAnswered"
    class_version = 2
    FREE_TEXT_MAPS = ("texts",)  # sealed by reference (engine/domain/free_text.py)
    survey_id: str
    answer_id: str
    language: str
    choices: dict[str, list[str]]
    texts: dict[str, str]
    on_paper: bool

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Version 1 held ``sha256:`` references in ``texts`` (application/survey_texts.py)."""
        state["legacy_texts"] = state.pop("texts", {})
        state["texts"] = {}

    def apply(self, cycle: Any) -> None:
        """Count the answer in the survey's tallies and remember its id."""
        references = vars(self).get(free_text.REFERENCES) or {}
        entries = [
            (
                q,
                references.get(f"texts{free_text.MAP_KEY}{q}", ""),
                isinstance(t, free_text.ErasedText),
            )
            for q, t in self.texts.items()
        ]
        entries += [(q, r, False) for q, r in vars(self).get("legacy_texts", {}).items()]
        count_answer(surveys_of(cycle)[self.survey_id], vars(self), entries)
