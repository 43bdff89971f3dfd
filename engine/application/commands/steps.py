"""The shared path of every command, and the declarations that say what differs.

A command on a cycle declares who may (a permission of the actor's role), in which phases
(the workflow definition allows its ``name``), which aggregate method records its event, its input
checks and the checks that need the loaded cycle. ``CycleCommand.run`` is the one path they
all take: check the input, load (from the cache), authorise (a non-member learns nothing), check
the version the caller saw, the phase, let the plugins vet the item (fail closed), check
against the loaded state, trigger the event (sealed by the aggregate), save all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from engine.application.store import Engine, check_version
from engine.domain.cycle import Cycle
from engine.domain.errors import NotAllowedInPhase
from engine.domain.organisation import Organisation

Fields = dict[str, Any]
"""A command's checked input: the keyword arguments of its aggregate method."""


@dataclass(frozen=True)
class Change:
    """What the checks against the loaded state see: the cycle, its organisation, the input."""

    engine: Engine
    cycle: Cycle
    organisation: Organisation
    actor_id: str
    fields: Fields


@dataclass(frozen=True)
class CycleCommand:
    """A command on a cycle, declared by what sets it apart from the others."""

    name: str
    """The command as workflow definitions name it (the phases that allow it)."""
    permission: str
    """What the actor's role must allow (engine/domain/organisation.py)."""
    validate: Callable[..., Fields]
    """The input checks: ``validate(engine, **input)`` gives the event's fields or raises."""
    trigger: Callable[..., None] | None
    """The aggregate method that records the event, e.g. ``Cycle.add_theme`` (None: ``decide``
    triggers the events itself)."""
    item: str | None = None
    """The kind of item the plugins vet (goal, measure, assessment, feedback), if any."""
    decide: Callable[[Change], Fields | None] | None = None
    """Checks against the loaded state; may add fields (e.g. the phase to move to)."""
    phased: bool = True
    """Whether the definition must allow ``name`` in the cycle's phase (False: ``decide``
    checks the phase its own way, as transitions do)."""
    stale: Callable[[Engine, Cycle, int, Fields], None] | None = None
    """How a caller's ``expected_version`` is found stale, raising Conflict (None: any
    version but the stored one; the ratings: only what the form was about changed)."""

    def run(
        self,
        engine: Engine,
        cycle_id: UUID,
        *,
        actor_id: str,
        expected_version: int | None,
        **given: Any,
    ) -> int:
        """Take the shared path with the given input; the cycle's new version."""
        fields = self.validate(engine, **given)
        cycle = engine._load(Cycle, cycle_id, for_change=True)
        organisation = engine._organisation_of(cycle)
        organisation.require(actor_id, self.permission)
        if self.stale is None or expected_version is None:
            check_version(cycle, expected_version)
        else:
            self.stale(engine, cycle, expected_version, fields)
        if self.phased and not engine._definition(cycle).allows(cycle.phase, self.name):
            raise NotAllowedInPhase(self.name, cycle.phase)
        if self.item is not None:
            engine._validate_item(self.item, item_of(fields), cycle.phase)
        if self.decide is not None:
            added = self.decide(Change(engine, cycle, organisation, actor_id, fields))
            fields = {**fields, **(added or {})}
        if self.trigger is not None:
            self.trigger(cycle, actor_id=actor_id, **fields)
        engine._save(cycle)
        return cycle.version


@dataclass(frozen=True)
class OrganisationCommand:
    """A command on an organisation: who may, its input checks, its aggregate method."""

    trigger: Callable[..., None]
    """The organisation's method that records the event, e.g. ``Organisation.rename``."""
    validate: Callable[..., Fields]
    """The input checks: ``validate(engine, **input)`` gives the event's fields or raises."""
    permission: str = "manage-members"
    """What the actor's role must allow (administrators may act without a role)."""

    def run(
        self,
        engine: Engine,
        organisation_id: UUID,
        *,
        actor_id: str,
        expected_version: int | None,
        as_administrator: bool = False,
        **given: Any,
    ) -> int:
        """Check the input, load, authorise, check the version, change, save; the new version."""
        fields = self.validate(engine, **given)
        organisation = engine._load(Organisation, organisation_id, for_change=True)
        if not as_administrator:
            organisation.require(actor_id, self.permission)
        check_version(organisation, expected_version)
        self.trigger(organisation, actor_id=actor_id, **fields)
        engine._save(organisation)
        return organisation.version


def item_of(fields: Mapping[str, Any]) -> Fields:
    """The item the plugins vet: the fields without the command's reason."""
    return {key: value for key, value in fields.items() if key != "reason"}


def nothing(engine: Engine) -> Fields:
    """The input checks of a command without input."""
    return {}
