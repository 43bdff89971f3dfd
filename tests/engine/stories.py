"""Shared set-up for the narrative engine tests: a network, its people and a cycle in a phase.

The helpers use only the public API of ``Qualizyklus``. Each step they take is one that
the narrative tests check in detail elsewhere; here it is just the way to a starting point.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import plugins.parent_participation as parent_participation
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings

PHASES = ("analyse", "plan", "implement", "review", "closed")


@dataclass(frozen=True)
class Network:
    """An organisation (Landkreis) with a coordinator, two contributors and a viewer."""

    organisation_id: UUID
    coordinator: str = "koordination"
    midwife: str = "hebamme"
    paediatrician: str = "kinderarzt"
    viewer: str = "ausschuss"
    stranger: str = "fremd"
    """Not a member of the organisation."""


def register_network(app: Qualizyklus, slug: str = "lk-beispiel") -> Network:
    """Register an organisation and give its people their roles."""
    organisation_id = app.register_organisation(
        name="Landkreis Beispiel", slug=slug, land="NI", coordinator_id="koordination"
    )
    network = Network(organisation_id)
    for member, role in (
        (network.midwife, "contributor"),
        (network.paediatrician, "contributor"),
        (network.viewer, "viewer"),
    ):
        app.grant_role(organisation_id, actor_id=network.coordinator, member_id=member, role=role)
    return network


def start_cycle(
    app: Qualizyklus,
    network: Network,
    *,
    workflow_version: int | None = None,
    title: str = "Qualitätszyklus 2025",
    period: tuple[str, str] = ("2025-01-01", "2025-12-31"),
    **options: Any,
) -> UUID:
    """Start a cycle on both sample themes."""
    return app.start_cycle(
        network.organisation_id,
        actor_id=network.coordinator,
        title=title,
        themes=options.pop("themes", ["network", "families"]),
        period_start=period[0],
        period_end=period[1],
        workflow_version=workflow_version,
        **options,
    )


def complete_analysis(app: Qualizyklus, network: Network, cycle_id: UUID) -> None:
    """Rate each theme once, record a need and prioritise it."""
    actor = network.coordinator
    app.record_assessment(
        cycle_id, actor_id=actor, theme_id="network", criterion_id="partners-known", value=3
    )
    app.record_assessment(
        cycle_id, actor_id=actor, theme_id="families", criterion_id="low-threshold", value=2
    )
    app.record_finding(
        cycle_id,
        actor_id=actor,
        finding_id="need-1",
        kind="need",
        text="Familien in Unterkünften werden kaum erreicht.",
        theme_id="families",
    )
    app.set_priorities(cycle_id, actor_id=actor, finding_ids=["need-1"])


def complete_planning(app: Qualizyklus, network: Network, cycle_id: UUID) -> None:
    """Set a goal with an indicator and a measure with an owner and a due date."""
    actor = network.coordinator
    app.set_goal(
        cycle_id,
        actor_id=actor,
        goal_id="goal-1",
        title="Mehr Familien erreichen",
        indicator="Anteil erreichter Familien",
        unit="%",
        baseline=10,
        target=30,
        theme_id="families",
    )
    app.plan_measure(
        cycle_id,
        actor_id=actor,
        measure_id="measure-1",
        title="Offene Sprechstunde",
        goal_id="goal-1",
        responsible_member_id=network.midwife,
        start="2025-03-01",
        due="2025-09-30",
    )


def complete_implementation(app: Qualizyklus, network: Network, cycle_id: UUID) -> None:
    """Settle every measure as done."""
    app.change_measure_status(
        cycle_id, actor_id=network.coordinator, measure_id="measure-1", status="done"
    )


def complete_review(app: Qualizyklus, network: Network, cycle_id: UUID) -> None:
    """Judge every goal."""
    app.review_goal(
        cycle_id,
        actor_id=network.coordinator,
        goal_id="goal-1",
        verdict="partly",
        evidence="Quote von 10 % auf 22 % gestiegen.",
    )


def cycle_in_phase(
    app: Qualizyklus, network: Network, phase: str, *, workflow_version: int | None = None
) -> UUID:
    """A cycle brought to ``phase`` with the least content its gates ask for.

    From 'plan' on, the cycle has the need 'need-1' (prioritised), the goal 'goal-1'
    and the measure 'measure-1' (responsible: the midwife).
    """
    cycle_id = start_cycle(app, network, workflow_version=workflow_version)
    steps = (complete_analysis, complete_planning, complete_implementation, complete_review)
    for step, target in zip(steps, PHASES[1:], strict=True):
        if PHASES.index(target) > PHASES.index(phase):
            break
        step(app, network, cycle_id)
        if target == "closed":
            app.close_cycle(cycle_id, actor_id=network.coordinator, summary="Zugang verbessert.")
        else:
            app.advance_phase(cycle_id, actor_id=network.coordinator)
    assert app.cycle(cycle_id)["phase"] == phase
    return cycle_id


def stored_topics(app: Qualizyklus, aggregate_id: UUID) -> list[str]:
    """The topics of an aggregate's stored events, oldest first."""
    return [event.topic for event in app.recorder.select_events(aggregate_id)]


def stored_events(app: Qualizyklus, aggregate_id: UUID) -> list[Any]:
    """An aggregate's stored events as domain events, oldest first."""
    return [app.mapper.to_domain_event(s) for s in app.recorder.select_events(aggregate_id)]


def participation_engine(settings: Settings, **options: Any) -> Iterator[Qualizyklus]:
    """The engine with the parent participation theme (its question sets), closed afterwards:
    ``yield from`` it in a fixture."""
    app = open_engine(settings, plugins=(parent_participation,), entry_point_group=None, **options)
    yield app
    app.close()
