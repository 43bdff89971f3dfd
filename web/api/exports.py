"""Exports: a cycle's goals and measures as CSV (and back in), an organisation's history as
JSON Lines (the format `qualizyklus import` reads)."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID

from flask import Response, request

from engine.application.transfer import export_organisation
from web.api import plan_csv
from web.api.auth import caller, organisation_access, readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads, result, writes
from web.api.concurrency import etag, expected_version
from web.api.schemas import PlanImportResultSchema
from web.problems import ApiProblem
from web.reports.files import download, file_name
from web.services import engine

blueprint = api_blueprint(
    "exports", __name__, "Goals and measures as CSV (export and import), history as JSON Lines."
)
CSV = "text/csv"
JSON_LINES = "application/x-ndjson"


@blueprint.get("/cycles/<uuid:cycle_id>/plan.csv")
@blueprint.response(200, {"type": "string"}, content_type=CSV, headers=VERSIONED)
@reads(blueprint)
def export_plan(cycle_id: UUID) -> Any:
    """The cycle's goals and measures as CSV, in the format the import reads.

    A file for programs (RFC 4180: commas, decimal points, no byte order mark), named after the
    organisation, the cycle and the day; German spreadsheets read the UI's exports instead.
    """
    cycle = readable_cycle(cycle_id)
    organisation = engine().organisation(UUID(str(cycle["organisation_id"])))["name"]
    name = file_name(("Plan", organisation, cycle["title"]), "csv")
    response = download(plan_csv.export_plan(cycle).encode("utf-8"), f"{CSV}; charset=utf-8", name)
    response.headers.update(etag(cycle["version"]))
    return response


@blueprint.post("/cycles/<uuid:cycle_id>/plan.csv")
@blueprint.doc(
    requestBody={
        "required": True,
        "description": "A CSV in the export's format; ids that exist already are refused.",
        "content": {CSV: {"schema": {"type": "string"}}},
    }
)
@blueprint.response(201, PlanImportResultSchema, headers=VERSIONED)
@blueprint.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
@writes(blueprint)
def import_plan(cycle_id: UUID) -> Any:
    """Set the goals and plan the measures of a CSV, all in one change or none (coordinators)."""
    version = expected_version()
    if request.mimetype != CSV:
        raise ApiProblem(
            415,
            "unsupported-media-type",
            "Send the CSV as text/csv.",
            detail_de="Senden Sie die CSV-Datei als text/csv.",
        )
    try:
        text = request.get_data(as_text=False).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiProblem(
            422,
            "invalid-input",
            "The CSV must be UTF-8.",
            detail_de="Die CSV-Datei muss UTF-8-kodiert sein.",
        ) from None
    goals, measures = plan_csv.parse_plan(text)
    new_version = plan_csv.import_plan(
        engine(),
        cycle_id,
        actor_id=caller().actor_id,
        expected_version=version,
        goals=goals,
        measures=measures,
    )
    body, _, headers = result(cycle_id, new_version, status=201)
    return {**body, "goals": len(goals), "measures": len(measures)}, 201, headers


@blueprint.get("/organisations/<string:slug>/history.jsonl")
@blueprint.response(200, {"type": "string"}, content_type=JSON_LINES, headers=VERSIONED)
@reads(blueprint)
def export_history(slug: str) -> Any:
    """The organisation's and its cycles' complete event history (coordinators).

    The file `qualizyklus import` reads: a header line, one line per stored event, and a
    trailer with the count and a digest.
    """
    access = organisation_access(slug, "manage-members")
    out = io.StringIO()
    export_organisation(engine(), slug, out)
    response = Response(out.getvalue(), mimetype=JSON_LINES)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}-history.jsonl"'
    response.headers.update(etag(access.organisation["version"]))
    return response
