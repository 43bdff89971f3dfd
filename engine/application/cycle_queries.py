"""Reading cycles: state, lists, the next step, the assessment summary, insights and reports.

Every query takes an optional ``actor_id``; with it, only members of the cycle's organisation
get an answer (everyone else gets NotFound, as if the cycle did not exist). Results are plain
data shared between callers for the same version: read them, copy before changing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from engine.application.store import Engine
from engine.domain.assessment import BlindRound, blind_theme, summarise_cycle
from engine.domain.contributions import Insight, ReportSection
from engine.domain.cycle import Cycle
from engine.domain.errors import NotFound
from engine.domain.organisation import (
    ROLE_PERMISSIONS,
    SLUG_PATTERN,
    Organisation,
    organisation_id_for,
)
from engine.domain.rating_sessions import session_revealed
from engine.domain.workflow import WorkflowDefinition
from engine.extensions.isolation import Gathered
from engine.readmodels import current as current_read_models
from engine.readmodels.queries import organisation_cycles


def _readable(engine: Engine, cycle_id: UUID, actor_id: str | None) -> Cycle:
    position = engine._log_position()
    cycle = engine._load_current(Cycle, cycle_id, position)
    if actor_id is not None:
        organisation = engine._load_current(Organisation, cycle.organisation_id, position)
        organisation.require(actor_id, "read")
    return cycle


def organisation_of_cycle(engine: Engine, cycle_id: UUID, *, actor_id: str) -> UUID:
    """The cycle's organisation, if ``actor_id`` belongs to it; else NotFound.

    A cheap pre-check (answered from the cache where it can say yes; a 'no' is checked
    against fresh data): the query or command that follows checks again.
    """
    cycle = engine._peek(Cycle, cycle_id)
    if engine._peek(Organisation, cycle.organisation_id).role_of(actor_id) is None:
        engine._organisation_of(engine._load(Cycle, cycle_id, for_change=False)).require(
            actor_id, "read"
        )
    return cycle.organisation_id


def version_of(engine: Engine, aggregate_id: UUID) -> int:
    """The stored version of an aggregate (one indexed query; no loading)."""
    last = engine.recorder.select_events(aggregate_id, desc=True, limit=1)
    if not last:
        raise NotFound()
    return last[0].originator_version


def cycle(engine: Engine, cycle_id: UUID, *, actor_id: str | None = None) -> dict[str, Any]:
    """A cycle's state; ``uninstalled_themes`` names themes whose plugin is gone."""
    return _state(engine, _readable(engine, cycle_id, actor_id))


