"""gunicorn's access log without anyone's address or browser.

The parents' survey pages promise that nothing about a parent is stored, and nobody else's
address is needed to run the application either: every line of the access log keeps the
time, the request, the status, the size and the duration, but never the client's address,
its browser (user agent), the page it came from (referer) or any other request header, even
where an operator's own ``access_log_format`` asks for them (they read ``-``).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]

HIDDEN = ("h", "a", "f", "u")
"""The atoms of the log format left out: remote address, user agent, referer, remote user."""


class PrivateLogger(Logger):
    """gunicorn's logger; the atoms that could identify a person read ``-`` in every line."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        """The log line's values, with address, browser, referer and request headers hidden."""
        values = super().atoms(resp, req, environ, request_time)
        for key in HIDDEN:
            values[key] = "-"
        for key in [k for k in values if k.startswith("{") and k.endswith("}i")]:
            values[key] = "-"
        return values
