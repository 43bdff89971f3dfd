"""Parents' answers: durable in one small insert, recorded on the cycle in batches.

Why: every answer of a survey is an event of one cycle aggregate. Recording each answer as it
comes makes all parents queue on that aggregate (load, append, save, retry on a concurrent
write), so an answer cost several commits and waited for the others. Instead:

1. **Taking an answer in** (:func:`take_in`) checks it against the cycle as cached (open,
   language, questions, options) and writes it in ONE transaction to the inbox side table
   (engine/infrastructure/answer_inbox.py): the client's request count (rate limit) and the
   survey's received count go up unless the limit is used up or the survey is full (so the
   answer limit holds for concurrent posts, on every worker and host), and the answer is
   inserted with a new random id. Once that commits, the answer is durable: the process may
   die right after answering and nothing is lost. The answers of concurrent requests in one
   process share one commit (group commit): a request queues its answer; whoever commits
   next takes the whole queue; every request returns only after the commit that holds its
   answer. That commit waits for the disk like the event store's (answer_inbox.py).
2. **Folding** (:func:`fold`) records waiting answers as ``SurveyAnswersRecorded`` events
   (engine/domain/survey_answers.py): per cycle, the oldest :data:`FOLD_BATCH` answers in one
   event per survey and actor and one save (one commit), then their rows are deleted. Only
   the holder of the inbox's lease folds (a row with an expiry in the database, so one folder
   at a time across processes and hosts, on SQLite and PostgreSQL); a folder that dies loses
   its lease after :data:`LEASE_SECONDS`.
3. **Crash safety**: the save and the delete are two transactions. A folder that dies between
   them leaves answers in the inbox that are already events. The survey remembers the ids of
   its latest :data:`~engine.domain.surveys.RECENT_ANSWERS` answers (several batches), and the
   next fold, which takes the oldest rows first, skips and deletes those ids: no answer is
   doubled. A save that fails (a concurrent write) changed nothing and is tried again.
4. **Who folds, when**: a background thread in every process that took an answer in, once
   the process took none in for :data:`FOLD_IDLE` seconds or its oldest unfolded answer is
   :data:`FOLD_LATEST` seconds old (so a burst of answers is not slowed by folding); every
   query of a cycle's surveys for people (results, export, free texts) folds that cycle
   first, waiting for another folder if need be; closing a survey folds first. So results,
   the gate (a closed survey with five answers), exports and the answer limit count the
   waiting answers. An answer received before the survey closed is recorded even if folded
   after.

Free texts travel inside the waiting answer (the inbox is a side table, its rows deleted once
folded) and become free texts of the event (engine/domain/free_text.py), erasable like all.
"""

from __future__ import annotations

import functools
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar, cast
from uuid import UUID, uuid4

from engine.application.store import Engine
from engine.application.survey_texts import survey_texts
from engine.domain.cycle import Cycle
from engine.domain.errors import Conflict, DomainError, NotFound
from engine.domain.surveys import SurveyClosedError
from engine.infrastructure.answer_inbox import FULL, LIMITED, AnswerInbox, Entry, Pending
from engine.infrastructure.request_limits import Window
from engine.infrastructure.side_tables import open_side_table

FOLD_BATCH = 200
"""How many answers one save records at most (one commit)."""
FOLD_INTERVAL = 0.25
"""Seconds between a process's background folder's looks at the inbox."""
FOLD_IDLE = 0.5
"""The background folder waits until this process took no answer in for this long ..."""
FOLD_LATEST = 5.0
"""... or until its oldest answer not yet folded waits this long (seconds), whichever is first:
during a burst of answers the folding (sealing, the Merkle log, the read models) does not
compete with the parents' requests for the processor, yet every answer becomes an event within
a few seconds, and at once for anyone who reads the survey."""
LEASE_SECONDS = 10.0
"""How long a folder's lease lasts unless renewed (after a crash, another takes over then)."""
FOLD_WAIT = 2 * LEASE_SECONDS
"""How long a query waits for another folder to empty its cycle's inbox (long enough for the
lease of a folder that died to run out)."""
ATTEMPTS = 60
"""How often a batch is tried against a cycle that others wrote to meanwhile."""
EXPIRE_EVERY = 60.0
"""Seconds between a process's clean-ups of the clients' request counts whose window is over
(bookkeeping only: a count of a window that is over starts again anyway)."""

T = TypeVar("T")
log = logging.getLogger(__name__)


def inbox(engine: Any) -> AnswerInbox:
    """The engine's inbox of answers."""
    return open_side_table(engine, AnswerInbox)


