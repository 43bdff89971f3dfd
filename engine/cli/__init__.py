"""The `qualizyklus` command line (entry point ``engine.cli:main``)."""

from __future__ import annotations

from engine.cli.main import main

__all__ = ["main"]
