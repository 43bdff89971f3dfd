"""Questions the pages ask of the read models; each answer is plain data.

Nothing here replays an aggregate. Dates are ISO texts as stored; callers format them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

from engine.domain.cycle import SETTLED_STATUSES
from engine.readmodels.comparisons import MINIMUM_ORGANISATIONS

if TYPE_CHECKING:
    from engine.readmodels.view import ReadModel

COMPARED_CYCLES = 4
"""How many cycles the per-criterion comparison shows (the newest and those before it)."""


def organisation_cycles(view: ReadModel, organisation_id: str) -> list[dict[str, Any]]:
    """The organisation's cycles, oldest first, with year, phase and version."""
    rows = view.query(
        "SELECT cycle_id, title, year, period_start, period_end, phase, closed, themes, "
        "follows, started_at, updated_at, version FROM qz_cycles WHERE organisation_id = ? "
        "ORDER BY period_start, started_at",
        (organisation_id,),
    )
    for row in rows:
        row["themes"] = json.loads(row["themes"])
        row["closed"] = bool(row["closed"])
    return rows


def memberships(view: ReadModel, member_id: str) -> list[dict[str, Any]]:
    """The organisations a person belongs to, with their role, in order of name."""
    return view.query(
        "SELECT o.organisation_id, o.slug, o.name, m.role FROM qz_members m "
        "JOIN qz_organisations o ON o.organisation_id = m.organisation_id "
        "WHERE m.member_id = ? ORDER BY o.name, o.slug",
        (member_id,),
    )


def organisations(view: ReadModel) -> list[dict[str, Any]]:
    """Every organisation with its Land, members ({id: role}) and cycle ids, by name."""
    found = {
        row["organisation_id"]: {
            "id": row["organisation_id"],
            "slug": row["slug"],
            "name": row["name"],
            "land": row["land"],
            "shares_with_state": bool(row["shares_with_state"]),
            "members": {},
            "cycles": [],
        }
        for row in view.query("SELECT * FROM qz_organisations ORDER BY name, slug")
    }
    for row in view.query("SELECT organisation_id, member_id, role FROM qz_members"):
        found[row["organisation_id"]]["members"][row["member_id"]] = row["role"]
    for row in view.query(
        "SELECT organisation_id, cycle_id FROM qz_cycles ORDER BY period_start, started_at"
    ):
        found[row["organisation_id"]]["cycles"].append(row["cycle_id"])
    return list(found.values())


