"""The Qualizyklus application: commands in, events out; queries return plain data.

Every command checks its input, then that the caller's role allows it (a non-member learns
nothing, not even that the cycle exists), that the caller saw the current version (if they
say which) and that the cycle's phase allows it; only then are events triggered and saved,
all of them or none.
"""

from __future__ import annotations

from engine.application.cycle_commands import CycleCommands
from engine.application.cycle_queries import CycleQueries
from engine.application.organisation_commands import OrganisationCommands
from engine.application.phase_commands import PhaseCommands
from engine.application.plan_commands import PlanCommands
from engine.application.store import DEFAULT_WORKFLOW, SYSTEM_ACTOR, DateAsISO

__all__ = ["DEFAULT_WORKFLOW", "SYSTEM_ACTOR", "DateAsISO", "Qualizyklus"]


class Qualizyklus(OrganisationCommands, CycleCommands, PlanCommands, PhaseCommands, CycleQueries):
    """The engine: organisations and their cycles, persisted as sealed events."""
