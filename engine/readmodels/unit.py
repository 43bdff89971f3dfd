"""A batch's changes to the read models, gathered in memory and written at its end.

Handlers read rows (from what the batch changed, else from the database) and put or delete
whole rows by key; nothing is written until :meth:`UnitOfWork.flush`, which deletes first and
then upserts every changed row with one statement per table. A row put twice in
a batch is written once, as it was last put, so the database ends as if every event had been
applied one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import Any

import orjson

from engine.domain.validation import UNSAFE_TEXT, safe_text
from engine.readmodels.schema import TABLES, Table

Row = dict[str, Any]
Key = tuple[Any, ...]

_ABSENT: Row = {}


class UnitOfWork:
    """Rows changed by one batch, per table, with the cursor of the batch's transaction."""

    def __init__(self, cursor: Any, sql: Callable[[str], str], *, arrays: bool = False) -> None:
        self.cursor = cursor
        self.sql = sql
        self.arrays = arrays
        """Send rows as one array per column (PostgreSQL's unnest) instead of row by row."""
        self._changed: dict[str, dict[Key, Row]] = {}
        self._deleted: dict[str, set[Key]] = {}
        self._read: dict[str, dict[Key, Row]] = {}
        self._whole: dict[str, set[Any]] = {}
        """Per table, the first key values whose every row has been read (prefetched)."""

    def get(self, table: Table, key: Key) -> Row | None:
        """The row as the batch has it so far (a copy to change and put), or None."""
        changed = self._changed.get(table.name, {}).get(key)
        if changed is not None:
            return changed
        if key in self._deleted.get(table.name, ()):
            return None
        read = self._read.setdefault(table.name, {})
        row = read.get(key)
        if row is None:
            known = key[0] in self._whole.get(table.name, ())
            row = _ABSENT if known else (self._select(table, key) or _ABSENT)
            read[key] = row
        return dict(row) if row is not _ABSENT else None

    def prefetch(self, table: Table, firsts: Iterable[Any]) -> None:
        """Read every row whose first key column is one of ``firsts``, in one query."""
        wanted = sorted(set(firsts) - self._whole.get(table.name, set()))
        if not wanted:
            return
        read = self._read.setdefault(table.name, {})
        key_of = _KEY_OF[table.name]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            self.cursor.execute(
                self.sql(
                    f"SELECT {', '.join(table.names)} FROM {table.name} "
                    f"WHERE {table.key[0]} IN ({marks})"
                ),
                chunk,
            )
            for found in self.cursor.fetchall():
                row = self._decoded(table, found)
                read.setdefault(key_of(row), row)
        self._whole.setdefault(table.name, set()).update(wanted)

    def changed_row(self, table: Table, key: Key) -> Row | None:
        """The row as this batch put it, without asking the database."""
        return self._changed.get(table.name, {}).get(key)

    def put(self, table: Table, row: Row) -> None:
        """Keep a whole row (replacing any with its key)."""
        key = _KEY_OF[table.name](row)
        changed = self._changed.get(table.name)
        if changed is None:
            changed = self._changed[table.name] = {}
        changed[key] = row
        deleted = self._deleted.get(table.name)
        if deleted:
            deleted.discard(key)

    def delete(self, table: Table, key: Key) -> None:
        """Delete the row with this key."""
        self._changed.get(table.name, {}).pop(key, None)
        self._deleted.setdefault(table.name, set()).add(key)

    def changed(self, table: Table) -> Iterable[Row]:
        """The rows of a table this batch put."""
        return self._changed.get(table.name, {}).values()

    def flush(self) -> None:
        """Write everything: deletions first, then the changed rows."""
        for name, keys in self._deleted.items():
            if keys:
                self._delete_keys(_TABLES_BY_NAME[name], keys)
        for name, rows in self._changed.items():
            if rows:
                self._upsert(_TABLES_BY_NAME[name], list(rows.values()))
        self._changed, self._deleted, self._read = {}, {}, {}
        self._whole = {}

    def _select(self, table: Table, key: Key) -> Row | None:
        where = " AND ".join(f"{column} = ?" for column in table.key)
        self.cursor.execute(
            self.sql(f"SELECT {', '.join(table.names)} FROM {table.name} WHERE {where}"), key
        )
        found = self.cursor.fetchone()
        return None if found is None else self._decoded(table, found)

    @staticmethod
    def _decoded(table: Table, found: Any) -> Row:
        row = {name: found[name] for name in table.names}
        for name in table.json:
            row[name] = orjson.loads(row[name])
        return row

    def _delete_keys(self, table: Table, keys: Iterable[Key]) -> None:
        where = " AND ".join(f"{column} = ?" for column in table.key)
        self.cursor.executemany(
            self.sql(f"DELETE FROM {table.name} WHERE {where}"), [tuple(k) for k in keys]
        )

    def _upsert(self, table: Table, rows: list[Row]) -> None:
        names = table.names
        rows = safe_rows(table, rows)
        if table.json:
            rows = [
                {**row, **{n: orjson.dumps(row[n]).decode() for n in table.json}} for row in rows
            ]
        if self.arrays:
            columns = [[_typed(kind, row[name]) for row in rows] for name, kind in table.columns]
            self.cursor.execute(self.sql(unnest_statement(table)), columns)
        else:
            self.cursor.executemany(
                self.sql(upsert_statement(table)), [[row[name] for name in names] for row in rows]
            )


