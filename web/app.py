"""The application factory: configuration from QUALIZYKLUS_* variables, the engine, blueprints."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, current_app

from engine.bootstrap import open_engine
from engine.service import Qualizyklus
from engine.settings import Settings

ENGINE_KEY = "qualizyklus"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``config`` overrides values read from the environment.

    ``QUALIZYKLUS_EXTRA_PLUGINS`` (config only) registers plugin objects besides the installed
    ones, for tests and embedding.
    """
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("QUALIZYKLUS_SECRET_KEY") or secrets.token_hex(32),
        QUALIZYKLUS_DATABASE=Settings.from_environ().database,
    )
    if config:
        app.config.update(config)
    engine = open_engine(
        Settings(database=app.config["QUALIZYKLUS_DATABASE"]),
        plugins=tuple(app.config.get("QUALIZYKLUS_EXTRA_PLUGINS", ())),
    )
    app.extensions[ENGINE_KEY] = engine

    from web.ui import blueprint as ui_blueprint

    app.register_blueprint(ui_blueprint)
    _register_plugin_blueprints(app, engine)
    return app


def _register_plugin_blueprints(app: Flask, engine: Qualizyklus) -> None:
    """Mount the plugins' blueprints; a faulty one is logged and left out."""
    gathered = engine.extensions.web_blueprints()
    for notice in gathered.notices:
        app.logger.error("plugin %s: %s", notice.plugin, notice.message.en)
    for blueprint in gathered.items:
        if not isinstance(blueprint, Blueprint):
            app.logger.error("a plugin returned %r instead of a Flask blueprint", blueprint)
            continue
        try:
            app.register_blueprint(blueprint)
        except ValueError as error:  # e.g. a name already taken
            app.logger.error("plugin blueprint %s refused: %s", blueprint.name, error)


def engine() -> Qualizyklus:
    """The engine of the current Flask app."""
    found: Qualizyklus = current_app.extensions[ENGINE_KEY]
    return found
