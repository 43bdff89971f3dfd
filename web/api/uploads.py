"""Evidence files uploaded through the API: the content in the body, stored for the cycle's
organisation (checked by its content, as on the cycle overview) and attached in one request."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app, request

from engine.domain.errors import InvalidInput
from engine.domain.validation import new_item_id
from web import attachments as files
from web.api.auth import caller
from web.api.common import VERSIONED, api_blueprint, writes
from web.api.concurrency import expected_version
from web.api.cycles import run_command
from web.api.schemas import CommandResultSchema, UploadQuerySchema
from web.problems import ApiProblem
from web.services import engine

UPLOAD_BODY = {
    "required": True,
    "description": "The file's content: a PDF, an image (PNG, JPEG, GIF) or an office document.",
    "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
}

blueprint = api_blueprint("uploads", __name__, "Evidence files uploaded and attached at once.")


def upload_limit() -> int:
    """The largest file accepted, in bytes (the app's MAX_CONTENT_LENGTH, as on the pages)."""
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 10 * 1024 * 1024)


def _refused(refused: files.Refused) -> Exception:
    if refused.reason == "size":
        return ApiProblem(
            413,
            "payload-too-large",
            f"The file is too large (at most {upload_limit()} bytes).",
            detail_de=f"Die Datei ist zu groß (höchstens {upload_limit()} Bytes).",
        )
    if refused.reason == "empty":
        return InvalidInput("content", "Die Datei ist leer.", "The file is empty.")
    return InvalidInput(
        "content",
        "ist kein PDF, kein Bild (PNG, JPEG, GIF) und kein Office-Dokument",
        "is no PDF, no image (PNG, JPEG, GIF) and no office document",
    )


@blueprint.post("/cycles/<uuid:cycle_id>/attachments/upload")
@blueprint.arguments(UploadQuerySchema, location="query")
@blueprint.doc(requestBody=UPLOAD_BODY)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def upload_evidence(query: dict[str, Any], cycle_id: UUID) -> Any:
    """Upload an evidence file (the body) and attach it to the cycle; its type and size are
    its content's. A refused record leaves no file behind (If-Match: the cycle's version)."""
    expected_version()  # 428 before anything is stored
    organisation_id = engine().organisation_of_cycle(cycle_id, actor_id=caller().actor_id)
    store = files.organisation_files(current_app.config, organisation_id)
    try:
        stored = store.store(request.stream, limit=upload_limit())
    except files.Refused as refused:
        raise _refused(refused) from None
    item_id = query.get("attachment_id") or new_item_id()
    try:
        return run_command(
            cycle_id,
            engine().attach_evidence,
            item_id=item_id,
            http_status=201,
            attachment_id=item_id,
            sha256=stored.sha256,
            filename=files.safe_filename(query["filename"], stored.media_type),
            media_type=stored.media_type,
            size=stored.size,
            subject=query["subject"],
        )
    except Exception:
        store.discard(stored)
        raise
