"""Shared objects the views reach through the current app: the engine, stored by the factory.

The factory (web/app.py) opens the engine and calls ``install_engine``; views, API resources
and reports call ``engine()``. This module sits below every blueprint, so none of them
imports the factory (Flask's tutorial: views reach shared objects through ``current_app``).
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_login import current_user

from engine.application.service import Qualizyklus
from engine.extensions.pages import PAGE_HOST, PageHost
from web.kept_pages import keep_plugin_page

ENGINE_KEY = "qualizyklus"


def install_engine(app: Flask, service: Qualizyklus) -> None:
    """Store the engine on ``app`` (``app.extensions["qualizyklus"]``) for ``engine()``, and
    the host of the plugins' pages (``app.extensions[engine.PAGE_HOST]``)."""
    app.extensions[ENGINE_KEY] = service
    app.extensions[PAGE_HOST] = PageHost(service, _signed_in, keep_plugin_page)


def _signed_in() -> str | None:
    """The signed-in person's id, or None (for the plugins' pages, ``engine.PageHost``)."""
    if not current_user or not current_user.is_authenticated:
        return None
    return str(current_user.get_id())


def engine() -> Qualizyklus:
    """The engine of the current Flask app."""
    found: Qualizyklus = current_app.extensions[ENGINE_KEY]
    return found
