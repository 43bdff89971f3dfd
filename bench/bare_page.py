"""The baseline of the `pages` benchmark: a bare Flask app under gunicorn that renders one Jinja
template, compiled once from a cached string, whose output has exactly the bytes of the page
being compared (read at start from the file named by BENCH_BARE_PAGE).

    BENCH_BARE_PAGE=page.html gunicorn --config gunicorn.conf.py bench.bare_page:app
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

app = Flask(__name__)
app.jinja_env.keep_trailing_newline = True  # every byte of the page, the last newline too
_HTML = Path(os.environ["BENCH_BARE_PAGE"]).read_bytes().decode("utf-8")  # no newline translation
# Jinja turns every line break into "\n"; the carriage returns (WTForms writes "\r\n" after each
# <textarea>) go in through a variable, so the bytes stay exactly those of the page.
_TEMPLATE = app.jinja_env.from_string(
    "{% raw %}" + "{% endraw %}{{ cr }}{% raw %}".join(_HTML.split("\r")) + "{% endraw %}"
)


@app.get("/page")
def page() -> str:
    """The page: the cached template rendered."""
    return _TEMPLATE.render(cr="\r")


@app.get("/healthz")
def health() -> dict[str, str]:
    """Up and serving."""
    return {"status": "ok"}
