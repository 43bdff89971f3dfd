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


def _row(item: Pending) -> tuple[Any, ...]:
    """The inbox row of an answer."""
    answer = json.dumps(item.answer, ensure_ascii=False)
    return (item.answer_id, item.cycle_id, item.survey_id, item.received_at, answer)


def _by_window(
    entries: Sequence[Entry], numbers: Iterable[int]
) -> dict[Window, dict[str, list[int]]]:
    """The entries to count per limit window and client key (keys sorted: the order rows are
    locked in)."""
    found: dict[Window, dict[str, list[int]]] = {}
    for number in numbers:
        limit = entries[number].limit
        if limit is not None:
            found.setdefault(limit[1], {}).setdefault(limit[0], []).append(number)
    return {window: dict(sorted(keys.items())) for window, keys in found.items()}


def _by_survey(
    entries: Sequence[Entry], numbers: Iterable[int]
) -> dict[tuple[str, int, int], list[int]]:
    """The entries per survey (with where its count starts and its limit), surveys sorted."""
    found: dict[tuple[str, int, int], list[int]] = {}
    for number in numbers:
        entry = entries[number]
        found.setdefault((entry.item.survey_id, entry.counted, entry.most), []).append(number)
    return dict(sorted(found.items()))


_AT_ONCE = """
WITH entry (n, answer_id, cycle_id, survey_id, received_at, answer, limit_key) AS (
    VALUES {entries}
), asked AS (
    SELECT limit_key, COUNT(*)::int AS requests FROM entry
    WHERE limit_key IS NOT NULL GROUP BY limit_key
), client AS (
    {clients}
), admitted AS (
    SELECT e.*, e.limit_key IS NULL OR c.requests - a.requests
        + row_number() OVER (PARTITION BY e.limit_key ORDER BY e.n) <= %s AS within
    FROM entry e LEFT JOIN client c USING (limit_key) LEFT JOIN asked a USING (limit_key)
), counted AS (
    INSERT INTO {counts} AS c (survey_id, received)
    SELECT %s, %s + COUNT(*) FROM admitted WHERE within HAVING COUNT(*) > 0
    ON CONFLICT (survey_id) DO UPDATE SET received = c.received + excluded.received - %s
    WHERE c.received < %s
    RETURNING received, received - (SELECT COUNT(*) FROM admitted WHERE within) AS before
), kept AS (
    INSERT INTO {inbox} (answer_id, cycle_id, survey_id, received_at, answer)
    SELECT a.answer_id, a.cycle_id, a.survey_id, a.received_at, a.answer
    FROM (SELECT *, row_number() OVER (ORDER BY n) AS place FROM admitted WHERE within) a,
         counted
    WHERE a.place <= %s - counted.before
    RETURNING answer_id
)
SELECT a.n, a.within, a.answer_id IN (SELECT answer_id FROM kept) AS kept,
       (SELECT received FROM counted) AS received
FROM admitted a
"""
"""One statement for a batch of one survey on PostgreSQL (see ``AnswerInbox._put_at_once``):
the entries as rows of VALUES (scalar parameters: psycopg dumps arrays of text slowly); each
client's requests counted; an entry is *within* its client's limit by its place among the
client's entries; the survey counted by the entries within (a first count starts at
``counted``); the first ``most - before`` of them kept. The clients' rows are locked in byte
order (``COLLATE "C"``), the order Python sorts the keys in for the other statements."""

