"""The Organisation aggregate: a Kommune or Landkreis, its members, roles and cycles.

Members are referred to by id only. Names and e-mail addresses live in the profile store
(engine/infrastructure/profiles.py), which can erase a person without touching this history.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from uuid import NAMESPACE_URL, UUID, uuid5

from engine.domain import erasure_events
from engine.domain.errors import Forbidden, InvalidInput, NotFound
from engine.domain.sealing import SealedAggregate, SealedCreated

ROLES = ("coordinator", "contributor", "viewer")
TOKEN_MEMBER_PREFIX = "token:"
"""API tokens act as members whose ids start with this (engine/application/tokens.py)."""
LAENDER = (
    "BW",
    "BY",
    "BE",
    "BB",
    "HB",
    "HH",
    "HE",
    "MV",
    "NI",
    "NW",
    "RP",
    "SL",
    "SN",
    "ST",
    "SH",
    "TH",
)
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
ORGANISATION_NAMESPACE = uuid5(NAMESPACE_URL, "https://qualizyklus.de/organisation/")

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "coordinator": frozenset(
        {
            "read",
            "rate",
            "comment",
            "report-progress",
            "plan",
            "moderate",
            "manage-members",
            "configure",
        }
    ),
    "contributor": frozenset({"read", "rate", "comment", "report-progress"}),
    "viewer": frozenset({"read"}),
}
"""What each role may do; the service maps every command to one of these permissions."""


def organisation_id_for(slug: str) -> UUID:
    """The organisation's id, derived from its slug so that a slug can be taken only once."""
    return uuid5(ORGANISATION_NAMESPACE, slug)


