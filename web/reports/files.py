"""How a download is named and sent: a readable file name, one charset, ``filename*`` for umlauts.

A file is named after what it holds, the organisation, the cycle and the day it was made
(``Maßnahmen - Landkreis Musterland - Qualitätszyklus 2025 - 2026-12-06.csv``), not after ids.
The name is cleaned for every operating system (pathvalidate: no ``/ \\ : * ? " < > |``, no
control characters, no reserved names) and sent twice in ``Content-Disposition`` (RFC 6266):
as ``filename*`` in UTF-8 for today's browsers and as an ASCII ``filename`` (``ä`` -> ``ae``,
``ß`` -> ``ss``) for the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from urllib.parse import quote

from flask import Response
from pathvalidate import sanitize_filename

from engine.application.audit import LOCAL_TIME

CSV = "text/csv; charset=utf-8"
"""CSV's content type, with exactly one charset (Response adds none to a full content type)."""
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEPARATOR = " - "
PART_LENGTH = 60
"""At most this many characters of each part (an organisation's or a cycle's long name)."""
GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def today() -> date:
    """The day a file is made, as the people using it count days (Germany)."""
    return datetime.now(LOCAL_TIME).date()


def file_name(parts: Iterable[str | None], extension: str, *, day: date | None = None) -> str:
    """A readable file name: the non-empty parts and the day, cleaned, with the extension."""
    words = [_shortened(" ".join(str(part).split())) for part in parts if part and part.strip()]
    words.append((day or today()).isoformat())
    return sanitize_filename(f"{SEPARATOR.join(words)}.{extension}", replacement_text="-")


def _shortened(text: str) -> str:
    return text if len(text) <= PART_LENGTH else text[: PART_LENGTH - 1].rstrip() + "…"


def ascii_name(name: str) -> str:
    """The name in ASCII for old clients: German letters spelt out, other accents dropped,
    any other character (a dash, a symbol) a hyphen."""
    spelt = unicodedata.normalize("NFKD", name.translate(GERMAN))
    letters = "".join(char for char in spelt if not unicodedata.combining(char))
    plain = re.sub(r'[^\x20-\x7e]|["\\]', "-", letters)
    return " ".join(plain.split())


def disposition(name: str, *, inline: bool = False) -> str:
    """A ``Content-Disposition`` value with the ASCII name and the UTF-8 name (``filename*``)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def download(body: bytes, content_type: str, name: str, *, inline: bool = False) -> Response:
    """A response that hands over a file under a readable name."""
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = disposition(name, inline=inline)
    return response
