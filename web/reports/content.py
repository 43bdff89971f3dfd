"""What the cycle report says, assembled once per request in the reader's language.

The HTML page and the PDF lay out the same :class:`Report`. Every text in it is final: numbers
in the reader's format ("62,5" or "62.5"), dates, labels and the themes' texts in the reader's
language, people by their display names (pseudonyms once erased). Only the charts stay data
(:class:`engine.Chart`), so that the page can draw them as SVG and the PDF as vector graphics,
each with the same text alternative and the same numbers as a table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from flask_babel import gettext as _

from engine.application.audit import LOCAL_TIME
from engine.domain.catalogue import Text, Theme
from engine.domain.contributions import Chart, ReportSection, Series
from web.i18n import PHASES, STATUSES, VERDICTS, language, localised, number, short_date
from web.services import engine
from web.ui.audit import ChainStatus, actor_name, chain_status
from web.ui.common import CyclePage

DASH = "–"
SETTLED = frozenset({"done", "dropped", "carried-over"})
"""Measure statuses that are never overdue."""

Cell = str | int | float | Text


@dataclass(frozen=True)
class Grid:
    """A table ready to show: column headings and rows of texts.

    ``numeric`` names the columns (by index) that hold numbers only, to align them right.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Picture:
    """A chart, its text alternative and its numbers as a table."""

    id: str
    chart: Chart
    title: str
    description: str
    data: Grid


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of a theme: label, value with its unit, a note in small print."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Part:
    """One theme's section of the report."""

    id: str
    theme_id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    figures: tuple[KeyFigure, ...] = ()
    pictures: tuple[Picture, ...] = ()
    grids: tuple[Grid, ...] = ()


@dataclass(frozen=True)
class Review:
    """A goal's judgement with its evidence."""

    goal: str
    verdict: str
    evidence: str


@dataclass(frozen=True)
class IndicatorResult:
    """One goal's measured values: a chart (when there are values) and the values as a table."""

    id: str
    goal: str
    indicator: str
    picture: Picture | None
    values: Grid


@dataclass(frozen=True)
class Lesson:
    """A lesson learned, with the title of its theme (empty if it has none)."""

    theme: str
    text: str


@dataclass(frozen=True)
class Seal:
    """The state of one seal chain, in words."""

    what: str
    intact: bool
    text: str
    seal_label: str
    seal: str
    short_seal: str


@dataclass(frozen=True)
class Report:
    """Everything the Qualitätsbericht shows, in the reader's language."""

    language: str
    title: str
    cycle_title: str
    organisation: str
    facts: tuple[tuple[str, str], ...]
    notices: tuple[str, ...]
    parts: tuple[Part, ...]
    goals: Grid
    reviews: tuple[Review, ...]
    measures: Grid
    indicators: tuple[IndicatorResult, ...]
    lessons: tuple[Lesson, ...]
    closing: tuple[tuple[str, str], ...]
    seals: tuple[Seal, ...]
    seal_summary: str
    seal_hint: str
    headings: dict[str, str] = field(default_factory=dict)


# Texts in the reader's format -----------------------------------------------------------------


def amount(value: float | int | None, unit: str) -> str:
    """A number with its unit ("3 Anzahl"); a dash for none."""
    if value is None:
        return DASH
    return f"{number(value)} {unit}".strip()


def day(value: date | str | None) -> str:
    """A date as the reader expects it; a dash for none."""
    return short_date(value) or DASH


def shown(value: Cell | None) -> str:
    """A plugin's figure value, unit or table cell as text in the reader's language."""
    if value is None:
        return DASH
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value)
    if isinstance(value, Text):
        return localised(value)
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def grid(columns: Sequence[Cell], rows: Sequence[Sequence[Cell | None]]) -> Grid:
    """A table of texts from cells; columns that hold numbers only are marked numeric."""
    numeric = frozenset(
        index
        for index in range(len(columns))
        if rows
        and all(index < len(row) and (row[index] is None or _is_number(row[index])) for row in rows)
        and any(_is_number(row[index]) for row in rows)
    )
    return Grid(
        tuple(shown(column) for column in columns),
        tuple(tuple(shown(cell) for cell in row) for row in rows),
        numeric,
    )


def theme_title(themes: Mapping[str, Theme], theme_id: str | None) -> str:
    """A theme's title in the reader's language; its id when not installed; '' for none."""
    if not theme_id:
        return ""
    theme = themes.get(theme_id)
    return localised(theme.title) if theme else theme_id


