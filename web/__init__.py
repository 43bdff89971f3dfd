"""The web layer: Flask UI and JSON API on top of the engine."""