class Organisation(SealedAggregate, erasure_events.ErasesTexts):
    """A municipality or district with its early-help network (the tenant)."""

    TOPIC = "qualizyklus:Organisation"

    @staticmethod
    def create_id(slug: str, **_: Any) -> UUID:
        """Ids derive from slugs: registering a slug twice conflicts in the store."""
        return organisation_id_for(slug)

    class OrganisationRegistered(SealedCreated):
        """An organisation was registered."""

        TOPIC = "qualizyklus:Organisation.OrganisationRegistered"
        name: str
        slug: str
        land: str

        def apply(self, organisation: Organisation) -> None:
            """Initialise the organisation's state."""
            organisation.name = self.name
            organisation.slug = self.slug
            organisation.land = self.land
            organisation.members = {}
            organisation.cycles = []
            organisation.themes = None

    class OrganisationRenamed(SealedAggregate.Event):
        """The organisation's display name changed."""

        TOPIC = "qualizyklus:Organisation.OrganisationRenamed"
        name: str

        def apply(self, organisation: Organisation) -> None:
            """Change the name."""
            organisation.name = self.name

    class RoleGranted(SealedAggregate.Event):
        """A person was given a role in the organisation (replacing any earlier role)."""

        TOPIC = "qualizyklus:Organisation.RoleGranted"
        member_id: str
        role: str

        def apply(self, organisation: Organisation) -> None:
            """Set the member's role."""
            organisation.members[self.member_id] = self.role

    class RoleRevoked(SealedAggregate.Event):
        """A person's role, and with it their membership, was revoked."""

        TOPIC = "qualizyklus:Organisation.RoleRevoked"
        member_id: str
        role: str

        def apply(self, organisation: Organisation) -> None:
            """Remove the member."""
            del organisation.members[self.member_id]

    class ThemesChosen(SealedAggregate.Event):
        """The organisation chose which installed themes its cycles may use."""

        TOPIC = "qualizyklus:Organisation.ThemesChosen"
        theme_ids: list[str]

        def apply(self, organisation: Organisation) -> None:
            """Replace the choice."""
            organisation.themes = list(self.theme_ids)

    class CycleRegistered(SealedAggregate.Event):
        """A cycle of this organisation was started (keeps the list of its cycles)."""

        TOPIC = "qualizyklus:Organisation.CycleRegistered"
        cycle_id: UUID

        def apply(self, organisation: Organisation) -> None:
            """Remember the cycle."""
            organisation.cycles.append(self.cycle_id)

    class StateSharingChanged(SealedAggregate.Event):
        """The organisation chose whether the state coordination office may see its name."""

        TOPIC = "qualizyklus:Organisation.StateSharingChanged"
        shares: bool

        def apply(self, organisation: Organisation) -> None:
            """Record the choice."""
            organisation.shares_with_state = self.shares

    FreeTextErased = erasure_events.OrganisationTextErased

    shares_with_state: bool = False
    """Whether the Land's state coordination office may see this organisation by name."""

    if TYPE_CHECKING:  # state, set by OrganisationRegistered.apply (see Cycle for why)
        name: str
        slug: str
        land: str
        members: dict[str, str]
        cycles: list[UUID]
        themes: list[str] | None

    @classmethod
    def register(cls, *, actor_id: str, name: str, slug: str, land: str) -> Organisation:
        """Register a new organisation."""
        return cls._create(
            cls.OrganisationRegistered, actor_id=actor_id, name=name, slug=slug, land=land
        )

    def rename(self, *, actor_id: str, name: str, reason: str = "") -> None:
        """Change the display name."""
        self.trigger_event(self.OrganisationRenamed, actor_id=actor_id, name=name, reason=reason)

    def grant_role(self, *, actor_id: str, member_id: str, role: str, reason: str = "") -> None:
        """Give a person a role (a member's role is replaced)."""
        if role not in ROLES:
            raise InvalidInput("role", f"Unbekannte Rolle {role!r}.", f"Unknown role {role!r}.")
        if self.members.get(member_id) == role:
            raise InvalidInput("role", "Die Person hat diese Rolle schon.", "Role already held.")
        if self.members.get(member_id) == "coordinator":
            self._require_another_coordinator()
        self.trigger_event(
            self.RoleGranted, actor_id=actor_id, member_id=member_id, role=role, reason=reason
        )

    def revoke_role(self, *, actor_id: str, member_id: str, reason: str = "") -> None:
        """Remove a member."""
        role = self.role_of(member_id)
        if role is None:
            raise NotFound("Die Person ist kein Mitglied.", "Not a member.")
        if role == "coordinator":
            self._require_another_coordinator()
        self.trigger_event(
            self.RoleRevoked, actor_id=actor_id, member_id=member_id, role=role, reason=reason
        )

    def _require_another_coordinator(self) -> None:
        if self.coordinator_count() == 1:
            raise InvalidInput(
                "member_id",
                "Die letzte Netzwerkkoordination kann nicht entfernt werden.",
                "The last coordinator cannot be removed.",
            )

    def choose_themes(self, *, actor_id: str, theme_ids: list[str], reason: str = "") -> None:
        """Choose the themes the organisation's cycles may use."""
        if not theme_ids or len(set(theme_ids)) != len(theme_ids):
            raise InvalidInput(
                "theme_ids",
                "Mindestens ein Thema, keins doppelt.",
                "At least one theme, none twice.",
            )
        self.trigger_event(
            self.ThemesChosen, actor_id=actor_id, theme_ids=list(theme_ids), reason=reason
        )

    def share_with_state(self, *, actor_id: str, shares: bool, reason: str = "") -> None:
        """Let the state coordination office see the organisation by name (or stop it)."""
        if self.shares_with_state == shares:
            raise InvalidInput(
                "shares",
                "Diese Einstellung gilt schon.",
                "This setting is already in effect.",
            )
        self.trigger_event(
            self.StateSharingChanged, actor_id=actor_id, shares=shares, reason=reason
        )

    def uses_theme(self, theme_id: str) -> bool:
        """Whether cycles of this organisation may use the theme (all, until it chooses)."""
        return self.themes is None or theme_id in self.themes

    def register_cycle(self, *, actor_id: str, cycle_id: UUID) -> None:
        """Record that a cycle of this organisation started."""
        self.trigger_event(self.CycleRegistered, actor_id=actor_id, cycle_id=cycle_id)

    def role_of(self, member_id: str) -> str | None:
        """The member's role, or None for a non-member."""
        return self.members.get(member_id)

    def coordinator_count(self) -> int:
        """How many people coordinate the organisation (API tokens do not count)."""
        return sum(
            1
            for member, role in self.members.items()
            if role == "coordinator" and not member.startswith(TOKEN_MEMBER_PREFIX)
        )

    def require(self, member_id: str, permission: str) -> None:
        """Refuse unless the member's role carries ``permission``."""
        role = self.role_of(member_id)
        if role is None:
            raise NotFound()
        if permission not in ROLE_PERMISSIONS[role]:
            raise Forbidden(
                "Ihre Rolle erlaubt diese Aktion nicht.", "Your role does not allow this."
            )

    def as_dict(self) -> dict[str, Any]:
        """The organisation's state as plain data."""
        return {
            "id": str(self.id),
            "version": self.version,
            "name": self.name,
            "slug": self.slug,
            "land": self.land,
            "members": dict(self.members),
            "cycles": [str(cycle_id) for cycle_id in self.cycles],
            "themes": None if self.themes is None else list(self.themes),
            "shares_with_state": self.shares_with_state,
        }
