"""The help page "So rechnet Qualizyklus": how every figure the product shows is computed, with a
worked example each (docs/so-rechnet-qualizyklus.md; tests/docs/ compute its examples)."""

from __future__ import annotations

from pathlib import Path

from flask import abort, render_template

from web.ui import blueprint
from web.ui.legal import render_markdown

FIGURES_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "so-rechnet-qualizyklus.md"
"""The page's text, part of the user guide."""


@blueprint.get("/hilfe/so-rechnet-qualizyklus")
def figures_help() -> str:
    """How Qualizyklus calculates: median, spread, disagreement, scores, quartiles, shares."""
    if not FIGURES_GUIDE.is_file():
        abort(404)
    body = render_markdown(FIGURES_GUIDE.read_text(encoding="utf-8"))
    return render_template("ui/help.html", body=body)
