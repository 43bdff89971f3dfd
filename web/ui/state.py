"""The state view ("Landesübersicht") for the state coordination office (LaKo).

A state coordinator sees their Land's comparison at ``/land``; an installation administrator
may open any Land at ``/land/<code>``. For everyone else the page does not exist (404); a
state coordinator asking for another Land is refused (403). Every figure rests on at least
five organisations (engine/readmodels/queries.py decides); names appear only of the
organisations that chose to share them with the office.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import Response, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.application.state_office import state_office
from engine.domain.organisation import LAENDER
from engine.readmodels import current, queries
from web.i18n import localised
from web.services import engine
from web.ui import blueprint
from web.ui.audit import LAND_NAMES, moment
from web.ui.common import person
from web.ui.dashboard_charts import Spread, number, spread_chart
from web.ui.state_files import VERDICTS, figures_csv, share, state_pdf_of


def state_land() -> str | None:
    """The Land the signed-in person coordinates for the state office, or None."""
    if not current_user.is_authenticated:
        return None
    return state_office(engine()).land_of(person())


def _is_admin() -> bool:
    return bool(current_user.is_authenticated and getattr(current_user, "is_admin", False))


def header_state_land() -> str | None:
    """``state_land`` for the page header, which must never break a page (None on failure)."""
    try:
        return state_land()
    except Exception:  # e.g. the table is missing until `qualizyklus init` ran after an upgrade
        current_app.logger.exception("state coordinator role not available")
        return None


@blueprint.app_context_processor
def _state_helpers() -> dict[str, Any]:
    return {"state_land": header_state_land}


@blueprint.get("/land")
@login_required
def state() -> str:
    """The signed-in state coordinator's Land; administrators choose a Land."""
    land = state_land()
    if land is not None:
        return render(land)
    if _is_admin():
        return render_template("ui/state_choose.html", lands=LAND_NAMES)
    abort(404)


@blueprint.get("/land/<code>")
@login_required
def state_of(code: str) -> str:
    """One Land's comparison: for administrators any, for a state coordinator their own."""
    return render(readable_land(code))


@blueprint.get("/land/<code>/report.pdf")
@login_required
def state_pdf(code: str) -> Response:
    """The Land's comparison as PDF: the page itself, printed (tagged, A4)."""
    land = readable_land(code)
    name = LAND_NAMES.get(land, land)
    return state_pdf_of(render(land), land_name=name)


@blueprint.get("/land/<code>/figures.csv")
@login_required
def state_csv(code: str) -> Response:
    """The Land's figures as CSV, exactly those the page shows."""
    land = readable_land(code)
    data = state_data(land)
    titles = {theme_id: theme.title.de for theme_id, theme in engine().themes.items()}
    return figures_csv(data, titles, land_name=LAND_NAMES.get(land, land))


def readable_land(code: str) -> str:
    """``code`` if the signed-in person may see that Land: 404 unknown or no role, 403 another."""
    if code not in LAENDER:
        abort(404)
    if _is_admin():
        return code
    land = state_land()
    if land is None:
        abort(404)
    if land != code:
        abort(403)
    return code


def state_data(land: str) -> dict[str, Any]:
    """What the state office may see of the Land (queries.state_view decides), with the lag."""
    fresh = current(engine())
    return {**queries.state_view(fresh.view, land), "lag": fresh.lag}


def render(land: str) -> str:
    """The state view of one Land, from the read models only."""
    data = state_data(land)
    themes = engine().themes
    titles = {theme_id: localised(theme.title) for theme_id, theme in themes.items()}
    shown = data["shown"]
    return render_template(
        "ui/state.html",
        land=land,
        land_name=LAND_NAMES.get(land, land),
        data=data,
        computed_at=_when(data["computed_at"]),
        lag=data["lag"],
        themes=theme_sections(data["themes"], titles) if shown else [],
        goals=goal_rows(data["goals"]) if shown else [],
        measures=measure_rows(data["measures"]) if shown else [],
        phases=phase_rows(data["phases"]) if shown and data["phases"] else [],
        shared=shared_rows(data["shared"], titles) if shown else [],
        verdicts=VERDICTS,
        page_number=_("Seite %(page)s").partition("%(page)s")[::2],
    )


