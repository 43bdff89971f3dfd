"""Paginated lists: ``page`` and ``per_page`` in the query, ``Link`` and ``X-Total-Count`` back.

Every list has a stable order (stated where it is served), so that walking the pages with the
``next`` links visits each item once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

import marshmallow as ma
from flask import request

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
T = TypeVar("T")

LINK_HEADER: dict[str, Any] = {
    "description": 'Links to the first, previous, next and last page (RFC 8288): <...>; rel="next"',
    "schema": {"type": "string"},
    "required": True,
}
TOTAL_HEADER: dict[str, Any] = {
    "description": "How many items the whole list has.",
    "schema": {"type": "string", "pattern": "^[0-9]+$"},
    "required": True,
}
LIST_HEADERS = {"Link": LINK_HEADER, "X-Total-Count": TOTAL_HEADER}


class PageArgs(ma.Schema):
    """Which page of a list, and how long a page is."""

    page = ma.fields.Integer(
        load_default=1,
        validate=ma.validate.Range(min=1, max=1_000_000),
        metadata={"description": "The page, from 1."},
    )
    per_page = ma.fields.Integer(
        load_default=DEFAULT_PER_PAGE,
        validate=ma.validate.Range(min=1, max=MAX_PER_PAGE),
        metadata={"description": f"Items per page (1 to {MAX_PER_PAGE})."},
    )


def page_links(page: int, per_page: int, total: int) -> dict[str, str]:
    """The Link and X-Total-Count headers of one page of a list of ``total`` items."""
    last = max(1, -(-total // per_page))
    query = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}

    def url(number: int) -> str:
        return f"{request.base_url}?{urlencode({**query, 'page': number, 'per_page': per_page})}"

    links = [f'<{url(1)}>; rel="first"']
    if page > 1:
        links.append(f'<{url(min(page - 1, last))}>; rel="prev"')
    if page < last:
        links.append(f'<{url(page + 1)}>; rel="next"')
    links.append(f'<{url(last)}>; rel="last"')
    return {"Link": ", ".join(links), "X-Total-Count": str(total)}


def paginate(items: Sequence[T], args: dict[str, int]) -> tuple[list[T], dict[str, str]]:
    """One page of ``items`` (already in their stable order) and its headers."""
    page, per_page = args["page"], args["per_page"]
    start = (page - 1) * per_page
    return list(items[start : start + per_page]), page_links(page, per_page, len(items))
