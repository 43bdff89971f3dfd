"""Rating together in a meeting: open a session, join, rate blind, reveal, a second round.

A coordinator (permission "moderate") opens a session on a cycle whose phase allows ratings;
participants join by the session's code without an account and rate as pseudonymous raters
(``p-…``). Their ratings are ``AssessmentRecorded`` events of the cycle naming the session and
round, so they count like any rating. Many participants write to one cycle at once: a write that
loses the optimistic-concurrency race is tried again with fresh data (bounded, see
:func:`retrying`), so that no rating is lost and none is counted twice.

An optional display name is personal data: it goes to the profile store (erasable like any
profile), never into an event.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from engine.application.commands.analysis import _assessment
from engine.application.commands.steps import CycleCommand, Fields
from engine.application.rating_session_codes import max_participants_from_environ, session_codes
from engine.application.store import Engine, check_version
from engine.domain.cycle import Cycle
from engine.domain.errors import Conflict, InvalidInput, NotAllowedInPhase, NotFound
from engine.domain.limits import MAX_TITLE
from engine.domain.rating_sessions import (
    FIELDS,
    PARTICIPANT_PREFIX,
    SessionRefused,
    TooManyRequests,
)
from engine.domain.validation import refuse_unsafe_content
from engine.infrastructure.request_limits import Window
from engine.infrastructure.sign_in_throttle import client_key

T = TypeVar("T")

ATTEMPTS = 60
"""How often a write that lost the race for the cycle's next version is tried again."""

JOIN_CLIENT = Window(most=250, length=timedelta(minutes=10))
"""Joins from one client (IP address): a venue's Wi-Fi may put a whole room behind one."""

UNKNOWN_CODE_CLIENT = Window(most=20, length=timedelta(minutes=10))
"""Unknown codes typed from one client: enough for typos, too few to guess codes."""

RATING_COMMAND = "record_assessment"
"""Sessions are allowed where the workflow allows ratings (the analyse phase)."""

LONGEST_SESSION = timedelta(days=2)


def now_utc() -> datetime:
    """The current moment (UTC)."""
    return datetime.now(UTC)


def retrying(action: Callable[[], T], attempts: int = ATTEMPTS) -> T:
    """Run ``action``; when another write came first (Conflict), run it again on fresh data."""
    for attempt in range(attempts):
        try:
            return action()
        except Conflict:
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))
    msg = "attempts must be positive"
    raise ValueError(msg)


@dataclass(frozen=True)
class Joined:
    """Where a participant joined, and as whom."""

    cycle_id: UUID
    session_id: str
    participant_id: str


# Commands of the facilitator ------------------------------------------------------------------


def _session_to_open(
    engine: Engine, *, title: str, criteria: list[str], ends_at: datetime, now: datetime
) -> Fields:
    title = title.strip() if isinstance(title, str) else ""
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(
            "title",
            f"Geben Sie einen Titel an (höchstens {MAX_TITLE} Zeichen).",
            f"Give a title (at most {MAX_TITLE} characters).",
        )
    if not isinstance(ends_at, datetime) or ends_at.tzinfo is None:
        raise InvalidInput("ends_at", "Geben Sie ein Ende an.", "Give an end time.")
    if not now < ends_at <= now + LONGEST_SESSION:
        raise InvalidInput(
            "ends_at",
            "Das Ende muss in der Zukunft liegen, höchstens zwei Tage entfernt.",
            "The end must lie in the future, at most two days ahead.",
        )
    return {
        "title": title,
        "criteria": _checked_criteria(engine, criteria),
        "ends_at": ends_at,
        "max_participants": max_participants_from_environ(),
    }


def _checked_criteria(engine: Engine, criteria: list[str]) -> list[str]:
    """Criteria keys ("theme/criterion") of installed themes, each once, in the given order."""
    if not isinstance(criteria, list) or not criteria:
        raise InvalidInput("criteria", "Wählen Sie Kriterien aus.", "Choose criteria.")
    checked: list[str] = []
    for key in criteria:
        theme_id, _, criterion_id = key.partition("/") if isinstance(key, str) else ("", "", "")
        if engine._theme(theme_id, "criteria").criterion(criterion_id) is None:
            raise InvalidInput("criteria", f"Unbekanntes Kriterium {key!r}.", f"No {key!r}.")
        if key not in checked:
            checked.append(key)
    return checked


