"""A cycle's goals, measures and indicator values as CSV files and as one XLSX workbook.

The CSV files are written for German spreadsheets, and the same in every language (a file passed
on reads alike whoever downloaded it): UTF-8 with a byte order mark (so Excel knows the
encoding), semicolons, numbers with a decimal comma and no grouping (``62,5``, ``3``), dates ISO
(``2025-09-15``, which Excel reads as dates in every language), headings in German (stable,
documented in docs/benutzerhandbuch.md), codes (``running``, ``reached``) beside their German
labels. A spreadsheet set up for English reads the XLSX workbook, whose numbers and dates are
typed cells; programs use the API's ``plan.csv`` (comma, decimal point, the import's format).
A text cell that a spreadsheet would take for a formula (starting with = + - @, a tab or a
return) or that starts with an apostrophe gets one apostrophe in front, in CSV and XLSX alike
(CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import force_locale

from engine.domain.catalogue import Theme
from web.audit_text import actor_name
from web.i18n import STATUSES, VERDICTS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
"""Starts of a text cell that a spreadsheet could run as a formula (and the escape itself)."""
BOM = "\ufeff"
DELIMITER = ";"
DECIMAL = ","

Value = str | int | float | date | None


def guard(text: str) -> str:
    """A text cell made safe for spreadsheets: an apostrophe before a formula's start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def plain_number(value: float | int) -> str:
    """A number as a German spreadsheet reads it: ``62,5``, ``3`` for 3.0, no grouping."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):  # the shortest exact digits, never an exponent
        return format(Decimal(repr(value)), "f").replace(".", DECIMAL)
    return str(value)


@dataclass(frozen=True)
class Column:
    """A column: its stable key (for programs) and its German heading (the header row)."""

    key: str
    heading: str


@dataclass(frozen=True)
class Sheet:
    """One export: a file name stem, a sheet title, columns and rows of plain values."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]


GOAL_COLUMNS = (
    Column("goal_id", "Ziel-ID"),
    Column("title", "Ziel"),
    Column("theme_id", "Thema-ID"),
    Column("theme", "Thema"),
    Column("indicator", "Indikator"),
    Column("unit", "Einheit"),
    Column("baseline", "Ausgangswert"),
    Column("target", "Zielwert"),
    Column("due", "Fällig"),
    Column("latest_value", "Letzter Wert"),
    Column("latest_on", "Letzter Wert am"),
    Column("verdict_code", "Bewertung-Code"),
    Column("verdict", "Bewertung"),
    Column("evidence", "Belege"),
)
MEASURE_COLUMNS = (
    Column("measure_id", "Maßnahme-ID"),
    Column("title", "Maßnahme"),
    Column("goal_id", "Ziel-ID"),
    Column("goal", "Ziel"),
    Column("theme_id", "Thema-ID"),
    Column("theme", "Thema"),
    Column("responsible", "Verantwortlich"),
    Column("status_code", "Status-Code"),
    Column("status", "Status"),
    Column("start", "Beginn"),
    Column("due", "Fällig"),
    Column("resources", "Ressourcen"),
)
INDICATOR_COLUMNS = (
    Column("goal_id", "Ziel-ID"),
    Column("goal", "Ziel"),
    Column("indicator", "Indikator"),
    Column("unit", "Einheit"),
    Column("measured_on", "Gemessen am"),
    Column("value", "Wert"),
    Column("source", "Quelle"),
)


def _german(labels: Mapping[str, Any], code: str | None) -> str | None:
    """A status or verdict code's German label (whatever the reader's language)."""
    if not code:
        return None
    with force_locale("de"):
        return str(labels.get(code, code))


def _theme(themes: Mapping[str, Theme], theme_id: str | None) -> str | None:
    if not theme_id:
        return None
    theme = themes.get(theme_id)
    return theme.title.de if theme else theme_id


def _latest(goal: Mapping[str, Any]) -> Mapping[str, Any]:
    values = sorted(goal.get("values") or [], key=lambda value: value["measured_on"])
    return values[-1] if values else {}


def goals_sheet(cycle: Mapping[str, Any], themes: Mapping[str, Theme]) -> Sheet:
    """The cycle's goals, one row each, in the cycle's order."""
    rows = []
    for goal_id, goal in cycle["goals"].items():
        review = goal.get("review") or {}
        latest = _latest(goal)
        rows.append(
            (
                goal_id,
                goal["title"],
                goal.get("theme_id"),
                _theme(themes, goal.get("theme_id")),
                goal.get("indicator"),
                goal.get("unit"),
                goal.get("baseline"),
                goal.get("target"),
                goal.get("due"),
                latest.get("value"),
                latest.get("measured_on"),
                review.get("verdict"),
                _german(VERDICTS, review.get("verdict")),
                review.get("evidence"),
            )
        )
    return Sheet("ziele", "Ziele", GOAL_COLUMNS, tuple(rows))


def measures_sheet(
    cycle: Mapping[str, Any], themes: Mapping[str, Theme], names: Mapping[str, str]
) -> Sheet:
    """The cycle's measures, one row each, with the responsible person's display name."""
    rows = []
    goals = cycle["goals"]
    for measure_id, measure in cycle["measures"].items():
        goal = goals.get(measure.get("goal_id") or "")
        responsible = measure.get("responsible_member_id")
        rows.append(
            (
                measure_id,
                measure["title"],
                measure.get("goal_id"),
                goal["title"] if goal else None,
                measure.get("theme_id"),
                _theme(themes, measure.get("theme_id")),
                actor_name(responsible, names) if responsible else None,
                measure.get("status"),
                _german(STATUSES, measure.get("status")),
                measure.get("start"),
                measure.get("due"),
                measure.get("resources"),
            )
        )
    return Sheet("massnahmen", "Maßnahmen", MEASURE_COLUMNS, tuple(rows))


def indicators_sheet(cycle: Mapping[str, Any]) -> Sheet:
    """Every measured indicator value, by goal and then oldest first."""
    rows = []
    for goal_id, goal in cycle["goals"].items():
        for value in sorted(goal.get("values") or [], key=lambda v: v["measured_on"]):
            rows.append(
                (
                    goal_id,
                    goal["title"],
                    goal.get("indicator"),
                    goal.get("unit"),
                    value["measured_on"],
                    value["value"],
                    value.get("source"),
                )
            )
    return Sheet("indikatorwerte", "Indikatorwerte", INDICATOR_COLUMNS, tuple(rows))


def responsible_ids(cycle: Mapping[str, Any]) -> set[str]:
    """The people responsible for the cycle's measures (to look up their names once)."""
    return {
        str(m["responsible_member_id"])
        for m in cycle["measures"].values()
        if m.get("responsible_member_id")
    }


# Writing --------------------------------------------------------------------------------------


def csv_cell(value: Value) -> str:
    """A value as CSV text: empty, a number with a decimal comma, an ISO date or a guarded text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return plain_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return guard(str(value))


def to_csv(sheet: Sheet) -> bytes:
    """The sheet as UTF-8 CSV with a byte order mark, semicolon-separated, header first."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(column.heading for column in sheet.columns)
    for row in sheet.rows:
        writer.writerow(csv_cell(value) for value in row)
    return out.getvalue().encode("utf-8")


def xlsx_cell(value: Value) -> Value:
    """A value for a workbook cell: numbers and dates as such, texts guarded and cleaned."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return guard(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one workbook: a header row each, dates shown ISO, the header frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    for blank in list(workbook.worksheets):
        workbook.remove(blank)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append([column.heading for column in sheet.columns])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            worksheet.append([xlsx_cell(value) for value in row])
        for row_cells in worksheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        worksheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
