"""The audit trail in words, shared by the audit pages and the report: who did something, and
what the seal checks found.

The engine reads (:mod:`engine.application.trail`); this module only words its plain data in
the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from flask_babel import gettext as _

from engine.application import trail
from engine.application.store import SYSTEM_ACTOR
from engine.infrastructure.profiles import pseudonym
from web.access import CyclePage
from web.services import engine

SEAL_SHOWN = 12
"""How many characters of a seal the pages show."""

DIGEST_GROUP = 4
"""A shortened seal or checksum is shown in groups of this many characters ('3fa9 c2d8 1b0e')."""


def short_digest(value: str) -> str:
    """The start of a seal or checksum, grouped to be read aloud and compared by eye."""
    start = value[:SEAL_SHOWN]
    return " ".join(start[i : i + DIGEST_GROUP] for i in range(0, len(start), DIGEST_GROUP))


def actor_name(actor_id: str, names: Mapping[str, str]) -> str:
    """Who did it: a display name, a pseudonym for erased people, 'System' for the system."""
    if actor_id == SYSTEM_ACTOR:
        return str(_("System"))
    if not actor_id:
        return "–"
    return names.get(actor_id) or pseudonym(actor_id)


@dataclass(frozen=True)
class ChainView:
    """One aggregate's seal check as the pages show it: what was checked, and the fault in words."""

    what: str
    events: int
    broken_at: int | None
    fault: str
    seal: str

    @property
    def intact(self) -> bool:
        """True when every event's seal matched."""
        return self.broken_at is None

    @property
    def short_seal(self) -> str:
        """The head (or last good) seal, shortened."""
        return short_digest(self.seal)


def fault_text(status: trail.ChainStatus) -> str:
    """Why a chain broke, in the reader's language ('' when intact)."""
    if status.intact:
        return ""
    texts = {
        "event-missing": _("Ein Ereignis fehlt."),
        "event-out-of-order": _("Die Reihenfolge der Ereignisse wurde verändert."),
        "event-unreadable": _("Das Ereignis ist nicht lesbar."),
        "seal-broken": _(
            "Das Siegel passt nicht: Das Ereignis wurde verändert, umsortiert oder eingefügt."
        ),
    }
    return str(texts.get(status.code, status.fault))


def chain_view(what: str, status: trail.ChainStatus) -> ChainView:
    """A seal check, named ``what`` ('Zyklus', 'Organisation'), ready to show."""
    return ChainView(what, status.events, status.broken_at, fault_text(status), status.seal)


def cycle_chains(page: CyclePage, cycle: trail.ChainStatus | None = None) -> list[ChainView]:
    """The seal checks of the cycle (checked here unless given) and of its organisation."""
    app = engine()
    organisation_id = UUID(page.member.organisation["id"])
    return [
        chain_view(_("Zyklus"), cycle or trail.chain_status(app, page.id)),
        chain_view(_("Organisation"), trail.chain_status(app, organisation_id)),
    ]
