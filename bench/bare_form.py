"""The baseline of the `surveys` benchmark: a bare Flask app under gunicorn that takes a form
post and answers with a redirect, as the parents' survey does after recording an answer.

    gunicorn --config gunicorn.conf.py bench.bare_form:app
"""

from __future__ import annotations

from flask import Flask, redirect, request
from werkzeug.wrappers import Response

app = Flask(__name__)


@app.post("/form")
def form() -> Response:
    """Read the form, answer 303 to a thanks page."""
    _ = dict(request.form.lists())
    return redirect("/thanks", 303)


@app.get("/healthz")
def health() -> dict[str, str]:
    """Up and serving."""
    return {"status": "ok"}
