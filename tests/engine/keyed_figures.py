"""A theme plugin whose insight returns more figures once there is a previous cycle.

The first cycle's insight has two figures; the follow-up's has three, the extra one (the
previous cycle's value) first. Joined by position, every row of the years would shift; joined
by key, each row keeps its own figure. Used by the read-model and the dashboard tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from engine import hookimpl
from engine.application.service import Qualizyklus
from engine.domain.catalogue import Text, Theme
from engine.domain.contributions import Figure, Insight
from tests.engine.sample_theme import FAMILIES, NETWORK
from tests.engine.stories import (
    Network,
    complete_analysis,
    complete_implementation,
    complete_planning,
    complete_review,
    start_cycle,
)

INSIGHT_ID = "keyed-progress"
INSIGHT = Text("Fortschritt im Netzwerk", "Progress in the network")
RATED = Text("Bewertete Kriterien", "Criteria rated")
MEAN = Text("Mittlerer Fortschritt", "Mean progress")
MEAN_BEFORE = Text("Mittlerer Fortschritt im Vorzyklus", "Mean progress in the previous cycle")


def figures_of(cycle: Mapping[str, Any], previous: Mapping[str, Any] | None) -> list[Figure]:
    """Two figures for a first cycle; three for a follow-up, the previous cycle's first."""
    if previous is None:
        return [
            Figure(RATED, 1, key="rated"),
            Figure(MEAN, 40.0, "%", key="mean-progress"),
        ]
    return [
        Figure(MEAN_BEFORE, 40.0, "%", key="mean-progress-previous"),
        Figure(RATED, 2, key="rated"),
        Figure(MEAN, 55.0, "%", key="mean-progress"),
    ]


class KeyedThemes:
    """Registers the sample themes and reports the growing insight on the 'network' theme."""

    name = "keyed-figures"

    @hookimpl
    def register_themes(self) -> list[Theme]:
        """The engine tests' sample themes."""
        return [NETWORK, FAMILIES]

    @hookimpl
    def insights(
        self, cycle: Mapping[str, Any], previous: Mapping[str, Any] | None
    ) -> list[Insight]:
        """The growing insight, for cycles with the 'network' theme."""
        if "network" not in cycle["themes"]:
            return []
        return [Insight("network", INSIGHT_ID, INSIGHT, figures=tuple(figures_of(cycle, previous)))]


def closed_cycle(
    app: Qualizyklus, network: Network, year: int, follows: UUID | None = None
) -> UUID:
    """A cycle of ``year`` taken through every phase and closed (following ``follows``)."""
    cycle_id = start_cycle(
        app,
        network,
        title=f"Qualitätszyklus {year}",
        period=(f"{year}-01-01", f"{year}-12-31"),
        follows=follows,
    )
    steps = (complete_analysis, complete_planning, complete_implementation)
    for step in steps:
        step(app, network, cycle_id)
        app.advance_phase(cycle_id, actor_id=network.coordinator)
    complete_review(app, network, cycle_id)
    app.close_cycle(cycle_id, actor_id=network.coordinator, summary="Zugang verbessert.")
    return cycle_id


def two_closed_cycles(app: Qualizyklus, network: Network) -> tuple[UUID, UUID]:
    """The closed 2024 cycle and its closed follow-up of 2025."""
    first = closed_cycle(app, network, 2024)
    return first, closed_cycle(app, network, 2025, follows=first)
