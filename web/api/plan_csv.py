"""Goals and measures as CSV, in one format for export and import (round trip safe).

One row per goal or measure (``kind``), goals first; dates ISO, numbers as written by Python,
theme data (``attrs``) as JSON. A text cell that a spreadsheet would take for a formula
(starting with = + - @, a tab or a return) or that starts with an apostrophe is written with
one apostrophe in front, and the import takes exactly one off again. ``status`` is exported
for reading and ignored by the import: imported measures start as planned.

The import checks every row and writes all of them in one transaction, or refuses and writes
nothing. The engine has no batch command for this, so it composes the engine's own steps for
set_goal and plan_measure (field checks, the themes' validation, the aggregate's methods)
inside one change of the cycle.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

from engine.application.service import Qualizyklus
from engine.domain import validation as check
from engine.domain.errors import InvalidInput
from web.bodies import UnreadableJSON
from web.bodies import loads as strict_json
from web.reports.exports import guard

COLUMNS = (
    "kind",
    "id",
    "title",
    "goal_id",
    "theme_id",
    "indicator",
    "unit",
    "baseline",
    "target",
    "responsible_member_id",
    "start",
    "due",
    "resources",
    "status",
    "attrs",
)
TEXT_COLUMNS = frozenset(
    {"title", "goal_id", "theme_id", "indicator", "unit", "responsible_member_id", "resources"}
)
GOAL_COLUMNS = ("title", "theme_id", "indicator", "unit", "baseline", "target", "due", "attrs")
MEASURE_COLUMNS = (
    "title",
    "goal_id",
    "theme_id",
    "responsible_member_id",
    "start",
    "due",
    "resources",
    "attrs",
)
MAX_ROWS = 2_000


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column == "attrs":
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return guard(text) if column in TEXT_COLUMNS else text


def export_plan(cycle: Mapping[str, Any]) -> str:
    """The cycle's goals and measures as CSV text (goals first, each kind by id)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for kind, items in (("goal", cycle["goals"]), ("measure", cycle["measures"])):
        for item_id, item in sorted(items.items()):
            row = {"kind": kind, "id": item_id, **item}
            writer.writerow([_cell(column, row.get(column)) for column in COLUMNS])
    return out.getvalue()


def _refused(row: int, field: str, en: str, de: str | None = None) -> InvalidInput:
    return InvalidInput(f"row {row}.{field}", de or en, en)


def _text(value: str) -> str:
    return value[1:] if value.startswith("'") else value


def _number(row: int, field: str, value: str) -> float | None:
    if value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise _refused(row, field, "must be a number", "muss eine Zahl sein") from None


def _attrs(row: int, value: str) -> dict[str, Any] | None:
    if value == "":
        return None
    try:
        loaded = strict_json(value)  # no NaN, lone surrogates or pathological nesting
    except UnreadableJSON:
        raise _refused(row, "attrs", "must be a JSON object", "muss ein JSON-Objekt sein") from None
    if not isinstance(loaded, dict):
        raise _refused(row, "attrs", "must be a JSON object", "muss ein JSON-Objekt sein")
    return loaded


def _fields(row_number: int, row: Mapping[str, str], columns: Iterable[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column in columns:
        raw = row.get(column) or ""
        if column in ("baseline", "target"):
            fields[column] = _number(row_number, column, raw)
        elif column == "attrs":
            fields[column] = _attrs(row_number, raw)
        elif column in ("start", "due"):
            fields[column] = raw or None
        else:
            text = _text(raw)
            fields[column] = text if text or column in ("title", "indicator", "unit") else None
    return fields


def parse_plan(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Goal rows and measure rows of a CSV in the export format (ids made up where empty)."""
    try:
        return _parse_rows(text)
    except csv.Error as error:  # e.g. a cell beyond the csv module's field size limit
        raise InvalidInput("csv", f"nicht lesbar ({error})", f"unreadable ({error})") from None


def _parse_rows(text: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = reader.fieldnames or []
    unknown = sorted(set(header) - set(COLUMNS))
    if unknown or "kind" not in header or "title" not in header:
        raise InvalidInput(
            "csv",
            f"Kopfzeile wie beim Export erwartet ({','.join(COLUMNS)})",
            f"expected the export's header ({','.join(COLUMNS)})"
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
        )
    goals, measures = [], []
    for number, row in enumerate(reader, start=2):
        if number > MAX_ROWS + 1:
            raise InvalidInput("csv", f"höchstens {MAX_ROWS} Zeilen", f"at most {MAX_ROWS} rows")
        if None in row:
            raise _refused(number, "csv", "has more cells than the header", "zu viele Zellen")
        kind = row.get("kind") or ""
        identifier = row.get("id") or None
        if kind == "goal":
            goal_id = check.item_id(f"row {number}.id", identifier)
            goals.append({"row": number, "goal_id": goal_id, **_fields(number, row, GOAL_COLUMNS)})
        elif kind == "measure":
            measure_id = check.item_id(f"row {number}.id", identifier)
            measures.append(
                {
                    "row": number,
                    "measure_id": measure_id,
                    **_fields(number, row, MEASURE_COLUMNS),
                }
            )
        else:
            raise _refused(number, "kind", "must be goal or measure", "muss goal oder measure sein")
    if not goals and not measures:
        raise InvalidInput("csv", "enthält keine Zeile", "holds no row")
    return goals, measures


def import_plan(
    app: Qualizyklus,
    cycle_id: UUID,
    *,
    actor_id: str,
    expected_version: int,
    goals: list[dict[str, Any]],
    measures: list[dict[str, Any]],
) -> int:
    """Set every goal and plan every measure in one change of the cycle; return its version.

    A refusal names the file's row (``row 3.due``) instead of the item's position.
    """
    try:
        return app.import_plan(
            cycle_id,
            actor_id=actor_id,
            goals=goals,
            measures=measures,
            expected_version=expected_version,
        )
    except InvalidInput as error:
        raise _in_row(error, goals, measures) from None


def _in_row(
    error: InvalidInput, goals: list[dict[str, Any]], measures: list[dict[str, Any]]
) -> InvalidInput:
    """The refusal with each field named by the file's row (``row 3.title``) where it can."""

    def rename(name: str) -> str:
        kind, _dot, rest = name.partition(".")
        position, _dot, field = rest.partition(".")
        items = {"goals": goals, "measures": measures}.get(kind)
        if items is None or not position.isdigit() or int(position) >= len(items):
            return name
        return f"row {items[int(position)]['row']}.{field}"

    return error.renamed(rename)
