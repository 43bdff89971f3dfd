"""Analysis commands: the cycle's themes, ratings, findings (strengths, needs), priorities."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from engine.domain.validation import new_item_id
from web.api.common import VERSIONED, api_blueprint, writes
from web.api.cycles import run_command
from web.api.schemas import (
    AddThemeSchema,
    AssessmentSchema,
    CommandResultSchema,
    FindingInputSchema,
    PrioritiesSchema,
    ReasonBodySchema,
    ReasonQuerySchema,
)
from web.services import engine

blueprint = api_blueprint(
    "analysis", __name__, "Analysis: themes of a cycle, ratings, findings and priorities."
)


@blueprint.post("/cycles/<uuid:cycle_id>/themes")
@blueprint.arguments(AddThemeSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def add_theme(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Add an installed theme the organisation has chosen."""
    return run_command(cycle_id, engine().add_theme, item_id=data["theme_id"], **data)


@blueprint.delete("/cycles/<uuid:cycle_id>/themes/<string:theme_id>")
@blueprint.arguments(ReasonQuerySchema, location="query")
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def remove_theme(query: dict[str, Any], cycle_id: UUID, theme_id: str) -> Any:
    """Remove a theme from the cycle (its data stays in the history; a reason is required)."""
    return run_command(
        cycle_id, engine().remove_theme, item_id=theme_id, theme_id=theme_id, **query
    )


@blueprint.post("/cycles/<uuid:cycle_id>/assessments")
@blueprint.arguments(AssessmentSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def record_assessment(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Rate a criterion; a newer rating by the same rater supersedes the older one.

    If-Match is rater-scoped here: while people rate at the same time (a meeting), a rating
    based on an older version is still accepted when nothing it depends on changed since:
    the same rater's rating of this criterion, the phase, the themes (only other ratings and
    the meeting's findings, priorities, comments, attachments, sessions and surveys came in
    between). Otherwise 412 with the current ETag, and nothing is written."""
    key = f"{data['theme_id']}/{data['criterion_id']}"
    return run_command(cycle_id, engine().record_assessment, item_id=key, **data)


@blueprint.post("/cycles/<uuid:cycle_id>/findings")
@blueprint.arguments(FindingInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def record_finding(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Record a strength or a need (Stärke, Entwicklungsbedarf)."""
    data["finding_id"] = data.get("finding_id") or new_item_id()
    return run_command(
        cycle_id, engine().record_finding, item_id=data["finding_id"], http_status=201, **data
    )


@blueprint.post("/cycles/<uuid:cycle_id>/findings/<string:finding_id>/withdrawal")
@blueprint.arguments(ReasonBodySchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def withdraw_finding(data: dict[str, Any], cycle_id: UUID, finding_id: str) -> Any:
    """Withdraw a finding (it stays in the history; a reason is required)."""
    return run_command(
        cycle_id, engine().withdraw_finding, item_id=finding_id, finding_id=finding_id, **data
    )


@blueprint.put("/cycles/<uuid:cycle_id>/priorities")
@blueprint.arguments(PrioritiesSchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def set_priorities(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Choose the needs to work on, most important first."""
    return run_command(cycle_id, engine().set_priorities, **data)
