"""Parents' surveys as plain data for people and plugins: the surveys of a cycle, one survey
with its results, its free texts and its answers for the export.

Every query here records the cycle's waiting answers first (engine/application/survey_inbox.py),
so results, the export and the texts count them; only the parents' pages read without that.
Texts of version-1 answers (``sha256:``) are read from their old table
(engine/application/survey_texts.py), all others from the common free-text table.
"""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

from engine.application import free_texts
from engine.application.store import Engine
from engine.application.survey_inbox import fold_before_reading
from engine.application.survey_texts import survey_texts
from engine.domain.cycle import Cycle
from engine.domain.free_text import ErasedText, is_reference
from engine.domain.organisation import Organisation
from engine.domain.surveys import MIN_ANSWERS_FOR_RESULTS, plain_survey, survey_results
from engine.domain.surveys import survey_to_answer as to_answer

MANAGE = "moderate"
"""The permission to see free texts and export answers (as to manage surveys)."""
PARENTS_FRESH = 1.0
"""Seconds for which the parents' pages take the store's log position as read before, instead
of asking the store on every request: a change made in this process (surveys.py forgets the
position) shows at once, one made by another process or host within this time. The answers'
limit is kept by the inbox in any case."""
_POSITION = "_survey_parents_position"


def readable(
    engine: Engine, cycle_id: UUID, actor_id: str | None, permission: str, *, folded: bool = True
) -> Cycle:
    """The cycle for reading, its waiting answers recorded first (unless ``folded`` is False)."""
    if folded:
        fold_before_reading(engine, cycle_id)
    position = engine._log_position() if folded else recent_position(engine)
    cycle = engine._load_current(Cycle, cycle_id, position)
    if actor_id is not None:
        organisation = engine._load_current(Organisation, cycle.organisation_id, position)
        organisation.require(actor_id, permission)
    return cycle


def recent_position(engine: Engine) -> int:
    """The store's log position, read at most :data:`PARENTS_FRESH` seconds ago by this
    process (else read now)."""
    now = time.monotonic()
    found = vars(engine).get(_POSITION)
    if found is not None and now - found[0] < PARENTS_FRESH:
        return int(found[1])
    position = engine._log_position()
    vars(engine)[_POSITION] = (now, position)
    return position


def forget_position(engine: Engine) -> None:
    """This process changed a survey: the parents' pages read the position afresh."""
    vars(engine).pop(_POSITION, None)


def surveys(engine: Engine, cycle_id: UUID, *, actor_id: str | None = None) -> list[dict[str, Any]]:
    """The cycle's surveys as plain data, newest first."""
    cycle = readable(engine, cycle_id, actor_id, "read")
    found = [plain_survey(key, s) for key, s in cycle.__dict__.get("surveys", {}).items()]
    return sorted(found, key=lambda s: s["created_at"], reverse=True)


def survey(
    engine: Engine,
    cycle_id: UUID,
    survey_id: str,
    *,
    actor_id: str | None = None,
) -> dict[str, Any]:
    """One survey as plain data (with results by language, each None below the minimum), its
    waiting answers recorded first. Without ``actor_id`` anyone may read it; the parents' pages
    read :func:`survey_to_answer` instead."""
    cycle = readable(engine, cycle_id, actor_id, "read")
    state = cycle.survey(survey_id)
    plain = plain_survey(survey_id, state)
    plain["results_by_language"] = {
        lang: survey_results(state, lang) for lang in state["by_language"]
    }
    plain["texts"] = sum(1 for e in state["texts"] if not e["erased"])
    plain["organisation_id"] = str(cycle.organisation_id)
    plain["cycle_id"] = str(cycle.id)
    return plain


def survey_to_answer(engine: Engine, cycle_id: UUID, survey_id: str) -> dict[str, Any]:
    """One survey as parents answer it: its questions, languages and whether it takes answers,
    without results. Anyone with the link may read it. Read without recording the waiting
    answers first, at the log position read in the last second, so that it stays as cheap for
    a survey with thousands of answers as for a new one; the inbox keeps the answer limit."""
    cycle = readable(engine, cycle_id, None, "read", folded=False)
    return {**to_answer(survey_id, cycle.survey(survey_id)), "cycle_id": str(cycle.id)}


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
    cycle = readable(engine, cycle_id, actor_id, MANAGE)
    state = cycle.survey(survey_id)
    if state["answers"] < MIN_ANSWERS_FOR_RESULTS:
        return []
    entries = [e for e in reversed(state["texts"]) if not e["erased"]]
    entries = entries[start:] if count is None else entries[start : start + count]
    found = _texts(engine, cycle_id, [e["reference"] for e in entries])
    return [{**e, "text": found[e["reference"]]} for e in entries if e["reference"] in found]


def _texts(engine: Engine, cycle_id: UUID, references: list[str]) -> dict[str, str]:
    """The texts (not erased) of the given references, from the common table or the old one."""
    found = survey_texts(engine).read_many(r for r in references if not is_reference(r))
    if any(is_reference(r) for r in references):
        wanted = set(references)
        rows = free_texts.table(engine).of_aggregates([str(cycle_id)])
        found.update({r.reference: r.text for r in rows if r.reference in wanted and r.text})
    return found


def survey_answers(
    engine: Engine, cycle_id: UUID, survey_id: str, *, actor_id: str
) -> list[dict[str, Any]]:
    """Every answer of the survey, one dict each (for the export; empty below the minimum).

    Each holds ``language``, ``on_paper``, ``choices`` and ``texts`` (the text, or "" once
    erased); never who answered, nor when.
    """
    cycle = readable(engine, cycle_id, actor_id, MANAGE)
    if cycle.survey(survey_id)["answers"] < MIN_ANSWERS_FOR_RESULTS:
        return []
    old = []
    found: list[dict[str, Any]] = []
    for event in engine.events.get(cycle_id):  # type: ignore[attr-defined]
        if getattr(event, "survey_id", None) != survey_id:
            continue
        if isinstance(event, Cycle.SurveyAnswersRecorded):
            found += [{**a, "texts": event.answer_texts(a["answer_id"])} for a in event.answers]
        elif isinstance(event, Cycle.SurveyAnswered):
            found.append({**vars(event), "legacy": vars(event).get("legacy_texts", {})})
            old += found[-1]["legacy"].values()
    legacy = survey_texts(engine).read_many(old)
    return [
        {
            "language": a["language"],
            "on_paper": a["on_paper"],
            "choices": {q: list(o) for q, o in a["choices"].items()},
            "texts": {
                **{q: legacy.get(r, "") for q, r in a.get("legacy", {}).items()},
                **{q: _plain(t) for q, t in a["texts"].items()},
            },
        }
        for a in found
    ]


def _plain(text: str) -> str:
    """A text as exported: "" once erased (or missing from a partial copy)."""
    return "" if isinstance(text, ErasedText) or text == free_texts.MISSING else text
