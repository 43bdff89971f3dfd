"""Rating together in a meeting: a live rating session on a cycle, its rounds and reveals.

A coordinator opens a session on some of the cycle's criteria; network partners join without an
account as pseudonymous raters (``p-…``, with their field of work, never a name), rate the
session's criteria blind, the facilitator reveals the distribution, and may open a second round
for the criteria the group discussed. The ratings themselves are ``AssessmentRecorded`` events
that name the session and the round, so they count like any rating of the cycle.

The events below have explicit, stable topics; the aggregate (engine/domain/cycle.py) takes them
in and mixes in :class:`RatingSessions`. A session's state lives in ``cycle.rating_sessions``
(rounds are string keys, so that a snapshot's JSON keeps them as they are).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.domain.errors import DomainError, InvalidInput, NotFound
from engine.domain.sealing import SealedAggregate

FIELDS = (
    "Gesundheitswesen",
    "Jugendhilfe",
    "Schwangerschaftsberatung",
    "Frühförderung",
    "Bildung",
    "Sozialhilfe",
    "Sonstiges",
)
"""The fields of work a participant may name (the partners of a Frühe Hilfen network)."""

PARTICIPANT_PREFIX = "p-"
"""Participant ids start with this, so that they never look like a member's id."""

MAX_ROUNDS = 2
"""A session has a blind first round and at most one more after the talk."""


class SessionRefused(DomainError):
    """The session takes no more input: closed, ended, or full."""

    code = "session-refused"


class TooManyRequests(DomainError):
    """A client joined or guessed codes too often; it may try again after ``wait`` seconds."""

    code = "too-many-requests"

    def __init__(self, wait: int) -> None:
        super().__init__(
            f"Zu viele Versuche. Bitte warten Sie {wait} Sekunden.",
            f"Too many attempts. Please wait {wait} seconds.",
        )
        self.wait = wait


def sessions_of(cycle: Any) -> dict[str, dict[str, Any]]:
    """The cycle's rating sessions by id (created on first use: older cycles have none)."""
    found: dict[str, dict[str, Any]] | None = cycle.__dict__.get("rating_sessions")
    if found is None:
        found = {}
        cycle.rating_sessions = found
    return found


def session_revealed(cycle: Any) -> set[str]:
    """The criteria ('theme/criterion') whose results a facilitator revealed in any round of
    any of the cycle's sessions: their blind round is over for everybody."""
    return {
        key
        for session in sessions_of(cycle).values()
        for keys in session["revealed"].values()
        for key in keys
    }


class RatingSessionOpened(SealedAggregate.Event):
    """A coordinator opened a rating session on some of the cycle's criteria (round 1 opens)."""

    TOPIC = "qualizyklus:Cycle.RatingSessionOpened"
    session_id: str
    code: str
    title: str
    criteria: list[str]
    ends_at: datetime
    max_participants: int

    def apply(self, cycle: Any) -> None:
        """Add the session with its first round open and nothing revealed."""
        sessions_of(cycle)[self.session_id] = {
            "session_id": self.session_id,
            "code": self.code,
            "title": self.title,
            "criteria": list(self.criteria),
            "ends_at": self.ends_at,
            "max_participants": self.max_participants,
            "opened_by": self.actor_id,
            "round": 1,
            "rounds": {"1": list(self.criteria)},
            "revealed": {"1": []},
            "closed": False,
            "participants": {},
            "ratings": {"1": {}},
        }


class SessionParticipantJoined(SealedAggregate.Event):
    """A pseudonymous participant joined a session, naming their field of work."""

    TOPIC = "qualizyklus:Cycle.SessionParticipantJoined"
    session_id: str
    participant_id: str
    field: str

    def apply(self, cycle: Any) -> None:
        """Count the participant in."""
        sessions_of(cycle)[self.session_id]["participants"][self.participant_id] = self.field


class RatingRoundOpened(SealedAggregate.Event):
    """The facilitator opened another round for the criteria the group discussed."""

    TOPIC = "qualizyklus:Cycle.RatingRoundOpened"
    session_id: str
    round: int
    criteria: list[str]

    def apply(self, cycle: Any) -> None:
        """Make the round current; its ratings start empty and unrevealed."""
        session = sessions_of(cycle)[self.session_id]
        key = str(self.round)
        session["round"] = self.round
        session["rounds"][key] = list(self.criteria)
        session["revealed"][key] = []
        session["ratings"][key] = {}


class SessionResultsRevealed(SealedAggregate.Event):
    """The facilitator revealed the distribution of some criteria of a round to everybody."""

    TOPIC = "qualizyklus:Cycle.SessionResultsRevealed"
    session_id: str
    round: int
    criteria: list[str]

    def apply(self, cycle: Any) -> None:
        """Add the criteria to the round's revealed ones."""
        revealed = sessions_of(cycle)[self.session_id]["revealed"][str(self.round)]
        revealed.extend(key for key in self.criteria if key not in revealed)


class RatingSessionClosed(SealedAggregate.Event):
    """The facilitator closed the session: nobody joins or rates any more."""

    TOPIC = "qualizyklus:Cycle.RatingSessionClosed"
    session_id: str

    def apply(self, cycle: Any) -> None:
        """Mark the session closed."""
        sessions_of(cycle)[self.session_id]["closed"] = True


def record_session_rating(cycle: Any, event: Any) -> None:
    """Keep a session rating under its round (a changed mind replaces the earlier one)."""
    session = sessions_of(cycle).get(event.session_id)
    if session is None:
        return
    key = f"{event.theme_id}/{event.criterion_id}"
    round_ratings = session["ratings"].setdefault(str(event.round), {})
    round_ratings.setdefault(key, {})[event.rater_id] = event.value


