"""Parents' free-text answers of surveys answered before their texts joined the common free
texts (``SurveyAnswered`` version 1, texts in the table of engine/application/survey_texts.py):
carried by an export in its last line and entered again by the import, each checked against
its ``sha256:`` reference and the events of the file that name it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from engine.application.survey_texts import reference_of, survey_texts
from engine.domain.survey_answers import SurveyAnswered

KEY = "survey_texts"
"""The key of the export's last line under which the rows travel."""


def references(topic: str, state: Mapping[str, Any]) -> list[str]:
    """The ``sha256:`` references a stored event (its topic and state) holds, if it is an
    answer of version 1 (later versions reference the common free texts)."""
    if topic != SurveyAnswered.TOPIC or state.get("class_version", 1) != 1:
        return []
    texts = state.get("texts")
    if not isinstance(texts, Mapping):
        return []
    return [str(value) for value in texts.values() if str(value).startswith("sha256:")]


def rows_for(app: Any, found: Iterable[str]) -> list[dict[str, str]]:
    """The rows of the texts still kept (erased ones are gone, as on the pages)."""
    return survey_texts(app).rows(found)


def checked(rows: object, named: set[str]) -> list[dict[str, str]]:
    """The rows of an export, each matching its reference and named by an answer of the file
    (``named``); a ValueError names the first that does not."""
    if not isinstance(rows, list):
        msg = "the parents' survey texts are not a list"
        raise ValueError(msg)
    return [_checked(row, named) for row in rows]


def enter(app: Any, rows: list[dict[str, str]]) -> list[str]:
    """Enter checked rows; the references entered (to take out again if the import fails)."""
    survey_texts(app).insert(rows)
    return [row["reference"] for row in rows]


def take_out(app: Any, entered: Iterable[str]) -> None:
    """Remove rows entered by a failed import."""
    table = survey_texts(app)
    for reference in entered:
        table.erase(reference)


def _checked(row: object, named: set[str]) -> dict[str, str]:
    fields = ("reference", "salt", "text")
    if not (isinstance(row, dict) and all(isinstance(row.get(k), str) for k in fields)):
        msg = "a parents' survey text is malformed"
        raise ValueError(msg)
    if reference_of(row["salt"], row["text"]) != row["reference"]:
        msg = "a parents' survey text does not match its reference"
        raise ValueError(msg)
    if row["reference"] not in named:
        msg = "a parents' survey text belongs to no answer of the file"
        raise ValueError(msg)
    return {k: row[k] for k in fields}
