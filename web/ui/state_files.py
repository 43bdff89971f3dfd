"""The state view's files: the page printed as PDF, and its figures as CSV.

Both are made from exactly what the page shows (engine/readmodels/queries.py decides): a Land
with fewer than five organisations gives a PDF with the page's notice and a CSV with its header
only; a figure left off the page is left out of both; organisations appear by name only when
they chose to share. The CSV follows the cycle exports (web/reports/exports.py): for German
spreadsheets in every language, German headings and labels, one figure per row (a long table
that a pivot table turns round), shares in percent rounded as on the page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _

from engine.domain.cycle import GOAL_VERDICTS
from web.i18n import PHASES
from web.i18n import VERDICTS as VERDICT_LABELS
from web.reports.exports import Column, Sheet, Value, to_csv
from web.reports.files import CSV, PDF, download, file_name
from web.reports.pdf import print_page

VERDICTS = (*GOAL_VERDICTS, "open")
"""The goals' verdicts as the state view counts them (``open``: not yet reviewed)."""
COLUMNS = (
    Column("area", "Bereich"),
    Column("year", "Jahr"),
    Column("theme_id", "Thema-ID"),
    Column("theme", "Thema"),
    Column("organisation", "Organisation"),
    Column("figure_code", "Kennzahl-Code"),
    Column("figure", "Kennzahl"),
    Column("value", "Wert"),
    Column("unit", "Einheit"),
    Column("organisations", "Organisationen"),
)
"""The CSV's columns; ``Organisationen`` is how many organisations a figure rests on."""
SPREAD = {"mean": "Mittelwert", "median": "Median", "q1": "Unteres Quartil", "q3": "Oberes Quartil"}
"""The figures of a theme's spread over the organisations, by their key in the read model."""
PERCENT = "%"
COUNT = "Anzahl"
Row = tuple[Value, ...]


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, rounded to one decimal (None of nothing)."""
    return round(100 * part / whole, 1) if whole else None


def state_pdf_of(page: str, *, land_name: str) -> Response:
    """The state view's HTML printed as PDF, named after the Land and the day."""
    title = _("Landesübersicht") + f": {land_name}"
    body = print_page(page, title)
    return download(body, PDF, file_name((_("Landesübersicht"), land_name), "pdf"), inline=True)


def figures_csv(data: Mapping[str, Any], titles: Mapping[str, str], *, land_name: str) -> Response:
    """The figures the page shows as a CSV download (header only when the page shows none)."""
    sheet = figures_sheet(data, titles)
    return download(to_csv(sheet), CSV, file_name((sheet.title, land_name), "csv"))


def figures_sheet(data: Mapping[str, Any], titles: Mapping[str, str]) -> Sheet:
    """One row per figure of the page, in the page's order; none when the page shows none."""
    rows: list[Row] = []
    if data["shown"]:
        rows += _themes(data["themes"], titles)
        rows += _goals(data["goals"])
        rows += _measures(data["measures"])
        rows += _phases(data["phases"])
        rows += _shared(data["shared"], titles)
    return Sheet("landesuebersicht", "Kennzahlen der Landesübersicht", COLUMNS, tuple(rows))


def _themes(found: list[Mapping[str, Any]], titles: Mapping[str, str]) -> Iterator[Row]:
    def order(row: Mapping[str, Any]) -> tuple[str, int]:
        return titles.get(row["theme_id"], row["theme_id"]).casefold(), row["year"]

    for row in sorted(found, key=order):
        theme_id = row["theme_id"]
        for key, label in SPREAD.items():
            value = round(row[key] * 100, 1)
            yield (
                "Punktwerte",
                row["year"],
                theme_id,
                titles.get(theme_id, theme_id),
                None,
                key,
                label,
                value,
                PERCENT,
                row["organisations"],
            )


def _goals(found: list[Mapping[str, Any]]) -> Iterator[Row]:
    for row in sorted(found, key=lambda row: row["year"], reverse=True):
        year, organisations, goals = row["year"], row["organisations"], row["goals"]
        yield ("Ziele", year, None, None, None, "goals", "Ziele", goals, COUNT, organisations)
        for verdict in VERDICTS:
            label = f"Anteil {_verdict(verdict)}"
            value = share(row["verdicts"].get(verdict, 0), goals)
            yield (
                "Ziele",
                year,
                None,
                None,
                None,
                f"verdict-{verdict}",
                label,
                value,
                PERCENT,
                organisations,
            )


def _verdict(code: str) -> str:
    if code == "open":
        return "noch offen"
    with force_locale("de"):
        return str(VERDICT_LABELS.get(code, code))


def _measures(found: list[Mapping[str, Any]]) -> Iterator[Row]:
    for row in sorted(found, key=lambda row: row["year"], reverse=True):
        year, organisations, measures = row["year"], row["organisations"], row["measures"]
        done = share(row["statuses"].get("done", 0), measures)
        yield (
            "Maßnahmen",
            year,
            None,
            None,
            None,
            "measures",
            "Maßnahmen",
            measures,
            COUNT,
            organisations,
        )
        yield (
            "Maßnahmen",
            year,
            None,
            None,
            None,
            "done",
            "Anteil erledigt",
            done,
            PERCENT,
            organisations,
        )


def _phases(found: Mapping[str, Any] | None) -> Iterator[Row]:
    if not found:
        return
    for phase, count in found["counts"].items():
        with force_locale("de"):
            label = f"Neuester Zyklus in Phase {PHASES.get(phase, phase)}"
        yield (
            "Phasen",
            None,
            None,
            None,
            None,
            f"phase-{phase}",
            label,
            count,
            COUNT,
            found["organisations"],
        )


def _shared(found: list[Mapping[str, Any]], titles: Mapping[str, str]) -> Iterator[Row]:
    for organisation in found:
        for score in sorted(organisation["scores"], key=lambda s: (-s["year"], s["theme_id"])):
            theme_id = score["theme_id"]
            yield (
                "Namentlich geteilt",
                score["year"],
                theme_id,
                titles.get(theme_id, theme_id),
                organisation["name"],
                "score",
                "Punktwert",
                round(score["score"] * 100, 1),
                PERCENT,
                None,
            )
