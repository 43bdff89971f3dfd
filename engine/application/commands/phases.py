"""Phase changes: advance through the gates, close, reopen for a reason, migrate the definition.

Transitions are not allowed per phase like the other commands: the workflow definition's
transitions and gates decide, in each command's ``decide`` step.
"""

from __future__ import annotations

from uuid import UUID

from engine.application.commands.steps import Change, CycleCommand, Fields, nothing
from engine.application.store import Engine
from engine.application.survey_inbox import fold_before_reading
from engine.domain.cycle import Cycle
from engine.domain.errors import GateRefused, InvalidInput, NotAllowedInPhase, Reason
from engine.domain.shapes import CLOSING, MIGRATION, REOPENING
from engine.domain.workflow import Transition, WorkflowDefinition


def _forward(definition: WorkflowDefinition, cycle: Cycle) -> Transition:
    transition = definition.next_transition(cycle.phase)
    if transition is None:
        raise NotAllowedInPhase("advance_phase", cycle.phase)
    return transition


def _require_gates(reasons: list[Reason]) -> None:
    if reasons:
        raise GateRefused(reasons)


def _next_phase(change: Change) -> Fields:
    cycle, engine = change.cycle, change.engine
    definition = engine._definition(cycle)
    transition = _forward(definition, cycle)
    if definition.phase(transition.target).terminal:  # type: ignore[union-attr]
        raise InvalidInput(
            "phase",
            "Der letzte Schritt ist der Abschluss (mit Zusammenfassung).",
            "The last step is closing the cycle (with a summary).",
        )
    _require_gates(engine._gate_reasons(definition, transition, cycle))
    return {"to_phase": transition.target}


def _closing_phase(change: Change) -> Fields:
    cycle, engine = change.cycle, change.engine
    definition = engine._definition(cycle)
    transition = _forward(definition, cycle)
    if not definition.phase(transition.target).terminal:  # type: ignore[union-attr]
        raise NotAllowedInPhase("close_cycle", cycle.phase)
    _require_gates(engine._gate_reasons(definition, transition, cycle))
    return {"to_phase": transition.target}


def _summary(engine: Engine, *, summary: str, follow_up: str) -> Fields:
    return CLOSING.check({"summary": summary, "follow_up": follow_up})


def _earlier_phase(engine: Engine, *, to_phase: str, reason: str) -> Fields:
    return REOPENING.check({"to_phase": to_phase, "reason": reason})


def _reopenable(change: Change) -> None:
    cycle, to_phase = change.cycle, change.fields["to_phase"]
    transition = change.engine._definition(cycle).transition(cycle.phase, to_phase)
    if transition is None or transition.kind != "reopen":
        raise InvalidInput(
            "to_phase",
            f"Von „{cycle.phase}“ geht es nicht zurück nach „{to_phase}“.",
            f"Cannot reopen '{to_phase}' from '{cycle.phase}'.",
        )


def _newer_version(engine: Engine, *, to_version: int, reason: str) -> Fields:
    return MIGRATION.check({"to_version": to_version, "reason": reason})


def _fits_newer_version(change: Change) -> None:
    cycle, engine, to_version = change.cycle, change.engine, change.fields["to_version"]
    target = engine.workflows.get(cycle.workflow_id, to_version)
    if target is None or to_version <= cycle.workflow_version:
        raise InvalidInput(
            "to_version",
            "Es gibt keine solche neuere Version des Ablaufs.",
            "There is no such newer version of the workflow.",
        )
    _require_gates(_migration_reasons(engine, cycle, target))


def _migration_reasons(engine: Engine, cycle: Cycle, target: WorkflowDefinition) -> list[Reason]:
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
        reasons.extend(engine._gate_reasons(target, transition, cycle))
    return reasons


ADVANCE_PHASE = CycleCommand(
    "advance_phase", "moderate", nothing, Cycle.advance, decide=_next_phase, phased=False
)
CLOSE_CYCLE = CycleCommand(
    "close_cycle", "moderate", _summary, Cycle.close, decide=_closing_phase, phased=False
)
REOPEN_PHASE = CycleCommand(
    "reopen_phase", "moderate", _earlier_phase, Cycle.reopen, decide=_reopenable, phased=False
)
MIGRATE_WORKFLOW = CycleCommand(
    "migrate_workflow",
    "moderate",
    _newer_version,
    Cycle.migrate_workflow,
    decide=_fits_newer_version,
    phased=False,
)


def advance_phase(
    engine: Engine, cycle_id: UUID, *, actor_id: str, expected_version: int | None = None
) -> int:
    """Move to the next phase if every gate passes; else refuse with every reason."""
    fold_before_reading(engine, cycle_id)  # the gates count parents' answers waiting
    return ADVANCE_PHASE.run(engine, cycle_id, actor_id=actor_id, expected_version=expected_version)


def close_cycle(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    summary: str,
    follow_up: str = "",
    expected_version: int | None = None,
) -> int:
    """Close the cycle after its review, with a summary and what follows."""
    fold_before_reading(engine, cycle_id)  # the gates count parents' answers waiting
    return CLOSE_CYCLE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        summary=summary,
        follow_up=follow_up,
    )


def reopen_phase(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    to_phase: str,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Go back to an earlier phase, as the definition permits, for a stated reason."""
    return REOPEN_PHASE.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        to_phase=to_phase,
        reason=reason,
    )


def migrate_workflow(
    engine: Engine,
    cycle_id: UUID,
    *,
    actor_id: str,
    to_version: int,
    reason: str,
    expected_version: int | None = None,
) -> int:
    """Move a running cycle to a newer definition, if the cycle fits it."""
    return MIGRATE_WORKFLOW.run(
        engine,
        cycle_id,
        actor_id=actor_id,
        expected_version=expected_version,
        to_version=to_version,
        reason=reason,
    )
