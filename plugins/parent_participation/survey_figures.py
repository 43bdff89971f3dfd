"""The figures of a cycle's parents' surveys that a coordinator compares year by year.

Only surveys with results count (at least :data:`MIN_ANSWERS_FOR_RESULTS` answers; below
that the engine gives none), and a share of a question is left out when fewer parents than
that answered the question: no figure rests on fewer than five answers. Questions are pooled
over the cycle's surveys by question set and question id, which stay the same across years,
so the dashboard joins each figure across the years by its key. A coordinator's own
questions are left out (their ids are only numbered per survey).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine import MIN_ANSWERS_FOR_RESULTS, Figure, Text, rounded

GOOD_PRACTICE = "parents-good-practice"
POSITIVE_SMILEYS = ("4", "5")
"""The two happiest faces of a smiley scale (its option ids run from 1, the saddest, to 5)."""
MAX_KEY = 63


@dataclass(frozen=True)
class Measure:
    """What one question gives over the years: a share of the answers that chose ``options``."""

    key: str
    options: tuple[str, ...]
    label: Text


CHOSEN = {
    (GOOD_PRACTICE, "heard"): Measure(
        "survey-heard",
        ("yes",),
        Text("fühlten sich gehört (Antwort „Ja“)", "felt listened to (answer “yes”)"),
    ),
    (GOOD_PRACTICE, "rating"): Measure(
        "survey-satisfied",
        POSITIVE_SMILEYS,
        Text(
            "zufrieden oder sehr zufrieden mit den Angeboten",
            "satisfied or very satisfied with the offers",
        ),
    ),
}
"""The good-practice set's questions with a label of their own; any other set's smiley
question gives the share of its two happiest faces, labelled with the question."""


@dataclass
class Tally:
    """One measure pooled over the cycle's surveys."""

    measure: Measure
    answers: int = 0
    chosen: int = 0


def figure_key(question_set_id: str, question_id: str) -> str:
    """A stable figure key for a smiley question of any question set (a slug of ≤ 63)."""
    key = re.sub(r"[^a-z0-9-]", "-", f"survey-{question_set_id}-{question_id}-positive")
    if len(key) <= MAX_KEY:
        return key
    digest = hashlib.sha256(f"{question_set_id}/{question_id}".encode()).hexdigest()[:16]
    return f"survey-{digest}-positive"


def _text(texts: Mapping[str, str]) -> tuple[str, str]:
    return texts["de"], texts.get("en") or texts["de"]


def measure_of(question_set_id: str, question: Mapping[str, Any]) -> Measure | None:
    """The measure a question gives, or None (own questions, free text, other choices)."""
    if question.get("own"):
        return None
    chosen = CHOSEN.get((question_set_id, question["id"]))
    if chosen is not None or question["kind"] != "smiley":
        return chosen
    options = {o["id"]: _text(o["text"]) for o in question["options"]}
    de, en = _text(question["text"])
    good, best = (options[o] for o in POSITIVE_SMILEYS)
    return Measure(
        figure_key(question_set_id, question["id"]),
        POSITIVE_SMILEYS,
        Text(f"{de} – {good[0]} oder {best[0]}", f"{en} – {good[1]} or {best[1]}"),
    )


def question_figures(shown: Sequence[Mapping[str, Any]]) -> list[Figure]:
    """Per measured question, the share of answers that chose its options, pooled over the
    surveys with results, in the order the questions are asked (none from under five)."""
    tallies: dict[str, Tally] = {}
    for survey in shown:
        questions = {q["id"]: q for q in survey["questions"]}
        for result in survey["results"]["questions"]:
            measure = measure_of(survey["question_set_id"], questions[result["id"]])
            if measure is None:
                continue
            tally = tallies.setdefault(measure.key, Tally(measure))
            tally.answers += result["answers"]
            tally.chosen += sum(
                option["count"] for option in result["options"] if option["id"] in measure.options
            )
    return [
        _figure(tally) for tally in tallies.values() if tally.answers >= MIN_ANSWERS_FOR_RESULTS
    ]


def _figure(tally: Tally) -> Figure:
    return Figure(
        tally.measure.label,
        rounded(100.0 * tally.chosen / tally.answers),  # at least five answers
        "%",
        Text(
            f"{tally.chosen} von {tally.answers} Antworten",
            f"{tally.chosen} of {tally.answers} answers",
        ),
        key=tally.measure.key,
    )
