"""The free-text table: the texts that events refer to, erasable one by one.

One row per reference (engine/domain/free_text.py): the aggregate, event version and field
it belongs to, the salt and the text. Erasing a text empties salt and text and keeps when
it was erased, so that reading the event can say so; the reference alone reveals nothing.
``compact`` then removes the old bytes from the database files (SQLite: VACUUM and a WAL
checkpoint; PostgreSQL: VACUUM of this table).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from engine.infrastructure.side_tables import SideTable

TABLE = "qualizyklus_free_texts"
MANY = 500
"""How many references one query of :meth:`FreeTextTable.get_many` asks for at most."""
COLUMNS = ("reference", "aggregate_id", "version", "field", "salt", "text", "erased_at")


@dataclass(frozen=True)
class TextRow:
    """One row: a text, or (``text`` None) the note that it was erased and when."""

    reference: str
    aggregate_id: str
    version: int
    field: str
    salt: str | None
    text: str | None
    erased_at: str | None

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data (export)."""
        return {column: getattr(self, column) for column in COLUMNS}


class FreeTextTable(SideTable):
    """The texts by reference."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "reference TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, version INTEGER NOT NULL,"
                " field TEXT NOT NULL, salt TEXT, text TEXT, erased_at TEXT)"
            )

    def insert(self, rows: Iterable[TextRow]) -> None:
        """Write rows in one transaction (a reference already there is refused by the key)."""
        p = self._p
        values = [tuple(getattr(row, column) for column in COLUMNS) for row in rows]
        if not values:
            return
        with self._datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                f"INSERT INTO {self._table} ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join([p] * len(COLUMNS))})",
                values,
            )

    def delete(self, references: Iterable[str]) -> None:
        """Remove rows whose events were not stored after all."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                f"DELETE FROM {self._table} WHERE reference = {self._p}",
                [(reference,) for reference in references],
            )

    def get(self, reference: str) -> TextRow | None:
        """The row of ``reference``, if any."""
        found = self._select(f"reference = {self._p}", (reference,))
        return found[0] if found else None

    def get_many(self, references: Iterable[str]) -> dict[str, TextRow]:
        """The rows of ``references`` by reference (one query per :data:`MANY` of them)."""
        wanted = sorted(set(references))
        found: dict[str, TextRow] = {}
        for start in range(0, len(wanted), MANY):
            chunk = wanted[start : start + MANY]
            marks = ", ".join([self._p] * len(chunk))
            for row in self._select(f"reference IN ({marks})", tuple(chunk)):
                found[row.reference] = row
        return found

    def of_aggregates(self, aggregate_ids: Iterable[str]) -> list[TextRow]:
        """Every row of the given aggregates (export), in a stable order."""
        rows: list[TextRow] = []
        for aggregate_id in aggregate_ids:
            rows += self._select(f"aggregate_id = {self._p}", (aggregate_id,))
        return sorted(rows, key=lambda row: (row.aggregate_id, row.version, row.field))

    def search(self, fragment: str, *, limit: int = 200) -> list[TextRow]:
        """The texts (not erased) containing ``fragment``, ignoring case (for a DSGVO request)."""
        p = self._p
        escaped = fragment.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._select(
            f"text IS NOT NULL AND LOWER(text) LIKE {p} ESCAPE '\\' "
            f"ORDER BY aggregate_id, version LIMIT {int(limit)}",
            (f"%{escaped}%",),
        )

    def erase(self, reference: str, erased_at: str) -> bool:
        """Empty the text and salt of ``reference``; False if unknown or erased already."""
        p = self._p
        touched = self._execute(
            f"UPDATE {self._table} SET text = NULL, salt = NULL, erased_at = {p} "
            f"WHERE reference = {p} AND erased_at IS NULL",
            (erased_at, reference),
        )
        return touched == 1

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[TextRow]:
        rows = self._datastore.rows(
            f"SELECT {', '.join(COLUMNS)} FROM {self._table} WHERE {where}", parameters
        )
        return [TextRow(**{column: row[column] for column in COLUMNS}) for row in rows]