class TooManyAnswers(DomainError):
    """This client sent more answers than its limit allows in the current window."""

    code = "too-many-answers"


def create_tables(engine: Any) -> None:
    """Create the inbox's tables and the old table of version-1 survey texts (``init``)."""
    inbox(engine).create_table()
    survey_texts(engine).create_table()


def take_in(
    engine: Engine,
    cycle_id: UUID,
    survey_id: str,
    answer: dict[str, Any],
    *,
    most: int,
    counted: int,
    limit: tuple[str, Window] | None = None,
) -> str:
    """Keep one checked answer in the inbox; its id, once it is committed.

    SurveyClosedError if the survey is full; :class:`TooManyAnswers` if ``limit`` (a request
    limit key and window) is used up. Answers of concurrent requests of this process share a
    commit (group commit): each request still returns only after its answer is committed.
    """
    item = Pending(uuid4().hex, str(cycle_id), survey_id, time.time(), answer)
    result = _grouped(engine, Entry(item, most, counted, limit))
    _taken_in(engine)
    if result == FULL:
        raise SurveyClosedError()
    if result == LIMITED:
        raise TooManyAnswers("Zu viele Antworten.", "Too many answers.")
    start_folder(engine)
    return item.answer_id


@dataclass
class _Waiting:
    entry: Entry
    result: str | None = None
    error: BaseException | None = None


@dataclass
class _Group:
    """The answers waiting for the next commit of this process, and who commits now."""

    queue: list[_Waiting] = field(default_factory=list)
    queued: threading.Lock = field(default_factory=threading.Lock)
    writing: threading.Lock = field(default_factory=threading.Lock)
    expired_at: float = -EXPIRE_EVERY
    """When this process last forgot the request counts of windows that are over (monotonic)."""

    def expire_now(self) -> bool:
        """Whether the batch committed next should clean up (once per :data:`EXPIRE_EVERY`);
        called by the thread that commits."""
        now = time.monotonic()
        if now - self.expired_at < EXPIRE_EVERY:
            return False
        self.expired_at = now
        return True


def _grouped(engine: Engine, entry: Entry) -> str:
    """Commit ``entry`` together with whatever other requests queued meanwhile."""
    group = _group(engine)
    own = _Waiting(entry)
    with group.queued:
        group.queue.append(own)
    with group.writing:  # the holder before us may have committed ours already
        if own.result is None and own.error is None:
            with group.queued:
                batch, group.queue = group.queue, []
            try:
                entries = [waiting.entry for waiting in batch]
                results = inbox(engine).put(entries, expire=group.expire_now())
            except BaseException as error:  # noqa: BLE001 -- each request re-raises it
                for waiting in batch:
                    waiting.error = error
            else:
                for waiting, result in zip(batch, results, strict=True):
                    waiting.result = result
    if own.error is not None:
        raise own.error
    return str(own.result)


def _group(engine: Any) -> _Group:
    found = vars(engine).get("_survey_answer_group")
    if found is None:
        with _STARTING:
            found = vars(engine).setdefault("_survey_answer_group", _Group())
    return cast(_Group, found)


def fold(engine: Engine, cycle_id: UUID | None = None, *, wait: bool = False) -> int:
    """Record waiting answers (of one cycle, or all); how many were recorded.

    Without the lease nothing happens, unless ``wait``: then it waits until it gets the lease
    or another folder has emptied the cycle's inbox (at most :data:`FOLD_WAIT` seconds).
    """
    table = inbox(engine)
    holder = uuid4().hex
    deadline = time.monotonic() + FOLD_WAIT
    while not table.acquire(holder, LEASE_SECONDS):
        if not wait or time.monotonic() > deadline:
            return 0
        if cycle_id is not None and not table.waiting(str(cycle_id)):
            return 0
        time.sleep(random.uniform(0.01, 0.03))
    try:
        recorded = 0
        cycles = [str(cycle_id)] if cycle_id is not None else table.cycles()
        for cycle in cycles:
            recorded += _fold_cycle(engine, table, holder, UUID(cycle))
        return recorded
    finally:
        table.release(holder)


def _fold_cycle(engine: Engine, table: AnswerInbox, holder: str, cycle_id: UUID) -> int:
    """Fold one cycle's waiting answers, batch by batch (the lease renewed after each)."""
    recorded = 0
    while rows := table.pending(str(cycle_id), limit=FOLD_BATCH):
        recorded += retried(functools.partial(_fold_batch, engine, cycle_id, rows))
        table.remove(row.answer_id for row in rows)
        table.acquire(holder, LEASE_SECONDS)
        if len(rows) < FOLD_BATCH:
            break
    return recorded


