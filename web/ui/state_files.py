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


def _row(area: str, year: int | None, code: str, label: str, value: Value, unit: str,
         organisations: int | None, *, theme: tuple[str, str] | None = None,
         organisation: str | None = None) -> Row:  # fmt: skip
    """One figure in the columns' order (``theme``: its id and title)."""
    theme_id, title = theme or (None, None)
    return (area, year, theme_id, title, organisation, code, label, value, unit, organisations)


def _themes(found: list[Mapping[str, Any]], titles: Mapping[str, str]) -> Iterator[Row]:
    def order(row: Mapping[str, Any]) -> tuple[str, int]:
        return titles.get(row["theme_id"], row["theme_id"]).casefold(), row["year"]

    for row in sorted(found, key=order):
        theme = (row["theme_id"], titles.get(row["theme_id"], row["theme_id"]))
        for key, label in SPREAD.items():
            value = round(row[key] * 100, 1)
            yield _row("Punktwerte", row["year"], key, label, value, PERCENT, row["organisations"],
                       theme=theme)  # fmt: skip


def _goals(found: list[Mapping[str, Any]]) -> Iterator[Row]:
    for row in sorted(found, key=lambda row: row["year"], reverse=True):
        year, organisations, goals = row["year"], row["organisations"], row["goals"]
        yield _row("Ziele", year, "goals", "Ziele", goals, COUNT, organisations)
        for verdict in VERDICTS:
            value = share(row["verdicts"].get(verdict, 0), goals)
            yield _row("Ziele", year, f"verdict-{verdict}", f"Anteil {_verdict(verdict)}", value,
                       PERCENT, organisations)  # fmt: skip


def _verdict(code: str) -> str:
    if code == "open":
        return "noch offen"
    with force_locale("de"):
        return str(VERDICT_LABELS.get(code, code))


def _measures(found: list[Mapping[str, Any]]) -> Iterator[Row]:
    for row in sorted(found, key=lambda row: row["year"], reverse=True):
        year, organisations, measures = row["year"], row["organisations"], row["measures"]
        done = share(row["statuses"].get("done", 0), measures)
        yield _row("Maßnahmen", year, "measures", "Maßnahmen", measures, COUNT, organisations)
        yield _row("Maßnahmen", year, "done", "Anteil erledigt", done, PERCENT, organisations)


def _phases(found: Mapping[str, Any] | None) -> Iterator[Row]:
    if not found:
        return
    for phase, count in found["counts"].items():
        with force_locale("de"):
            label = f"Neuester Zyklus in Phase {PHASES.get(phase, phase)}"
        yield _row("Phasen", None, f"phase-{phase}", label, count, COUNT, found["organisations"])


def _shared(found: list[Mapping[str, Any]], titles: Mapping[str, str]) -> Iterator[Row]:
    for organisation in found:
        for score in sorted(organisation["scores"], key=lambda s: (-s["year"], s["theme_id"])):
            theme = (score["theme_id"], titles.get(score["theme_id"], score["theme_id"]))
            value = round(score["score"] * 100, 1)
            yield _row("Namentlich geteilt", score["year"], "score", "Punktwert", value, PERCENT,
                       None, theme=theme, organisation=organisation["name"])  # fmt: skip