# Charts -------------------------------------------------------------------------------------


def picture(chart: Chart, chart_id: str) -> Picture:
    """A chart with its text alternative and its numbers as a table."""
    description = localised(chart.description) if chart.description else chart_summary(chart)
    data = grid(
        (chart.title, *(series.label for series in chart.series)),
        [
            (category, *(series.values[index] for series in chart.series))
            for index, category in enumerate(chart.categories)
        ],
    )
    return Picture(chart_id, chart, localised(chart.title), description, data)


def chart_summary(chart: Chart) -> str:
    """A text alternative listing each category's values (for charts without a description)."""
    rows = []
    for index, category in enumerate(chart.categories):
        values = ", ".join(
            f"{localised(series.label)} {number(series.values[index])}" for series in chart.series
        )
        rows.append(f"{localised(category)}: {values}")
    return "; ".join(rows)


def _same(text: str) -> Text:
    """A text already in the reader's language, as the chart data type wants it."""
    return Text(text or DASH, text or DASH)


def indicator_chart(goal: Mapping[str, Any], values: Sequence[Mapping[str, Any]]) -> Chart:
    """A goal's baseline, measured values and target as bars."""
    unit = str(goal.get("unit") or "")
    categories: list[Text] = []
    numbers: list[float | None] = []
    if goal.get("baseline") is not None:
        categories.append(_same(_("Ausgangswert")))
        numbers.append(float(goal["baseline"]))
    for value in values:
        categories.append(_same(day(value["measured_on"])))
        numbers.append(float(value["value"]))
    if goal.get("target") is not None:
        categories.append(_same(_("Zielwert")))
        numbers.append(float(goal["target"]))
    label = unit or _("Wert")
    description = _(
        "Balkendiagramm des Indikators „%(indicator)s“: %(values)s.",
        indicator=goal.get("indicator") or goal.get("title") or "",
        values="; ".join(
            f"{localised(category)}: {amount(value, unit)}"
            for category, value in zip(categories, numbers, strict=True)
        ),
    )
    return Chart(
        kind="bar",
        title=_same(str(goal.get("title") or "")),
        categories=tuple(categories),
        series=(Series(_same(label), tuple(numbers)),),
        description=_same(description),
    )


# The parts of the report ----------------------------------------------------------------------


def part(section: ReportSection, index: int) -> Part:
    """One theme's report section, ready to show."""
    anchor = f"theme-{index}"
    return Part(
        id=anchor,
        theme_id=section.theme_id,
        title=localised(section.title),
        paragraphs=tuple(localised(p) for p in section.paragraphs if localised(p)),
        figures=tuple(
            KeyFigure(
                localised(figure.label),
                f"{shown(figure.value)} {shown(figure.unit) if figure.unit else ''}".strip(),
                localised(figure.note) if figure.note else "",
            )
            for figure in section.figures
        ),
        pictures=tuple(
            picture(chart, f"{anchor}-chart-{number_ + 1}")
            for number_, chart in enumerate(section.charts)
        ),
        grids=tuple(grid(table.columns, table.rows) for table in section.tables),
    )


def ordered(sections: Sequence[ReportSection], themes: Sequence[str]) -> list[ReportSection]:
    """The sections in the order of the cycle's themes (others after them, as they came)."""
    position = {theme_id: index for index, theme_id in enumerate(themes)}
    return sorted(sections, key=lambda s: position.get(s.theme_id, len(position)))


