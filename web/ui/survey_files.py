"""A survey's answers as CSV and XLSX: one row per answer, one column per question.

The same conventions as the cycle's exports (web/reports/exports.py): German headings, UTF-8
with a byte order mark, semicolons, formula starts guarded. Never who answered, nor when.
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from web.access import CyclePage
from web.reports.exports import Column, Sheet, to_csv, to_xlsx
from web.reports.files import CSV, XLSX, download, file_name

HEADING_LENGTH = 80


def _heading(question: dict[str, Any]) -> str:
    text = question["text"]["de"]
    short = text if len(text) <= HEADING_LENGTH else text[: HEADING_LENGTH - 1] + "…"
    return f"{question['id']}: {short}"


def answers_sheet(survey: dict[str, Any], answers: list[dict[str, Any]]) -> Sheet:
    """The answers as one sheet: language, paper or online, then each question's answer."""
    questions = survey["questions"]
    columns = (
        Column("language", "Sprache"),
        Column("on_paper", "Papier"),
        *(Column(q["id"], _heading(q)) for q in questions),
    )
    labels = {q["id"]: {o["id"]: o["text"]["de"] for o in q["options"]} for q in questions}
    rows = []
    for answer in answers:
        cells: list[Any] = [answer["language"], "ja" if answer["on_paper"] else "nein"]
        for question in questions:
            if question["kind"] == "text":
                cells.append(answer["texts"].get(question["id"], ""))
            else:
                chosen = answer["choices"].get(question["id"], [])
                cells.append(", ".join(labels[question["id"]].get(o, o) for o in chosen))
        rows.append(tuple(cells))
    return Sheet("antworten", "Antworten", columns, tuple(rows))


def export_name(page: CyclePage, survey: dict[str, Any], extension: str) -> str:
    """The file's readable name: the survey, the organisation, the day."""
    return file_name(
        [f"Befragung {survey['title']}", str(page.member.organisation["name"])], extension
    )


def answers_csv(survey: dict[str, Any], answers: list[dict[str, Any]], name: str) -> Response:
    """The answers as a CSV download."""
    return download(to_csv(answers_sheet(survey, answers)), CSV, name)


def answers_xlsx(survey: dict[str, Any], answers: list[dict[str, Any]], name: str) -> Response:
    """The answers as an XLSX download."""
    return download(to_xlsx([answers_sheet(survey, answers)]), XLSX, name)
