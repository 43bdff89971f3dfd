"""pytest fixtures for plugin authors: test a theme against a real engine on a real store.

Installed with Qualizyklus as a pytest plugin (entry-point group ``pytest11``), so a plugin
project's tests can use them without a conftest.py:

``qualizyklus_settings``
    A fresh SQLite store in the test's ``tmp_path`` with the schema created, as
    ``qualizyklus init`` does.
``qualizyklus_engine``
    The engine on that store with every installed plugin (yours too, once it is installed),
    closed after the test.
``qualizyklus_plugin``
    A factory: ``qualizyklus_plugin(my_plugin)`` returns an engine that has ``my_plugin`` (a
    module or an object with ``@hookimpl`` methods) registered in addition, for this test only.
``Qualizyklus``
    The engine's type, for the annotations of a theme's own fixtures and tests.
``qualizyklus_network``
    An organisation with a coordinator, a contributor and a viewer, registered through
    ``qualizyklus_engine``; :func:`network` does the same for any engine, and
    :func:`start_cycle` starts a cycle of such a network.

Only pytest loads this module; the rest of the engine never imports pytest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

import pytest

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.extensions.manager import PROJECT
from engine.infrastructure.settings import Settings

__all__ = [
    "Network",
    "PluginEngineFactory",
    "Qualizyklus",
    "network",
    "qualizyklus_engine",
    "qualizyklus_network",
    "qualizyklus_plugin",
    "qualizyklus_settings",
    "start_cycle",
]


@dataclass(frozen=True)
class Network:
    """A registered organisation (a Landkreis) and the member ids of its people.

    Member ids are pseudonyms, as in a real installation: names and e-mail addresses never
    enter the event history.
    """

    organisation_id: UUID
    slug: str
    coordinator: str
    contributor: str
    viewer: str


def network(
    engine: Qualizyklus,
    *,
    slug: str = "lk-beispiel",
    name: str = "Landkreis Beispiel",
    land: str = "NI",
    coordinator: str = "koordination",
    contributor: str = "fachkraft",
    viewer: str = "ausschuss",
    themes: Sequence[str] | None = None,
) -> Network:
    """Register an organisation with a coordinator, a contributor and a viewer.

    With ``themes``, the organisation chooses those themes (otherwise its cycles may use every
    installed theme).
    """
    organisation_id = engine.register_organisation(
        name=name, slug=slug, land=land, coordinator_id=coordinator
    )
    for member, role in ((contributor, "contributor"), (viewer, "viewer")):
        engine.grant_role(organisation_id, actor_id=coordinator, member_id=member, role=role)
    if themes is not None:
        engine.choose_themes(organisation_id, actor_id=coordinator, theme_ids=list(themes))
    return Network(organisation_id, slug, coordinator, contributor, viewer)


def start_cycle(
    engine: Qualizyklus,
    net: Network,
    themes: Sequence[str],
    *,
    title: str = "Qualitätszyklus 2025",
    period_start: date | str = "2025-01-01",
    period_end: date | str = "2025-12-31",
    **options: Any,
) -> UUID:
    """Start a cycle of ``net`` on ``themes``, as its coordinator; returns the cycle's id."""
    return engine.start_cycle(
        net.organisation_id,
        actor_id=net.coordinator,
        title=title,
        themes=list(themes),
        period_start=period_start,
        period_end=period_end,
        **options,
    )


class PluginEngineFactory(Protocol):
    """What ``qualizyklus_plugin`` is: call it with plugins, get an engine that has them."""

    def __call__(self, *plugins: Any, installed: bool = True) -> Qualizyklus:
        """An engine with ``plugins`` registered (and the installed ones, unless told not)."""
        ...


@pytest.fixture
def qualizyklus_settings(tmp_path: Path) -> Settings:
    """Settings for a fresh SQLite store in ``tmp_path``, its schema created once."""
    settings = Settings(database=f"sqlite:///{tmp_path / 'qualizyklus.db'}")
    Qualizyklus(settings, create_tables=True).close()
    return settings


@pytest.fixture
def qualizyklus_engine(qualizyklus_settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with every installed plugin, on the fresh store; closed after the test.

    ``qualizyklus_engine.plugins.refused`` names plugins that were refused, with the reason.
    """
    engine = open_engine(qualizyklus_settings)
    yield engine
    engine.close()


@pytest.fixture
def qualizyklus_plugin(qualizyklus_settings: Settings) -> Iterator[PluginEngineFactory]:
    """A factory of engines with extra plugins registered, for this test only.

    ``qualizyklus_plugin(plugin, ...)`` opens an engine on the test's store with the installed
    plugins plus ``plugin`` (a plugin that is installed already is not registered twice);
    ``installed=False`` leaves the installed plugins out. Every engine is closed after the
    test.
    """
    opened: list[Qualizyklus] = []

    def open_with(*plugins: Any, installed: bool = True) -> Qualizyklus:
        extra = plugins
        if installed:
            present = _installed_plugins()
            extra = tuple(p for p in plugins if not any(p is q for q in present))
        engine = open_engine(
            qualizyklus_settings, plugins=extra, entry_point_group=PROJECT if installed else None
        )
        opened.append(engine)
        return engine

    yield open_with
    for engine in opened:
        engine.close()


@pytest.fixture
def qualizyklus_network(qualizyklus_engine: Qualizyklus) -> Network:
    """An organisation with a coordinator, a contributor and a viewer (see :func:`network`)."""
    return network(qualizyklus_engine)


def _installed_plugins() -> list[object]:
    """The objects the entry-point group registers (those that can be imported)."""
    found: list[object] = []
    for entry_point in entry_points(group=PROJECT):
        try:
            found.append(entry_point.load())
        except Exception:  # noqa: BLE001 -- a broken plugin is refused by the engine itself
            continue
    return found
