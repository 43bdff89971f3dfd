"""Fixtures for the built-in themes' hook tests: the engine with the installed plugins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings


@pytest.fixture
def engine(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine on the fresh store (SQLite and PostgreSQL) with every installed plugin."""
    application = open_engine(settings)
    assert application.plugins is not None
    assert application.plugins.refused == {}, application.plugins.refused
    yield application
    application.close()
