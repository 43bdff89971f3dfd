"""What the facilitator screen and the participants' pages show of a rating session.

The facilitator (who may moderate) sees how many joined and rated, and each criterion's
distribution per round (how many chose which level), ordered by disagreement (van der Eijk's
measure, engine/domain/disagreement.py) with the change between the rounds. A participant sees
the criteria of the current round, their own ratings, and a distribution only once revealed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from uuid import UUID

from engine.application.rating_sessions import RATING_COMMAND, now_utc
from engine.application.store import Engine
from engine.domain.catalogue import Criterion
from engine.domain.cycle import Cycle
from engine.domain.disagreement import disagreement, level_counts
from engine.domain.errors import NotFound
from engine.domain.rating_sessions import FIELDS, is_open, sessions_of


def _current(engine: Engine, cycle_id: UUID) -> Cycle:
    return engine._load_current(Cycle, cycle_id, engine._log_position())


def _criterion(engine: Engine, key: str) -> Criterion | None:
    theme_id, _, criterion_id = key.partition("/")
    theme = engine.themes.get(theme_id)
    return None if theme is None else theme.criterion(criterion_id)


def scale_levels(criterion: Criterion) -> list[dict[str, Any]]:
    """The levels of a criterion's scale, lowest first: value, German and English label."""
    scale = criterion.scale
    if scale.kind == "levels":
        return [
            {"value": level.id, "de": level.label.de, "en": level.label.get("en")}
            for level in scale.levels
        ]
    steps = round((scale.maximum - scale.minimum) / scale.step)
    values = [scale.minimum + index * scale.step for index in range(steps + 1)]
    return [{"value": value, "de": f"{value:g}", "en": f"{value:g}"} for value in values]


def distribution(criterion: Criterion, values: list[float | str]) -> dict[str, Any]:
    """Counts per level of the given ratings, how many rated, and the disagreement."""
    scale = criterion.scale
    levels = len(scale_levels(criterion))
    step = scale.step if scale.kind == "numeric" else 1
    low = scale.minimum if scale.kind == "numeric" else 0
    positions = [(scale.position(value) - low) / step for value in values]
    counts = level_counts(positions, levels)
    return {"counts": counts, "raters": len(values), "disagreement": disagreement(counts)}


def _session_or_404(cycle: Cycle, session_id: str) -> dict[str, Any]:
    session = sessions_of(cycle).get(session_id)
    if session is None:
        raise NotFound("Diese Sitzung gibt es nicht.", "No such session.")
    return session


def _header(engine: Engine, cycle: Cycle, session: dict[str, Any]) -> dict[str, Any]:
    current = str(session["round"])
    rated = {rater for ratings in session["ratings"].get(current, {}).values() for rater in ratings}
    fields = Counter(session["participants"].values())
    return {
        "session_id": session["session_id"],
        "cycle_id": str(cycle.id),
        "cycle_title": cycle.title,
        "code": session["code"],
        "title": session["title"],
        "ends_at": session["ends_at"],
        "round": session["round"],
        "closed": session["closed"],
        "open": is_open(session, now_utc())
        and engine._definition(cycle).allows(cycle.phase, RATING_COMMAND),
        "joined": len(session["participants"]),
        "rated": len(rated),
        "max_participants": session["max_participants"],
        "fields": {field: fields[field] for field in FIELDS if fields[field]},
        "version": cycle.version,
    }


