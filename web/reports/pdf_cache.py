"""Finished report PDFs kept on disk, so that a second request for an unchanged report is
served without laying it out again (WeasyPrint takes a second or more; the page, tens of ms).

A PDF is filed under its cycle and keyed by a digest of everything it is made from: the
report page's HTML (which holds the cycle's state, the reader's language, the day, the
seal's state, the checkpoint and who produced it), the title, the author, the checkpoint's
metadata line and the style sheets. A changed cycle, a new day or checkpoint, a broken seal
or a new release all give a new page and so a new key: a stale PDF is never served. When a
reader's report is printed anew, that reader's earlier PDFs of the cycle in that language are
deleted (the cycle changed, or the day); the folder is kept under its size limit by deleting
the least recently served files. Files are written under a temporary name and renamed, so
every worker of every host sharing the folder reads whole files only.

Settings (web/config.py): ``QUALIZYKLUS_PDF_CACHE``, the folder (default ``var/pdf-cache``;
``off`` switches the cache off), and ``QUALIZYKLUS_PDF_CACHE_MB``, its size limit (100).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flask import current_app

MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class PdfCache:
    """The folder of finished PDFs and its size limit in bytes."""

    folder: Path
    limit: int

    def path(self, cycle_id: str, reader: str, digest: str) -> Path:
        """Where the PDF of one cycle, reader (language and author) and digest is kept."""
        return self.folder / _safe(cycle_id) / f"{_safe(reader)}.{digest}.pdf"

    def get(self, cycle_id: str, reader: str, digest: str) -> bytes | None:
        """The kept PDF (its time of use renewed), or None."""
        found = self.path(cycle_id, reader, digest)
        try:
            body = found.read_bytes()
            os.utime(found)
        except OSError:
            return None
        return body

    def put(self, cycle_id: str, reader: str, digest: str, body: bytes) -> None:
        """Keep a PDF, drop the reader's older ones of the cycle, and keep under the limit."""
        target = self.path(cycle_id, reader, digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as file:
            file.write(body)
        os.replace(name, target)
        for older in target.parent.glob(f"{_safe(reader)}.*.pdf"):
            if older != target:
                older.unlink(missing_ok=True)
        self.trim()

    def trim(self) -> None:
        """Delete the least recently served PDFs until the folder is within its limit."""
        files = []
        for found in self.folder.glob("*/*.pdf"):
            try:
                stat = found.stat()
            except OSError:
                continue
            files.append((stat.st_mtime, stat.st_size, found))
        total = sum(size for _, size, _ in files)
        for _, size, found in sorted(files):
            if total <= self.limit:
                break
            found.unlink(missing_ok=True)
            total -= size


def _safe(name: str) -> str:
    """A name fit for a file (letters, digits, '-' and '_' kept)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


_TOKEN = re.compile(r'(name="csrf_token"[^>]*?value=")[^"]*')
"""The sign-out form's CSRF token (new on every request, never printed: the header is not)."""


def digest(page: str, *parts: str) -> str:
    """The key of a PDF: a SHA-256 of its page (without the per-request CSRF token), of the
    other things it is made from and of the style sheets."""
    hashed = hashlib.sha256(_style_sheets().encode())
    for part in (_TOKEN.sub(r"\1", page), *parts):
        hashed.update(b"\x00" + part.encode("utf-8"))
    return hashed.hexdigest()


def reader_key(language: str, author: str) -> str:
    """Who a PDF was printed for: the language and a short digest of the author's name."""
    return f"{language}-{hashlib.sha256(author.encode('utf-8')).hexdigest()[:16]}"


@cache
def _sheets_of(folder: str) -> str:
    """A digest of every style sheet in the static folder (read once per process)."""
    hashed = hashlib.sha256()
    for sheet in sorted(Path(folder).glob("*.css")):
        hashed.update(sheet.name.encode() + b"\x00" + sheet.read_bytes())
    return hashed.hexdigest()


def _style_sheets() -> str:
    return _sheets_of(str(current_app.static_folder))


def pdf_cache() -> PdfCache | None:
    """This app's PDF cache, or None when it is switched off."""
    folder = current_app.config.get("QUALIZYKLUS_PDF_CACHE")
    if not folder:
        return None
    limit = float(current_app.config.get("QUALIZYKLUS_PDF_CACHE_MB") or 100)
    return PdfCache(Path(folder), int(limit * MEGABYTE))


def cached_pdf(cycle_id: str, reader: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The kept PDF for the key, or the one ``make`` prints (kept for the next request)."""
    store = pdf_cache()
    if store is None:
        return make()
    body = store.get(cycle_id, reader, key)
    if body is None:
        body = make()
        try:
            store.put(cycle_id, reader, key, body)
        except OSError:  # a full or read-only disk costs the next request time, not this PDF
            current_app.logger.warning("PDF cache: could not keep a PDF", exc_info=True)
    return body
