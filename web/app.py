"""The application factory: configuration, extensions, security, blueprints, error pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    StoreDamaged,
    StoreUnavailable,
)
from engine.infrastructure.settings import Settings


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``config`` overrides values read from the environment.

    ``QUALIZYKLUS_EXTRA_PLUGINS`` (config only) registers plugin objects besides the installed
    ones, for tests and embedding.
    """
    from web import bodies, cookie_sessions, health, i18n, security, templating
    from web.auth import blueprint as auth_blueprint
    from web.auth import init_login
    from web.config import config_from_environ, resolve_paths
    from web.extensions import csrf
    from web.reports.views import blueprint as reports_blueprint
    from web.services import install_engine
    from web.ui.pages import blueprint as ui_blueprint

    app = Flask(__name__)
    bodies.init_app(app)  # undecodable or pathological bodies are a 400, never a 500
    cookie_sessions.init_app(app)  # the session's signing serializer built once, not per request
    app.config.update(config_from_environ())
    if config:
        app.config.update(config)
    resolve_paths(app.config)
    proxies = int(app.config.get("QUALIZYKLUS_PROXY_COUNT") or 0)
    if proxies:  # the client's address from X-Forwarded-For, not the proxy's
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]
    engine = open_engine(
        Settings(database=app.config["QUALIZYKLUS_DATABASE"]),
        plugins=tuple(app.config.get("QUALIZYKLUS_EXTRA_PLUGINS", ())),
    )
    install_engine(app, engine)
    csrf.init_app(app)
    init_login(app)
    i18n.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    app.register_blueprint(auth_blueprint)
    app.register_blueprint(ui_blueprint)
    app.register_blueprint(reports_blueprint)
    _register_surveys(app)
    app.add_url_rule("/healthz", "health", _health)
    health.init_app(app)  # /readyz: the database answers and the read models keep up
    _register_error_pages(app)
    from web.api import init_app as init_api  # the JSON API, after the error pages it extends

    init_api(app)
    _register_plugin_blueprints(app, engine)
    return app


def _register_surveys(app: Flask) -> None:
    """The parents' survey pages (no sign-in, no CSRF token: they set no session)."""
    import web.parents.views  # noqa: F401 -- adds the pages to the blueprint
    from web.extensions import csrf
    from web.parents import blueprint as parents_blueprint

    csrf.exempt(parents_blueprint)
    app.register_blueprint(parents_blueprint)


def _health() -> dict[str, str]:
    """A liveness probe for load balancers (no sign-in needed, no database: web/health.py)."""
    return {"status": "ok"}


def _register_error_pages(app: Flask) -> None:
    """One page per HTTP error; engine refusals map to 404, 403 and 409; no trace leaks.

    An unreachable database (``StoreUnavailable``) is a 503 with Retry-After; stored data
    that fails verification (``StoreDamaged``) a 500 that says so, logged.
    """
    from web import i18n

    def unavailable_page(error: StoreUnavailable) -> tuple[str, int, dict[str, str]]:
        # A page of its own, rendered without the context processors: they and the usual
        # layout ask the database (who is signed in, reminders), which is away.
        headers = {"Retry-After": str(error.retry_after), "Cache-Control": "no-store"}
        page = app.jinja_env.get_template("errors/unavailable.html").render(
            retry_after=error.retry_after, language=i18n.language()
        )
        return page, 503, headers

    def error_page(code: int, message: str) -> tuple[str, int] | tuple[str, int, dict[str, str]]:
        try:
            return render_template("errors/error.html", code=code, message=message), code
        except StoreUnavailable as error:  # the layout met the outage
            return unavailable_page(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        code = error.code or 500
        return error_page(code, _error_text(code))

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Any:
        code = 404 if isinstance(error, NotFound) else 403 if isinstance(error, Forbidden) else 409
        return error_page(code, _error_text(409) if isinstance(error, Conflict) else error.de)

    app.register_error_handler(StoreUnavailable, unavailable_page)

    @app.errorhandler(StoreDamaged)
    def damaged_page(error: StoreDamaged) -> Any:
        app.logger.error("stored data failed verification: %s", error.detail, exc_info=error)
        return error_page(500, error.en if i18n.language() == "en" else error.de)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        app.logger.exception("unexpected error")
        return error_page(500, _error_text(500))


def _error_text(code: int) -> str:
    texts = {
        400: _("Die Anfrage ist unvollständig oder ungültig."),
        401: _("Bitte melden Sie sich an."),
        403: _("Ihre Rolle erlaubt diese Aktion nicht."),
        404: _("Diese Seite gibt es nicht, oder sie ist für Sie nicht sichtbar."),
        405: _("Diese Aktion ist hier nicht möglich."),
        409: _("Jemand anderes hat den Zyklus gerade geändert. Bitte laden Sie die Seite neu."),
        413: _("Die Datei ist zu groß."),
        429: _("Zu viele Versuche. Bitte warten Sie einen Moment."),
    }
    fallback = _("Ein Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.")
    return str(texts.get(code, fallback))


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
