"""Commands of the analysis: themes, ratings, findings, priorities."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from engine.application.commands.start import require_chosen
from engine.application.commands.steps import Change, CycleCommand, Fields
from engine.application.store import Engine
from engine.domain.catalogue import OffScale
from engine.domain.cycle import Cycle, assessment_key
from engine.domain.errors import Conflict, Forbidden, InvalidInput, Problems, RatingChanged
from engine.domain.shapes import ASSESSMENT, FINDING, PRIORITIES, REASONED


def _theme_to_add(engine: Engine, *, theme_id: str) -> Fields:
    theme = engine._theme(theme_id, "theme_id")
    return {"theme_id": theme.id, "theme_version": theme.version}


ADD_THEME = CycleCommand(
    "add_theme",
    "moderate",
    _theme_to_add,
    Cycle.add_theme,
    decide=lambda c: require_chosen(c.organisation, c.fields["theme_id"], "theme_id"),
)


def add_theme(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    theme_id: str,
    expected_version: int | None = None,
) -> int:
    """Add an installed theme to the cycle."""
    return ADD_THEME.run(
        engine, cycle_id, actor_id=actor_id, expected_version=expected_version, theme_id=theme_id
    )


def _theme_to_remove(engine: Engine, *, theme_id: str, reason: str) -> Fields:
    return {"theme_id": theme_id, **REASONED.check({"reason": reason})}


REMOVE_THEME = CycleCommand("remove_theme", "moderate", _theme_to_remove, Cycle.remove_theme)


def remove_theme(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    theme_id: str,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Remove a theme from the cycle (a reason is required)."""
    return REMOVE_THEME.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        theme_id=theme_id,
        reason=reason,
    )


def _assessment(
    engine: Engine,
    *,
    theme_id: str,
    criterion_id: str,
    value: float | str,
    rater_id: str,
    note: str,
    attrs: Mapping[str, Any] | None,
) -> Fields:
    theme = engine._theme(theme_id, "theme_id")
    criterion = theme.criterion(criterion_id) if isinstance(criterion_id, str) else None
    if criterion is None:
        raise InvalidInput("criterion_id", "Unbekanntes Kriterium.", "Unknown criterion.")
    problems = Problems()
    with problems.check():
        try:
            value = criterion.scale.validate(value)
        except OffScale as error:
            raise InvalidInput("value", error.de, error.en, allowed=error.ids) from None
    given = {"theme_id": theme.id, "criterion_id": criterion.id, "value": value}
    rating = {**given, "rater_id": rater_id, "note": note, "attrs": attrs}
    with problems.check():
        checked = ASSESSMENT.check(rating, schema=theme.assessment_schema)
    problems.raise_any()
    return checked


def _check_rater(change: Change) -> None:
    organisation, actor_id = change.organisation, change.actor_id
    rater_id = change.fields["rater_id"]
    if rater_id != actor_id and organisation.role_of(actor_id) != "coordinator":
        raise Forbidden(
            "Nur die Netzwerkkoordination erfasst Einschätzungen für andere.",
            "Only coordinators record ratings on behalf of others.",
        )
    if organisation.role_of(rater_id) is None:
        raise InvalidInput("rater_id", "ist kein Mitglied der Organisation", "is not a member")


RATING_FORM_KEEPS = frozenset(
    f"qualizyklus:Cycle.{name}"
    for name in (
        "AssessmentRecorded",
        "FindingRecorded",
        "FindingWithdrawn",
        "PrioritiesSet",
        "CommentAdded",
        "AttachmentAdded",
        "AttachmentRemoved",
        "RatingSessionOpened",
        "SessionParticipantJoined",
        "RatingRoundOpened",
        "SessionResultsRevealed",
        "RatingSessionClosed",
        "SurveyCreated",
        "SurveyAnswered",
        "SurveyClosed",
    )
)
"""Events after which a rating form read before them is still valid: other people's ratings
and what a meeting adds around them. Any other event (a phase, theme or workflow change, an
erased text, an event unknown here) makes it stale, as for every other command."""


def _rater_stale(engine: Engine, cycle: Cycle, expected: int, fields: Fields) -> None:
    """A rating form read at version ``expected`` is stale only if the same rater's own rating
    of one of its criteria was recorded since, or anything but ratings and meeting business
    happened since (see ``RATING_FORM_KEEPS``): others rating at the same time is no conflict."""
    if expected == cycle.version:
        return
    if expected > cycle.version:
        raise Conflict(expected, cycle.version)
    changed = [
        rating["criterion_id"]
        for rating in fields.get("ratings", [fields])
        if _own_version(cycle, rating) > expected
    ]
    if changed:
        raise RatingChanged(expected, cycle.version, changed)
    since = engine.recorder.select_events(cycle.id, gt=expected, lte=cycle.version)
    if any(record.topic not in RATING_FORM_KEEPS for record in since):
        raise Conflict(expected, cycle.version)


def _own_version(cycle: Cycle, rating: Mapping[str, Any]) -> int:
    """The version at which the rater last rated the criterion (0: never)."""
    key = assessment_key(rating["theme_id"], rating["criterion_id"])
    own = cycle.assessments.get(key, {}).get(rating["rater_id"])
    return int(own["version"]) if own else 0


RECORD_ASSESSMENT = CycleCommand(
    "record_assessment",
    "rate",
    _assessment,
    Cycle.record_assessment,
    item="assessment",
    decide=_check_rater,
    stale=_rater_stale,
)


