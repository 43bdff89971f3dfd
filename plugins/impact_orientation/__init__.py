"""Theme plugin "Wirkungsorientierung" (impact orientation, QD 10).

Goals with indicators, baseline and target; regular data collection, analysis in context and
learning loops; goals placed on the impact staircase (Wirkungstreppe) and the IOOI chain.
Registered through the ``qualizyklus`` entry-point group.
"""

from __future__ import annotations

from engine import Theme, hookimpl
from plugins.impact_orientation.catalogue import THEME


@hookimpl
def register_themes() -> list[Theme]:
    """The impact orientation theme."""
    return [THEME]
