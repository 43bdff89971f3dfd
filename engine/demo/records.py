"""The themes' own records in the demo (a logic model, for instance), as each theme offers them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from engine.application.service import Qualizyklus
from engine.domain.catalogue import Theme

DEMO_REASON = "Beispiel aus der Demo"


def give_records(
    app: Qualizyklus, cycle_id: UUID, *, actor_id: str, theme: Theme, goal_ids: Sequence[str]
) -> None:
    """Save the records the theme offers for a demo cycle (nothing if it offers none)."""
    if theme.demo_records is None:
        return
    saves = list(theme.demo_records(list(goal_ids)))
    if saves:
        app.change_records(
            cycle_id, actor_id=actor_id, theme_id=theme.id, saves=saves, reason=DEMO_REASON
        )
