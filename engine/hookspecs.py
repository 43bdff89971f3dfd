"""Every hook a Qualizyklus plugin can implement; these docstrings are the author's reference.

Hooks are called with keyword arguments; implement only the arguments you need. A plugin is
a module or object with functions marked ``@engine.hookimpl``, registered through the
``qualizyklus`` entry-point group.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from engine.catalogue import Theme

hookspec = pluggy.HookspecMarker("qualizyklus")


@hookspec
def register_themes() -> list[Theme]:  # type: ignore[empty-body]
    """Return the theme catalogues this plugin contributes.

    Each :class:`engine.catalogue.Theme` is checked when the plugin is loaded; a theme id
    must be unique across all installed plugins. Called once at start-up.
    """


@hookspec
def register_workflows() -> list[Path]:  # type: ignore[empty-body]
    """Return paths of workflow definition files (TOML, see workflows/) this plugin adds.

    A malformed file stops start-up with a message naming the file and the fault.
    """
