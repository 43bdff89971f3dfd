"""Cycle commands of the analysis: start, themes, ratings, findings, priorities."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import UUID

from engine.application.store import DEFAULT_WORKFLOW, MAX_NAME, Store, check_version
from engine.domain import validation as check
from engine.domain.catalogue import OffScale
from engine.domain.cycle import FINDING_KINDS, Cycle
from engine.domain.errors import (
    Forbidden,
    InvalidInput,
)
from engine.domain.organisation import Organisation
from engine.domain.workflow import WorkflowDefinition


class CycleCommands(Store):
    """Start cycles; record what the analysis finds."""

    def start_cycle(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        title: str,
        themes: list[str],
        period_start: date | str,
        period_end: date | str,
        workflow_id: str = DEFAULT_WORKFLOW,
        workflow_version: int | None = None,
        follows: UUID | str | None = None,
        expected_version: int | None = None,
    ) -> UUID:
        """Start a cycle; a follow-up takes over the measures its predecessor carried over."""
        organisation = self._load(Organisation, organisation_id, for_change=True)
        organisation.require(actor_id, "moderate")
        check_version(organisation, expected_version)
        definition = self._definition_for_start(workflow_id, workflow_version)
        fields: dict[str, Any] = {
            "organisation_id": organisation.id,
            "title": check.text("title", title, max_length=MAX_NAME),
            "themes": self._check_themes(themes, organisation),
            "workflow_id": definition.id,
            "workflow_version": definition.version,
            "first_phase": definition.first_phase,
            "period_start": check.a_date("period_start", period_start),
            "period_end": check.a_date("period_end", period_end),
        }
        check.date_order("period_end", fields["period_start"], fields["period_end"])
        fields["theme_versions"] = {t: self.themes[t].version for t in fields["themes"]}
        previous = self._previous_cycle(organisation, follows)
        fields["follows"] = previous.id if previous else None
        cycle = Cycle.start(actor_id=actor_id, **fields)
        if previous is not None:
            _carry_over_measures(previous, cycle, organisation, actor_id)
        organisation.register_cycle(actor_id=actor_id, cycle_id=cycle.id)
        self._save(organisation, cycle)
        return cycle.id

    def _definition_for_start(self, workflow_id: str, version: int | None) -> WorkflowDefinition:
        definition = (
            self.workflows.latest(workflow_id)
            if version is None
            else self.workflows.get(workflow_id, version)
        )
        if definition is None:
            raise InvalidInput(
                "workflow_id", "Unbekannter Ablauf oder Version.", "Unknown workflow or version."
            )
        return definition

    def _check_themes(self, themes: object, organisation: Organisation) -> list[str]:
        if not isinstance(themes, list) or not themes:
            raise InvalidInput(
                "themes", "Mindestens ein Thema wählen.", "Choose at least one theme."
            )
        if len(set(themes)) != len(themes):
            raise InvalidInput(
                "themes", "Ein Thema ist doppelt gewählt.", "A theme is chosen twice."
            )
        for theme_id in themes:
            self._theme(theme_id, "themes")
            _require_chosen(organisation, theme_id, "themes")
        return list(themes)

    def _previous_cycle(
        self, organisation: Organisation, follows: UUID | str | None
    ) -> Cycle | None:
        if follows is None:
            return None
        previous_id = check.a_uuid("follows", follows)
        if previous_id not in organisation.cycles:
            raise InvalidInput(
                "follows",
                "Der vorherige Zyklus gehört nicht zu dieser Organisation.",
                "The previous cycle does not belong to this organisation.",
            )
        previous = self._load(Cycle, previous_id, for_change=False)
        if not self._definition(previous).phase(previous.phase).terminal:  # type: ignore[union-attr]
            raise InvalidInput(
                "follows",
                "Ein Folgezyklus setzt einen abgeschlossenen Zyklus fort.",
                "A follow-up cycle continues a closed cycle.",
            )
        for cycle_id in organisation.cycles:
            if self._load(Cycle, cycle_id, for_change=False).follows == previous_id:
                raise InvalidInput(
                    "follows",
                    "Dieser Zyklus hat schon einen Folgezyklus.",
                    "This cycle already has a follow-up.",
                )
        return previous

    def add_theme(
        self, cycle_id: UUID, *, actor_id: str, theme_id: str, expected_version: int | None = None
    ) -> int:
        """Add an installed theme to the cycle."""
        theme = self._theme(theme_id, "theme_id")

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _require_chosen(organisation, theme.id, "theme_id")
            cycle.add_theme(actor_id=actor_id, theme_id=theme.id, theme_version=theme.version)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="add_theme",
            expected_version=expected_version,
            change=change,
        )

    def remove_theme(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        theme_id: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Remove a theme from the cycle (a reason is required)."""
        reason = check.reason(reason)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="remove_theme",
            expected_version=expected_version,
            change=lambda c, o: c.remove_theme(actor_id=actor_id, theme_id=theme_id, reason=reason),
        )

    def record_assessment(
        self,
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
        """Record a rating; contributors rate as themselves, coordinators for any member."""
        theme = self._theme(theme_id, "theme_id")
        criterion = theme.criterion(criterion_id) if isinstance(criterion_id, str) else None
        if criterion is None:
            raise InvalidInput("criterion_id", "Unbekanntes Kriterium.", "Unknown criterion.")
        try:
            value = criterion.scale.validate(value)
        except OffScale as error:
            raise InvalidInput("value", error.de, error.en) from None
        fields: dict[str, Any] = {
            "theme_id": theme.id,
            "criterion_id": criterion.id,
            "rater_id": actor_id if rater_id is None else rater_id,
            "value": value,
            "note": check.optional_text("note", note),
            "attrs": check.attrs(attrs, theme.assessment_schema),
        }

        def change(cycle: Cycle, organisation: Organisation) -> None:
            _check_rater(organisation, actor_id, fields["rater_id"])
            cycle.record_assessment(actor_id=actor_id, **fields)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="rate",
            command="record_assessment",
            item=("assessment", fields),
            expected_version=expected_version,
            change=change,
        )

    def record_finding(
        self,
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
        fields = {
            "finding_id": check.item_id("finding_id", finding_id),
            "kind": check.one_of("kind", kind, FINDING_KINDS),
            "text": check.text("text", text),
            "theme_id": None if theme_id is None else self._theme(theme_id, "theme_id").id,
            "criterion_id": self._criterion_or_none(theme_id, criterion_id),
        }
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="record_finding",
            expected_version=expected_version,
            change=lambda c, o: c.record_finding(actor_id=actor_id, **fields),
        )

    def _criterion_or_none(self, theme_id: str | None, criterion_id: str | None) -> str | None:
        if criterion_id is None:
            return None
        if theme_id is None or self._theme(theme_id, "theme_id").criterion(criterion_id) is None:
            raise InvalidInput("criterion_id", "Unbekanntes Kriterium.", "Unknown criterion.")
        return criterion_id

    def withdraw_finding(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        finding_id: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Withdraw a finding (a reason is required)."""
        reason = check.reason(reason)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="withdraw_finding",
            expected_version=expected_version,
            change=lambda c, o: c.withdraw_finding(
                actor_id=actor_id, finding_id=finding_id, reason=reason
            ),
        )

    def set_priorities(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        finding_ids: list[str],
        reason: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Choose the needs to work on, most important first."""
        if not isinstance(finding_ids, list) or not all(isinstance(f, str) for f in finding_ids):
            raise InvalidInput("finding_ids", "muss eine Liste sein", "must be a list")
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command="set_priorities",
            expected_version=expected_version,
            change=lambda c, o: c.set_priorities(
                actor_id=actor_id, finding_ids=finding_ids, reason=reason
            ),
        )


