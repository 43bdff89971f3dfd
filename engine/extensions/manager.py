"""Build the plugin manager: hook specs, entry points, and refusal of broken plugins.

Built-in themes and third-party plugins are loaded the same way, from the ``qualizyklus``
entry-point group. A plugin that cannot be imported or whose hooks do not match the specs
is refused with a message naming it; the others load.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any

import pluggy

from engine.domain.catalogue import CatalogueError, Theme
from engine.extensions import hookspecs

PROJECT = "qualizyklus"
hookimpl = pluggy.HookimplMarker(PROJECT)
log = logging.getLogger(__name__)


@dataclass
class LoadedPlugins:
    """The plugin manager and what happened while loading."""

    manager: pluggy.PluginManager
    refused: dict[str, str] = field(default_factory=dict)
    distributions: dict[str, tuple[str, str]] = field(default_factory=dict)

    def describe(self) -> list[dict[str, Any]]:
        """Each registered plugin: name, distribution, version and the hooks it implements."""
        rows = []
        for name, plugin in self.manager.list_name_plugin():
            distribution, version = self.distributions.get(name, (None, None))
            callers = self.manager.get_hookcallers(plugin) or []
            rows.append(
                {
                    "name": name,
                    "distribution": distribution,
                    "version": version,
                    "hooks": sorted(caller.name for caller in callers),
                }
            )
        return rows


def build_plugin_manager(
    *, entry_point_group: str | None = PROJECT, plugins: tuple[Any, ...] = ()
) -> LoadedPlugins:
    """A plugin manager with every plugin of the entry-point group, plus ``plugins``."""
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    loaded = LoadedPlugins(manager)
    candidates: list[tuple[str, Any]] = []
    if entry_point_group:
        for entry_point in entry_points(group=entry_point_group):
            if entry_point.dist is not None:
                loaded.distributions[entry_point.name] = (
                    entry_point.dist.name,
                    entry_point.dist.version,
                )
            try:
                candidates.append((entry_point.name, entry_point.load()))
            except Exception as error:  # noqa: BLE001 -- a broken plugin must not stop start-up
                loaded.refused[entry_point.name] = f"cannot be imported: {error}"
    candidates.extend((plugin_name(p), p) for p in plugins)
    for name, plugin in candidates:
        _register(loaded, name, plugin)
    for name, reason in loaded.refused.items():
        log.error("plugin %s refused: %s", name, reason)
    return loaded


def plugin_name(plugin: Any) -> str:
    """A plugin's name: its ``name`` attribute, a module's name, or its class's name."""
    return str(
        getattr(plugin, "name", None) or getattr(plugin, "__name__", None) or type(plugin).__name__
    )


def _register(loaded: LoadedPlugins, name: str, plugin: Any) -> None:
    manager = loaded.manager
    try:
        manager.register(plugin, name=name)
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        if manager.is_registered(plugin):
            manager.unregister(plugin)
        loaded.refused[name] = str(error)
    except ValueError as error:
        loaded.refused[name] = str(error)


def collect_themes(loaded: LoadedPlugins) -> dict[str, Theme]:
    """Every installed theme by id.

    A plugin whose ``register_themes`` raises or returns something else than themes is refused
    (and unregistered) while the others load; two plugins registering the same theme id stop
    the start, naming both.
    """
    themes: dict[str, Theme] = {}
    owners: dict[str, str] = {}
    manager = loaded.manager
    for implementation in list(reversed(manager.hook.register_themes.get_hookimpls())):
        name = implementation.plugin_name
        try:
            result = implementation.function()
            if not isinstance(result, list | tuple) or not all(
                isinstance(theme, Theme) for theme in result
            ):
                msg = f"register_themes returned {result!r:.80}, not a list of Theme"
                raise CatalogueError(msg)
        except Exception as error:  # noqa: BLE001 -- a broken plugin is refused, the rest load
            loaded.refused[name] = f"register_themes failed: {error}"
            log.error("plugin %s refused: %s", name, error)
            manager.unregister(name=name)
            continue
        for theme in result:
            if theme.id in themes:
                msg = f"theme id {theme.id!r} is registered by both {owners[theme.id]} and {name}"
                raise CatalogueError(msg)
            themes[theme.id], owners[theme.id] = theme, name
    return themes
