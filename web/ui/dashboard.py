"""The organisation's dashboard, "Übersicht über die Jahre": cycles by year and phase,
measures overdue and due soon, indicator trends against their targets, per theme the ratings
of the newest cycles and the theme's score over the years, and the goals' verdicts per year.

Every number comes from the read models (engine/readmodels/), never from replaying an
aggregate; names of responsible members come from the profile store. Each chart is SVG with a
text alternative and the same numbers as a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from markupsafe import Markup

from engine.application.reminders import today
from engine.domain.catalogue import Theme
from engine.domain.surveys import MIN_ANSWERS_FOR_RESULTS
from engine.readmodels import current, queries
from web.access import person
from web.auth import membership
from web.i18n import amount, localised, percent, percent_suffix, short_date, unit_suffix
from web.services import engine
from web.ui import blueprint
from web.ui.audit import moment
from web.ui.dashboard_charts import BarSeries, Reference, bar_chart, line_chart, number
from web.ui.dashboard_insights import insight_table, share_charts
from web.ui.reminders import reminder_days

VERDICT_ORDER = ("reached", "partly", "not", "open")


@blueprint.get("/o/<slug>/dashboard")
@login_required
def dashboard(slug: str) -> str:
    """The organisation's years at a glance, for every member (viewers included)."""
    member = membership(slug)
    app = engine()
    fresh = current(app)
    days = reminder_days()
    data = queries.dashboard(fresh.view, member.organisation["id"], on=today(), days=days)
    data = app.blind_dashboard(data, actor_id=person())  # the blind first round
    return render_template(
        "ui/dashboard.html",
        member=member,
        years=data["years"],
        overdue=[m for m in data["measures_due"] if m["days_left"] < 0],
        due_soon=[m for m in data["measures_due"] if m["days_left"] >= 0],
        names=app.display_names(
            m["responsible_member_id"] for m in data["measures_due"] if m["responsible_member_id"]
        ),
        days=days,
        indicators=[
            indicator_view(series, index) for index, series in enumerate(data["indicators"])
        ],
        themes=theme_views(data, app.themes),
        verdicts=verdict_rows(data["verdicts"]),
        min_answers=MIN_ANSWERS_FOR_RESULTS,
        stand=moment(datetime.now(UTC)),
        lag=fresh.lag,
    )


def indicator_view(series: Mapping[str, Any], index: int) -> dict[str, Any]:
    """One indicator series with its chart (values over time, target and baseline lines)."""
    chart_id = f"indicator-{index}"
    points = [(short_date(v["measured_on"]), float(v["value"])) for v in series["values"]]
    references = []
    if series["target"] is not None:
        references.append(Reference(_("Ziel"), float(series["target"])))
    if series["baseline"] is not None:
        references.append(Reference(_("Ausgangswert"), float(series["baseline"]), dashes="2 3"))
    unit = unit_suffix(series["unit"])
    chart = (
        line_chart(
            chart_id,
            str(series["indicator"]),
            indicator_description(series, points),
            points,
            at=[_year_fraction(v["measured_on"]) for v in series["values"]],
            label=_("Gemessener Wert"),
            references=references,
            suffix=unit,
            axis_suffix="",
        )
        if points
        else None
    )
    return {**series, "id": chart_id, "chart": chart, "points": points}


