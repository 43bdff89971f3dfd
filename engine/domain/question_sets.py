"""Question sets for parents' surveys, as themes contribute them (hook ``survey_question_sets``).

A question set is plain data: questions with their kind, their text per survey language and,
for choice questions, their options with texts per language. A theme usually keeps it as a
JSON file beside its catalogue and builds it with :meth:`QuestionSet.from_data`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.domain.catalogue import CatalogueError
from engine.domain.surveys import LANGUAGES, QUESTION_KINDS

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SMILEY_OPTIONS = ("1", "2", "3", "4", "5")
"""The option ids of a smiley scale, from the saddest face to the happiest."""


def _texts(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not str(value.get("de", "")).strip():
        msg = f"{where}: needs texts by language, at least German (de)"
        raise CatalogueError(msg)
    unknown = set(value) - set(LANGUAGES)
    if unknown:
        msg = f"{where}: unknown languages {sorted(unknown)}"
        raise CatalogueError(msg)
    return {lang: str(text).strip() for lang, text in value.items() if str(text).strip()}


def _id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        msg = f"{where}: id {value!r} must be lower-case letters, digits, - or _"
        raise CatalogueError(msg)
    return value


@dataclass(frozen=True)
class SurveyOption:
    """One answer a parent can choose."""

    id: str
    text: Mapping[str, str]


@dataclass(frozen=True)
class SurveyQuestion:
    """One question: its kind (single, multi, smiley, text), texts and options."""

    id: str
    kind: str
    text: Mapping[str, str]
    options: tuple[SurveyOption, ...] = ()

    def as_data(self, *, own: bool = False) -> dict[str, Any]:
        """The question as a survey's event keeps it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": dict(self.text),
            "options": [{"id": o.id, "text": dict(o.text)} for o in self.options],
            "own": own,
        }


@dataclass(frozen=True)
class QuestionSet:
    """A theme's set of survey questions (e.g. good practice for parents' feedback)."""

    id: str
    title: Mapping[str, str]
    questions: tuple[SurveyQuestion, ...]
    theme_id: str | None = None
    description: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, theme_id: str | None = None) -> QuestionSet:
        """Build and check a question set from plain data (as loaded from JSON)."""
        set_id = _id(data.get("id"), "question set")
        questions = tuple(question_from_data(q, set_id) for q in data.get("questions", []))
        ids = [q.id for q in questions]
        if not questions or len(set(ids)) != len(ids):
            msg = f"question set {set_id}: needs questions with distinct ids"
            raise CatalogueError(msg)
        return cls(
            id=set_id,
            title=_texts(data.get("title"), set_id),
            questions=questions,
            theme_id=theme_id,
            description=_texts(data["description"], set_id) if "description" in data else {},
        )


def question_from_data(data: Mapping[str, Any], where: str = "") -> SurveyQuestion:
    """Build and check one question from plain data."""
    question_id = _id(data.get("id"), where)
    place = f"{where}/{question_id}"
    kind = data.get("kind")
    if kind not in QUESTION_KINDS:
        msg = f"{place}: kind must be one of {', '.join(QUESTION_KINDS)}"
        raise CatalogueError(msg)
    options = tuple(
        SurveyOption(_id(o.get("id"), place), _texts(o.get("text"), place))
        for o in data.get("options", [])
    )
    if kind == "text" and options:
        msg = f"{place}: a text question has no options"
        raise CatalogueError(msg)
    if kind in ("single", "multi") and len(options) < 2:
        msg = f"{place}: a choice question needs at least two options"
        raise CatalogueError(msg)
    if kind == "smiley" and tuple(o.id for o in options) != SMILEY_OPTIONS:
        msg = f"{place}: a smiley scale has the options {', '.join(SMILEY_OPTIONS)}"
        raise CatalogueError(msg)
    return SurveyQuestion(question_id, kind, _texts(data.get("text"), place), options)
