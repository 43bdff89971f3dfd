"""Optimistic concurrency: ETag = the aggregate's version; writes name the version they saw.

Reads answer ``ETag: "<version>"``; a write must send it back in ``If-Match``. The engine
compares it with the stored version before anything is written: a stale one answers 412
(with the current ETag) and writes nothing; a missing one answers 428. Ratings are the one
exception: their If-Match is rater-scoped, so that people rating at the same time do not
refuse each other (see ``engine/application/commands/analysis.py``, ``_rater_stale``).
"""

from __future__ import annotations

import re
from typing import Any

from flask import request

from web.problems import ApiProblem

VERSION_TAG = re.compile(r'^\s*"(\d{1,18})"\s*$')

IF_MATCH_PARAMETER: dict[str, Any] = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The ETag of the version the change is based on, e.g. "12".',
    "schema": {"type": "string", "pattern": r'^"[0-9]{1,18}"$'},
}
ETAG_HEADER: dict[str, Any] = {
    "description": 'The version of the aggregate, quoted: "12".',
    "schema": {"type": "string", "pattern": r'^"[0-9]+"$'},
    "required": True,
}


def etag(version: int) -> dict[str, str]:
    """The ETag header for a version."""
    return {"ETag": f'"{version}"'}


def expected_version() -> int:
    """The version the caller's If-Match names; 428 without one, 412 if it names no version."""
    header = request.headers.get("If-Match")
    found = VERSION_TAG.match(header) if header is not None else None
    if header is None:
        raise ApiProblem(
            428,
            "precondition-required",
            'Send the ETag you read in If-Match (e.g. If-Match: "12"); writes need it.',
            detail_de='Senden Sie die gelesene ETag in If-Match (z. B. If-Match: "12"); '
            "Schreibzugriffe brauchen sie.",
        )
    if found is None:
        raise ApiProblem(
            412,
            "precondition-failed",
            'If-Match must be one version ETag as read, e.g. "12".',
            detail_de='If-Match muss genau eine gelesene Versions-ETag sein, z. B. "12".',
        )
    return int(found.group(1))
