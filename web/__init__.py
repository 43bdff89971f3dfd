"""The web layer: Flask UI and JSON API on top of the engine (arrows: web -> engine)."""

from web.app import create_app

__all__ = ["create_app"]
