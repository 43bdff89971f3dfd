"""Shared objects the views reach through the current app: the engine, stored by the factory.

The factory (web/app.py) opens the engine and calls ``install_engine``; views, API resources
and reports call ``engine()``. This module sits below every blueprint, so none of them
imports the factory (Flask's tutorial: views reach shared objects through ``current_app``).
"""

from __future__ import annotations

from flask import Flask, current_app

from engine.application.service import Qualizyklus

ENGINE_KEY = "qualizyklus"


def install_engine(app: Flask, service: Qualizyklus) -> None:
    """Store the engine on ``app`` (``app.extensions["qualizyklus"]``) for ``engine()``."""
    app.extensions[ENGINE_KEY] = service


def engine() -> Qualizyklus:
    """The engine of the current Flask app."""
    found: Qualizyklus = current_app.extensions[ENGINE_KEY]
    return found
