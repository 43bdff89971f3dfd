"""The application factory: configuration from QUALIZYKLUS_* variables, the engine, blueprints."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from engine.bootstrap import open_engine
from engine.service import Qualizyklus
from engine.settings import Settings

ENGINE_KEY = "qualizyklus"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``config`` overrides values read from the environment."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("QUALIZYKLUS_SECRET_KEY") or secrets.token_hex(32),
        QUALIZYKLUS_DATABASE=Settings.from_environ().database,
    )
    if config:
        app.config.update(config)
    engine = open_engine(Settings(database=app.config["QUALIZYKLUS_DATABASE"]))
    app.extensions[ENGINE_KEY] = engine

    from web.ui import blueprint as ui_blueprint

    app.register_blueprint(ui_blueprint)
    return app


def engine() -> Qualizyklus:
    """The engine of the current Flask app."""
    found: Qualizyklus = current_app.extensions[ENGINE_KEY]
    return found
