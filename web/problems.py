"""The API's own HTTP error, below both the API (web/api/errors.py renders it) and web/bodies.py.

It lives outside web/api so that the app-wide body reader can raise it without importing the
API package, which itself reads bodies through web/bodies.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.exceptions import HTTPException


class ApiProblem(HTTPException):
    """An HTTP error raised by the API itself, with a stable code and optional extras."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.code = status
        self.problem_code = code
        self.extra = extra
        self.extra_headers = dict(headers or {})
