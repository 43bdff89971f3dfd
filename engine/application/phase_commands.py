"""Phase changes: advance through the gates, close, reopen for a reason, migrate the definition."""

from __future__ import annotations

from uuid import UUID

from engine.application.store import Store
from engine.domain import validation as check
from engine.domain.cycle import Cycle
from engine.domain.errors import (
    GateRefused,
    InvalidInput,
    NotAllowedInPhase,
    Reason,
)
from engine.domain.organisation import Organisation
from engine.domain.workflow import Transition, WorkflowDefinition


class PhaseCommands(Store):
    """Move a cycle between phases as its workflow definition allows."""

    def advance_phase(
        self, cycle_id: UUID, *, actor_id: str, expected_version: int | None = None
    ) -> int:
        """Move to the next phase if every gate passes; else refuse with every reason."""

        def change(cycle: Cycle, organisation: Organisation) -> None:
            definition = self._definition(cycle)
            transition = _forward(definition, cycle)
            if definition.phase(transition.target).terminal:  # type: ignore[union-attr]
                raise InvalidInput(
                    "phase",
                    "Der letzte Schritt ist der Abschluss (mit Zusammenfassung).",
                    "The last step is closing the cycle (with a summary).",
                )
            _require_gates(self._gate_reasons(definition, transition, cycle))
            cycle.advance(actor_id=actor_id, to_phase=transition.target)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def close_cycle(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        summary: str,
        follow_up: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Close the cycle after its review, with a summary and what follows."""
        summary = check.text("summary", summary)
        follow_up = check.optional_text("follow_up", follow_up)

        def change(cycle: Cycle, organisation: Organisation) -> None:
            definition = self._definition(cycle)
            transition = _forward(definition, cycle)
            if not definition.phase(transition.target).terminal:  # type: ignore[union-attr]
                raise NotAllowedInPhase("close_cycle", cycle.phase)
            _require_gates(self._gate_reasons(definition, transition, cycle))
            cycle.close(
                actor_id=actor_id, to_phase=transition.target, summary=summary, follow_up=follow_up
            )

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def reopen_phase(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        to_phase: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Go back to an earlier phase, as the definition permits, for a stated reason."""
        reason = check.reason(reason)

        def change(cycle: Cycle, organisation: Organisation) -> None:
            transition = self._definition(cycle).transition(cycle.phase, to_phase)
            if transition is None or transition.kind != "reopen":
                raise InvalidInput(
                    "to_phase",
                    f"Von „{cycle.phase}“ geht es nicht zurück nach „{to_phase}“.",
                    f"Cannot reopen '{to_phase}' from '{cycle.phase}'.",
                )
            cycle.reopen(actor_id=actor_id, to_phase=to_phase, reason=reason)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def migrate_workflow(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        to_version: int,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        """Move a running cycle to a newer definition, if the cycle fits it."""
        reason = check.reason(reason)

        def change(cycle: Cycle, organisation: Organisation) -> None:
            target = self.workflows.get(cycle.workflow_id, to_version)
            if target is None or to_version <= cycle.workflow_version:
                raise InvalidInput(
                    "to_version",
                    "Es gibt keine solche neuere Version des Ablaufs.",
                    "There is no such newer version of the workflow.",
                )
            _require_gates(self._migration_reasons(cycle, target))
            cycle.migrate_workflow(actor_id=actor_id, to_version=to_version, reason=reason)

        return self._change_cycle(
            cycle_id,
            actor_id=actor_id,
            permission="moderate",
            command=None,
            expected_version=expected_version,
            change=change,
        )

    def _migration_reasons(self, cycle: Cycle, target: WorkflowDefinition) -> list[Reason]:
        if target.phase(cycle.phase) is None:
            return [
                Reason(
                    "phase-missing",
                    f"Die neue Version kennt die Phase „{cycle.phase}“ nicht.",
                    f"The new version has no phase '{cycle.phase}'.",
                )
            ]
        reasons: list[Reason] = []
        for transition in target.passed_transitions(cycle.phase):
            reasons.extend(self._gate_reasons(target, transition, cycle))
        return reasons


def _forward(definition: WorkflowDefinition, cycle: Cycle) -> Transition:
    transition = definition.next_transition(cycle.phase)
    if transition is None:
        raise NotAllowedInPhase("advance_phase", cycle.phase)
    return transition


def _require_gates(reasons: list[Reason]) -> None:
    if reasons:
        raise GateRefused(reasons)
