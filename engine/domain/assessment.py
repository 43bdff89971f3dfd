"""Multi-rater assessment: per criterion and per theme, the raters, median, range and spread.

The practice material asks where the ratings differ most: the spread between raters is a
result, not noise. A criterion (or a theme's overall assessment) whose ratings spread over at
least half of its scale is flagged for dialogue (Dialogbedarf).
"""

from __future__ import annotations

from collections.abc import Mapping
from statistics import median
from typing import Any

from engine.domain.catalogue import Criterion, Theme

DIALOGUE_THRESHOLD = 0.5
"""Flag for dialogue when ratings spread over at least this share of the scale."""


def summarise_cycle(cycle: Mapping[str, Any], themes: Mapping[str, Theme]) -> list[dict[str, Any]]:
    """One summary per theme of the cycle (plain data, as ``Qualizyklus.cycle()`` returns)."""
    return [summarise_theme(cycle, theme_id, themes.get(theme_id)) for theme_id in cycle["themes"]]


def summarise_theme(cycle: Mapping[str, Any], theme_id: str, theme: Theme | None) -> dict[str, Any]:
    """A theme's criteria with their spread, the criteria to discuss, and the overall picture.

    A theme that is not installed any more shows its raw ratings without statistics.
    """
    if theme is None:
        raw = {
            key.split("/", 1)[1]: dict(ratings)
            for key, ratings in cycle["assessments"].items()
            if key.split("/", 1)[0] == theme_id
        }
        return {"theme_id": theme_id, "installed": False, "raw_ratings": raw}
    criteria = [
        summarise_criterion(criterion, cycle["assessments"].get(f"{theme_id}/{criterion.id}", {}))
        for criterion in theme.criteria
    ]
    rated = [c for c in criteria if c["raters"]]
    return {
        "theme_id": theme_id,
        "installed": True,
        "title": {"de": theme.title.de, "en": theme.title.get("en")},
        "criteria": criteria,
        "rated": len(rated),
        "dialogue": [
            c["criterion_id"]
            for c in sorted(rated, key=lambda c: c["spread"], reverse=True)
            if c["dialogue"]
        ],
        "overall": _overall(theme, cycle["assessments"]),
    }


def summarise_criterion(criterion: Criterion, ratings: Mapping[str, Any]) -> dict[str, Any]:
    """The ratings of one criterion with median, range and spread (range / scale span).

    Public for themes (``from engine import summarise_criterion``). ``ratings`` maps each rater
    to their rating (``{"value": ...}``), as a cycle's ``assessments`` hold them. The summary is
    plain data: ``criterion_id``, ``title`` (``de``, ``en``), ``scale``, ``ratings`` (rater to
    value), ``raters``; the positions on the scale ``median``, ``minimum``, ``maximum`` and
    ``range`` (None without ratings); ``spread`` (range over the scale's span, 0 to 1),
    ``dialogue`` (the raters differ by at least half the scale) and ``median_value`` (the scale
    value at the median, None between two levels).
    """
    scale = criterion.scale
    values = {rater: rating["value"] for rater, rating in ratings.items()}
    positions = sorted(scale.position(value) for value in values.values())
    summary: dict[str, Any] = {
        "criterion_id": criterion.id,
        "title": {"de": criterion.title.de, "en": criterion.title.get("en")},
        "scale": scale.id,
        "ratings": values,
        "raters": len(values),
    }
    summary.update(_statistics(positions, scale.span))
    summary["median_value"] = _value_at(criterion, summary["median"])
    return summary


def _statistics(positions: list[float], span: float) -> dict[str, Any]:
    if not positions:
        return {
            "median": None,
            "minimum": None,
            "maximum": None,
            "range": None,
            "spread": 0.0,
            "dialogue": False,
        }
    spread_range = positions[-1] - positions[0]
    spread = spread_range / span if span else 0.0
    return {
        "median": float(median(positions)),
        "minimum": positions[0],
        "maximum": positions[-1],
        "range": spread_range,
        "spread": round(spread, 4),
        "dialogue": len(positions) > 1 and spread >= DIALOGUE_THRESHOLD,
    }


def _value_at(criterion: Criterion, position: float | None) -> float | str | None:
    """The scale value at a median position (None between two levels)."""
    scale = criterion.scale
    if position is None:
        return None
    if scale.kind == "numeric":
        return position
    if position.is_integer():
        return scale.levels[int(position)].id
    return None


def _overall(theme: Theme, assessments: Mapping[str, Any]) -> dict[str, Any]:
    """Each rater's mean position (0 = lowest, 1 = highest) over the criteria they rated."""
    per_rater: dict[str, list[float]] = {}
    for criterion in theme.criteria:
        scale = criterion.scale
        lowest = scale.position(scale.levels[0].id) if scale.kind == "levels" else scale.minimum
        for rater, rating in assessments.get(f"{theme.id}/{criterion.id}", {}).items():
            share = (scale.position(rating["value"]) - lowest) / scale.span
            per_rater.setdefault(rater, []).append(share)
    means = {rater: round(sum(v) / len(v), 4) for rater, v in per_rater.items()}
    overall: dict[str, Any] = {"ratings": means, "raters": len(means)}
    overall.update(_statistics(sorted(means.values()), 1.0))
    return overall
