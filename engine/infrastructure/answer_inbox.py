"""The inbox of parents' answers: each answer durable in one small insert, folded later.

Three tables beside the events (engine/application/survey_inbox.py explains the design):

- ``qualizyklus_survey_inbox``: one row per answer not yet recorded as an event (its id, cycle,
  survey, when it was received, and the answer as JSON);
- ``qualizyklus_survey_received``: per survey, how many answers it took in (the answer limit
  is applied here, in the same transaction as the insert, so concurrent posts cannot pass it);
- ``qualizyklus_survey_fold_lease``: who folds the inbox now, until when (one folder at a time
  across processes and hosts).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.infrastructure.request_limits import RequestLimits, Window
from engine.infrastructure.side_tables import Datastore, SideTable

TABLE = "qualizyklus_survey_inbox"
LEASE_NAME = "survey-answers"


KEPT, FULL, LIMITED = "kept", "full", "limited"
"""What became of an answer given to :meth:`AnswerInbox.put`."""


@dataclass(frozen=True)
class Pending:
    """One answer waiting in the inbox."""

    answer_id: str
    cycle_id: str
    survey_id: str
    received_at: float
    answer: dict[str, Any]


@dataclass(frozen=True)
class Entry:
    """An answer to keep, its survey's limit and count so far, and its client's rate limit."""

    item: Pending
    most: int
    counted: int
    limit: tuple[str, Window] | None = None


class AnswerInbox(SideTable):
    """Answers by id, the surveys' received counts and the folder's lease."""

    TABLE = TABLE

    @property
    def _counts(self) -> str:
        return self._table.replace(TABLE, "qualizyklus_survey_received")

    @property
    def _lease(self) -> str:
        return self._table.replace(TABLE, "qualizyklus_survey_fold_lease")

    def create_table(self) -> None:
        """Create the three tables if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} (answer_id TEXT PRIMARY KEY,"
                " cycle_id TEXT NOT NULL, survey_id TEXT NOT NULL,"
                " received_at DOUBLE PRECISION NOT NULL, answer TEXT NOT NULL)"
            )
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_cycle ON {self._table} (cycle_id, received_at)"
            )
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._counts} ("
                "survey_id TEXT PRIMARY KEY, received INTEGER NOT NULL)"
            )
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._lease} (name TEXT PRIMARY KEY,"
                " holder TEXT NOT NULL, expires_at DOUBLE PRECISION NOT NULL)"
            )

    def __init__(self, datastore: Datastore, *, placeholder: str, schema: str = "") -> None:
        """The tables in ``datastore`` (and ``schema``), with the request counts beside."""
        super().__init__(datastore, placeholder=placeholder, schema=schema)
        self.limits = RequestLimits(datastore, placeholder=placeholder, schema=schema)

    def put(self, entries: Sequence[Entry]) -> list[str]:
        """Keep answers in ONE transaction; per entry :data:`KEPT`, :data:`FULL` (its survey
        took ``most`` already) or :data:`LIMITED` (its client sent too many this window).

        ``counted`` is how many answers the survey recorded before its first answer came
        through the inbox (its count starts there). Counted and kept, or neither.

        The commit waits for the disk like every event of the store (SQLite keeps its
        ``synchronous=FULL`` in WAL mode, PostgreSQL its ``synchronous_commit``): once it
        returns, the answer survives the process, PostgreSQL or the machine dying. Concurrent
        requests share this commit (engine/application/survey_inbox.py), so the wait is shared.
        """
        now = time.time()
        with self._datastore.transaction(commit=True) as cursor:
            for window in {entry.limit[1] for entry in entries if entry.limit is not None}:
                self.limits.expire(cursor, window, now=now)  # once per batch, not per answer
            return [self._put(cursor, entry, now) for entry in entries]

    def _put(self, cursor: Any, entry: Entry, now: float) -> str:
        item, p = entry.item, self._p
        if entry.counted >= entry.most:
            return FULL
        answer = json.dumps(item.answer, ensure_ascii=False)
        row = (item.answer_id, item.cycle_id, item.survey_id, item.received_at, answer)
        counted = (item.survey_id, entry.counted + 1, entry.most)
        insert = f"INSERT INTO {self._table} (answer_id, cycle_id, survey_id, received_at, answer)"
        if p != "?":
            return self._put_at_once(cursor, entry, now, counted, insert, row)
        if entry.limit is not None:
            statement, parameters = self.limits.counting(*entry.limit, now=now)
            cursor.execute(statement, parameters)
            if self.limits.wait(cursor.fetchall()[0], entry.limit[1], now=now):
                return LIMITED
        cursor.execute(self._count(f"VALUES ({p}, {p})"), counted)
        if not cursor.fetchall():
            return FULL
        cursor.execute(f"{insert} VALUES ({p}, {p}, {p}, {p}, {p})", row)
        return KEPT

    def _count(self, source: str) -> str:
        """The one statement that counts an answer of a survey (a first answer starts at
        ``counted``); ``source`` gives the survey and that start (VALUES or SELECT)."""
        return (
            f"INSERT INTO {self._counts} AS c (survey_id, received) {source} "
            "ON CONFLICT (survey_id) DO UPDATE SET received = c.received + 1 "
            f"WHERE c.received < {self._p} RETURNING received"
        )

    def _put_at_once(
        self,
        cursor: Any,
        entry: Entry,
        now: float,
        counted: tuple[Any, ...],
        insert: str,
        row: tuple[Any, ...],
    ) -> str:
        """PostgreSQL: the client counted, the survey counted and the answer kept in ONE
        statement (one round trip; the counts' rows are locked from there to the commit)."""
        p = self._p
        if entry.limit is None:
            limit, parameters, within = "SELECT 1 AS requests, 0 AS window_start", (), "TRUE"
        else:
            limit, parameters = self.limits.counting(*entry.limit, now=now)
            within = f"(SELECT requests FROM client) <= {int(entry.limit[1].most)}"
        count = self._count(f"SELECT {p}, {p} WHERE {within}")
        cursor.execute(
            f"WITH client AS ({limit}), counted AS ({count}), "
            f"kept AS ({insert} SELECT {p}, {p}, {p}, {p}, {p} FROM counted RETURNING answer_id) "
            "SELECT requests, window_start, (SELECT COUNT(*) FROM kept) AS kept FROM client",
            parameters + counted + row,
        )
        found: Any = cursor.fetchall()[0]
        if entry.limit is not None and self.limits.wait(found, entry.limit[1], now=now):
            return LIMITED
        return KEPT if int(found["kept"]) else FULL

    def pending(self, cycle_id: str, *, limit: int) -> list[Pending]:
        """The cycle's oldest waiting answers, at most ``limit``."""
        rows = self._datastore.rows(
            f"SELECT answer_id, cycle_id, survey_id, received_at, answer FROM {self._table} "
            f"WHERE cycle_id = {self._p} ORDER BY received_at, answer_id LIMIT {int(limit)}",
            (cycle_id,),
        )
        return [
            Pending(
                answer_id=str(row["answer_id"]),
                cycle_id=str(row["cycle_id"]),
                survey_id=str(row["survey_id"]),
                received_at=float(row["received_at"]),
                answer=json.loads(row["answer"]),
            )
            for row in rows
        ]

    def cycles(self) -> list[str]:
        """The cycles with answers waiting."""
        rows = self._datastore.rows(f"SELECT DISTINCT cycle_id FROM {self._table}")
        return [str(row["cycle_id"]) for row in rows]

    def waiting(self, cycle_id: str) -> int:
        """How many answers of the cycle wait."""
        rows = self._datastore.rows(
            f"SELECT COUNT(*) AS n FROM {self._table} WHERE cycle_id = {self._p}", (cycle_id,)
        )
        return int(rows[0]["n"])

    def remove(self, answer_ids: Iterable[str]) -> None:
        """Delete folded answers (an id no longer there is fine)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                f"DELETE FROM {self._table} WHERE answer_id = {self._p}",
                [(answer_id,) for answer_id in answer_ids],
            )

    def acquire(self, holder: str, seconds: float, *, now: float | None = None) -> bool:
        """Take (or renew) the folder's lease for ``seconds``; whether ``holder`` has it."""
        now = time.time() if now is None else now
        p = self._p
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"INSERT INTO {self._lease} AS l (name, holder, expires_at) VALUES ({p}, {p}, {p})"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                f" expires_at = excluded.expires_at WHERE l.expires_at < {p} OR l.holder = {p}",
                (LEASE_NAME, holder, now + seconds, now, holder),
            )
            cursor.execute(f"SELECT holder FROM {self._lease} WHERE name = {p}", (LEASE_NAME,))
            row: Any = cursor.fetchall()[0]
        return str(row["holder"]) == holder

    def release(self, holder: str) -> None:
        """Give the lease up (if ``holder`` still has it)."""
        p = self._p
        self._execute(
            f"UPDATE {self._lease} SET expires_at = 0 WHERE name = {p} AND holder = {p}",
            (LEASE_NAME, holder),
        )