def _criterion_result(
    criterion: Criterion, key: str, session: dict[str, Any], *, revealed_only: bool = False
) -> dict[str, Any]:
    """A criterion's distribution per round (only the revealed rounds when asked)."""
    rounds: dict[str, Any] = {}
    for number, keys in session["rounds"].items():
        revealed = key in session["revealed"][number]
        if key in keys and (revealed or not revealed_only):
            values = list(session["ratings"].get(number, {}).get(key, {}).values())
            rounds[number] = {**distribution(criterion, values), "revealed": revealed}
    first, second = rounds.get("1"), rounds.get("2")
    change = None
    if first and second and None not in (first["disagreement"], second["disagreement"]):
        change = second["disagreement"] - first["disagreement"]
    theme_id, _, criterion_id = key.partition("/")
    return {
        "key": key,
        "theme_id": theme_id,
        "criterion_id": criterion_id,
        "title": {"de": criterion.title.de, "en": criterion.title.get("en")},
        "levels": scale_levels(criterion),
        "rounds": rounds,
        "change": change,
    }


def _latest(result: dict[str, Any]) -> dict[str, Any]:
    latest: dict[str, Any] = result["rounds"][max(result["rounds"], key=int)]
    return latest


def _by_disagreement(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most disagreed first (of the latest round); unrated ones last, in session order."""

    def order(item: tuple[int, dict[str, Any]]) -> tuple[int, float, int]:
        index, result = item
        figure = _latest(result)["disagreement"]
        return (figure is None, -(figure or 0.0), index)

    return [result for _, result in sorted(enumerate(results), key=order)]


def session_results(
    engine: Engine, cycle_id: UUID, session_id: str, *, actor_id: str
) -> dict[str, Any]:
    """The facilitator's view: counts, and every criterion's distribution per round."""
    cycle = _current(engine, cycle_id)
    engine._organisation_of(cycle).require(actor_id, "moderate")
    key = ("session-results", cycle.id, cycle.version, session_id)
    return dict(engine.computed.get(key, lambda: _results(engine, cycle, session_id)))


def _results(engine: Engine, cycle: Cycle, session_id: str) -> dict[str, Any]:
    session = _session_or_404(cycle, session_id)
    results = []
    for key in session["criteria"]:
        criterion = _criterion(engine, key)
        if criterion is not None:
            results.append(_criterion_result(criterion, key, session))
    return {**_header(engine, cycle, session), "criteria": _by_disagreement(results)}


def participant_view(
    engine: Engine, cycle_id: UUID, session_id: str, *, participant_id: str
) -> dict[str, Any]:
    """A participant's view: the current round's criteria with their own rating; a criterion's
    distribution only when the facilitator revealed it (blind until then)."""
    cycle = _current(engine, cycle_id)
    session = _session_or_404(cycle, session_id)
    current = str(session["round"])
    ratings = session["ratings"].get(current, {})
    items = []
    for key in session["rounds"][current]:
        criterion = _criterion(engine, key)
        if criterion is None:
            continue
        item = {
            **_criterion_result(criterion, key, session, revealed_only=True),
            "mine": ratings.get(key, {}).get(participant_id),
        }
        items.append(item)
    header = _header(engine, cycle, session)
    header["joined_as"] = participant_id if participant_id in session["participants"] else None
    return {**header, "criteria": items}


def sessions_of_cycle(engine: Engine, cycle_id: UUID, *, actor_id: str) -> list[dict[str, Any]]:
    """The cycle's sessions, newest first, with their counts (members who may moderate)."""
    cycle = _current(engine, cycle_id)
    engine._organisation_of(cycle).require(actor_id, "moderate")
    found = [_header(engine, cycle, session) for session in sessions_of(cycle).values()]
    return list(reversed(found))


def named_participants(engine: Engine, cycle_id: UUID, *, actor_id: str) -> list[dict[str, str]]:
    """Participants of the cycle's sessions who gave a name (coordinators, to erase names)."""
    cycle = _current(engine, cycle_id)
    engine._organisation_of(cycle).require(actor_id, "manage-members")
    named = []
    for session in sessions_of(cycle).values():
        for participant_id in session["participants"]:
            profile = engine.profiles.get(participant_id)
            if profile is not None:
                named.append(
                    {
                        "participant_id": participant_id,
                        "display_name": profile["display_name"],
                        "session": session["title"],
                    }
                )
    return named
