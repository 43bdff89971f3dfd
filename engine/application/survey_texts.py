"""Parents' free-text answers, kept outside the events so that each can be erased.

The narrow interface (``store``, ``read``, ``read_many``, ``erase``) is all the surveys use, so
that another erasable-text store can take its place. A reference is a salted SHA-256 digest:
it names a text in an event without revealing it, and once the row (text and salt) is erased,
no one can tell from the reference what the text was.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from engine.infrastructure.side_tables import SideTable, open_side_table

TABLE = "survey_texts"


class SurveyTexts(SideTable):
    """Free texts by reference: store, read, erase."""

    TABLE = TABLE

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "reference TEXT PRIMARY KEY, salt TEXT NOT NULL, text TEXT NOT NULL)"
            )

    def store(self, text: str) -> str:
        """Keep ``text``; its reference for the event."""
        salt = secrets.token_hex(16)
        reference = reference_of(salt, text)
        p = self._p
        self._execute(
            f"INSERT INTO {self._table} (reference, salt, text) VALUES ({p}, {p}, {p})",
            (reference, salt, text),
        )
        return reference

    def read(self, reference: str) -> str | None:
        """The text of ``reference``; None once erased (or never stored)."""
        return self.read_many([reference]).get(reference)

    def read_many(self, references: Iterable[str]) -> dict[str, str]:
        """The texts of the given references that still exist, by reference."""
        wanted = list(dict.fromkeys(references))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join([self._p] * len(chunk))
            for row in self._rows(
                f"SELECT reference, text FROM {self._table} WHERE reference IN ({marks})",
                tuple(chunk),
            ):
                found[str(row["reference"])] = str(row["text"])
        return found

    def rows(self, references: Iterable[str]) -> list[dict[str, str]]:
        """The rows (reference, salt, text) of the given references that still exist."""
        wanted = list(dict.fromkeys(references))
        found: list[dict[str, str]] = []
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join([self._p] * len(chunk))
            found += [
                {key: str(row[key]) for key in ("reference", "salt", "text")}
                for row in self._rows(
                    f"SELECT reference, salt, text FROM {self._table} WHERE reference IN ({marks})",
                    tuple(chunk),
                )
            ]
        return found

    def insert(self, rows: Iterable[dict[str, str]]) -> None:
        """Enter rows as :meth:`rows` gives them (an import); each must match its reference."""
        p = self._p
        for row in rows:
            self._execute(
                f"INSERT INTO {self._table} (reference, salt, text) VALUES ({p}, {p}, {p})",
                (row["reference"], row["salt"], row["text"]),
            )

    def erase(self, reference: str) -> bool:
        """Delete the text and its salt for good; True if there was one."""
        return (
            self._execute(f"DELETE FROM {self._table} WHERE reference = {self._p}", (reference,))
            > 0
        )

    def _rows(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        with self._datastore.transaction(commit=False) as cursor:
            cursor.execute(sql, parameters)
            return list(cursor.fetchall())


def reference_of(salt: str, text: str) -> str:
    """The reference a text with this salt has (what :meth:`SurveyTexts.store` computed)."""
    return "sha256:" + hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


def survey_texts(app: Any) -> SurveyTexts:
    """The engine's store of survey free texts."""
    return open_side_table(app, SurveyTexts)
