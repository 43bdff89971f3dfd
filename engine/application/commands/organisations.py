"""Organisation commands: registration, members and roles, themes, sharing, the name."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import IntegrityError, RecordConflictError

from engine.application.commands.steps import Fields, OrganisationCommand
from engine.application.store import SYSTEM_ACTOR, Engine
from engine.domain import validation as check
from engine.domain.errors import InvalidInput, Problems
from engine.domain.limits import MAX_KEY, MAX_TITLE
from engine.domain.organisation import LAENDER, SLUG_PATTERN, Organisation
from engine.domain.shapes import OPTIONAL_REASON, REVOCATION, ROLE_GRANT


def register_organisation(
    engine: Engine,
    *,
    name: str,
    slug: str,
    land: str,
    coordinator_id: str,
    actor_id: str = SYSTEM_ACTOR,
) -> UUID:
    """Register an organisation with its first coordinator (an installation command)."""
    problems = Problems()  # every field's problem told at once
    with problems.check():
        name = _organisation_name(name)
    with problems.check():
        if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
            raise InvalidInput("slug", "nur a-z, 0-9 und -", "only a-z, 0-9 and -")
    with problems.check():
        land = check.one_of("land", land, LAENDER)
    with problems.check():
        coordinator_id = check.text("coordinator_id", coordinator_id, max_length=MAX_KEY)
    problems.raise_any()
    organisation = Organisation.register(actor_id=actor_id, name=name, slug=slug, land=land)
    organisation.grant_role(actor_id=actor_id, member_id=coordinator_id, role="coordinator")
    try:
        engine.save(organisation)
    except (IntegrityError, RecordConflictError):
        raise InvalidInput(
            "slug", "Diese Kennung ist schon vergeben.", "This slug is taken."
        ) from None
    return organisation.id


def _grant(engine: Engine, *, member_id: str, role: str, reason: str) -> Fields:
    problems = Problems()
    with problems.check():
        member_id = check.text("member_id", member_id, max_length=MAX_KEY)
    with problems.check():
        reason = ROLE_GRANT["reason"].check(reason)
    problems.raise_any()
    return {"member_id": member_id, "role": role, "reason": reason}


def _revoke(engine: Engine, *, member_id: str, reason: str) -> Fields:
    return {"member_id": member_id, **REVOCATION.check({"reason": reason})}


def _themes(engine: Engine, *, theme_ids: list[str], reason: str) -> Fields:
    if not isinstance(theme_ids, list):
        raise InvalidInput("theme_ids", "muss eine Liste sein", "must be a list")
    for theme_id in theme_ids:
        engine._theme(theme_id, "theme_ids")
    return {"theme_ids": theme_ids, "reason": OPTIONAL_REASON.check(reason)}


def _sharing(engine: Engine, *, shares: bool, reason: str) -> Fields:
    if not isinstance(shares, bool):
        raise InvalidInput("shares", "muss ja oder nein sein", "must be true or false")
    return {"shares": shares, "reason": OPTIONAL_REASON.check(reason)}


def _organisation_name(name: object) -> str:
    """An organisation's name, checked (as long as a title may be)."""
    return check.text("name", name, max_length=MAX_TITLE)


def _name(engine: Engine, *, name: str) -> Fields:
    return {"name": _organisation_name(name)}


GRANT_ROLE = OrganisationCommand(Organisation.grant_role, _grant)
REVOKE_ROLE = OrganisationCommand(Organisation.revoke_role, _revoke)
CHOOSE_THEMES = OrganisationCommand(Organisation.choose_themes, _themes, "configure")
SET_STATE_SHARING = OrganisationCommand(Organisation.share_with_state, _sharing, "configure")
RENAME_ORGANISATION = OrganisationCommand(Organisation.rename, _name)


def grant_role(
    engine: Engine,
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
    return GRANT_ROLE.run(
        engine,
        organisation_id,
        actor_id=actor_id,
        expected_version=expected_version,
        as_administrator=as_administrator,
        member_id=member_id,
        role=role,
        reason=reason,
    )


def revoke_role(
    engine: Engine,
    organisation_id: UUID,
    *,
    actor_id: str,
    member_id: str,
    reason: str = "",
    expected_version: int | None = None,
    as_administrator: bool = False,
) -> int:
    """Remove a person from the organisation."""
    return REVOKE_ROLE.run(
        engine,
        organisation_id,
        actor_id=actor_id,
        expected_version=expected_version,
        as_administrator=as_administrator,
        member_id=member_id,
        reason=reason,
    )


def choose_themes(
    engine: Engine,
    organisation_id: UUID,
    *,
    actor_id: str,
    theme_ids: list[str],
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Choose which installed themes the organisation's cycles may use."""
    return CHOOSE_THEMES.run(
        engine,
        organisation_id,
        actor_id=actor_id,
        expected_version=expected_version,
        theme_ids=theme_ids,
        reason=reason,
    )


def set_state_sharing(
    engine: Engine,
    organisation_id: UUID,
    *,
    actor_id: str,
    shares: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> int:
    """Let the Land's state coordination office see the organisation by name, or stop it."""
    return SET_STATE_SHARING.run(
        engine,
        organisation_id,
        actor_id=actor_id,
        expected_version=expected_version,
        shares=shares,
        reason=reason,
    )


def rename_organisation(
    engine: Engine,
    organisation_id: UUID,
    *,
    actor_id: str,
    name: str,
    expected_version: int | None = None,
    as_administrator: bool = False,
) -> int:
    """Change an organisation's display name."""
    return RENAME_ORGANISATION.run(
        engine,
        organisation_id,
        actor_id=actor_id,
        expected_version=expected_version,
        as_administrator=as_administrator,
        name=name,
    )
