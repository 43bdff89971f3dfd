"""What the cycle report says, assembled once per request in the reader's language.

The HTML page shows the :class:`Report`; the PDF is that page printed (web/reports/pdf.py).
Every text in it is final: numbers in the reader's format ("62,5" or "62.5"), dates, labels and
the themes' texts in the reader's language, people by their display names (pseudonyms once
erased). Only the charts stay data
(:class:`engine.Chart`), drawn as SVG by web/charts, each with the same text alternative and the
same numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from engine.application.audit import LOCAL_TIME
from web.access import CyclePage
from web.audit_text import ChainView, actor_name, cycle_chains
from web.i18n import PHASES, language, localised
from web.reports.blocks import DASH, Grid, day, theme_title
from web.reports.glance import Glance, glance
from web.reports.sections import (
    IndicatorResult,
    Lesson,
    Part,
    Review,
    goals_grid,
    indicator_results,
    measures_grid,
    ordered,
    part,
    reviews,
)
from web.services import engine


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
    glance: Glance | None = None
    headings: dict[str, str] = field(default_factory=dict)


def seal(status: ChainView) -> Seal:
    """A seal check in words: intact with its events, or broken at a version."""
    if status.intact:
        text = (
            ngettext(
                "Prüfkette intakt (%(num)s Ereignis)",
                "Prüfkette intakt (%(num)s Ereignisse)",
                status.events,
            )
            + "."
        )
        label = _("Letztes Siegel:")
    else:
        text = _("Prüfkette gebrochen bei Version %(version)s.", version=status.broken_at)
        text = f"{text} {status.fault}".strip()
        label = _("Letztes gültiges Siegel:")
    return Seal(status.what, status.intact, text, label, status.seal, status.short_seal)


def seals(page: CyclePage) -> tuple[Seal, ...]:
    """The seal checks of the cycle and of its organisation."""
    return tuple(seal(view) for view in cycle_chains(page))


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
    parts = tuple(
        part(section, index)
        for index, section in enumerate(ordered(gathered.items, cycle["themes"]), start=1)
    )
    goals = goals_grid(cycle, themes)
    return Report(
        language=language(),
        title=_("Qualitätsbericht"),
        cycle_title=str(cycle["title"]),
        organisation=str(page.member.organisation["name"]),
        facts=facts,
        notices=tuple(localised(notice.message) for notice in gathered.notices),
        parts=parts,
        goals=goals,
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
        glance=glance(cycle, parts, goals),
        seal_summary=seal_summary(checked),
        seal_hint=_(
            "Jedes Ereignis trägt ein Siegel, das auf seinem Inhalt und dem Siegel davor beruht. "
            "Wird ein gespeichertes Ereignis nachträglich verändert, entfernt oder umsortiert, "
            "passt die Kette nicht mehr."
        ),
        headings={
            "contents": _("Inhalt"),
            "glance": _("Auf einen Blick"),
            "key_figures": _("Kennzahlen der Themen"),
            "next": _("Wie geht es weiter?"),
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
            "no_rows": _("Noch keine Einträge."),
            "indicator": _("Indikator:"),
            "chart_data": _("Die Werte als Tabelle"),
            "page": _("Seite %(page)s"),
        },
    )
