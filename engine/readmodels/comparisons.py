"""The comparison of one Land's organisations, computed from the read models.

The figures are kept with the number of organisations each rests on; what may be shown (at
least :data:`MINIMUM_ORGANISATIONS`) is decided when they are read (engine/readmodels/queries.py),
so the rule lives in one place. Figures are per year: a theme's score (0 = lowest, 1 = highest
level of its criteria) as mean, median and quartiles over the organisations; goals reviewed
and their verdicts; measures and how many were done; and today's phases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from statistics import mean, median, quantiles
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.readmodels.view import ReadModel

MINIMUM_ORGANISATIONS = 5
"""A figure over fewer organisations than this is never shown to the state office."""


def land_figures(view: ReadModel, land: str) -> dict[str, Any]:
    """Everything the state view shows for a Land, with the organisation count of each figure."""
    organisations = view.query(
        "SELECT organisation_id, slug, name, shares_with_state FROM qz_organisations "
        "WHERE land = ? ORDER BY name",
        (land,),
    )
    scores = _scores(view, land)
    return {
        "land": land,
        "organisations": len(organisations),
        "themes": _theme_figures(
            scores, {row["organisation_id"] for row in organisations if row["shares_with_state"]}
        ),
        "goals": _goal_figures(view, land),
        "measures": _measure_figures(view, land),
        "phases": _phase_figures(view, land),
        "shared": [
            {
                "organisation_id": row["organisation_id"],
                "slug": row["slug"],
                "name": row["name"],
                "scores": _scores_of(scores, row["organisation_id"]),
            }
            for row in organisations
            if row["shares_with_state"]
        ],
    }


def spread(values: Iterable[float]) -> dict[str, Any]:
    """Mean, median and quartiles of values, with their number (rounded to 4 places)."""
    ordered = sorted(values)
    if not ordered:
        return {"organisations": 0}
    q1, _, q3 = (
        quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1 else [ordered[0]] * 3
    )
    return {
        "organisations": len(ordered),
        "mean": round(mean(ordered), 4),
        "median": round(median(ordered), 4),
        "q1": round(q1, 4),
        "q3": round(q3, 4),
    }


def _scores(view: ReadModel, land: str) -> dict[tuple[int, str], dict[str, float]]:
    """Each organisation's score per year and theme (mean over that year's cycles)."""
    rows = view.query(
        "SELECT s.organisation_id, c.year, s.theme_id, AVG(s.score) AS score "
        "FROM qz_assessments s JOIN qz_cycles c ON c.cycle_id = s.cycle_id "
        "JOIN qz_organisations o ON o.organisation_id = s.organisation_id "
        "WHERE o.land = ? AND s.score IS NOT NULL "
        "GROUP BY s.organisation_id, c.year, s.theme_id",
        (land,),
    )
    found: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for row in rows:
        found[(int(row["year"]), row["theme_id"])][row["organisation_id"]] = float(row["score"])
    return found


def _theme_figures(
    scores: dict[tuple[int, str], dict[str, float]], sharing: set[str]
) -> list[dict[str, Any]]:
    """Per year and theme the spread of the scores, and how many organisations do not share.

    Organisations that share are also shown one by one, so a figure over a few that do not
    would give theirs away (the figure less the named ones); ``unshared`` lets the reader of
    the figures see to that.
    """
    return [
        {
            "year": year,
            "theme_id": theme_id,
            **spread(by_organisation.values()),
            "unshared": sum(1 for o in by_organisation if o not in sharing),
        }
        for (year, theme_id), by_organisation in sorted(scores.items())
    ]


def _scores_of(
    scores: dict[tuple[int, str], dict[str, float]], organisation_id: str
) -> list[dict[str, Any]]:
    return [
        {"year": year, "theme_id": theme_id, "score": by_organisation[organisation_id]}
        for (year, theme_id), by_organisation in sorted(scores.items())
        if organisation_id in by_organisation
    ]


def _goal_figures(view: ReadModel, land: str) -> list[dict[str, Any]]:
    """Per year: the goals of the Land's organisations by verdict ('open' before review)."""
    return _counted_per_year(view, land, "qz_goals", "verdict", "goals", "verdicts", "open")


def _measure_figures(view: ReadModel, land: str) -> list[dict[str, Any]]:
    """Per year: the measures of the Land's organisations by status."""
    return _counted_per_year(view, land, "qz_measures", "status", "measures", "statuses", "")


def _counted_per_year(
    view: ReadModel, land: str, table: str, column: str, total: str, by: str, missing: str
) -> list[dict[str, Any]]:
    """Rows of ``table`` per year, counted by ``column``, with the organisations they rest on."""
    rows = view.query(
        f"SELECT c.year, t.organisation_id, t.{column} AS value, COUNT(*) AS n "
        f"FROM {table} t JOIN qz_cycles c ON c.cycle_id = t.cycle_id "
        "JOIN qz_organisations o ON o.organisation_id = t.organisation_id "
        f"WHERE o.land = ? GROUP BY c.year, t.organisation_id, t.{column}",
        (land,),
    )
    organisations: dict[int, set[str]] = defaultdict(set)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        year = int(row["year"])
        organisations[year].add(row["organisation_id"])
        counts[year][row["value"] or missing] += int(row["n"])
    return [
        {
            "year": year,
            "organisations": len(organisations[year]),
            total: sum(counts[year].values()),
            by: dict(sorted(counts[year].items())),
        }
        for year in sorted(counts)
    ]


def _phase_figures(view: ReadModel, land: str) -> dict[str, Any]:
    """The phase of each organisation's newest cycle, counted."""
    rows = view.query(
        "SELECT c.organisation_id, c.phase, c.period_start, c.started_at FROM qz_cycles c "
        "JOIN qz_organisations o ON o.organisation_id = c.organisation_id WHERE o.land = ?",
        (land,),
    )
    newest: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        key = (row["period_start"], row["started_at"], row["phase"])
        if row["organisation_id"] not in newest or key > newest[row["organisation_id"]]:
            newest[row["organisation_id"]] = key
    counts = Counter(phase for _, _, phase in newest.values())
    return {"organisations": len(newest), "counts": dict(sorted(counts.items()))}
