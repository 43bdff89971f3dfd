"""Whether a page offers a form: the phase must allow the command and the role must permit it.

Where a form is not offered, the page says why instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from web.i18n import PHASES, ROLES
from web.services import engine
from web.ui.common import CyclePage


@dataclass(frozen=True)
class Offer:
    """Whether a form is offered, and if not, why (shown instead of the form)."""

    allowed: bool
    why: str = ""


def offer(page: CyclePage, command: str, permission: str) -> Offer:
    """A form for ``command`` only when the phase allows it and the role carries ``permission``."""
    phase = page.cycle["phase"]
    if not engine().definition_of(page.id).allows(phase, command):
        return Offer(
            False,
            _(
                "In der Phase „%(phase)s“ ist das nicht vorgesehen.",
                phase=PHASES.get(phase, phase),
            ),
        )
    if not page.member.can(permission):
        role = page.member.role
        return Offer(
            False, _("Ihre Rolle („%(role)s“) erlaubt das nicht.", role=ROLES.get(role, role))
        )
    return Offer(True)
