"""The pages every German public website carries, open to everyone (signed in or not).

Impressum, Datenschutzerklärung and Erklärung zur Barrierefreiheit are the operator's texts:
Markdown files in ``QUALIZYKLUS_LEGAL_DIR`` (``impressum.de.md``, ``impressum.en.md`` ...),
else the defaults shipped in web/legal/, which say they must be adapted. ``{contact}`` in a
text stands for ``QUALIZYKLUS_CONTACT_EMAIL``. Also: a short explanation in Leichte Sprache,
the user guide as "Hilfe" (or ``QUALIZYKLUS_HELP_URL``) and the favicon at /favicon.ico.
Markdown is rendered by markdown-it-py (CommonMark) with raw HTML switched off.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import (
    abort,
    current_app,
    redirect,
    render_template,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markupsafe import Markup

from engine.infrastructure.settings import SettingsError, SiteSettings
from web.i18n import language
from web.ui import blueprint

log = logging.getLogger(__name__)

DEFAULTS = Path(__file__).resolve().parent.parent / "legal"
"""The shipped texts (German and English), each saying that the operator must adapt it."""
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "benutzerhandbuch.md"
"""The user guide in a source checkout (an installed package may not carry it)."""
SITE_KEY = "QUALIZYKLUS_SITE"
"""App config key for :class:`SiteSettings` (else read from the environment, once)."""

PAGES = {
    "impressum": _l("Impressum"),
    "datenschutz": _l("Datenschutzerklärung"),
    "barrierefreiheit": _l("Erklärung zur Barrierefreiheit"),
}
"""The operator's pages by file name, with their titles."""

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def site_settings() -> SiteSettings:
    """The app's site settings: its config, else the environment (read once per app).

    An invalid setting is logged and the defaults used, so that no page fails for it.
    """
    found = current_app.config.get(SITE_KEY)
    if not isinstance(found, SiteSettings):
        try:
            found = SiteSettings.from_environ()
        except SettingsError as error:  # pages still render; the log names the setting
            log.error("%s; the public pages use their defaults", error)
            found = SiteSettings()
        current_app.config[SITE_KEY] = found
    return found


def legal_text(name: str, language: str) -> tuple[str, bool]:
    """The Markdown of page ``name`` in ``language`` (German if missing) and whether it is the
    operator's own text (False: the shipped default)."""
    folder = site_settings().legal_dir
    for code in dict.fromkeys((language, "de")):
        if folder is not None:
            own = folder / f"{name}.{code}.md"
            if own.is_file():
                return own.read_text(encoding="utf-8"), True
    for code in dict.fromkeys((language, "de")):
        shipped = DEFAULTS / f"{name}.{code}.md"
        if shipped.is_file():
            return shipped.read_text(encoding="utf-8"), False
    raise FileNotFoundError(name)


def render_markdown(text: str) -> Markup:
    """Markdown as HTML; raw HTML in the text is shown as text, never run."""
    contact = site_settings().contact_email or "kontakt@example.org"
    html = _markdown.render(text.replace("{contact}", contact))
    # Tables scroll inside their own focusable region on a narrow screen, never the page.
    region = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{_("Tabelle")}">'
    html = html.replace("<table>", f"{region}\n<table>").replace("</table>", "</table>\n</div>")
    return Markup(html)  # rendered with raw HTML off: the text cannot inject markup


def help_link() -> str:
    """Where the footer's "Hilfe" leads: the configured URL, else the served user guide."""
    return site_settings().help_url or url_for("ui.help_page")


@blueprint.app_context_processor
def _site_links() -> dict[str, object]:
    """The footer's "Hilfe" link on every page (base.html)."""
    return {"help_link": help_link}


def _legal_page(name: str) -> str:
    text, own = legal_text(name, language())
    return render_template(
        "ui/legal.html",
        title=PAGES[name],
        body=render_markdown(text),
        is_default=not own,
        name=name,
        contact=site_settings().contact_email,
    )


@blueprint.get("/impressum")
def imprint() -> str:
    """The operator's imprint (Impressum, § 5 DDG)."""
    return _legal_page("impressum")


@blueprint.get("/datenschutz")
def privacy() -> str:
    """The operator's privacy notice (Datenschutzerklärung, Art. 13 DSGVO)."""
    return _legal_page("datenschutz")


@blueprint.get("/barrierefreiheit")
def accessibility() -> str:
    """The accessibility statement with its feedback contact (BITV 2.0, § 7)."""
    return _legal_page("barrierefreiheit")


@blueprint.get("/leichte-sprache")
def easy_language() -> str:
    """What Qualizyklus is, in Leichte Sprache."""
    return render_template("ui/leichte_sprache.html", contact=site_settings().contact_email)


@blueprint.get("/hilfe")
def help_page() -> ResponseReturnValue:
    """The user guide (docs/benutzerhandbuch.md) as a page, or the configured help URL."""
    configured = site_settings().help_url
    if configured:
        return redirect(configured)
    if not GUIDE.is_file():
        abort(404)
    return render_template("ui/help.html", body=render_markdown(GUIDE.read_text(encoding="utf-8")))


@blueprint.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """The icon browsers ask for at the site's root."""
    static = current_app.static_folder
    assert static is not None
    return send_from_directory(static, "favicon.ico", max_age=86400)