def record_assessment(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    theme_id: str,
    criterion_id: str,
    value: float | str,
    rater_id: str | None = None,
    note: str = "",
    attrs: Mapping[str, Any] | None = None,
    expected_version: int | None = None,
) -> int:
    """Record a rating; contributors rate as themselves, coordinators for any member.

    ``expected_version`` is rater-scoped: the rating is refused (Conflict) only if the same
    rater's rating of this criterion, the phase or the themes changed since that version,
    not because others rated meanwhile."""
    return RECORD_ASSESSMENT.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        theme_id=theme_id,
        criterion_id=criterion_id,
        value=value,
        rater_id=actor_id if rater_id is None else rater_id,
        note=note,
        attrs=attrs,
    )


def _assessments(
    engine: Engine, *, theme_id: str, ratings: Sequence[Mapping[str, Any]], rater_id: str
) -> Fields:
    if not isinstance(ratings, Sequence) or isinstance(ratings, str) or not ratings:
        raise InvalidInput("ratings", "Keine Einschätzung angegeben.", "No rating given.")
    checked: list[Fields] = []
    for rating in ratings:
        given: Mapping[str, Any] = rating if isinstance(rating, Mapping) else {}
        criterion_id = given.get("criterion_id")
        if any(c["criterion_id"] == criterion_id for c in checked):
            raise InvalidInput(
                f"ratings.{criterion_id}",
                "Jedes Kriterium nur einmal einschätzen.",
                "Rate each criterion once.",
            )
        try:
            checked.append(
                _assessment(
                    engine,
                    theme_id=theme_id,
                    criterion_id=criterion_id,  # type: ignore[arg-type]
                    value=given.get("value"),  # type: ignore[arg-type]
                    rater_id=rater_id,
                    note=given.get("note", ""),
                    attrs=given.get("attrs"),
                )
            )
        except InvalidInput as error:
            field = f"ratings.{criterion_id}.{error.field}"
            raise InvalidInput(field, error.field_de, error.field_en) from None
    return {"ratings": checked}


def _record_each(change: Change) -> None:
    """Check and record each rating on the loaded cycle; saved together or not at all."""
    ratings = change.fields["ratings"]
    for rating in ratings:
        each = Change(change.engine, change.cycle, change.organisation, change.actor_id, rating)
        _check_rater(each)
        change.engine._validate_item("assessment", rating, change.cycle.phase)
    for rating in ratings:
        change.cycle.record_assessment(actor_id=change.actor_id, **rating)


RECORD_ASSESSMENTS = CycleCommand(
    "record_assessment", "rate", _assessments, None, decide=_record_each, stale=_rater_stale
)


def record_assessments(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    theme_id: str,
    ratings: Sequence[Mapping[str, Any]],
    rater_id: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Record several ratings of one theme's criteria at once: all of them or none.

    ``ratings`` holds one mapping per criterion: ``criterion_id``, ``value`` and optionally
    ``note`` and ``attrs``. Each becomes its own AssessmentRecorded event, as if recorded one
    by one; one bad rating refuses them all (its field: ``ratings.<criterion_id>.<field>``).
    ``expected_version`` is rater-scoped, as for :func:`record_assessment`.
    """
    return RECORD_ASSESSMENTS.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        theme_id=theme_id,
        ratings=ratings,
        rater_id=actor_id if rater_id is None else rater_id,
    )


def _finding(
    engine: Engine,
    *,
    kind: str,
    text: str,
    theme_id: str | None,
    criterion_id: str | None,
    finding_id: str | None,
) -> Fields:
    given = {"finding_id": finding_id, "kind": kind, "text": text}
    fields = FINDING.check(given, identity=True)
    fields["theme_id"] = None if theme_id is None else engine._theme(theme_id, "theme_id").id
    fields["criterion_id"] = _criterion_or_none(engine, theme_id, criterion_id)
    return fields


def _criterion_or_none(
    engine: Engine, theme_id: str | None, criterion_id: str | None
) -> str | None:
    if criterion_id is None:
        return None
    if theme_id is None or engine._theme(theme_id, "theme_id").criterion(criterion_id) is None:
        raise InvalidInput("criterion_id", "Unbekanntes Kriterium.", "Unknown criterion.")
    return criterion_id


RECORD_FINDING = CycleCommand("record_finding", "moderate", _finding, Cycle.record_finding)


def record_finding(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    kind: str,
    text: str,
    theme_id: str | None = None,
    criterion_id: str | None = None,
    finding_id: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Record a strength or a need, optionally tied to a theme and criterion."""
    return RECORD_FINDING.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        kind=kind,
        text=text,
        theme_id=theme_id,
        criterion_id=criterion_id,
        finding_id=finding_id,
    )


def _finding_to_withdraw(engine: Engine, *, finding_id: str, reason: str) -> Fields:
    return {"finding_id": finding_id, **REASONED.check({"reason": reason})}


WITHDRAW_FINDING = CycleCommand(
    "withdraw_finding", "moderate", _finding_to_withdraw, Cycle.withdraw_finding
)


def withdraw_finding(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    finding_id: str,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Withdraw a finding (a reason is required)."""
    return WITHDRAW_FINDING.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        finding_id=finding_id,
        reason=reason,
    )


def _priorities(engine: Engine, *, finding_ids: list[str], reason: str) -> Fields:
    if not isinstance(finding_ids, list) or not all(isinstance(f, str) for f in finding_ids):
        raise InvalidInput("finding_ids", "muss eine Liste sein", "must be a list")
    return PRIORITIES.check({"finding_ids": finding_ids, "reason": reason})


SET_PRIORITIES = CycleCommand("set_priorities", "moderate", _priorities, Cycle.set_priorities)


def set_priorities(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    finding_ids: list[str],
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Choose the needs to work on, most important first."""
    return SET_PRIORITIES.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        finding_ids=finding_ids,
        reason=reason,
    )
