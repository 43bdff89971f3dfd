"""Parents' surveys in the theme: which count for the gate, and their results as insights.

A survey's results come from the engine (``survey["results"]``, None below the minimum number
of answers), so the theme never sees a single parent's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine import MIN_ANSWERS_FOR_RESULTS, Chart, Figure, Insight, Series, Table, Text, rounded
from plugins.parent_participation.analysis import THEME_ID
from plugins.parent_participation.survey_figures import question_figures


def counting_surveys(cycle: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The cycle's closed surveys with at least the minimum number of answers."""
    return [
        survey
        for survey in (cycle.get("surveys") or {}).values()
        if survey["closed"] and survey["answers"] >= MIN_ANSWERS_FOR_RESULTS
    ]


def _text(texts: Mapping[str, str]) -> Text:
    return Text(texts["de"], texts.get("en") or texts["de"])


def _survey_rows(survey: Mapping[str, Any]) -> list[tuple[str | float | Text, ...]]:
    questions = {q["id"]: q for q in survey["questions"]}
    rows: list[tuple[str | float | Text, ...]] = []
    for result in survey["results"]["questions"]:
        question = questions[result["id"]]
        if result["kind"] == "text":
            rows.append(
                (
                    _text(question["text"]),
                    Text("freie Antworten", "free answers"),
                    result["answers"],
                )
            )
            continue
        names = {o["id"]: _text(o["text"]) for o in question["options"]}
        for option in result["options"]:
            rows.append((_text(question["text"]), names[option["id"]], option["count"]))
    return rows


def _rating_chart(survey: Mapping[str, Any]) -> Chart | None:
    questions = {q["id"]: q for q in survey["questions"]}
    for result in survey["results"]["questions"]:
        if result["kind"] == "smiley":
            question = questions[result["id"]]
            return Chart(
                "bar",
                _text(question["text"]),
                tuple(_text(o["text"]) for o in question["options"]),
                (
                    Series(
                        Text("Antworten", "answers"),
                        tuple(float(o["count"]) for o in result["options"]),
                    ),
                ),
            )
    return None


def survey_figures(shown: list[Mapping[str, Any]]) -> list[Figure]:
    """The figures over the surveys with results (none below five answers): answers, the
    measured questions' shares, and how many answers came on paper."""
    if not shown:
        return []
    answers = sum(s["answers"] for s in shown)
    on_paper = sum(s["on_paper"] for s in shown)
    return [
        Figure(Text("Antworten", "answers"), answers, key="survey-answers"),
        *question_figures(shown),
        Figure(Text("davon auf Papier", "of which on paper"), on_paper, key="survey-paper-answers"),
        Figure(
            Text("Anteil auf Papier", "share on paper"),
            rounded(100.0 * on_paper / answers),
            "%",
            key="survey-paper-share",
        ),
    ]


def survey_insight(cycle: Mapping[str, Any]) -> Insight | None:
    """Answers of the cycle's surveys and the results of each that has enough answers."""
    surveys = list((cycle.get("surveys") or {}).values())
    if not surveys:
        return None
    shown = [s for s in surveys if s["results"] is not None]
    charts = tuple(c for c in (_rating_chart(s) for s in shown) if c is not None)
    tables = tuple(
        Table(
            (
                Text(f"Frage ({s['title']})", f"question ({s['title']})"),
                Text("Antwort", "answer"),
                Text("Anzahl", "count"),
            ),
            tuple(_survey_rows(s)),
        )
        for s in shown
    )
    note = None
    if len(shown) < len(surveys):
        note = Text(
            f"Ergebnisse erscheinen ab {MIN_ANSWERS_FOR_RESULTS} Antworten je Befragung; "
            "die Kennzahlen zählen Befragungen mit weniger Antworten nicht mit.",
            f"Results appear from {MIN_ANSWERS_FOR_RESULTS} answers per survey; the figures "
            "leave out surveys with fewer answers.",
        )
    return Insight(
        THEME_ID,
        "parents-surveys",
        Text("Elternbefragungen", "Parents' surveys"),
        figures=tuple(survey_figures(shown)),
        charts=charts,
        tables=tables,
        text=note,
    )
