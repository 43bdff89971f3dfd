"""Theme plugin "Beteiligung und Partizipation von Eltern" (parent participation, QD 11).

Parents involved in analysis, planning and evaluation, low-threshold access, feedback
channels, seats in committees; measures are placed on the participation ladder of Wright,
Block and von Unger. Registered through the ``qualizyklus`` entry-point group.
"""

from __future__ import annotations

from engine import Theme, hookimpl
from plugins.parent_participation.catalogue import THEME


@hookimpl
def register_themes() -> list[Theme]:
    """The parent participation theme."""
    return [THEME]
