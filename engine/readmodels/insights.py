"""The themes' insights into closed cycles, kept as numbers for the years at a glance.

When a cycle closes, its handler marks it (``qz_pending``, kind ``insights``); the follower
then asks the themes for their insights into it, once, and keeps every figure with a number
(``qz_insight_figures``) under its key, replacing what an earlier close left. A reopened
cycle's figures go.
This is the one place where the read models look at a cycle itself: the follower does it, once
per close, so that pages never need to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple
from uuid import UUID

from engine.domain.catalogue import Text
from engine.domain.contributions import Figure, Insight
from engine.domain.errors import NotFound
from engine.readmodels.batch import PENDING_INSIGHTS
from engine.readmodels.source import InsightSource, Source

if TYPE_CHECKING:
    from engine.readmodels.view import ReadModel


def pending_cycles(view: ReadModel, limit: int | None = None) -> list[str]:
    """Cycles whose insight figures wait to be computed (oldest mark first is not kept)."""
    rows = view.query("SELECT key FROM qz_pending WHERE kind = ? ORDER BY key", (PENDING_INSIGHTS,))
    keys = [row["key"] for row in rows]
    return keys if limit is None else keys[:limit]


def refresh(
    app: Source,
    view: ReadModel,
    *,
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Compute the figures of (up to ``limit``) marked cycles; return how many were done."""
    done = 0
    for cycle_id in pending_cycles(view, limit):
        gathered = figures_of(app, view, cycle_id)
        if view.replace_insight_figures(cycle_id, gathered.rows, version=gathered.version):
            done += 1
        if progress is not None:
            progress(1)
    return done


class Gathered(NamedTuple):
    """A cycle's insight figures as rows, and its version in the read models when gathered."""

    rows: list[dict[str, Any]]
    version: int | None


def figures_of(app: Source, view: ReadModel, cycle_id: str) -> Gathered:
    """The rows of a closed cycle's numeric insight figures (none for an open one)."""
    found = view.query(
        "SELECT organisation_id, closed, version FROM qz_cycles WHERE cycle_id = ?", (cycle_id,)
    )
    version = found[0]["version"] if found else None
    return Gathered(list(_figures(app, found, cycle_id)), version)


def _figures(app: Source, found: list[dict[str, Any]], cycle_id: str) -> Iterator[dict[str, Any]]:
    if not found or not found[0]["closed"]:
        return
    if not isinstance(app, InsightSource):
        msg = "the read models' source cannot ask the themes for insights"
        raise TypeError(msg)
    try:
        gathered = app.insights(UUID(cycle_id))
    except NotFound:
        return
    for insight in gathered.items:
        for index, figure in enumerate(insight.figures):
            if _number(figure.value) is not None:
                yield _row(cycle_id, found[0]["organisation_id"], insight, index, figure)


def _row(
    cycle_id: str, organisation_id: str, insight: Insight, index: int, figure: Figure
) -> dict[str, Any]:
    unit = figure.unit if isinstance(figure.unit, Text) else Text(figure.unit or "-")
    return {
        "cycle_id": cycle_id,
        "theme_id": insight.theme_id,
        "insight_id": insight.id,
        "figure_key": figure.key,
        "figure": index,
        "organisation_id": organisation_id,
        "insight_de": insight.title.de,
        "insight_en": insight.title.get("en"),
        "label_de": figure.label.de,
        "label_en": figure.label.get("en"),
        "value": _number(figure.value),
        "unit_de": "" if not figure.unit else unit.de,
        "unit_en": "" if not figure.unit else unit.get("en"),
    }


def _number(value: object) -> float | None:
    """A figure's value if it is a number (texts are left out)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