def _check_rater(organisation: Organisation, actor_id: str, rater_id: str) -> None:
    if rater_id != actor_id and organisation.role_of(actor_id) != "coordinator":
        raise Forbidden(
            "Nur die Netzwerkkoordination erfasst Einschätzungen für andere.",
            "Only coordinators record ratings on behalf of others.",
        )
    if organisation.role_of(rater_id) is None:
        raise InvalidInput("rater_id", "ist kein Mitglied der Organisation", "is not a member")


def _require_chosen(organisation: Organisation, theme_id: str, field: str) -> None:
    if not organisation.uses_theme(theme_id):
        raise InvalidInput(
            field,
            f"Die Organisation hat das Thema {theme_id!r} nicht ausgewählt.",
            f"The organisation has not chosen the theme {theme_id!r}.",
        )


def _carry_over_measures(
    previous: Cycle, cycle: Cycle, organisation: Organisation, actor_id: str
) -> None:
    """Plan the measures the previous cycle carried over (owners who left become unassigned)."""
    for measure_id, measure in previous.measures.items():
        if measure["status"] != "carried-over":
            continue
        cycle.plan_measure(
            actor_id=actor_id,
            reason="Übernommen aus dem vorherigen Zyklus / carried over from the previous cycle",
            measure_id=measure_id,
            title=measure["title"],
            goal_id=None,
            theme_id=measure["theme_id"] if measure["theme_id"] in cycle.themes else None,
            responsible_member_id=(
                measure["responsible_member_id"]
                if organisation.role_of(measure["responsible_member_id"] or "")
                else None
            ),
            start=None,
            due=None,
            resources=measure["resources"],
            attrs=dict(measure["attrs"]),
            carried_from_cycle=previous.id,
            carried_from_measure=measure_id,
        )
