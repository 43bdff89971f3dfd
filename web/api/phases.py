"""Phase changes: advance through the gates, close, reopen, migrate the workflow definition."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from web.api.common import VERSIONED, api_blueprint, writes
from web.api.cycles import run_command
from web.api.schemas import CloseSchema, CommandResultSchema, MigrationSchema, ReopenSchema
from web.services import engine

blueprint = api_blueprint(
    "phases", __name__, "Moving a cycle between phases; a refused gate lists every reason."
)


@blueprint.post("/cycles/<uuid:cycle_id>/advance")
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def advance_phase(cycle_id: UUID) -> Any:
    """Move on to the next phase if every gate passes (else 409 with ``reasons``)."""
    return run_command(cycle_id, engine().advance_phase)


@blueprint.post("/cycles/<uuid:cycle_id>/close")
@blueprint.arguments(CloseSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def close_cycle(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Close the cycle after its review, with a summary and what follows."""
    return run_command(cycle_id, engine().close_cycle, **data)


@blueprint.post("/cycles/<uuid:cycle_id>/reopen")
@blueprint.arguments(ReopenSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def reopen_phase(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Go back to an earlier phase, as the workflow permits, for a stated reason."""
    return run_command(cycle_id, engine().reopen_phase, **data)


@blueprint.post("/cycles/<uuid:cycle_id>/migration")
@blueprint.arguments(MigrationSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def migrate_workflow(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Move the running cycle to a newer version of its workflow, if it fits it."""
    return run_command(cycle_id, engine().migrate_workflow, **data)
