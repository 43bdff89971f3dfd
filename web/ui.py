"""Server-rendered pages (German first). For now: the organisations and their cycles."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.app import engine

blueprint = Blueprint("ui", __name__)


@blueprint.get("/")
def index() -> str:
    """Every organisation with its cycles, newest first."""
    app = engine()
    organisations = []
    for organisation_id in app.organisation_ids():
        organisation = app.organisation(organisation_id)
        organisation["cycle_list"] = app.cycles_of(organisation_id)
        organisations.append(organisation)
    return render_template("index.html", organisations=organisations)


@blueprint.get("/healthz")
def health() -> dict[str, str]:
    """A liveness probe for load balancers."""
    return {"status": "ok"}