def _with_identity(validate: Callable[..., Fields]) -> Callable[..., Fields]:
    def checked(engine: Engine, *, session_id: str, code: str, **given: Any) -> Fields:
        return {"session_id": session_id, "code": code, **validate(engine, **given)}

    return checked


_OPEN = CycleCommand(
    RATING_COMMAND,
    "moderate",
    _with_identity(_session_to_open),
    Cycle.open_rating_session,
)


def open_rating_session(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    title: str,
    criteria: list[str],
    ends_at: datetime,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Open a session; its id, code and the cycle's new version."""
    session_id = f"s-{secrets.token_hex(6)}"
    codes = session_codes(engine)
    code = codes.reserve(cycle_id, session_id)
    moment = now or now_utc()
    attempts = 1 if expected_version is not None else ATTEMPTS
    try:
        version = retrying(
            lambda: _OPEN.run(
                engine,
                cycle_id,
                actor_id=actor_id,
                expected_version=expected_version,
                title=title,
                criteria=criteria,
                ends_at=ends_at,
                now=moment,
                session_id=session_id,
                code=code,
            ),
            attempts,
        )
    except Exception:
        codes.release(code)
        raise
    return {"session_id": session_id, "code": code, "version": version}


def _moderated(
    engine: Engine,
    cycle_id: UUID,
    actor_id: str,
    change: Callable[[Cycle], None],
    expected_version: int | None = None,
) -> int:
    """Load, require "moderate", check the version the caller saw (if named), change, save.

    Without an expected version a concurrent write (a participant's rating) is no reason to
    refuse: the change is tried again on fresh data.
    """

    def attempt() -> int:
        cycle = engine._load(Cycle, cycle_id, for_change=True)
        engine._organisation_of(cycle).require(actor_id, "moderate")
        check_version(cycle, expected_version)
        change(cycle)
        engine._save(cycle)
        return cycle.version

    return attempt() if expected_version is not None else retrying(attempt)


def open_rating_round(
    engine: Engine,
    cycle_id: UUID,
    session_id: str,
    *,
    actor_id: str,
    criteria: list[str],
    now: datetime | None = None,
    expected_version: int | None = None,
) -> int:
    """Open the second round for the criteria the group discussed."""
    moment = now or now_utc()
    return _moderated(
        engine,
        cycle_id,
        actor_id,
        lambda cycle: cycle.open_rating_round(
            actor_id=actor_id, session_id=session_id, criteria=list(criteria), now=moment
        ),
        expected_version,
    )


def reveal_session_results(
    engine: Engine,
    cycle_id: UUID,
    session_id: str,
    *,
    actor_id: str,
    criteria: list[str] | None = None,
    expected_version: int | None = None,
) -> int:
    """Show the current round's distribution of some (None: all) criteria to everybody."""
    return _moderated(
        engine,
        cycle_id,
        actor_id,
        lambda cycle: cycle.reveal_session_results(
            actor_id=actor_id, session_id=session_id, criteria=criteria
        ),
        expected_version,
    )


def close_rating_session(
    engine: Engine,
    cycle_id: UUID,
    session_id: str,
    *,
    actor_id: str,
    expected_version: int | None = None,
) -> int:
    """End the session: nobody joins or rates any more."""
    return _moderated(
        engine,
        cycle_id,
        actor_id,
        lambda cycle: cycle.close_rating_session(actor_id=actor_id, session_id=session_id),
        expected_version,
    )


# Commands of the participants -----------------------------------------------------------------


def find_session(engine: Engine, code: str, *, client: str = "") -> tuple[UUID, str]:
    """The cycle and session of a code; NotFound when there is none.

    Unknown codes are counted per client: beyond ``UNKNOWN_CODE_CLIENT`` a client waits.
    """
    target = session_codes(engine).find(code) if isinstance(code, str) else None
    if target is None:
        wait = engine.profiles.request_limits.take(
            f"code-{client_key(client)}", UNKNOWN_CODE_CLIENT
        )
        if wait:
            raise TooManyRequests(wait)
        raise NotFound(
            "Zu diesem Code gibt es keine Sitzung. Prüfen Sie die Schreibweise.",
            "There is no session with this code. Check the spelling.",
        )
    return target.cycle_id, target.session_id


def count_join(engine: Engine, client: str) -> None:
    """Count a join from ``client``; TooManyRequests beyond ``JOIN_CLIENT``."""
    wait = engine.profiles.request_limits.take(f"join-{client_key(client)}", JOIN_CLIENT)
    if wait:
        raise TooManyRequests(wait)


def join_rating_session(
    engine: Engine,
    cycle_id: UUID,
    session_id: str,
    *,
    field: str,
    display_name: str = "",
    now: datetime | None = None,
) -> Joined:
    """Join as a new pseudonymous participant (the name, if any, only in the profile store)."""
    if field not in FIELDS:
        raise InvalidInput("field", "Wählen Sie Ihr Arbeitsfeld.", "Choose your field of work.")
    name = display_name.strip() if isinstance(display_name, str) else ""
    if len(name) > 80:
        raise InvalidInput("display_name", "Höchstens 80 Zeichen.", "At most 80 characters.")
    refuse_unsafe_content({"display_name": name})
    participant_id = f"{PARTICIPANT_PREFIX}{secrets.token_hex(8)}"
    moment = now or now_utc()

    def attempt() -> None:
        cycle = engine._load(Cycle, cycle_id, for_change=True)
        cycle.join_rating_session(
            session_id=session_id, participant_id=participant_id, field=field, now=moment
        )
        engine._save(cycle)

    retrying(attempt)
    if name:
        engine.profiles.put(participant_id, display_name=name)
    return Joined(cycle_id, session_id, participant_id)


def rate_in_session(
    engine: Engine,
    cycle_id: UUID,
    session_id: str,
    *,
    participant_id: str,
    theme_id: str,
    criterion_id: str,
    value: float | str,
    now: datetime | None = None,
) -> int:
    """Record a participant's rating in the current round (a new one replaces theirs)."""
    fields = _assessment(
        engine,
        theme_id=theme_id,
        criterion_id=criterion_id,
        value=value,
        rater_id=participant_id,
        note="",
        attrs=None,
    )
    key = f"{fields['theme_id']}/{fields['criterion_id']}"
    moment = now or now_utc()

    def attempt() -> int:
        cycle = engine._load(Cycle, cycle_id, for_change=True)
        if not engine._definition(cycle).allows(cycle.phase, RATING_COMMAND):
            raise NotAllowedInPhase(RATING_COMMAND, cycle.phase)
        round_ = cycle.require_session_rater(session_id, participant_id, key, moment)
        engine._validate_item("assessment", fields, cycle.phase)
        cycle.record_assessment(
            actor_id=participant_id, session_id=session_id, round=round_, **fields
        )
        engine._save(cycle)
        return cycle.version

    return retrying(attempt)


def erase_participant_name(
    engine: Engine, cycle_id: UUID, participant_id: str, *, actor_id: str
) -> bool:
    """Erase a participant's display name (coordinators of the cycle's organisation)."""
    cycle = engine._load(Cycle, cycle_id, for_change=False)
    engine._organisation_of(cycle).require(actor_id, "manage-members")
    if not participant_id.startswith(PARTICIPANT_PREFIX):
        raise InvalidInput("participant_id", "Keine Teilnehmer-Kennung.", "Not a participant.")
    return engine.profiles.erase(participant_id)


__all__ = [
    "FIELDS",
    "Joined",
    "SessionRefused",
    "TooManyRequests",
    "close_rating_session",
    "count_join",
    "erase_participant_name",
    "find_session",
    "join_rating_session",
    "open_rating_round",
    "open_rating_session",
    "rate_in_session",
    "retrying",
    "reveal_session_results",
]
