"""Pages kept per reader and version: rendered once, served again until anything they show changes.

A cycle's overview and the plugins' cycle pages (``engine.PageHost.kept_page``) are functions of
the data they show (a cycle's and its organisation's versions, and what else the caller names)
and of the request: its path with the query, the signed-in person, their language, their
session (the forms carry its CSRF token) and the day. Such a page is kept under all of these
for at most PAGE_MAX_AGE seconds, well within the lifetime of its CSRF token, so that the
figures that depend on neither (the count of the reader's reminders in the header) are at most
that old. A request other than GET, and any request while messages wait to be shown, renders
afresh and keeps nothing; the caller says which answers may be kept (a 200 without a plugin's
notice, say).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date

from flask import current_app, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from engine.application.recent import Recent
from web.i18n import language

PAGES = 256
"""Pages kept per process (the most recently served)."""
PAGE_MAX_AGE = 600.0
"""Seconds a kept page is served at most."""
STORE = "qualizyklus.pages"
"""The key of the kept pages in the Flask app's ``extensions``."""

Answer = tuple[str | bytes, int]
"""A page as a view returns it: HTML (as the bytes sent, once kept) and the HTTP status."""


def reader_key() -> tuple[Hashable, ...] | None:
    """What a kept page depends on besides its data: path, reader, language, session, day.

    None when the page must be rendered afresh: not a GET, or messages waiting to be shown. A
    session without a CSRF token is given one first: two new sessions of one person must not
    share a page whose forms carry the token of only one of them.
    """
    if request.method != "GET" or session.get("_flashes"):
        return None
    generate_csrf()  # a new session gets its token now, so that its pages are kept under it
    return (
        request.full_path,
        str(current_user.get_id()),
        language(),
        session[current_app.config["WTF_CSRF_FIELD_NAME"]],
        date.today(),
    )


def kept(
    data_key: tuple[Hashable, ...],
    render: Callable[[], tuple[str, int]],
    *,
    keep: Callable[[Answer], bool],
) -> Answer:
    """The page ``render`` gives (HTML, status), kept under the reader's key and ``data_key``
    (the versions of what it shows) when ``keep`` says so, as the bytes sent (encoded once);
    rendered afresh whenever :func:`reader_key` is None."""
    reader = reader_key()
    if reader is None:
        return render()
    pages: Recent[tuple[Hashable, ...], Answer] = current_app.extensions.setdefault(
        STORE, Recent(PAGES, max_age=PAGE_MAX_AGE)
    )
    return pages.get((*reader, *data_key), lambda: _encoded(render()), keep=keep)


def _encoded(answer: tuple[str, int]) -> Answer:
    html, status = answer
    return html.encode("utf-8"), status


def keep_plugin_page(
    data_key: tuple[Hashable, ...], render: Callable[[], tuple[str, int]]
) -> Answer:
    """A plugin's page (``engine.PageHost.kept_page``): kept when it answers 200."""
    return kept(("plugin", *data_key), render, keep=lambda answer: answer[1] == 200)
