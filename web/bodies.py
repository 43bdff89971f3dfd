"""Request bodies that cannot be decoded or parsed safely are refused with 400, app-wide.

Every JSON body the app reads goes through :func:`loads` (the app's JSON provider, which
``request.get_json()`` and the API's argument parser use): it must be UTF-8, at most
``MAX_DEPTH`` levels deep, without lone surrogates, NaN/Infinity or numbers too large to be
a quantity. URL-encoded forms must be UTF-8 as well. A body that breaks any of this is
refused before a view sees it, as :class:`MalformedBody` (problem details under the API, the
400 page elsewhere); invalid *data* in a well-formed body stays the views' 422.
"""

from __future__ import annotations

import json
from io import BytesIO
from typing import IO, Any
from urllib.parse import parse_qsl

from flask import Flask
from flask import Request as FlaskRequest
from flask.json.provider import DefaultJSONProvider
from werkzeug.formparser import FormDataParser

from web.problems import ApiProblem

MAX_DEPTH = 32
"""How deeply arrays and objects may nest in a JSON body (the API's own bodies need 4)."""
MAX_NUMBER_CHARS = 40
"""The longest number literal accepted (enough for any 64-bit or decimal quantity)."""


class UnreadableJSON(ValueError):
    """JSON text that is not well-formed, or not safe to use; ``reason`` says why."""

    def __init__(self, reason: str, reason_de: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.reason_de = reason_de
        self.field = field
        """Where in the body the fault lies (``title``, ``themes.0``), when it is in one place."""


class MalformedBody(ApiProblem):
    """A request body that could not be decoded or parsed (400, nothing was read from it)."""

    def __init__(self, reason: str, reason_de: str, *, field: str | None = None) -> None:
        super().__init__(
            400,
            "malformed-body",
            f"The request body cannot be read: {reason}.",
            detail_de=f"Der Inhalt der Anfrage ist nicht lesbar: {reason_de}.",
            errors={field: [reason]} if field else None,
        )


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """Parse JSON strictly (see the module's docstring); ``UnreadableJSON`` if it fails."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableJSON("not UTF-8", "kein UTF-8") from None
    try:
        found = json.loads(
            data,
            parse_int=_number(int),
            parse_float=_number(float),
            parse_constant=_no_constant,
            **kwargs,
        )
    except RecursionError:
        raise _too_deep() from None
    except UnreadableJSON:
        raise
    except ValueError as error:  # JSONDecodeError among them
        raise UnreadableJSON(f"not valid JSON ({error})", f"kein gültiges JSON ({error})") from None
    _check_shape(found)
    return found


def _number(kind: type[int] | type[float]) -> Any:
    def parse(literal: str) -> int | float:
        if len(literal) > MAX_NUMBER_CHARS:
            raise UnreadableJSON("a number is too long", "eine Zahl ist zu lang")
        value = kind(literal)
        if value in (float("inf"), float("-inf")):
            raise UnreadableJSON("a number is out of range", "eine Zahl ist zu groß")
        return value

    return parse


def _no_constant(literal: str) -> Any:
    raise UnreadableJSON(f"{literal} is not a JSON number", f"{literal} ist keine JSON-Zahl")


def _too_deep() -> UnreadableJSON:
    return UnreadableJSON(
        f"nested deeper than {MAX_DEPTH} levels", f"tiefer als {MAX_DEPTH} Ebenen verschachtelt"
    )


def _check_shape(found: Any) -> None:
    """Refuse nesting beyond MAX_DEPTH and strings that are not Unicode text (lone surrogates)."""
    stack: list[tuple[Any, int, str]] = [(found, 0, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            _check_text(value, path)
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                if isinstance(key, str):
                    _check_text(key, path)  # a bad key is not echoed: its object is named
                inner = f"{path}.{key}" if path else str(key)
                stack.append((child, depth + 1, inner))


def _check_text(text: str, path: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UnreadableJSON(
            "a string holds a lone surrogate (\\ud800-\\udfff)",
            "ein Text enthält ein einzelnes Ersatzzeichen (\\ud800-\\udfff)",
            field=path or None,
        ) from None


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, reading with :func:`loads`."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse strictly."""
        return loads(s, **kwargs)


class StrictFormDataParser(FormDataParser):
    """Werkzeug's form parser, refusing URL-encoded forms that are not UTF-8.

    (Werkzeug would keep the undecodable bytes as %XX text, or drop the whole form.)
    Multipart fields keep werkzeug's replacement character for undecodable bytes.
    """

    def _parse_urlencoded(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> Any:
        raw = stream.read()
        try:
            items = parse_qsl(
                raw.decode("utf-8"), keep_blank_values=True, errors="strict", encoding="utf-8"
            )
        except UnicodeDecodeError:
            raise MalformedBody("the form is not UTF-8", "das Formular ist kein UTF-8") from None
        return BytesIO(), self.cls(items), self.cls()


class Request(FlaskRequest):
    """Flask's request with strict JSON and form decoding."""

    form_data_parser_class = StrictFormDataParser

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        """A body that is not readable JSON is a 400 with the reason (415: not JSON at all)."""
        if isinstance(e, UnreadableJSON):
            raise MalformedBody(e.reason, e.reason_de, field=e.field) from None
        return super().on_json_loading_failed(e)


def init_app(app: Flask) -> None:
    """Read every request body of ``app`` strictly."""
    app.json = StrictJSONProvider(app)
    app.request_class = Request