def cycles_by_year(cycles: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cycles grouped by year, newest year first, with the phases counted."""
    years: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for cycle in cycles:
        years[int(cycle["year"])].append(cycle)
    return [
        {
            "year": year,
            "cycles": years[year],
            "phases": _count(cycle["phase"] for cycle in years[year]),
        }
        for year in sorted(years, reverse=True)
    ]


def _count(values: Any) -> dict[str, int]:
    counted: dict[str, int] = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    return counted


def measures_due(
    view: ReadModel,
    *,
    organisation_id: str | None = None,
    member_id: str | None = None,
    on: date,
    days: int,
) -> list[dict[str, Any]]:
    """Unsettled measures of open cycles due within ``days`` of ``on`` or overdue.

    Either one organisation's or one member's (across organisations), soonest first, each
    with its cycle's and organisation's title and ``days_left`` (negative when overdue).
    """
    if (organisation_id is None) == (member_id is None):
        msg = "ask for one organisation's or one member's measures"
        raise ValueError(msg)
    column, key = (
        ("m.organisation_id", organisation_id)
        if organisation_id is not None
        else ("m.responsible_member_id", member_id)
    )
    settled = ", ".join("?" * len(SETTLED_STATUSES))
    rows = view.query(
        "SELECT m.cycle_id, m.measure_id, m.organisation_id, m.title, m.goal_id, m.theme_id, "
        "m.responsible_member_id, m.due, m.status, c.title AS cycle_title, "
        "o.slug AS organisation_slug, o.name AS organisation_name "
        "FROM qz_measures m JOIN qz_cycles c ON c.cycle_id = m.cycle_id "
        "JOIN qz_organisations o ON o.organisation_id = m.organisation_id "
        f"WHERE {column} = ? AND c.closed = 0 AND m.due IS NOT NULL AND m.due <= ? "
        f"AND m.status NOT IN ({settled}) ORDER BY m.due, c.title, m.title, m.measure_id",
        (key, (on + timedelta(days=days)).isoformat(), *SETTLED_STATUSES),
    )
    for row in rows:
        row["days_left"] = (date.fromisoformat(row["due"]) - on).days
    return rows


def reminder_measures(
    view: ReadModel, *, on: date, days: int, member_id: str | None = None
) -> list[dict[str, Any]]:
    """Measures to remind of: as :func:`measures_due`, across organisations, for members only.

    Only measures whose responsible person still belongs to the measure's organisation
    count; one member's (``member_id``) or everybody's.
    """
    settled = ", ".join("?" * len(SETTLED_STATUSES))
    member_filter = "AND m.responsible_member_id = ? " if member_id is not None else ""
    return view.query(
        "SELECT m.cycle_id, m.measure_id, m.organisation_id, m.title, "
        "m.responsible_member_id, m.due, m.status, c.title AS cycle_title, "
        "o.slug AS organisation_slug, o.name AS organisation_name "
        "FROM qz_measures m JOIN qz_cycles c ON c.cycle_id = m.cycle_id "
        "JOIN qz_organisations o ON o.organisation_id = m.organisation_id "
        "JOIN qz_members p ON p.organisation_id = m.organisation_id "
        "AND p.member_id = m.responsible_member_id "
        f"WHERE c.closed = 0 AND m.due IS NOT NULL AND m.due <= ? {member_filter}"
        f"AND m.status NOT IN ({settled})",
        (
            (on + timedelta(days=days)).isoformat(),
            *((member_id,) if member_id is not None else ()),
            *SETTLED_STATUSES,
        ),
    )


def theme_scores(view: ReadModel, organisation_id: str) -> dict[str, list[dict[str, Any]]]:
    """Per theme, its score (0 to 1) in each of the organisation's cycles, oldest first."""
    rows = view.query(
        "SELECT a.theme_id, a.cycle_id, a.score, a.raters, a.criteria, c.year, c.title "
        "FROM qz_assessments a JOIN qz_cycles c ON c.cycle_id = a.cycle_id "
        "WHERE a.organisation_id = ? AND a.raters > 0 ORDER BY c.period_start, c.started_at",
        (organisation_id,),
    )
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_theme[row.pop("theme_id")].append(row)
    return dict(by_theme)


def criterion_medians(
    view: ReadModel, cycle_ids: Sequence[str]
) -> dict[str, dict[str, dict[str, float]]]:
    """For each theme and criterion, the median rating position (0 to 1) per cycle."""
    if not cycle_ids:
        return {}
    marks = ", ".join("?" * len(cycle_ids))
    rows = view.query(
        f"SELECT cycle_id, theme_id, ratings FROM qz_assessments WHERE cycle_id IN ({marks})",
        tuple(cycle_ids),
    )
    found: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        for criterion_id, by_rater in json.loads(row["ratings"]).items():
            positions = [position for _, position in by_rater.values() if position is not None]
            if positions:
                found[row["theme_id"]][criterion_id][row["cycle_id"]] = round(median(positions), 4)
    return {theme: dict(criteria) for theme, criteria in found.items()}


def indicator_series(view: ReadModel, organisation_id: str) -> list[dict[str, Any]]:
    """Each indicator's values across the organisation's cycles, against its newest target.

    Goals of different cycles that measure the same indicator in the same unit form one
    series, so a trend can run over years.
    """
    goals = view.query(
        "SELECT g.cycle_id, g.goal_id, g.theme_id, g.title, g.indicator, g.unit, g.baseline, "
        "g.target, g.due, g.verdict, g.measurements, c.period_start, c.year FROM qz_goals g "
        "JOIN qz_cycles c ON c.cycle_id = g.cycle_id WHERE g.organisation_id = ? "
        "ORDER BY c.period_start, g.goal_id",
        (organisation_id,),
    )
    series: dict[tuple[str, str], dict[str, Any]] = {}
    for goal in goals:
        key = (goal["indicator"].strip().casefold(), goal["unit"].strip())
        entry = series.setdefault(
            key,
            {"indicator": goal["indicator"], "unit": goal["unit"], "goals": [], "values": []},
        )
        entry.update(
            title=goal["title"],
            theme_id=goal["theme_id"],
            target=goal["target"],
            baseline=entry.get("baseline", goal["baseline"]),
        )
        measurements = json.loads(goal.pop("measurements"))
        entry["goals"].append(goal)
        entry["values"].extend(
            {"value": value, "measured_on": measured_on, "position": position}
            for measured_on, value, position in filter(None, measurements)
        )
    for entry in series.values():
        entry["values"].sort(key=lambda point: (point["measured_on"], point["position"]))
        for point in entry["values"]:
            del point["position"]
        entry["latest"] = entry["values"][-1]["value"] if entry["values"] else None
    return sorted(series.values(), key=lambda entry: entry["indicator"].casefold())


def verdicts_by_year(view: ReadModel, organisation_id: str) -> list[dict[str, Any]]:
    """How the organisation's goals were judged, per year."""
    rows = view.query(
        "SELECT c.year, g.verdict, COUNT(*) AS goals FROM qz_goals g "
        "JOIN qz_cycles c ON c.cycle_id = g.cycle_id WHERE g.organisation_id = ? "
        "GROUP BY c.year, g.verdict ORDER BY c.year",
        (organisation_id,),
    )
    years: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        years[int(row["year"])][row["verdict"] or "open"] = int(row["goals"])
    return [{"year": year, "verdicts": verdicts} for year, verdicts in sorted(years.items())]


def insights_over_years(view: ReadModel, organisation_id: str) -> dict[str, list[dict[str, Any]]]:
    """Per theme, each numeric figure of its insights across the closed cycles, oldest first.

    A figure is one series (``insight``, ``label`` and ``unit`` as {'de', 'en'} texts) with a
    point per closed cycle: its year, cycle and value. A figure is known by its key across the
    years, never by its position: a theme may return more figures in a later cycle (a
    comparison with the previous one) or fewer. The newest cycle's wording and order count.
    """
    rows = view.query(
        "SELECT f.theme_id, f.insight_id, f.figure_key, f.figure, f.insight_de, f.insight_en, "
        "f.label_de, f.label_en, f.value, f.unit_de, f.unit_en, f.cycle_id, c.year "
        "FROM qz_insight_figures f JOIN qz_cycles c ON c.cycle_id = f.cycle_id "
        "WHERE f.organisation_id = ? ORDER BY c.period_start, c.started_at, c.cycle_id, "
        "f.theme_id, f.insight_id, f.figure",
        (organisation_id,),
    )
    series: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["theme_id"], row["insight_id"], row["figure_key"])
        entry = series.setdefault(
            key, {"insight_id": row["insight_id"], "key": row["figure_key"], "points": []}
        )
        entry.update(  # the newest cycle's wording and position count
            figure=int(row["figure"]),
            insight={"de": row["insight_de"], "en": row["insight_en"]},
            label={"de": row["label_de"], "en": row["label_en"]},
            unit={"de": row["unit_de"], "en": row["unit_en"]},
        )
        entry["points"].append(
            {"year": int(row["year"]), "cycle_id": row["cycle_id"], "value": row["value"]}
        )
    by_theme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (theme_id, _, _), entry in sorted(series.items(), key=_figure_order):
        by_theme[theme_id].append(entry)
    return dict(by_theme)


