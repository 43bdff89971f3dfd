"""Reading organisations: by slug or id, every organisation, a person's memberships."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from engine.application.store import Engine
from engine.domain.errors import NotFound
from engine.domain.organisation import SLUG_PATTERN, Organisation, organisation_id_for
from engine.readmodels import current as current_read_models
from engine.readmodels.queries import memberships as read_memberships
from engine.readmodels.queries import organisations as read_organisations


def organisation_by_slug(engine: Engine, slug: str) -> dict[str, Any]:
    """An organisation's state, found by its slug."""
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        raise NotFound()
    return engine._load(Organisation, organisation_id_for(slug), for_change=False).as_dict()


def organisation(
    engine: Engine, organisation_id: UUID, *, actor_id: str | None = None
) -> dict[str, Any]:
    """An organisation's state; with ``actor_id``, only for its members."""
    found = engine._load(Organisation, organisation_id, for_change=False)
    if actor_id is not None:
        found.require(actor_id, "read")
    return found.as_dict()


def organisation_ids(engine: Engine) -> list[UUID]:
    """Every registered organisation, in order of registration."""
    return [
        n.originator_id
        for n in engine._notifications(topics=[Organisation.OrganisationRegistered.TOPIC])
    ]


def memberships(engine: Engine, member_id: str) -> list[dict[str, Any]]:
    """The organisations a person belongs to, with their role (from the read models)."""
    fresh = current_read_models(engine)
    if not fresh.lag:
        return read_memberships(fresh.view, member_id)
    found = []  # far behind (a rebuild is running): ask the organisations themselves
    for organisation_id in organisation_ids(engine):
        each = engine._load(Organisation, organisation_id, for_change=False)
        role = each.role_of(member_id)
        if role is not None:
            found.append(
                {
                    "organisation_id": str(each.id),
                    "slug": each.slug,
                    "name": each.name,
                    "role": role,
                }
            )
    return sorted(found, key=lambda m: (m["name"], m["slug"]))


def organisation_summaries(engine: Engine) -> list[dict[str, Any]]:
    """Every organisation with its Land, members and cycles, by name (for administrators)."""
    fresh = current_read_models(engine)
    if not fresh.lag:
        return read_organisations(fresh.view)
    found = [
        engine._load(Organisation, organisation_id, for_change=False).as_dict()
        for organisation_id in organisation_ids(engine)
    ]
    return sorted(found, key=lambda o: (o["name"], o["slug"]))
