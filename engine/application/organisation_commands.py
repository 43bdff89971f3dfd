"""Organisation commands and queries: registration, members and roles, lookups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    IntegrityError,
    RecordConflictError,
)

from engine.application.store import MAX_NAME, SYSTEM_ACTOR, Store, check_version
from engine.domain import validation as check
from engine.domain.errors import (
    InvalidInput,
    NotFound,
)
from engine.domain.organisation import LAENDER, SLUG_PATTERN, Organisation, organisation_id_for
from engine.readmodels import current as current_read_models
from engine.readmodels.queries import memberships as read_memberships
from engine.readmodels.queries import organisations as read_organisations


class OrganisationCommands(Store):
    """Register organisations, grant and revoke roles, read organisations."""

    def register_organisation(
        self, *, name: str, slug: str, land: str, coordinator_id: str, actor_id: str = SYSTEM_ACTOR
    ) -> UUID:
        """Register an organisation with its first coordinator (an installation command)."""
        name = check.text("name", name, max_length=MAX_NAME)
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise InvalidInput("slug", "nur a-z, 0-9 und -", "only a-z, 0-9 and -")
        land = check.one_of("land", land, LAENDER)
        coordinator_id = check.text("coordinator_id", coordinator_id, max_length=100)
        organisation = Organisation.register(actor_id=actor_id, name=name, slug=slug, land=land)
        organisation.grant_role(actor_id=actor_id, member_id=coordinator_id, role="coordinator")
        try:
            self.save(organisation)
        except (IntegrityError, RecordConflictError):
            raise InvalidInput(
                "slug", "Diese Kennung ist schon vergeben.", "This slug is taken."
            ) from None
        return organisation.id

    def grant_role(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        member_id: str,
        role: str,
        reason: str = "",
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Give a person a role in the organisation (coordinators, or administrators)."""
        member_id = check.text("member_id", member_id, max_length=100)
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            as_administrator,
            lambda o: o.grant_role(
                actor_id=actor_id, member_id=member_id, role=role, reason=reason
            ),
        )

    def revoke_role(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        member_id: str,
        reason: str = "",
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Remove a person from the organisation."""
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            as_administrator,
            lambda o: o.revoke_role(actor_id=actor_id, member_id=member_id, reason=reason),
        )

    def choose_themes(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        theme_ids: list[str],
        reason: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Choose which installed themes the organisation's cycles may use."""
        if not isinstance(theme_ids, list):
            raise InvalidInput("theme_ids", "muss eine Liste sein", "must be a list")
        for theme_id in theme_ids:
            self._theme(theme_id, "theme_ids")
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            False,
            lambda o: o.choose_themes(actor_id=actor_id, theme_ids=theme_ids, reason=reason),
            permission="configure",
        )

    def set_state_sharing(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        shares: bool,
        reason: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Let the Land's state coordination office see the organisation by name, or stop it."""
        if not isinstance(shares, bool):
            raise InvalidInput("shares", "muss ja oder nein sein", "must be true or false")
        reason = check.optional_text("reason", reason, max_length=2_000)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            False,
            lambda o: o.share_with_state(actor_id=actor_id, shares=shares, reason=reason),
            permission="configure",
        )

    def rename_organisation(
        self,
        organisation_id: UUID,
        *,
        actor_id: str,
        name: str,
        expected_version: int | None = None,
        as_administrator: bool = False,
    ) -> int:
        """Change an organisation's display name."""
        name = check.text("name", name, max_length=MAX_NAME)
        return self._change_organisation(
            organisation_id,
            actor_id,
            expected_version,
            as_administrator,
            lambda o: o.rename(actor_id=actor_id, name=name),
        )

    def _change_organisation(
        self,
        organisation_id: UUID,
        actor_id: str,
        expected_version: int | None,
        as_administrator: bool,
        change: Callable[[Organisation], None],
        permission: str = "manage-members",
    ) -> int:
        organisation = self._load(Organisation, organisation_id, for_change=True)
        if not as_administrator:
            organisation.require(actor_id, permission)
        check_version(organisation, expected_version)
        change(organisation)
        self._save(organisation)
        return organisation.version

    def organisation_by_slug(self, slug: str) -> dict[str, Any]:
        """An organisation's state, found by its slug."""
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise NotFound()
        return self._load(Organisation, organisation_id_for(slug), for_change=False).as_dict()

    def organisation(self, organisation_id: UUID, *, actor_id: str | None = None) -> dict[str, Any]:
        """An organisation's state; with ``actor_id``, only for its members."""
        organisation = self._load(Organisation, organisation_id, for_change=False)
        if actor_id is not None:
            organisation.require(actor_id, "read")
        return organisation.as_dict()

    def organisation_ids(self) -> list[UUID]:
        """Every registered organisation, in order of registration."""
        return [
            n.originator_id
            for n in self._notifications(topics=[Organisation.OrganisationRegistered.TOPIC])
        ]

    def memberships(self, member_id: str) -> list[dict[str, Any]]:
        """The organisations a person belongs to, with their role (from the read models)."""
        fresh = current_read_models(self)
        if not fresh.lag:
            return read_memberships(fresh.view, member_id)
        found = []  # far behind (a rebuild is running): ask the organisations themselves
        for organisation_id in self.organisation_ids():
            organisation = self._load(Organisation, organisation_id, for_change=False)
            role = organisation.role_of(member_id)
            if role is not None:
                found.append(
                    {
                        "organisation_id": str(organisation.id),
                        "slug": organisation.slug,
                        "name": organisation.name,
                        "role": role,
                    }
                )
        return sorted(found, key=lambda m: (m["name"], m["slug"]))

    def organisation_summaries(self) -> list[dict[str, Any]]:
        """Every organisation with its Land, members and cycles, by name (for administrators)."""
        fresh = current_read_models(self)
        if not fresh.lag:
            return read_organisations(fresh.view)
        found = [
            self._load(Organisation, organisation_id, for_change=False).as_dict()
            for organisation_id in self.organisation_ids()
        ]
        return sorted(found, key=lambda o: (o["name"], o["slug"]))
