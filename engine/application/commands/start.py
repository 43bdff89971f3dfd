"""Starting a cycle: on an organisation, with its themes and workflow, perhaps as a follow-up.

Unlike the commands on a cycle, it changes the organisation (which registers the cycle) and
creates the cycle in one save, so it takes a path of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from engine.application.commands.records import carry_forward
from engine.application.store import DEFAULT_WORKFLOW, Engine, check_version
from engine.domain import validation as check
from engine.domain.cycle import Cycle
from engine.domain.errors import InvalidInput, Problems
from engine.domain.organisation import Organisation
from engine.domain.shapes import START_CYCLE
from engine.domain.theme_records import CARRIED_FORWARD
from engine.domain.workflow import WorkflowDefinition


def start_cycle(
    engine: Engine,
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
    """Start a cycle; a follow-up takes over the measures its predecessor carried over and
    the theme records (a logic model) of the themes it has."""
    organisation = engine._load(Organisation, organisation_id, for_change=True)
    organisation.require(actor_id, "moderate")
    check_version(organisation, expected_version)
    problems = Problems()  # every field's problem told at once, in the form's order
    checked: dict[str, Any] = {}
    with problems.check():
        checked["title"] = START_CYCLE["title"].check(title)
    with problems.check():
        checked["themes"] = _check_themes(engine, themes, organisation)
    for name, given in (("period_start", period_start), ("period_end", period_end)):
        with problems.check():
            checked[name] = START_CYCLE[name].check(given)
    with problems.check():
        check.date_order("period_end", checked.get("period_start"), checked.get("period_end"))
    with problems.check():
        definition = _definition_for_start(engine, workflow_id, workflow_version)
    problems.raise_any()
    fields: dict[str, Any] = {
        "organisation_id": organisation.id,
        **checked,
        "workflow_id": definition.id,
        "workflow_version": definition.version,
        "first_phase": definition.first_phase,
    }
    fields["theme_versions"] = {t: engine.themes[t].version for t in fields["themes"]}
    previous = _previous_cycle(engine, organisation, follows)
    fields["follows"] = previous.id if previous else None
    cycle = Cycle.start(actor_id=actor_id, **fields)
    if previous is not None:
        _carry_over_measures(previous, cycle, organisation, actor_id)
        carry_forward(previous, cycle, actor_id, CARRIED_FORWARD)
    organisation.register_cycle(actor_id=actor_id, cycle_id=cycle.id)
    engine._save(organisation, cycle)
    return cycle.id


def _definition_for_start(
    engine: Engine, workflow_id: str, version: int | None
) -> WorkflowDefinition:
    definition = (
        engine.workflows.latest(workflow_id)
        if version is None
        else engine.workflows.get(workflow_id, version)
    )
    if definition is None:
        raise InvalidInput(
            "workflow_id", "Unbekannter Ablauf oder Version.", "Unknown workflow or version."
        )
    return definition


def _check_themes(engine: Engine, themes: object, organisation: Organisation) -> list[str]:
    if not isinstance(themes, list) or not themes:
        raise InvalidInput("themes", "Mindestens ein Thema wählen.", "Choose at least one theme.")
    if len(set(themes)) != len(themes):
        raise InvalidInput("themes", "Ein Thema ist doppelt gewählt.", "A theme is chosen twice.")
    for theme_id in themes:
        engine._theme(theme_id, "themes")
        require_chosen(organisation, theme_id, "themes")
    return list(themes)


def _previous_cycle(
    engine: Engine, organisation: Organisation, follows: UUID | str | None
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
    previous = engine._load(Cycle, previous_id, for_change=False)
    if not engine._definition(previous).phase(previous.phase).terminal:  # type: ignore[union-attr]
        raise InvalidInput(
            "follows",
            "Ein Folgezyklus setzt einen abgeschlossenen Zyklus fort.",
            "A follow-up cycle continues a closed cycle.",
        )
    for cycle_id in organisation.cycles:
        if engine._load(Cycle, cycle_id, for_change=False).follows == previous_id:
            raise InvalidInput(
                "follows",
                "Dieser Zyklus hat schon einen Folgezyklus.",
                "This cycle already has a follow-up.",
            )
    return previous


def require_chosen(organisation: Organisation, theme_id: str, field: str) -> None:
    """Refuse a theme the organisation has not chosen."""
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