def is_open(session: dict[str, Any], now: datetime) -> bool:
    """Whether the session still takes participants and ratings."""
    return not session["closed"] and now < session["ends_at"]


class RatingSessions:
    """The rating sessions' commands, mixed into the Cycle aggregate."""

    RatingSessionOpened = RatingSessionOpened
    SessionParticipantJoined = SessionParticipantJoined
    RatingRoundOpened = RatingRoundOpened
    SessionResultsRevealed = SessionResultsRevealed
    RatingSessionClosed = RatingSessionClosed

    def open_rating_session(self, *, actor_id: str, **fields: Any) -> None:
        """Open a session (fields as in ``RatingSessionOpened``)."""
        if fields["session_id"] in sessions_of(self):
            raise InvalidInput("session_id", "Die Sitzung gibt es schon.", "Session exists.")
        unknown = [
            key
            for key in fields["criteria"]
            if key.split("/")[0] not in self.themes  # type: ignore[attr-defined]
        ]
        if unknown:
            raise InvalidInput(
                "criteria",
                "Die Kriterien gehören nicht zu den Themen des Zyklus.",
                "The criteria are not part of the cycle's themes.",
            )
        self.trigger_event(self.RatingSessionOpened, actor_id=actor_id, **fields)  # type: ignore[attr-defined]

    def join_rating_session(
        self, *, session_id: str, participant_id: str, field: str, now: datetime
    ) -> None:
        """Let a participant join an open session that is not full."""
        session = self.open_session(session_id, now)
        if len(session["participants"]) >= session["max_participants"]:
            raise SessionRefused(
                "Die Sitzung ist voll: Es können keine weiteren Personen teilnehmen.",
                "The session is full: nobody else can join.",
            )
        self.trigger_event(  # type: ignore[attr-defined]
            self.SessionParticipantJoined,
            actor_id=participant_id,
            session_id=session_id,
            participant_id=participant_id,
            field=field,
        )

    def open_rating_round(
        self, *, actor_id: str, session_id: str, criteria: list[str], now: datetime
    ) -> None:
        """Open the next round for some of the session's criteria."""
        session = self.open_session(session_id, now)
        if session["round"] >= MAX_ROUNDS:
            raise InvalidInput(
                "round",
                "Eine Sitzung hat höchstens zwei Runden.",
                "A session has at most two rounds.",
            )
        if not criteria or any(key not in session["criteria"] for key in criteria):
            raise InvalidInput(
                "criteria",
                "Wählen Sie Kriterien dieser Sitzung für die neue Runde.",
                "Choose criteria of this session for the new round.",
            )
        self.trigger_event(  # type: ignore[attr-defined]
            self.RatingRoundOpened,
            actor_id=actor_id,
            session_id=session_id,
            round=session["round"] + 1,
            criteria=list(criteria),
        )

    def reveal_session_results(
        self, *, actor_id: str, session_id: str, criteria: list[str] | None
    ) -> None:
        """Reveal the current round's distribution of some (None: all) of its criteria."""
        session = self.session(session_id)
        current = str(session["round"])
        wanted = list(session["rounds"][current]) if criteria is None else list(criteria)
        if not wanted or any(key not in session["rounds"][current] for key in wanted):
            raise InvalidInput(
                "criteria",
                "Wählen Sie Kriterien der laufenden Runde.",
                "Choose criteria of the current round.",
            )
        self.trigger_event(  # type: ignore[attr-defined]
            self.SessionResultsRevealed,
            actor_id=actor_id,
            session_id=session_id,
            round=session["round"],
            criteria=wanted,
        )

    def close_rating_session(self, *, actor_id: str, session_id: str) -> None:
        """Close a session that is not closed yet."""
        if self.session(session_id)["closed"]:
            raise InvalidInput("session_id", "Die Sitzung ist schon beendet.", "Already closed.")
        self.trigger_event(  # type: ignore[attr-defined]
            self.RatingSessionClosed, actor_id=actor_id, session_id=session_id
        )

    def session(self, session_id: str) -> dict[str, Any]:
        """A session's state; NotFound if the cycle has no such session."""
        found = sessions_of(self).get(session_id)
        if found is None:
            raise NotFound("Diese Sitzung gibt es nicht.", "No such session.")
        return found

    def open_session(self, session_id: str, now: datetime) -> dict[str, Any]:
        """A session that still takes input; SessionRefused when closed or past its end."""
        session = self.session(session_id)
        if session["closed"]:
            raise SessionRefused("Die Sitzung ist beendet.", "The session is closed.")
        if now >= session["ends_at"]:
            raise SessionRefused("Die Sitzung ist abgelaufen.", "The session has ended.")
        return session

    def require_session_rater(
        self, session_id: str, participant_id: str, key: str, now: datetime
    ) -> int:
        """The current round, if the participant joined and the key is one of its criteria."""
        session = self.open_session(session_id, now)
        if participant_id not in session["participants"]:
            raise SessionRefused(
                "Sie nehmen an dieser Sitzung nicht teil.", "You have not joined this session."
            )
        if key not in session["rounds"][str(session["round"])]:
            raise InvalidInput(
                "criterion_id",
                "Dieses Kriterium wird in dieser Runde nicht eingeschätzt.",
                "This criterion is not rated in this round.",
            )
        return int(session["round"])
