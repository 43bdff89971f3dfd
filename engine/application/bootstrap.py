"""Open the engine with everything installed: plugins, their themes and workflows."""

from __future__ import annotations

from typing import Any

from engine.application.service import Qualizyklus
from engine.domain.workflow import WorkflowRegistry, builtin_definitions, load_definition_file
from engine.extensions.manager import PROJECT, build_plugin_manager, collect_themes
from engine.infrastructure.settings import Settings


def open_engine(
    settings: Settings | None = None,
    *,
    create_tables: bool = False,
    plugins: tuple[Any, ...] = (),
    entry_point_group: str | None = PROJECT,
) -> Qualizyklus:
    """The application with the installed plugins (plus ``plugins``) loaded."""
    loaded = build_plugin_manager(entry_point_group=entry_point_group, plugins=plugins)
    workflows = WorkflowRegistry(builtin_definitions())
    for paths in loaded.manager.hook.register_workflows():
        for path in paths:
            workflows.add(load_definition_file(path))
    return Qualizyklus(
        settings,
        create_tables=create_tables,
        themes=collect_themes(loaded),
        workflows=workflows,
        plugins=loaded,
    )
