"""What a cycle collects along the way: lessons, feedback, comments, evidence documents.

An evidence document is attached by the hash of content its organisation uploaded (through the
cycle overview); its type and size come from that content, and it downloads only from a cycle of
that organisation.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app
from werkzeug.wrappers import Response

from engine.domain.errors import InvalidInput, NotFound
from engine.domain.validation import new_item_id
from web import attachments as files
from web.api.auth import caller, readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads, writes
from web.api.concurrency import etag
from web.api.cycles import run_command
from web.api.pagination import LIST_HEADERS, PageArgs, paginate
from web.api.schemas import (
    AttachmentInputSchema,
    CommandResultSchema,
    CommentInputSchema,
    CommentItemSchema,
    FeedbackInputSchema,
    LessonInputSchema,
    ReasonQuerySchema,
)
from web.services import engine

BINARY = {"type": "string", "format": "binary"}
DOWNLOADS = {media_type: {"schema": BINARY} for media_type in (*files.EXTENSIONS, files.UNKNOWN)}
"""Every type a download can have (that of its content)."""

blueprint = api_blueprint(
    "records", __name__, "Lessons, feedback, comments and evidence documents of a cycle."
)


def _created(cycle_id: UUID, command: Any, id_field: str, data: dict[str, Any]) -> Any:
    data[id_field] = data.get(id_field) or new_item_id()
    return run_command(cycle_id, command, item_id=data[id_field], http_status=201, **data)


@blueprint.post("/cycles/<uuid:cycle_id>/lessons")
@blueprint.arguments(LessonInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def record_lesson(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Record a lesson learned."""
    return _created(cycle_id, engine().record_lesson, "lesson_id", data)


@blueprint.post("/cycles/<uuid:cycle_id>/feedback")
@blueprint.arguments(FeedbackInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def record_feedback(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Record feedback from parents, practitioners, partners or politics."""
    return _created(cycle_id, engine().record_feedback, "feedback_id", data)


@blueprint.get("/cycles/<uuid:cycle_id>/comments")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, CommentItemSchema(many=True), headers={**LIST_HEADERS, **VERSIONED})
@reads(blueprint)
def list_comments(page: dict[str, int], cycle_id: UUID) -> Any:
    """The cycle's comments, oldest first (then by id)."""
    cycle = readable_cycle(cycle_id)
    comments = sorted(
        ({"id": key, **value} for key, value in cycle["comments"].items()),
        key=lambda c: (c["written_at"], c["id"]),
    )
    items, headers = paginate(comments, page)
    return items, {**headers, **etag(cycle["version"])}


@blueprint.post("/cycles/<uuid:cycle_id>/comments")
@blueprint.arguments(CommentInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def add_comment(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Comment on the cycle ('cycle') or one of its items ('goal:ID', 'measure:ID', ...)."""
    return _created(cycle_id, engine().add_comment, "comment_id", data)


@blueprint.post("/cycles/<uuid:cycle_id>/attachments")
@blueprint.arguments(AttachmentInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def attach_evidence(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Attach content the cycle's organisation uploaded, by its SHA-256.

    Type and size are those of the content (a differing claim is refused); content another
    organisation uploaded is refused exactly like content nobody uploaded.
    """
    return _created(cycle_id, engine().attach_evidence, "attachment_id", _evidence(cycle_id, data))


def _evidence(cycle_id: UUID, data: dict[str, Any]) -> dict[str, Any]:
    organisation_id = engine().organisation_of_cycle(cycle_id, actor_id=caller().actor_id)
    found = files.organisation_files(current_app.config, organisation_id).describe(data["sha256"])
    if found is None:
        raise InvalidInput(
            "sha256",
            "Diese Organisation hat keine Datei mit diesem Inhalt hochgeladen",
            "this organisation has uploaded no file with this content",
        )
    for field, actual in (("media_type", found.media_type), ("size", found.size)):
        if data.get(field) not in (None, actual):
            raise InvalidInput(field, f"der Inhalt hat {actual}", f"the content has {actual}")
    return {
        **data,
        "media_type": found.media_type,
        "size": found.size,
        "filename": files.safe_filename(data["filename"], found.media_type),
    }


@blueprint.get("/cycles/<uuid:cycle_id>/attachments/<string:attachment_id>/content")
@blueprint.response(200, BINARY, content_type=files.PDF, description="The content")
@blueprint.doc(responses={"200": {"content": DOWNLOADS}})
@reads(blueprint)
def download_attachment(cycle_id: UUID, attachment_id: str) -> Response:
    """An attachment's content, typed by the content itself (withdrawn ones answer 404)."""
    cycle = readable_cycle(cycle_id)
    attachment = cycle["attachments"].get(attachment_id)
    if attachment is None or attachment["removed"]:
        raise NotFound()
    store = files.organisation_files(current_app.config, cycle["organisation_id"])
    response = files.send_attachment(store, attachment_id, attachment)
    if response is None:
        raise NotFound()
    return response


@blueprint.delete("/cycles/<uuid:cycle_id>/attachments/<string:attachment_id>")
@blueprint.arguments(ReasonQuerySchema, location="query")
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def remove_attachment(query: dict[str, Any], cycle_id: UUID, attachment_id: str) -> Any:
    """Withdraw an attachment (a reason is required; the history keeps it)."""
    return run_command(
        cycle_id,
        engine().remove_attachment,
        item_id=attachment_id,
        attachment_id=attachment_id,
        **query,
    )
