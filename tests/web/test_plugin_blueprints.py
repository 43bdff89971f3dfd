"""Plugins contribute blueprints; a faulty contribution is left out and the app still starts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from engine import hookimpl
from engine.infrastructure.settings import Settings
from web.app import create_app

themes_page = Blueprint("example_theme", __name__, url_prefix="/themes/example")


@themes_page.get("/")
def overview() -> str:
    return "Beispielthema"


class ContributesBlueprint:
    name = "contributes-blueprint"

    @hookimpl
    def web_blueprints(self) -> list[Any]:
        return [themes_page]


class ContributesJunk:
    name = "contributes-junk"

    @hookimpl
    def web_blueprints(self) -> list[Any]:
        return ["not a blueprint"]


class RaisesInBlueprints:
    name = "raises-in-blueprints"

    @hookimpl
    def web_blueprints(self) -> list[Any]:
        raise RuntimeError("template folder missing")


def test_plugin_blueprints_are_mounted_and_faulty_ones_left_out(settings: Settings) -> None:
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": settings.database,
            "QUALIZYKLUS_EXTRA_PLUGINS": (
                RaisesInBlueprints(),
                ContributesJunk(),
                ContributesBlueprint(),
            ),
        }
    )
    client = app.test_client()

    assert client.get("/themes/example/").get_data(as_text=True) == "Beispielthema"
    assert client.get("/healthz").status_code == 200