def safe_rows(table: Table, rows: list[Row]) -> list[Row]:
    """The rows with every text column's NUL, other control characters and lone surrogates
    replaced (U+FFFD), so that whatever an event holds (one written before text was checked)
    can be stored: PostgreSQL's text cannot hold NUL. Rows without such text are kept as
    they are (the usual case costs one search per text)."""
    texts = _TEXTS[table.name]
    safe = rows
    for index, row in enumerate(rows):
        for name in texts:
            value = row[name]
            if value.__class__ is str and UNSAFE_TEXT.search(value):
                if safe is rows:
                    safe = list(rows)
                safe[index] = row = {**row, name: safe_text(value)}
    return safe


def _typed(kind: str, value: Any) -> Any:
    """A value as its column's array wants it (numbers of a float column as floats)."""
    if value is None or not kind.startswith("DOUBLE"):
        return value
    return float(value)


_STATEMENTS: dict[tuple[str, str], str] = {}


def upsert_statement(table: Table) -> str:
    """INSERT of one row that replaces a row with the same key."""
    return _statement(table, "values")


def unnest_statement(table: Table) -> str:
    """INSERT of rows given as one array per column (PostgreSQL), replacing rows by key."""
    return _statement(table, "unnest")


def _statement(table: Table, form: str) -> str:
    known = _STATEMENTS.get((table.name, form))
    if known is None:
        if form == "unnest":
            arrays = ", ".join(f"?::{kind.split(' NOT NULL')[0]}[]" for _, kind in table.columns)
            source = f"SELECT * FROM unnest({arrays})"
        else:
            source = "VALUES (" + ", ".join("?" * len(table.columns)) + ")"
        updates = ", ".join(
            f"{name} = excluded.{name}" for name in table.names if name not in table.key
        )
        conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        known = (
            f"INSERT INTO {table.name} ({', '.join(table.names)}) {source} "
            f"ON CONFLICT ({', '.join(table.key)}) {conflict}"
        )
        _STATEMENTS[(table.name, form)] = known
    return known


def _key_function(table: Table) -> Callable[[Row], Key]:
    """A fast function giving a row's key as a tuple."""
    get = itemgetter(*table.key)
    if len(table.key) == 1:
        return lambda row: (get(row),)
    return get


_TABLES_BY_NAME = {table.name: table for table in TABLES}
_KEY_OF = {table.name: _key_function(table) for table in TABLES}
_TEXTS = {
    table.name: tuple(
        name for name, kind in table.columns if kind.startswith("TEXT") and name not in table.json
    )
    for table in TABLES
}
"""Per table, the text columns that are not JSON (JSON text escapes what it holds)."""
