"""Who is asking and which cycle they may see: what the pages and the reports both start from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import abort
from flask_login import current_user

from engine.domain.errors import NotFound
from web.auth import Membership, member_of, membership
from web.services import engine


def person() -> str:
    """The signed-in person's id (the actor of every command)."""
    return str(current_user.get_id())


@dataclass(frozen=True)
class CyclePage:
    """A cycle as one member sees it."""

    member: Membership
    cycle: dict[str, Any]

    @property
    def id(self) -> UUID:
        """The cycle's id."""
        return UUID(self.cycle["id"])

    @property
    def slug(self) -> str:
        """The organisation's slug (for URLs)."""
        return str(self.member.organisation["slug"])


def cycle_page(slug: str, cycle_id: str, permission: str = "read") -> CyclePage:
    """The cycle, if it belongs to this organisation and the caller is a member; else 404.

    The organisation and the cycle are read together (one look at the store); when either is
    missing, the membership is checked on its own first, so a member without the right still
    gets 403 rather than learning whether the cycle exists.
    """
    try:
        organisation, cycle = engine().organisation_and_cycle(slug, UUID(cycle_id))
    except (ValueError, NotFound):
        membership(slug, permission)
        abort(404)
    return CyclePage(member_of(organisation, permission), cycle)
