"""The event that records a free text's erasure, for cycles and organisations alike.

The event names the erased text's reference (engine/domain/free_text.py), who erased it
and why: never the text. Applying it marks the aggregate for a fresh replay, because a copy
kept in memory may still hold the text it read before the erasure.
"""

from __future__ import annotations

from typing import Any

from engine.domain import free_text
from engine.domain.errors import InvalidInput
from engine.domain.sealing import SealedAggregate


class CycleTextErased(SealedAggregate.Event):
    """A free text of the cycle was erased (its reference stays sealed, the text is gone)."""

    TOPIC = "qualizyklus:Cycle.FreeTextErased"
    reference: str

    def apply(self, aggregate: Any) -> None:
        """Mark the aggregate for a fresh replay (its copies in memory may hold the text)."""
        vars(aggregate)[free_text.REPLAY_NEEDED] = True


class OrganisationTextErased(SealedAggregate.Event):
    """A free text of the organisation (a reason) was erased."""

    TOPIC = "qualizyklus:Organisation.FreeTextErased"
    reference: str

    def apply(self, aggregate: Any) -> None:
        """Mark the aggregate for a fresh replay (its copies in memory may hold the text)."""
        vars(aggregate)[free_text.REPLAY_NEEDED] = True


class ErasesTexts:
    """The command that records an erasure (mixed into ``Cycle`` and ``Organisation``)."""

    FreeTextErased: Any
    trigger_event: Any

    def record_text_erased(self, *, actor_id: str, reference: str, reason: str) -> None:
        """Record that the free text ``reference`` was erased, by whom and why."""
        if not free_text.is_reference(reference):
            raise InvalidInput(
                "reference", "Das ist keine Text-Referenz.", "That is not a text reference."
            )
        self.trigger_event(
            self.FreeTextErased, actor_id=actor_id, reference=reference, reason=reason
        )
