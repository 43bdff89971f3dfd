"""What every cycle page needs: the signed-in person, the cycle within its organisation, and a
way to run an engine command that turns refusals into messages next to the right field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field

from engine.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    GateRefused,
    InvalidInput,
    NotFound,
)
from web.auth import Membership, membership
from web.forms import add_error
from web.i18n import language
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
    """The cycle, if it belongs to this organisation and the caller is a member; else 404."""
    member = membership(slug, permission)
    try:
        identifier = UUID(cycle_id)
        # The membership was just checked; the cycle must belong to that organisation.
        cycle = engine().cycle(identifier)
    except (ValueError, NotFound):
        abort(404)
    if cycle["organisation_id"] != member.organisation["id"]:
        abort(404)
    return CyclePage(member, cycle)


def refusal_text(error: DomainError) -> str:
    """An engine refusal in the reader's language."""
    return error.en if language() == "en" else error.de


def run(command: Callable[[], Any], form: FlaskForm | None = None) -> bool:
    """Run a command; on refusal put the message next to its field (or on the page), False.

    Nothing is written when a command is refused, so the page can simply be shown again.
    """
    try:
        command()
    except InvalidInput as error:
        field: Field | None = getattr(form, error.field.split(".", 1)[0], None) if form else None
        detail = error.field_en if language() == "en" else error.field_de
        if field is not None:
            add_error(field, detail)
        else:
            flash(f"{error.field}: {detail}", "error")
        return False
    except GateRefused as error:
        flash(_("Der Schritt ist noch nicht möglich:"), "error")
        for reason in error.reasons:
            flash(reason.en if language() == "en" else reason.de, "error")
        return False
    except Conflict:
        message = _(
            "Jemand anderes hat inzwischen etwas geändert. Bitte prüfen Sie die aktuelle "
            "Fassung und versuchen Sie es erneut."
        )
        flash(message, "error")
        return False
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except DomainError as error:
        flash(refusal_text(error), "error")
        return False
    return True