def _year_fraction(value: date | str) -> float:
    """A date as a year with its fraction (1 July 2024 is about 2024.5), for a time axis."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return day.year + (day.timetuple().tm_yday - 1) / 366


def indicator_description(series: Mapping[str, Any], points: Sequence[tuple[str, float]]) -> str:
    """The gist of an indicator chart: how many values, from when to when, latest and target."""
    return str(
        ngettext(
            "%(num)s Wert vom %(first)s: %(latest)s; Ziel %(target)s, Ausgangswert %(baseline)s.",
            "%(num)s Werte von %(first)s bis %(last)s, zuletzt %(latest)s; "
            "Ziel %(target)s, Ausgangswert %(baseline)s.",
            len(points),
            first=points[0][0],
            last=points[-1][0],
            latest=amount(points[-1][1], series["unit"]),
            target=number(series["target"]),
            baseline=number(series["baseline"]),
        )
    )


def cycle_labels(cycles: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """A short label per cycle: its year, or its title where a year has several cycles."""
    years = [cycle["year"] for cycle in cycles]
    return {
        cycle["cycle_id"]: str(cycle["year"]) if years.count(cycle["year"]) == 1 else cycle["title"]
        for cycle in cycles
    }


def theme_views(data: Mapping[str, Any], themes: Mapping[str, Theme]) -> list[dict[str, Any]]:
    """Per theme: the criterion medians of the compared cycles and the score over the years."""
    medians: dict[str, Any] = data["criterion_medians"]
    scores: dict[str, Any] = data["theme_scores"]
    insights: dict[str, Any] = data["insights"]
    labels = cycle_labels(data["cycles"])
    views = []
    for theme_id in sorted(set(medians) | set(scores) | set(insights)):
        theme = themes.get(theme_id)
        title = localised(theme.title) if theme else theme_id
        views.append(
            {
                "id": theme_id,
                "title": title,
                "comparison": criteria_comparison(
                    theme_id, title, theme, medians.get(theme_id, {}), data, labels
                ),
                "scores": score_history(theme_id, title, scores.get(theme_id, []), labels),
                "insights": insight_table(insights.get(theme_id, []), labels),
                "shares": share_charts(theme_id, insights.get(theme_id, []), labels),
            }
        )
    return sorted(views, key=lambda view: str(view["title"]).casefold())


def criteria_comparison(
    theme_id: str,
    title: str,
    theme: Theme | None,
    medians: Mapping[str, Mapping[str, float]],
    data: Mapping[str, Any],
    labels: Mapping[str, str],
) -> dict[str, Any] | None:
    """The bar chart of criterion medians (0–100 %): the newest cycle beside earlier ones."""
    if not medians:
        return None
    known = [c for c in theme.criteria if c.id in medians] if theme else []
    criteria = [(c.id, localised(c.title)) for c in known] or [(c, c) for c in sorted(medians)]
    series = []
    for cycle in reversed(data["compared_cycles"]):  # the newest first
        values = tuple(
            _percent(medians.get(criterion, {}).get(cycle["cycle_id"]))
            for criterion, _title in criteria
        )
        if any(value is not None for value in values):
            series.append(BarSeries(labels[cycle["cycle_id"]], values))
    if not series:
        return None
    chart_id = f"criteria-{theme_id}"
    summary = "; ".join(f"{entry.label}: {percent(_mean(entry.values))}" for entry in series)
    description = _(
        "Median der Bewertungen je Kriterium in Prozent der Skala, neuester Zyklus zuerst. "
        "Durchschnitt über die Kriterien: %(summary)s. Alle Werte stehen in der Tabelle.",
        summary=summary,
    )
    chart_title = _("%(theme)s: Bewertung je Kriterium", theme=title)
    labels_only = [label for _id, label in criteria]
    return {
        "id": chart_id,
        "title": chart_title,
        "chart": bar_chart(chart_id, chart_title, description, labels_only, series),
        "criteria": labels_only,
        "series": series,
    }


def score_history(
    theme_id: str, title: str, scores: Sequence[Mapping[str, Any]], labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """The line chart of the theme's score (0–100 %) in each cycle, oldest first."""
    points = [
        (labels.get(row["cycle_id"], str(row["year"])), float(row["score"]) * 100)
        for row in scores
        if row["score"] is not None
    ]
    if not points:
        return None
    chart_id = f"scores-{theme_id}"
    chart_title = _("%(theme)s: Punktwert über die Jahre", theme=title)
    description = _(
        "Punktwert des Themas in Prozent (0 = niedrigste, 100 = höchste Stufe aller "
        "Kriterien): %(values)s.",
        values="; ".join(f"{label}: {percent(value)}" for label, value in points),
    )
    years = [float(row["year"]) for row in scores if row["score"] is not None]
    chart: Markup = line_chart(
        chart_id,
        chart_title,
        description,
        points,
        at=years,
        yearly=True,
        suffix=percent_suffix(),
        share=True,
    )
    return {"id": chart_id, "title": chart_title, "chart": chart, "points": points}


def verdict_rows(verdicts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per year the number of goals per verdict (reached, partly, not, open) and in all."""
    return [
        {
            "year": row["year"],
            "counts": [row["verdicts"].get(verdict, 0) for verdict in VERDICT_ORDER],
            "total": sum(row["verdicts"].values()),
        }
        for row in sorted(verdicts, key=lambda row: row["year"], reverse=True)
    ]


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _mean(values: Sequence[float | None]) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None