def goal_values(goal: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A goal's measured values, oldest first."""
    return sorted(goal.get("values") or [], key=lambda value: value["measured_on"])


def latest_text(goal: Mapping[str, Any]) -> str:
    """The latest measured value with its unit and date ("5 Anzahl (15.09.2025)")."""
    values = goal_values(goal)
    if not values:
        return DASH
    last = values[-1]
    return f"{amount(last['value'], str(goal.get('unit') or ''))} ({day(last['measured_on'])})"


def goals_grid(cycle: Mapping[str, Any], themes: Mapping[str, Theme]) -> Grid:
    """The goals with theme, indicator, baseline, latest value, target and verdict."""
    rows = []
    for goal in cycle["goals"].values():
        unit = str(goal.get("unit") or "")
        review = goal.get("review") or {}
        verdict = review.get("verdict")
        rows.append(
            (
                str(goal["title"]),
                theme_title(themes, goal.get("theme_id")) or DASH,
                str(goal.get("indicator") or DASH),
                amount(goal.get("baseline"), unit),
                latest_text(goal),
                amount(goal.get("target"), unit),
                str(VERDICTS.get(verdict, verdict)) if verdict else _("noch nicht bewertet"),
            )
        )
    return Grid(
        (
            _("Ziel"),
            _("Thema"),
            _("Indikator"),
            _("Ausgangswert"),
            _("Letzter Wert"),
            _("Zielwert"),
            _("Bewertung"),
        ),
        tuple(rows),
    )


def reviews(cycle: Mapping[str, Any]) -> tuple[Review, ...]:
    """The goals that have been judged, with the evidence."""
    found = []
    for goal in cycle["goals"].values():
        review = goal.get("review")
        if review:
            verdict = review.get("verdict")
            found.append(
                Review(
                    str(goal["title"]),
                    str(VERDICTS.get(verdict, verdict)),
                    str(review.get("evidence") or ""),
                )
            )
    return tuple(found)


def measures_grid(
    cycle: Mapping[str, Any], themes: Mapping[str, Theme], names: Mapping[str, str], today: date
) -> Grid:
    """The measures with goal (or theme), responsible person, status and dates."""
    rows = []
    goals = cycle["goals"]
    for measure in cycle["measures"].values():
        goal = goals.get(measure.get("goal_id") or "")
        status = str(measure.get("status") or "")
        label = str(STATUSES.get(status, status))
        due = measure.get("due")
        if isinstance(due, date) and due < today and status not in SETTLED:
            label = _("%(status)s, überfällig", status=label)
        responsible = measure.get("responsible_member_id")
        rows.append(
            (
                str(measure["title"]),
                str(goal["title"])
                if goal
                else theme_title(themes, measure.get("theme_id")) or DASH,
                actor_name(responsible, names) if responsible else DASH,
                label,
                day(measure.get("start")),
                day(due),
            )
        )
    return Grid(
        (
            _("Maßnahme"),
            _("Ziel oder Thema"),
            _("Verantwortlich"),
            _("Status"),
            _("Beginn"),
            _("Fällig"),
        ),
        tuple(rows),
    )


def indicator_results(cycle: Mapping[str, Any]) -> tuple[IndicatorResult, ...]:
    """Each goal's measured values as a chart and a table."""
    results = []
    for index, goal in enumerate(cycle["goals"].values(), start=1):
        values = goal_values(goal)
        unit = str(goal.get("unit") or "")
        table = Grid(
            (_("Gemessen am"), _("Wert"), _("Quelle")),
            tuple(
                (day(v["measured_on"]), amount(v["value"], unit), str(v.get("source") or DASH))
                for v in values
            ),
            frozenset({1}),
        )
        anchor = f"indicator-{index}"
        results.append(
            IndicatorResult(
                anchor,
                str(goal["title"]),
                str(goal.get("indicator") or ""),
                picture(indicator_chart(goal, values), f"{anchor}-chart") if values else None,
                table,
            )
        )
    return tuple(results)


def seal(status: ChainStatus) -> Seal:
    """A seal check in words: intact with its events, or broken at a version."""
    if status.intact:
        text = _("Prüfkette intakt (%(count)s Ereignisse)", count=status.events) + "."
        label = _("Letztes Siegel:")
    else:
        text = _("Prüfkette gebrochen bei Version %(version)s.", version=status.broken_at)
        text = f"{text} {status.fault}".strip()
        label = _("Letztes gültiges Siegel:")
    return Seal(status.what, status.intact, text, label, status.seal, status.short_seal)


def seals(page: CyclePage) -> tuple[Seal, ...]:
    """The seal checks of the cycle and of its organisation."""
    recorder = engine().recorder
    organisation_id = UUID(page.member.organisation["id"])
    return (
        seal(chain_status(_("Zyklus"), page.id, recorder.select_events(page.id))),
        seal(
            chain_status(
                _("Organisation"), organisation_id, recorder.select_events(organisation_id)
            )
        ),
    )


def seal_summary(checked: Sequence[Seal]) -> str:
    """One plain sentence: are all seals intact, or may the report rest on altered data?"""
    if all(found.intact for found in checked):
        return str(
            _(
                "Die Prüfsiegel sind unversehrt: Kein gespeichertes Ereignis dieses Zyklus und "
                "seiner Organisation wurde nachträglich verändert, entfernt oder umsortiert."
            )
        )
    return str(
        _(
            "Achtung: Eine Prüfkette ist gebrochen. Gespeicherte Ereignisse wurden nachträglich "
            "verändert, entfernt oder umsortiert; dieser Bericht kann auf veränderten Daten "
            "beruhen."
        )
    )


def phase_title(page: CyclePage) -> str:
    """The cycle's phase as its workflow names it."""
    phase_id = str(page.cycle["phase"])
    phase = engine().definition_of(page.id).phase(phase_id)
    if phase is not None:
        return localised({"de": phase.title_de, "en": phase.title_en})
    return str(PHASES.get(phase_id, phase_id))


def today() -> date:
    """Today in Germany."""
    return datetime.now(LOCAL_TIME).date()


def build_report(page: CyclePage, *, actor_id: str) -> Report:
    """The report on a cycle the reader may see (``page`` comes from ``cycle_page``)."""
    app = engine()
    cycle = page.cycle
    themes = app.themes
    gathered = app.report_sections(page.id, actor_id=actor_id)
    responsible = {m["responsible_member_id"] for m in cycle["measures"].values()}
    names = app.display_names([*(p for p in responsible if p), actor_id])
    reported_on = today()
    checked = seals(page)
    intact = all(found.intact for found in checked)
    facts = (
        (_("Organisation"), str(page.member.organisation["name"])),
        (_("Zyklus"), str(cycle["title"])),
        (_("Zeitraum"), f"{day(cycle['period_start'])} – {day(cycle['period_end'])}"),
        (_("Phase"), phase_title(page)),
        (_("Themen"), ", ".join(theme_title(themes, t) for t in cycle["themes"]) or DASH),
        (_("Datum des Berichts"), day(reported_on)),
        (_("Erstellt von"), actor_name(actor_id, names)),
        (_("Datenstand"), _("Version %(version)s", version=cycle["version"])),
        (_("Prüfsiegel"), _("unversehrt") if intact else _("gebrochen")),
    )
    closing = cycle.get("closing") or {}
    return Report(
        language=language(),
        title=_("Qualitätsbericht"),
        cycle_title=str(cycle["title"]),
        organisation=str(page.member.organisation["name"]),
        facts=facts,
        notices=tuple(localised(notice.message) for notice in gathered.notices),
        parts=tuple(
            part(section, index)
            for index, section in enumerate(ordered(gathered.items, cycle["themes"]), start=1)
        ),
        goals=goals_grid(cycle, themes),
        reviews=reviews(cycle),
        measures=measures_grid(cycle, themes, names, reported_on),
        indicators=indicator_results(cycle),
        lessons=tuple(
            Lesson(theme_title(themes, lesson.get("theme_id")), str(lesson["text"]))
            for lesson in cycle["lessons"].values()
        ),
        closing=tuple(
            (label, str(closing[key]))
            for key, label in (
                ("summary", _("Zusammenfassung")),
                ("follow_up", _("Wie geht es weiter?")),
            )
            if closing.get(key)
        ),
        seals=checked,
        seal_summary=seal_summary(checked),
        seal_hint=_(
            "Jedes Ereignis trägt ein Siegel, das auf seinem Inhalt und dem Siegel davor beruht. "
            "Wird ein gespeichertes Ereignis nachträglich verändert, entfernt oder umsortiert, "
            "passt die Kette nicht mehr."
        ),
        headings={
            "contents": _("Inhalt"),
            "themes": _("Berichte der Themen"),
            "goals": _("Ziele"),
            "reviews": _("Bewertung der Ziele"),
            "measures": _("Maßnahmen"),
            "indicators": _("Indikatorwerte"),
            "lessons": _("Erkenntnisse"),
            "closing": _("Abschluss des Zyklus"),
            "seal": _("Prüfsiegel"),
            "no_themes": _("Die Themen haben keine Abschnitte zu diesem Zyklus beigetragen."),
            "no_goals": _("Es sind keine Ziele gesetzt."),
            "no_measures": _("Es sind keine Maßnahmen geplant."),
            "no_values": _("Noch keine Messwerte."),
            "no_lessons": _("Es sind noch keine Erkenntnisse festgehalten."),
            "indicator": _("Indikator:"),
            "chart_data": _("Die Werte als Tabelle"),
            "page": _("Seite %(page)s"),
        },
    )
