"""Building realistic cycles on the built-in themes through the engine's public commands.

A network (Landkreis) with a coordinator and two raters starts cycles, rates every criterion
of its themes on each criterion's own scale, records and prioritises needs, sets goals and
plans measures with the themes' attrs, and moves through the phases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from engine.application.service import Qualizyklus
from engine.domain.catalogue import Scale

PARTICIPATION = "parent-participation"
IMPACT = "impact-orientation"
ANCHORING = "political-anchoring"

COORDINATOR = "koordination"
MIDWIFE = "hebamme"
PAEDIATRICIAN = "kinderarzt"
RATERS = (COORDINATOR, MIDWIFE, PAEDIATRICIAN)


def middle(scale: Scale) -> float | str:
    """A rating in the middle of a criterion's scale."""
    if scale.kind == "levels":
        return scale.levels[len(scale.levels) // 2].id
    return int((scale.minimum + scale.maximum) // 2)


@dataclass(frozen=True)
class Network:
    """A registered network and the engine it lives in."""

    engine: Qualizyklus
    organisation_id: UUID

    @classmethod
    def register(cls, engine: Qualizyklus, slug: str = "lk-heidekreis") -> Network:
        """A Landkreis with a coordinator, a midwife and a paediatrician (both contributors)."""
        organisation_id = engine.register_organisation(
            name="Landkreis Heidekreis", slug=slug, land="NI", coordinator_id=COORDINATOR
        )
        for member in (MIDWIFE, PAEDIATRICIAN):
            engine.grant_role(
                organisation_id, actor_id=COORDINATOR, member_id=member, role="contributor"
            )
        return cls(engine, organisation_id)

    # Analyse ---------------------------------------------------------------------------------

    def start(
        self, themes: Sequence[str], *, year: int = 2025, follows: UUID | None = None
    ) -> UUID:
        """Start a cycle on ``themes`` for the calendar year ``year``."""
        return self.engine.start_cycle(
            self.organisation_id,
            actor_id=COORDINATOR,
            title=f"Qualitätszyklus {year}",
            themes=list(themes),
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            follows=follows,
        )

    def rate(
        self,
        cycle_id: UUID,
        theme_id: str,
        ratings: Mapping[str, Sequence[float | str]] | None = None,
    ) -> None:
        """Rate every criterion of the theme: the given values (one per rater, in order), else
        each rater in the middle of the criterion's scale."""
        theme = self.engine.themes[theme_id]
        for criterion in theme.criteria:
            values = (ratings or {}).get(criterion.id) or [middle(criterion.scale)] * 3
            for rater, value in zip(RATERS, values, strict=False):
                self.engine.record_assessment(
                    cycle_id,
                    actor_id=COORDINATOR,
                    rater_id=rater,
                    theme_id=theme_id,
                    criterion_id=criterion.id,
                    value=value,
                )

    def analyse(
        self,
        cycle_id: UUID,
        ratings: Mapping[str, Mapping[str, Sequence[float | str]]] | None = None,
    ) -> None:
        """Rate every theme, record a need per theme, prioritise them, and move on to plan."""
        themes = self.engine.cycle(cycle_id)["themes"]
        needs = []
        for theme_id in themes:
            self.rate(cycle_id, theme_id, (ratings or {}).get(theme_id))
            finding_id = f"bedarf-{theme_id}"
            self.engine.record_finding(
                cycle_id,
                actor_id=COORDINATOR,
                finding_id=finding_id,
                kind="need",
                theme_id=theme_id,
                text="Hier sehen die Beteiligten Entwicklungsbedarf.",
            )
            needs.append(finding_id)
        self.engine.set_priorities(cycle_id, actor_id=COORDINATOR, finding_ids=needs)
        self.advance(cycle_id)

    # Plan ------------------------------------------------------------------------------------

    def goal(
        self,
        cycle_id: UUID,
        goal_id: str,
        theme_id: str,
        *,
        title: str | None = None,
        baseline: float | None = 0,
        target: float | None = 10,
        unit: str = "Anzahl",
        attrs: Mapping[str, Any] | None = None,
    ) -> None:
        """Set a goal of the theme with an indicator."""
        self.engine.set_goal(
            cycle_id,
            actor_id=COORDINATOR,
            goal_id=goal_id,
            theme_id=theme_id,
            title=title or f"Ziel {goal_id}",
            indicator=f"Kennzahl zu {title or goal_id}",
            unit=unit,
            baseline=baseline,
            target=target,
            due=date(2025, 11, 30),
            attrs=dict(attrs or {}),
        )

    def measure(
        self,
        cycle_id: UUID,
        measure_id: str,
        theme_id: str,
        *,
        title: str | None = None,
        goal_id: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> None:
        """Plan a measure of the theme with a responsible member and a due date."""
        self.engine.plan_measure(
            cycle_id,
            actor_id=COORDINATOR,
            measure_id=measure_id,
            title=title or f"Maßnahme {measure_id}",
            goal_id=goal_id,
            theme_id=theme_id,
            responsible_member_id=MIDWIFE,
            start=date(2025, 3, 1),
            due=date(2025, 10, 31),
            resources="10 Stunden Netzwerkkoordination",
            attrs=dict(attrs or {}),
        )

    # Implement, review, close ----------------------------------------------------------------

    def advance(self, cycle_id: UUID) -> None:
        """Move on to the next phase."""
        self.engine.advance_phase(cycle_id, actor_id=COORDINATOR)

    def move(self, cycle_id: UUID, measure_id: str, status: str) -> None:
        """Start a measure and, unless it is to run, move it on to ``status``."""
        self.engine.change_measure_status(
            cycle_id, actor_id=COORDINATOR, measure_id=measure_id, status="running"
        )
        if status != "running":
            self.engine.change_measure_status(
                cycle_id,
                actor_id=COORDINATOR,
                measure_id=measure_id,
                status=status,
                reason="Im Netzwerk so vereinbart.",
            )

    def value(self, cycle_id: UUID, goal_id: str, value: float, measured_on: str) -> None:
        """Record a measured value of a goal's indicator."""
        self.engine.record_indicator_value(
            cycle_id,
            actor_id=COORDINATOR,
            goal_id=goal_id,
            value=value,
            measured_on=measured_on,
            source="Netzwerkstatistik",
        )

    def feedback(self, cycle_id: UUID, source: str, text: str) -> None:
        """Record feedback from ``source`` (parents, practitioners, ...)."""
        self.engine.record_feedback(
            cycle_id, actor_id=COORDINATOR, source=source, text=text, theme_id=PARTICIPATION
        )

    def review_goals(self, cycle_id: UUID) -> None:
        """Judge every goal of the cycle."""
        for goal_id in self.engine.cycle(cycle_id)["goals"]:
            self.engine.review_goal(
                cycle_id,
                actor_id=COORDINATOR,
                goal_id=goal_id,
                verdict="partly",
                evidence="Auswertung in der Steuerungsgruppe im Dezember.",
            )

    def close(self, cycle_id: UUID) -> None:
        """Close the reviewed cycle."""
        self.engine.close_cycle(
            cycle_id, actor_id=COORDINATOR, summary="Die Netzwerkarbeit ist verbindlicher."
        )
