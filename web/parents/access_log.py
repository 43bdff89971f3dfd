"""gunicorn's access log without the parents' addresses and browsers.

The parents' survey pages promise that nothing about a parent is stored: their lines in the
access log keep the time, the request and the status, but not the client's address, its
browser (user agent) or the page it came from; nor do the lines of what those pages load
(their style sheet, the icon), known by the parents' page they came from.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

PARENTS_PREFIX = "/befragung/"
HIDDEN = ("h", "a", "f")
"""The atoms of the log format left out: remote address, user agent, referer."""


class PrivateSurveyLogger(Logger):
    """gunicorn's logger; on the parents' pages the identifying atoms read ``-``."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        """The log line's values, with address, browser and referer hidden for parents."""
        values = super().atoms(resp, req, environ, request_time)
        path = str(environ.get("PATH_INFO") or "")
        referer = str(environ.get("HTTP_REFERER") or "")
        if path.startswith(PARENTS_PREFIX) or PARENTS_PREFIX in referer:
            for key in HIDDEN:
                values[key] = "-"
            for key in [k for k in values if k.startswith("{") and k.endswith("}i")]:
                values[key] = "-"
        return values
