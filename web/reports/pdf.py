"""The Qualitätsbericht as PDF: the report page's own HTML, printed by WeasyPrint.

The page (web/templates/reports/report.html) is rendered once and handed to WeasyPrint, which
lays it out with the print rules of web/static/report-print.css (A4, page numbers and the seal's
state in the footer, table headers repeated on each page) and writes a tagged PDF/UA-1 document:
structure, reading order, the charts' SVG with their text alternatives, language and title.
WeasyPrint may read the app's static files only; every other address is refused, so nothing in
a report can make the server fetch from the network or the disk.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, request
from flask_babel import get_locale
from weasyprint import HTML  # type: ignore[import-untyped]
from weasyprint.urls import (  # type: ignore[import-untyped]
    URLFetcher,
    URLFetcherResponse,
)

from web.access import person
from web.reports import svg_text
from web.reports.pdf_cache import cached_pdf, digest, reader_key
from web.services import engine

svg_text.install()  # SVG text a line at a time, not a letter at a time (see the module)

EVIDENCE_FIELD = "QualizyklusEvidence"
"""The metadata key of the checkpoint line (engine/application/report_evidence.py reads it)."""
VARIANT = "pdf/ua-1"
"""Tagged PDF for accessibility (PDF/UA-1: structure tree, /Lang, title shown)."""


class StaticFetcher(URLFetcher):
    """Hands WeasyPrint the app's static files (style sheets) and refuses every other address."""

    def __init__(self, folder: Path, prefix: str) -> None:
        super().__init__(allowed_protocols=("http", "https"))
        self.folder = folder.resolve()
        self.prefix = prefix.rstrip("/") + "/"

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        """The static file the address names; ``ValueError`` for anything else."""
        path = unquote(urlsplit(url).path)
        if not path.startswith(self.prefix):
            raise ValueError(f"not a static file: {url}")
        found = (self.folder / path.removeprefix(self.prefix)).resolve()
        if not found.is_relative_to(self.folder) or not found.is_file():
            raise ValueError(f"no such static file: {url}")
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, found.read_bytes(), {"Content-Type": kind})


def render_pdf(
    page: str,
    *,
    base_url: str,
    static: tuple[Path, str],
    title: str,
    author: str,
    evidence: str = "",
) -> bytes:
    """The report page's HTML as a tagged A4 PDF with its title, author and language.

    ``static`` is the app's static folder and the address it is served under; ``evidence``
    (the checkpoint line of web/reports/evidence.py) goes into the metadata.
    """
    fetcher = StaticFetcher(*static)
    document = HTML(string=page, base_url=base_url, url_fetcher=fetcher).render(pdf_variant=VARIANT)
    document.metadata.title = title
    document.metadata.authors = [author] if author else []
    document.metadata.generator = "Qualizyklus"
    if evidence:
        document.metadata.custom[EVIDENCE_FIELD] = evidence
    pdf = document.write_pdf(pdf_variant=VARIANT, custom_metadata=bool(evidence))
    assert pdf is not None
    return bytes(pdf)


def print_page(page: str, title: str, evidence: str = "", *, cycle_id: str = "") -> bytes:
    """A page of this request's app printed as PDF, by the signed-in person (the author).

    The page's own HTML with its print style sheets: what the page hides, the PDF never shows.
    `evidence` is the signed checkpoint's line kept in the PDF's metadata (none when empty).
    With a ``cycle_id`` the PDF is kept in the PDF cache (web/reports/pdf_cache.py) and served
    from it while the page, title, author, checkpoint and style sheets stay the same.
    """
    actor = person()
    author = engine().display_names([actor]).get(actor, "")

    def make() -> bytes:
        return render_pdf(
            page,
            base_url=request.url_root,
            static=(Path(str(current_app.static_folder)), str(current_app.static_url_path)),
            title=title,
            author=author,
            evidence=evidence,
        )

    if not cycle_id:
        return make()
    key = digest(page, title, author, evidence, request.url_root)
    return cached_pdf(cycle_id, reader_key(str(get_locale()), author), key, make)