def organisation_and_cycle(
    engine: Engine, slug: str, cycle_id: UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An organisation (by its slug) and one of its cycles, read as of one moment of the store.

    NotFound when either is missing or the cycle belongs to another organisation. Who may see
    them is the caller's to check (the pages check the membership in the organisation).
    """
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        raise NotFound()
    position = engine._log_position()
    organisation = engine._load_current(Organisation, organisation_id_for(slug), position)
    found = engine._load_current(Cycle, cycle_id, position)
    if found.organisation_id != organisation.id:
        raise NotFound()
    return organisation.as_dict(), _state(engine, found)


def _state(engine: Engine, found: Cycle) -> dict[str, Any]:
    state = engine._plain(found)
    uninstalled = [theme for theme in state["themes"] if theme not in engine.themes]
    return {**state, "uninstalled_themes": uninstalled}


def cycles_of(
    engine: Engine, organisation_id: UUID, *, actor_id: str | None = None
) -> list[dict[str, Any]]:
    """Summaries of an organisation's cycles, newest first (from the cycle index)."""
    organisation = engine._load(Organisation, organisation_id, for_change=False)
    if actor_id is not None:
        organisation.require(actor_id, "read")
    fresh = current_read_models(engine)
    if fresh.lag:  # far behind (a rebuild is running): ask the cycles themselves
        summaries = [_cycle_summary(engine, cycle_id) for cycle_id in organisation.cycles]
    else:
        summaries = [
            _summary_from_index(row)
            for row in organisation_cycles(fresh.view, str(organisation_id))
        ]
    return sorted(summaries, key=lambda s: (s["period_start"], s["title"]), reverse=True)


def _cycle_summary(engine: Engine, cycle_id: UUID) -> dict[str, Any]:
    cycle = engine._load(Cycle, cycle_id, for_change=False)
    return {
        "id": str(cycle.id),
        "title": cycle.title,
        "phase": cycle.phase,
        "themes": list(cycle.themes),
        "period_start": cycle.period_start,
        "period_end": cycle.period_end,
        "version": cycle.version,
        "follows": str(cycle.follows) if cycle.follows else None,
    }


def definition_of(
    engine: Engine, cycle_id: UUID, *, actor_id: str | None = None
) -> WorkflowDefinition:
    """The workflow definition (at its version) that governs a cycle."""
    return engine._definition(_readable(engine, cycle_id, actor_id))


def next_step(engine: Engine, cycle_id: UUID, *, actor_id: str | None = None) -> dict[str, Any]:
    """The phase a cycle can move on to and every reason that still stands in the way."""
    cycle = _readable(engine, cycle_id, actor_id)
    definition = engine._definition(cycle)
    transition = definition.next_transition(cycle.phase)
    if transition is None:
        return {"phase": cycle.phase, "next": None, "closes": False, "reasons": []}
    reasons = engine._gate_reasons(definition, transition, cycle)
    target = definition.phase(transition.target)
    return {
        "phase": cycle.phase,
        "next": transition.target,
        "closes": bool(target and target.terminal),
        "reasons": [r.as_dict() for r in reasons],
    }


def assessment_summary(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str | None = None,
    reveal: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Per theme: each criterion's raters, median, range, disagreement and the flagged criteria.

    With ``actor_id``, the blind first round holds (see :func:`blind_themes`): in a blind
    theme, the group's result of a criterion the actor has not rated is hidden. ``reveal``
    names themes a coordinator chooses to see whole.
    """
    cycle = _readable(engine, cycle_id, actor_id)
    summaries = summarise_cycle(engine._plain(cycle), engine.themes)
    if actor_id is None:
        return summaries
    blind = _blind_themes(engine, cycle, actor_id, reveal)
    revealed = session_revealed(cycle) if blind else set()
    return [
        blind_theme(summary, actor_id, revealed) if summary["theme_id"] in blind else summary
        for summary in summaries
    ]


def blind_themes(
    engine: Engine, cycle_id: UUID, *, actor_id: str, reveal: Iterable[str] = ()
) -> list[str]:
    """The cycle's themes in which ``actor_id`` sees a criterion's result only after rating it.

    The rule: while the cycle's phase allows ratings, a member who may rate sees the group's
    result of a criterion (median, distribution, disagreement, other raters' values) only after
    rating it, or once a facilitator revealed it in a rating session of the cycle. A member
    who may moderate (the coordination) sees the whole result of the themes in ``reveal``
    (their "Ergebnisse zeigen"). Members who may not rate (viewers) see every
    result, and so does everybody once the phase no longer allows ratings.
    """
    cycle = _readable(engine, cycle_id, actor_id)
    return sorted(_blind_themes(engine, cycle, actor_id, reveal))


def blind_round(
    engine: Engine, cycle_id: UUID, *, actor_id: str, reveal: Iterable[str] = ()
) -> BlindRound | None:
    """What ``actor_id`` may not see of the cycle's ratings now (None: everything shows).

    The one rule of the blind first round (see :func:`blind_themes`), for every view of the
    ratings: the cycle's state, its history and state as of a date, the comparison of two
    versions, the dashboard.
    """
    return _round_of(engine, _readable(engine, cycle_id, actor_id), actor_id, reveal)


def _round_of(
    engine: Engine, cycle: Cycle, actor_id: str, reveal: Iterable[str] = ()
) -> BlindRound | None:
    blind = _blind_themes(engine, cycle, actor_id, reveal)
    if not blind:
        return None
    return BlindRound.of(cycle.assessments, actor_id, blind, session_revealed(cycle))


def _blind_themes(engine: Engine, cycle: Cycle, actor_id: str, reveal: Iterable[str]) -> set[str]:
    if not engine._definition(cycle).allows(cycle.phase, "record_assessment"):
        return set()
    role = engine._organisation_of(cycle).role_of(actor_id)
    permissions = ROLE_PERMISSIONS.get(role or "", frozenset())
    if "rate" not in permissions:
        return set()
    revealed = set(reveal) if "moderate" in permissions else set()
    return set(cycle.themes) - revealed


def insights(engine: Engine, cycle_id: UUID, *, actor_id: str | None = None) -> Gathered[Insight]:
    """The themes' insights for a cycle (compared with the cycle it follows; for ``actor_id``
    as the blind round allows).

    Insights are pure functions of the two versions, so complete results are kept for
    the most recent versions (``Gathered.key`` names them); results with a notice are not.
    """
    current, previous, viewer = _with_previous(engine, cycle_id, actor_id)
    key = (
        "insights",
        current["id"],
        current["version"],
        viewer,
        previous and (previous["id"], previous["version"]),
    )
    gathered: Gathered[Insight] = engine.computed.get(
        key,
        lambda: engine.extensions.insights(current, previous, engine.themes),
        keep=lambda result: not result.notices,
    )
    gathered.key = key
    return gathered


def report_sections(
    engine: Engine, cycle_id: UUID, *, actor_id: str | None = None
) -> Gathered[ReportSection]:
    """The themes' sections of the cycle report (for ``actor_id`` as the blind round allows)."""
    current, previous, _viewer = _with_previous(engine, cycle_id, actor_id)
    return engine.extensions.report_sections(current, previous, engine.themes)


def _with_previous(
    engine: Engine, cycle_id: UUID, actor_id: str | None
) -> tuple[dict[str, Any], dict[str, Any] | None, str | None]:
    """The cycle's state and the one it follows, and who the state is blinded for (None when
    ``actor_id`` sees every rating): a theme's figures computed from ratings follow the blind
    first round like the ratings themselves (see :func:`blind_themes`)."""
    cycle = _readable(engine, cycle_id, actor_id)
    previous = None
    if cycle.follows is not None:
        previous = engine._plain(engine._load(Cycle, cycle.follows, for_change=False))
    current = engine._plain(cycle)
    blind = _round_of(engine, cycle, actor_id) if actor_id is not None else None
    if blind is None:
        return current, previous, None
    return blind.state(current), previous, actor_id


def blind_dashboard(engine: Engine, data: dict[str, Any], *, actor_id: str) -> dict[str, Any]:
    """The dashboard's figures (``readmodels.queries.dashboard``) as ``actor_id`` may see them.

    In a cycle still in its blind round (see :func:`blind_themes`), a criterion's median is
    left out until the reader has rated it, and the theme's score (``score`` None, ``hidden``
    True) while any of its rated criteria is hidden; the other cycles' figures stay.
    """
    hidden: dict[str, tuple[BlindRound, set[str]]] = {}
    for row in data["cycles"]:
        if row["closed"]:
            continue
        cycle = engine._load(Cycle, UUID(row["cycle_id"]), for_change=False)
        found = _round_of(engine, cycle, actor_id)
        if found is not None:
            ratings = cycle.assessments.items()
            themes = {k.split("/", 1)[0] for k, r in ratings if r and found.hides(k)}
            hidden[row["cycle_id"]] = (found, themes)
    if not hidden:
        return data
    medians: dict[str, dict[str, dict[str, float]]] = {}
    for theme, criteria in data["criterion_medians"].items():
        for criterion, by_cycle in criteria.items():
            shown = {
                cycle_id: median
                for cycle_id, median in by_cycle.items()
                if cycle_id not in hidden or not hidden[cycle_id][0].hides(f"{theme}/{criterion}")
            }
            if shown:
                medians.setdefault(theme, {})[criterion] = shown
    scores = {
        theme: [
            {**row, "score": None, "hidden": True}
            if row["cycle_id"] in hidden and theme in hidden[row["cycle_id"]][1]
            else row
            for row in rows
        ]
        for theme, rows in data["theme_scores"].items()
    }
    return {**data, "criterion_medians": medians, "theme_scores": scores}


def _summary_from_index(row: dict[str, Any]) -> dict[str, Any]:
    """A cycle summary as ``cycles_of`` gives it, from a row of the cycle index."""
    return {
        "id": row["cycle_id"],
        "title": row["title"],
        "phase": row["phase"],
        "themes": list(row["themes"]),
        "period_start": date.fromisoformat(row["period_start"]),
        "period_end": date.fromisoformat(row["period_end"]),
        "version": int(row["version"]),
        "follows": row["follows"],
    }