def _figure_order(item: tuple[tuple[str, str, str], dict[str, Any]]) -> tuple[str, str, int, str]:
    """Theme, insight, then the figure's newest position (its key where two share one)."""
    (theme_id, insight_id, key), entry = item
    return theme_id, insight_id, entry["figure"], key


def dashboard(view: ReadModel, organisation_id: str, *, on: date, days: int) -> dict[str, Any]:
    """Everything the organisation's dashboard shows, from the read models only."""
    cycles = organisation_cycles(view, organisation_id)
    compared = [cycle["cycle_id"] for cycle in cycles[-COMPARED_CYCLES:]]
    return {
        "cycles": cycles,
        "years": cycles_by_year(cycles),
        "current": cycles[-1] if cycles else None,
        "compared_cycles": cycles[-COMPARED_CYCLES:],
        "measures_due": measures_due(view, organisation_id=organisation_id, on=on, days=days),
        "indicators": indicator_series(view, organisation_id),
        "theme_scores": theme_scores(view, organisation_id),
        "criterion_medians": criterion_medians(view, compared),
        "verdicts": verdicts_by_year(view, organisation_id),
        "insights": insights_over_years(view, organisation_id),
    }


def state_view(
    view: ReadModel, land: str, *, minimum: int = MINIMUM_ORGANISATIONS
) -> dict[str, Any]:
    """The Land's comparison as the state office may see it.

    A figure resting on fewer than ``minimum`` organisations is left out; a Land with fewer
    organisations than that shows nothing at all, not even those that chose to share. Names
    appear only for organisations that chose to share; as their scores are shown one by one,
    a theme's figure is left out too when between one and ``minimum - 1`` of its organisations
    do not share (the figure less the named scores would give theirs away).
    """
    rows = view.query("SELECT figures, computed_at FROM qz_land_figures WHERE land = ?", (land,))
    figures: dict[str, Any] = json.loads(rows[0]["figures"]) if rows else {"organisations": 0}
    if figures["organisations"] < minimum:
        return {
            "land": land,
            "shown": False,
            "organisations": None,
            "minimum": minimum,
            "computed_at": rows[0]["computed_at"] if rows else None,
        }
    return {
        "land": land,
        "shown": True,
        "minimum": minimum,
        "computed_at": rows[0]["computed_at"],
        "organisations": figures["organisations"],
        "themes": [
            row
            for row in _enough(figures["themes"], minimum)
            if row.get("unshared") == 0 or row.get("unshared", 0) >= minimum
        ],
        "goals": _enough(figures["goals"], minimum),
        "measures": _enough(figures["measures"], minimum),
        "phases": figures["phases"] if figures["phases"]["organisations"] >= minimum else None,
        "shared": figures["shared"],
    }


def _enough(rows: Sequence[dict[str, Any]], minimum: int) -> list[dict[str, Any]]:
    return [row for row in rows if row["organisations"] >= minimum]