_CLIENTS = 'SELECT limit_key, requests, %s FROM asked ORDER BY limit_key COLLATE "C"'
"""The clients of a one-statement batch, counted as ``RequestLimits.counting_from`` counts."""


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

    def put(self, entries: Sequence[Entry], *, expire: bool = True) -> list[str]:
        """Keep answers in ONE transaction; per entry :data:`KEPT`, :data:`FULL` (its survey
        took ``most`` already) or :data:`LIMITED` (its client sent too many this window).

        ``counted`` is how many answers the survey recorded before its first answer came
        through the inbox (its count starts there). Counted and kept, or neither. The result
        is the same as putting the entries one after another, in their order.

        The batch costs the same few statements however many answers it holds: one counts
        the clients, one per survey counts the answers, one inserts them (and, with
        ``expire``, one forgets the clients' counts of windows that are over); on PostgreSQL,
        a batch for one survey and one limit window does all three in one statement
        (:meth:`_put_at_once`, one round trip instead of three). Everything is
        prepared before the transaction starts, so that the writers' turn and the rows locked
        (the survey's count) are held for the statements only; rows are locked in the order
        of their keys, so concurrent batches cannot deadlock on PostgreSQL.

        The commit waits for the disk like every event of the store (SQLite keeps its
        ``synchronous=FULL`` in WAL mode, PostgreSQL its ``synchronous_commit``): once it
        returns, the answer survives the process, PostgreSQL or the machine dying. Concurrent
        requests share this commit (engine/application/survey_inbox.py), so the wait is shared.
        """
        now = time.time()
        results: dict[int, str | None] = {
            number: FULL if entry.counted >= entry.most else None
            for number, entry in enumerate(entries)
        }
        rows = {
            number: _row(entry.item)
            for number, entry in enumerate(entries)
            if results[number] is None
        }
        if not rows:
            return [str(result) for result in results.values()]
        windows = _by_window(entries, rows)
        surveys = _by_survey(entries, rows)
        if self._p != "?" and len(surveys) == 1 and len(windows) <= 1:
            if expire:
                self._expire(windows, now)
            results.update(self._put_at_once(entries, rows, windows, now))
            return [str(result) for result in results.values()]
        with self._datastore.transaction(commit=True) as cursor:
            if expire:
                for window in windows:
                    self.limits.expire(cursor, window, now=now)
            for window, clients in windows.items():
                for number in self._count_clients(cursor, window, clients, now):
                    results[number] = LIMITED
            for (survey_id, counted, most), numbers in surveys.items():
                numbers = [n for n in numbers if results[n] is None]
                kept = self._count_survey(cursor, survey_id, counted, most, len(numbers))
                for position, number in enumerate(numbers):
                    results[number] = KEPT if position < kept else FULL
            self._insert(cursor, [rows[n] for n in sorted(rows) if results[n] == KEPT])
        return [str(result) for result in results.values()]

    def _expire(self, windows: Iterable[Window], now: float) -> None:
        """Forget the clients' counts of windows that are over, in a transaction of its own."""
        with self._datastore.transaction(commit=True) as cursor:
            for window in windows:
                self.limits.expire(cursor, window, now=now)

    def _put_at_once(
        self,
        entries: Sequence[Entry],
        rows: dict[int, tuple[Any, ...]],
        windows: dict[Window, dict[str, list[int]]],
        now: float,
    ) -> dict[int, str]:
        """PostgreSQL, a batch of one survey and at most one limit window: the clients
        counted, the survey counted and the answers kept in ONE statement, as
        :meth:`_count_clients`, :meth:`_count_survey` and :meth:`_insert` do in three, sent on
        its own and committed by itself (one round trip).

        When more answers came than fit, the count has gone past the limit; a second statement
        brings it back. Until then the survey takes no answer either (its count is at least the
        limit), and nothing else reads the count."""
        numbers = sorted(rows)
        first = entries[numbers[0]]
        window = next(iter(windows), None)
        start = now - window.length.total_seconds() if window is not None else now
        limits = [entries[n].limit for n in numbers]
        values = [
            (n, *rows[n], limit[0] if limit is not None else None)
            for n, limit in zip(numbers, limits, strict=True)
        ]
        survey = (first.item.survey_id, first.counted, first.counted, first.most, first.most)
        statement = _AT_ONCE.format(
            entries=", ".join(["(%s::int, %s, %s, %s, %s::float8, %s, %s)"] * len(values)),
            clients=self.limits.counting_from(_CLIENTS),
            inbox=self._table,
            counts=self._counts,
        )
        per_client = window.most if window else 0
        flat = [value for row in values for value in row]
        returned = self._datastore.committed_rows(
            statement, (*flat, now, start, start, per_client, *survey)
        )
        found: dict[int, str] = {}
        received = None
        for row in returned:
            found[int(row["n"])] = KEPT if row["kept"] else FULL if row["within"] else LIMITED
            received = row["received"]
        if received is not None and int(received) > first.most:  # the count stops at the limit
            self._execute(
                f"UPDATE {self._counts} SET received = %s WHERE survey_id = %s",
                (first.most, first.item.survey_id),
            )
        return found

    def _count_clients(
        self, cursor: Any, window: Window, clients: dict[str, list[int]], now: float
    ) -> list[int]:
        """Count every client's requests of this batch in one statement; the entries over
        their client's limit (counted as they come, each request one more)."""
        statement, parameters = self.limits.counting(
            {key: len(numbers) for key, numbers in clients.items()}, window, now=now
        )
        cursor.execute(statement, parameters)
        over: list[int] = []
        for row in cursor.fetchall():
            numbers = clients[str(row["limit_key"])]
            first = int(row["requests"]) - len(numbers) + 1  # the count of its first request
            over += [n for step, n in enumerate(numbers) if first + step > window.most]
        return over

    def _count_survey(self, cursor: Any, survey_id: str, counted: int, most: int, new: int) -> int:
        """Count up to ``new`` answers of one survey in one statement (a first answer starts at
        ``counted``); how many fit under ``most``."""
        if not new:
            return 0
        p = self._p
        cursor.execute(
            f"INSERT INTO {self._counts} AS c (survey_id, received) VALUES ({p}, {p}) "
            f"ON CONFLICT (survey_id) DO UPDATE SET received = c.received + {p} "
            f"WHERE c.received < {p} RETURNING received",
            (survey_id, counted + new, new, most),
        )
        found: Any = cursor.fetchall()
        if not found:
            return 0  # the survey took ``most`` already
        received = int(found[0]["received"])
        if received > most:  # more came than fit: the count stops at the limit
            cursor.execute(
                f"UPDATE {self._counts} SET received = {p} WHERE survey_id = {p}",
                (most, survey_id),
            )
        return min(new, most - (received - new))

    def _insert(self, cursor: Any, rows: list[tuple[Any, ...]]) -> None:
        """Insert the kept answers in one statement."""
        if not rows:
            return
        p = self._p
        values = ", ".join([f"({p}, {p}, {p}, {p}, {p})"] * len(rows))
        cursor.execute(
            f"INSERT INTO {self._table} (answer_id, cycle_id, survey_id, received_at, answer) "
            f"VALUES {values}",
            tuple(value for row in rows for value in row),
        )

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
