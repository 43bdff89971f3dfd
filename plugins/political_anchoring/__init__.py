"""Theme plugin "Politisch-strukturelle Verankerung" (political and structural anchoring, QD 5).

Frühe Hilfen on the agenda of council, district council and committees, reports on
resolutions, joint resource planning, and links to youth-welfare planning and a municipal
prevention chain. Registered through the ``qualizyklus`` entry-point group.
"""

from __future__ import annotations

from engine import Theme, hookimpl
from plugins.political_anchoring.catalogue import THEME


@hookimpl
def register_themes() -> list[Theme]:
    """The political anchoring theme."""
    return [THEME]