def _when(value: str | None) -> str:
    """A stored timestamp as the reader reads it ('' when there is none)."""
    if not value:
        return ""
    try:
        return moment(datetime.fromisoformat(value))
    except ValueError:
        return value


def theme_sections(
    rows: Sequence[Mapping[str, Any]], titles: Mapping[str, str]
) -> list[dict[str, Any]]:
    """Per theme: its years with mean, median and quartiles (in percent) and a chart."""
    by_theme: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_theme[row["theme_id"]].append(row)
    sections = []
    for theme_id, years in by_theme.items():
        title = titles.get(theme_id, theme_id)
        spreads = [
            Spread(
                str(row["year"]),
                row["mean"] * 100,
                row["median"] * 100,
                row["q1"] * 100,
                row["q3"] * 100,
            )
            for row in sorted(years, key=lambda row: row["year"])
        ]
        chart_title = _("%(theme)s: Punktwerte der Organisationen je Jahr", theme=title)
        description = _(
            "Kasten vom unteren zum oberen Quartil, Strich beim Median, Punkt beim Mittelwert, "
            "in Prozent. %(values)s.",
            values="; ".join(
                _(
                    "%(year)s: Mittelwert %(mean)s %%, Median %(median)s %% über %(count)s "
                    "Organisationen",
                    year=spread.label,
                    mean=number(spread.mean),
                    median=number(spread.median),
                    count=row["organisations"],
                )
                for spread, row in zip(spreads, sorted(years, key=lambda r: r["year"]), strict=True)
            ),
        )
        chart_id = f"land-{theme_id}"
        sections.append(
            {
                "id": chart_id,
                "title": title,
                "chart_title": chart_title,
                "chart": spread_chart(chart_id, chart_title, description, spreads),
                "rows": [
                    {"spread": spread, "organisations": row["organisations"]}
                    for spread, row in zip(
                        spreads, sorted(years, key=lambda r: r["year"]), strict=True
                    )
                ],
            }
        )
    return sorted(sections, key=lambda section: str(section["title"]).casefold())


def goal_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per year: goals, organisations, and the share of each verdict (in percent)."""
    return [
        {
            "year": row["year"],
            "organisations": row["organisations"],
            "goals": row["goals"],
            "shares": [
                share(row["verdicts"].get(verdict, 0), row["goals"]) for verdict in VERDICTS
            ],
        }
        for row in sorted(rows, key=lambda row: row["year"], reverse=True)
    ]


def measure_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per year: measures, organisations and the share done (in percent)."""
    return [
        {
            "year": row["year"],
            "organisations": row["organisations"],
            "measures": row["measures"],
            "done": share(row["statuses"].get("done", 0), row["measures"]),
        }
        for row in sorted(rows, key=lambda row: row["year"], reverse=True)
    ]


def phase_rows(phases: Mapping[str, Any]) -> list[dict[str, Any]]:
    """How many organisations' newest cycles are in each phase."""
    return [{"phase": phase, "organisations": count} for phase, count in phases["counts"].items()]


def shared_rows(
    shared: Sequence[Mapping[str, Any]], titles: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The organisations that chose to share, by name, with their scores (percent)."""
    return [
        {
            "name": row["name"],
            "scores": [
                {
                    "year": score["year"],
                    "theme": titles.get(score["theme_id"], score["theme_id"]),
                    "score": round(score["score"] * 100, 1),
                }
                for score in sorted(row["scores"], key=lambda s: (-s["year"], s["theme_id"]))
            ],
        }
        for row in shared
    ]
