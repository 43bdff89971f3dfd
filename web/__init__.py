"""The web layer: Flask UI and JSON API on top of the engine (arrows: web -> engine).

The application factory is ``web.app.create_app`` (wsgi.py: ``app = create_app()``). This
package imports none of its modules: views reach the engine through web/services.py, and
nothing below the factory imports it back.
"""