def fold_before_reading(engine: Engine, cycle_id: UUID) -> None:
    """Record the cycle's waiting answers before its surveys are read (if any wait)."""
    if inbox(engine).waiting(str(cycle_id)):
        fold(engine, cycle_id, wait=True)


def _fold_batch(engine: Engine, cycle_id: UUID, rows: list[Pending]) -> int:
    """Record ``rows`` on the cycle in one save (an event per survey and actor); how many were
    new."""
    try:
        cycle = engine._load(Cycle, cycle_id, for_change=True)
    except NotFound:
        log.warning("survey answers for a missing cycle %s dropped", cycle_id)
        return 0
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        answer = row.answer
        groups.setdefault((row.survey_id, answer["actor"]), []).append(
            {
                "answer_id": row.answer_id,
                "received_at": datetime.fromtimestamp(row.received_at, UTC),
                "on_paper": bool(answer["on_paper"]),
                "language": answer["language"],
                "choices": answer["choices"],
                "texts": answer["texts"],
            }
        )
    before = cycle.version
    for (survey_id, actor), answers in groups.items():
        try:
            refused = cycle.record_answers(actor_id=actor, survey_id=survey_id, answers=answers)
        except NotFound:  # checked when taken in; only a survey removed since gets here
            refused = [a["answer_id"] for a in answers]
        for answer_id in refused:
            log.warning("survey answer %s not recorded: survey closed or changed", answer_id)
    if cycle.version == before:
        return 0
    recorded = sum(
        len(e.answers) for e in cycle.pending_events if isinstance(e, Cycle.SurveyAnswersRecorded)
    )
    engine._save(cycle)
    return recorded


def retried(attempt: Callable[[], T]) -> T:
    """Run ``attempt`` again after a concurrent write won the race (nothing of it was saved)."""
    for number in range(ATTEMPTS):
        try:
            return attempt()
        except Conflict as error:
            if error.expected is not None:
                raise  # the caller saw an older version: trying again cannot help
            time.sleep(random.uniform(0, 0.005 * min(number + 1, 20)))
    return attempt()


# The background folder ---------------------------------------------------------------------

_FOLDER = "_survey_folder"
_TIMING = "_survey_taken_in"


def start_folder(engine: Any) -> None:
    """Start this process's background folder for ``engine`` (once)."""
    if vars(engine).get(_FOLDER) is not None:
        return
    with _STARTING:
        if vars(engine).get(_FOLDER) is not None:
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=_run, args=(engine, stop), name="survey-folder", daemon=True
        )
        vars(engine)[_FOLDER] = (thread, stop)
        thread.start()


def stop_folder(engine: Any) -> None:
    """Stop the background folder (the engine closes); a fold under way finishes first, and
    the answers this process took in since its last fold are folded now (unless another
    folder holds the lease: then that one records them)."""
    running = vars(engine).pop(_FOLDER, None)
    if running is not None:
        thread, stop = running
        stop.set()
        thread.join()
        if vars(engine).get(_TIMING, {}).pop("first", None) is not None:
            try:
                fold(engine)
            except Exception:  # the answers wait in the inbox for the next folder
                log.exception("folding survey answers on closing failed")


def _taken_in(engine: Any) -> None:
    """Note when this process took an answer in (and the first one still to fold)."""
    now = time.monotonic()
    timing = vars(engine).setdefault(_TIMING, {})
    timing["last"] = now
    timing.setdefault("first", now)


def due(engine: Any, now: float | None = None) -> bool:
    """Whether the background folder should fold now: this process's inbox idle for
    :data:`FOLD_IDLE` seconds, or its oldest unfolded answer :data:`FOLD_LATEST` seconds old
    (always true in a process that took no answer in: answers left by another may wait)."""
    timing: dict[str, float] = vars(engine).get(_TIMING) or {}
    if "first" not in timing:
        return True
    now = time.monotonic() if now is None else now
    return now - timing["last"] >= FOLD_IDLE or now - timing["first"] >= FOLD_LATEST


def _run(engine: Engine, stop: threading.Event) -> None:
    while not stop.wait(FOLD_INTERVAL):
        try:
            if not due(engine):
                continue
            vars(engine).get(_TIMING, {}).pop("first", None)  # answers from now on wait anew
            if inbox(engine).cycles():
                fold(engine)
        except Exception:  # a failed fold leaves the answers waiting; the next one tries again
            log.exception("folding survey answers failed")


_STARTING = threading.Lock()
