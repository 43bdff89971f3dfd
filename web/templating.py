"""Template helpers that are not about language: endpoint checks and charts."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from engine.domain.uninstalled import NO_LONGER_POSSIBLE, STILL_POSSIBLE
from web.charts import svg
from web.feedback import template_helpers


def has_endpoint(endpoint: str) -> bool:
    """Whether the app has a view of this name (pages appear as their modules exist)."""
    return endpoint in current_app.view_functions


UNINSTALLED_THEME = {"still": STILL_POSSIBLE, "no_longer": NO_LONGER_POSSIBLE}
"""What a cycle page says can (not) be changed for a theme whose plugin is missing."""


def init_app(app: Flask) -> None:
    """Offer the helpers to every template."""

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {
            "has_endpoint": has_endpoint,
            "chart_svg": svg,
            "uninstalled_theme": UNINSTALLED_THEME,
            **template_helpers(),
        }
