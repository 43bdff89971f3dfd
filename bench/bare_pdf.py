"""The baseline of the `report-pdf` benchmark: a bare Flask app under gunicorn that prints one
cached HTML page (the report page's bytes, read at start from the file named by
BENCH_BARE_PAGE) with the same WeasyPrint call as the application, and nothing else: no
session, no store, no report to build.

    BENCH_BARE_PAGE=report.html gunicorn --config gunicorn.conf.py bench.bare_pdf:app
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response, request

from web.reports.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]
app = Flask(__name__, static_folder=str(ROOT / "web" / "static"))
_HTML = Path(os.environ["BENCH_BARE_PAGE"]).read_text(encoding="utf-8")


@app.get("/page.pdf")
def page() -> Response:
    """The cached page printed as PDF."""
    body = render_pdf(
        _HTML,
        base_url=request.url_root,
        static=(Path(str(app.static_folder)), str(app.static_url_path)),
        title="Qualitätsbericht",
        author="",
    )
    return Response(body, content_type="application/pdf")


@app.get("/healthz")
def health() -> dict[str, str]:
    """Up and serving."""
    return {"status": "ok"}
