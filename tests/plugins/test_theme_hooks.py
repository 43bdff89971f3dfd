"""The built-in themes' gates, insights and report sections, through the real engine.

Each test builds realistic cycles with the real themes on both stores (SQLite and
PostgreSQL): a network rates every criterion, records and prioritises needs, sets goals and
plans measures with the themes' attrs, moves through the phases and, for comparisons, closes
a cycle and starts its follow-up.
"""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

import pytest

from engine import Chart, Figure, Insight, ReportSection, Table, Text
from engine.application.service import Qualizyklus
from engine.domain.errors import GateRefused
from engine.extensions.isolation import Gathered
from plugins.impact_orientation.analysis import Standing
from plugins.impact_orientation.dashboard import comparison_text
from tests.plugins.theme_cycles import ANCHORING, IMPACT, PARTICIPATION, Network

LADDER = [
    "instrumentalisierung",
    "anweisung",
    "information",
    "anhoerung",
    "einbeziehung",
    "mitbestimmung",
    "teilweise-entscheidungskompetenz",
    "entscheidungsmacht",
    "selbstorganisation",
]


def insights_of(engine: Qualizyklus, cycle_id: UUID) -> dict[tuple[str, str], Insight]:
    """The cycle's insights by (theme, insight id); no plugin may have failed."""
    gathered: Gathered[Insight] = engine.insights(cycle_id)
    assert gathered.notices == []
    found = {(insight.theme_id, insight.id): insight for insight in gathered.items}
    assert len(found) == len(gathered.items), "insight ids are unique per theme"
    return found


def sections_of(engine: Qualizyklus, cycle_id: UUID) -> dict[str, ReportSection]:
    """The cycle's report sections by theme; no plugin may have failed."""
    gathered: Gathered[ReportSection] = engine.report_sections(cycle_id)
    assert gathered.notices == []
    found = {section.theme_id: section for section in gathered.items}
    assert len(found) == len(gathered.items), "one section per theme"
    return found


def shown(value: float | str | Text, language: str = "de") -> float | str:
    """A figure's value or unit, or a table cell, as a reader in ``language`` sees it."""
    return value.get(language) if isinstance(value, Text) else value


def figures(
    items: tuple[Figure, ...], language: str = "de"
) -> dict[str, tuple[float | str, float | str]]:
    """Figures by label: (value, unit), in ``language``."""
    return {
        figure.label.get(language): (shown(figure.value, language), shown(figure.unit, language))
        for figure in items
    }


def rows(table: Table, language: str = "de") -> tuple[tuple[float | str, ...], ...]:
    """A table's rows as a reader in ``language`` sees them."""
    return tuple(tuple(shown(cell, language) for cell in row) for row in table.rows)


def texts(item: object) -> list[Text]:
    """Every Text in an insight or report section (titles, labels, cells, values, units)."""
    if isinstance(item, Text):
        return [item]
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return [t for f in dataclasses.fields(item) for t in texts(getattr(item, f.name))]
    if isinstance(item, tuple | list):
        return [t for part in item for t in texts(part)]
    return []


def assert_in_english(*items: Insight | ReportSection) -> None:
    """Every text of the insights or sections has its English wording."""
    for item in items:
        missing = [text.de for text in texts(item) if not text.en.strip()]
        assert missing == [], f"no English for {missing}"


def assert_described(chart: Chart) -> None:
    """A chart has a text alternative in German and English."""
    assert chart.description is not None
    assert chart.description.de.strip() and chart.description.en.strip()


# --- parent participation: the gate -------------------------------------------------------


def participation_cycle_in_review(
    net: Network, *, year: int = 2025, follows: UUID | None = None
) -> UUID:
    """A cycle on parent participation in its review, with practitioners' feedback only."""
    cycle_id = net.start([PARTICIPATION], year=year, follows=follows)
    net.analyse(cycle_id)
    net.goal(cycle_id, "ziel-eltern", PARTICIPATION, attrs={"participation_level": "mitbestimmung"})
    net.measure(
        cycle_id,
        "elterncafe",
        PARTICIPATION,
        goal_id="ziel-eltern",
        attrs={"participation_level": "anhoerung", "phase_involvement": ["analyse"]},
    )
    net.advance(cycle_id)
    net.move(cycle_id, "elterncafe", "done")
    net.advance(cycle_id)
    net.feedback(cycle_id, "practitioners", "Das Elterncafé braucht einen festen Termin.")
    net.review_goals(cycle_id)
    return cycle_id


def test_closing_without_parents_feedback_is_refused_and_nothing_is_written(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    before = engine.cycle(cycle_id)

    with pytest.raises(GateRefused) as refused:
        net.close(cycle_id)

    reasons = refused.value.reasons
    assert [reason.code for reason in reasons] == ["parents-feedback-missing"]
    assert "Rückmeldungen von Eltern festhalten" in reasons[0].de
    assert "parents' feedback" in reasons[0].en
    after = engine.cycle(cycle_id)
    assert after["version"] == before["version"]
    assert (after["phase"], after["closing"]) == ("review", None)
    assert engine.next_step(cycle_id)["reasons"] == [reasons[0].as_dict()]


def test_closing_passes_once_parents_feedback_is_recorded(engine: Qualizyklus) -> None:
    net = Network.register(engine)
    cycle_id = participation_cycle_in_review(net)
    net.feedback(cycle_id, "parents", "Mehr Angebote am Nachmittag, bitte.")

    assert engine.next_step(cycle_id)["reasons"] == []
    net.close(cycle_id)

    assert engine.cycle(cycle_id)["phase"] == "closed"


# --- parent participation: insights and report --------------------------------------------

PREVIOUS_MEASURES = (
    ("cafe", "Elterncafé mit Kurzbefragung", "information", "done"),
    ("karten", "Feedbackkarten in der Sprechstunde", "anhoerung", "done"),
    ("werkstatt", "Planungswerkstatt mit Eltern", "mitbestimmung", "done"),
    ("beirat", "Elternbeirat vorbereiten", "einbeziehung", "carried-over"),
    ("elternrat", "Elternrat mit eigenem Budget", "entscheidungsmacht", "dropped"),
)
CURRENT_MEASURES = (
    ("werkstatt-2025", "Planungswerkstatt fortsetzen", "mitbestimmung", "running"),
    ("elternfonds", "Elternfonds für kleine Projekte", "teilweise-entscheidungskompetenz", "done"),
    ("umfrage", "Elternumfrage zu Angeboten", "anhoerung", "blocked"),
    ("initiative", "Elterninitiative Spielgruppe", "selbstorganisation", "running"),
)


def participation_story(net: Network) -> tuple[UUID, UUID]:
    """A closed 2024 cycle (1 of 4 measures at Mitbestimmung or above, one dropped, one
    carried over) and its 2025 follow-up in implementation (3 of 5), with parents' feedback."""
    previous = net.start([PARTICIPATION], year=2024)
    net.analyse(previous)
    net.goal(previous, "ziel-2024", PARTICIPATION)
    for measure_id, title, level, _status in PREVIOUS_MEASURES:
        net.measure(
            previous, measure_id, PARTICIPATION, title=title, attrs={"participation_level": level}
        )
    net.advance(previous)
    for measure_id, _title, _level, status in PREVIOUS_MEASURES:
        net.move(previous, measure_id, status)
    net.advance(previous)
    net.feedback(previous, "parents", "Die Planungswerkstatt war gut, aber zu kurz.")
    net.review_goals(previous)
    net.close(previous)

    current = net.start([PARTICIPATION], year=2025, follows=previous)
    net.analyse(
        current,
        {
            PARTICIPATION: {
                "involved-in-analysis": ["anhoerung", "einbeziehung", "mitbestimmung"],
                "involved-in-planning": ["information", "information", "anhoerung"],
                "involved-in-evaluation": ["mitbestimmung", "teilweise-entscheidungskompetenz"],
            }
        },
    )
    net.goal(current, "ziel-2025", PARTICIPATION, attrs={"participation_level": "mitbestimmung"})
    for measure_id, title, level, _status in CURRENT_MEASURES:
        net.measure(
            current, measure_id, PARTICIPATION, title=title, attrs={"participation_level": level}
        )
    net.advance(current)
    for measure_id, _title, _level, status in CURRENT_MEASURES:
        net.move(current, measure_id, status)
    net.feedback(current, "parents", "Das Elterncafé ist ein guter Ort für Rückmeldungen.")
    net.feedback(current, "parents", "Informationen bitte auch auf Arabisch und Türkisch.")
    net.feedback(current, "practitioners", "Die Umfrage wartet auf den Datenschutz.")
    return previous, current


def test_participation_insights_count_measures_per_ladder_level_and_compare_the_share(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    _previous, current = participation_story(net)

    found = insights_of(engine, current)

    ladder = found[(PARTICIPATION, "measures-on-ladder")]
    (chart,) = ladder.charts
    assert chart.kind == "bar"
    assert [c.de for c in chart.categories] == [
        "Instrumentalisierung",
        "Anweisung",
        "Information",
        "Anhörung",
        "Einbeziehung",
        "Mitbestimmung",
        "teilweise Entscheidungskompetenz",
        "Entscheidungsmacht",
        "Selbstorganisation",
    ]
    # the carried-over Elternbeirat (einbeziehung) counts in both cycles, the dropped one not
    assert [s.values for s in chart.series] == [
        (0, 0, 0, 1, 1, 1, 1, 0, 1),
        (0, 0, 1, 1, 1, 1, 0, 0, 0),
    ]
    assert [s.label.de for s in chart.series] == ["dieser Zyklus", "Vorzyklus"]
    assert_described(chart)
    assert chart.description is not None
    assert "Mitbestimmung 1" in chart.description.de
    assert figures(ladder.figures) == {"Maßnahmen mit Beteiligungsstufe": (5, "")}

    share = found[(PARTICIPATION, "participation-share")]
    assert figures(share.figures) == {
        "Anteil ab Mitbestimmung": (60.0, "%"),
        "Anteil im Vorzyklus": (25.0, "%"),
        "Veränderung gegenüber dem Vorzyklus": ("+35", "Prozentpunkte"),
    }
    assert figures(share.figures, "en")["Change against the previous cycle"] == (
        "+35",
        "percentage points",
    )
    assert share.figures[0].note == Text("3 von 5 Maßnahmen", "3 of 5 measures")

    involvement = found[(PARTICIPATION, "parent-involvement")]
    (table,) = involvement.tables
    assert [c.de for c in table.columns] == [
        "Kriterium",
        "Einschätzungen",
        "Median-Stufe",
        "Spanne",
        "Median im Vorzyklus",
    ]
    assert rows(table) == (
        (
            "Eltern sind an der Bestands- und Bedarfsanalyse beteiligt",
            "3",
            "Einbeziehung",
            "Anhörung – Mitbestimmung",
            "Einbeziehung",
        ),
        (
            "Eltern sind an der Planung von Zielen und Angeboten beteiligt",
            "3",
            "Information",
            "Information – Anhörung",
            "Einbeziehung",
        ),
        (
            "Eltern sind an der Bewertung der Angebote beteiligt",
            "2",
            "zwischen Mitbestimmung und teilweise Entscheidungskompetenz",
            "Mitbestimmung – teilweise Entscheidungskompetenz",
            "Einbeziehung",
        ),
    )
    criterion, raters, median, span, earlier = table.rows[2]
    assert isinstance(criterion, Text)
    assert criterion.en == "Parents take part in evaluating services"
    assert raters == "2"
    assert isinstance(median, Text)
    assert median.en == "between co-determination and partial decision-making power"
    assert isinstance(span, Text)
    assert span.en == "co-determination – partial decision-making power"
    assert earlier == Text("Einbeziehung", "involvement")
    assert_in_english(*found.values())


def test_participation_report_summarises_measures_share_and_parents_feedback(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    previous, current = participation_story(net)

    section = sections_of(engine, current)[PARTICIPATION]

    assert section.title.de == "Beteiligung und Partizipation von Eltern"
    summary, share = section.paragraphs
    assert summary.de == (
        "Zum Thema gehören in diesem Zyklus 5 Maßnahmen. "
        "Es sind 2 Rückmeldungen von Eltern festgehalten."
    )
    assert summary.en == (
        "5 measures belong to the theme in this cycle. "
        "2 pieces of feedback from parents have been recorded."
    )
    assert share.de.startswith(
        "Von 5 nicht verworfenen Maßnahmen erreichen 3 (60 %) mindestens die Stufe Mitbestimmung"
    )
    assert share.de.endswith("Im Vorzyklus waren es 25 % (+35 Prozentpunkte).")
    assert share.en.endswith("In the previous cycle it was 25% (+35 percentage points).")
    (table,) = section.tables
    assert [c.de for c in table.columns] == ["Maßnahme", "Beteiligungsstufe", "Status"]
    assert rows(table) == (
        ("Elternbeirat vorbereiten", "Einbeziehung", "geplant"),
        ("Planungswerkstatt fortsetzen", "Mitbestimmung", "läuft"),
        ("Elternfonds für kleine Projekte", "teilweise Entscheidungskompetenz", "erledigt"),
        ("Elternumfrage zu Angeboten", "Anhörung", "blockiert"),
        ("Elterninitiative Spielgruppe", "Selbstorganisation", "läuft"),
    )
    assert rows(table, "en")[0] == ("Elternbeirat vorbereiten", "involvement", "planned")
    assert rows(table, "en")[2] == (
        "Elternfonds für kleine Projekte",
        "partial decision-making power",
        "done",
    )
    assert_in_english(section)
    for chart in section.charts:
        assert_described(chart)

    first = sections_of(engine, previous)[PARTICIPATION]
    assert first.paragraphs[0].de == (
        "Zum Thema gehören in diesem Zyklus 5 Maßnahmen. "
        "Es ist eine Rückmeldung von Eltern festgehalten."
    )
    assert "Von 4 nicht verworfenen Maßnahmen erreicht 1 (25 %)" in first.paragraphs[1].de
    assert first.paragraphs[1].de.endswith(
        "Einen Vorzyklus mit diesem Thema zum Vergleich gibt es nicht."
    )
    assert ("Elternrat mit eigenem Budget", "Entscheidungsmacht", "verworfen") in rows(
        first.tables[0]
    )
    assert ("Elternbeirat vorbereiten", "Einbeziehung", "übertragen") in rows(first.tables[0])
    assert ("Elternbeirat vorbereiten", "involvement", "carried over") in rows(
        first.tables[0], "en"
    )


# --- impact orientation: the gate ---------------------------------------------------------


def test_impact_gate_refuses_implementation_naming_each_goal_without_baseline_or_target(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    cycle_id = net.start([IMPACT, PARTICIPATION])
    net.analyse(cycle_id)
    output = {"impact_step": 2, "iooi_level": "output"}
    outcome = {"impact_step": 5, "iooi_level": "outcome"}
    net.goal(cycle_id, "erreichen", IMPACT, title="Mehr Familien erreichen", attrs=output)
    net.goal(
        cycle_id, "wartezeit", IMPACT, title="Wartezeit verkürzen", baseline=None, attrs=outcome
    )
    net.goal(
        cycle_id,
        "kompetenz",
        IMPACT,
        title="Elternkompetenz stärken",
        baseline=None,
        target=None,
        attrs=outcome,
    )
    net.goal(
        cycle_id, "vermitteln", IMPACT, title="Vermittlungen steigern", target=None, attrs=output
    )
    net.goal(
        cycle_id, "eltern", PARTICIPATION, title="Eltern beteiligen", baseline=None, target=None
    )
    net.measure(cycle_id, "lotsen", PARTICIPATION, attrs={"participation_level": "anhoerung"})
    before = engine.cycle(cycle_id)

    with pytest.raises(GateRefused) as refused:
        net.advance(cycle_id)

    reasons = refused.value.reasons
    assert [r.code for r in reasons] == ["impact-baseline-target-missing"] * 3
    assert "Dem Wirkungsziel „Wartezeit verkürzen“ fehlt noch der Ausgangswert." in reasons[0].de
    assert (
        "Dem Wirkungsziel „Elternkompetenz stärken“ fehlen noch Ausgangswert und Zielwert."
        in reasons[1].de
    )
    assert "Dem Wirkungsziel „Vermittlungen steigern“ fehlt noch der Zielwert." in reasons[2].de
    assert "'Wartezeit verkürzen' still lacks a baseline" in reasons[0].en
    assert not any("Mehr Familien" in r.de or "Eltern beteiligen" in r.de for r in reasons)
    after = engine.cycle(cycle_id)
    assert (after["version"], after["phase"]) == (before["version"], "plan")

    for goal_id, baseline, target in (
        ("wartezeit", 40, 20),
        ("kompetenz", 2, 6),
        ("vermitteln", 5, 12),
    ):
        goal = after["goals"][goal_id]
        engine.revise_goal(
            cycle_id,
            actor_id="koordination",
            goal_id=goal_id,
            **{
                **{k: goal[k] for k in ("theme_id", "title", "indicator", "unit", "due", "attrs")},
                "baseline": baseline,
                "target": target,
            },
        )
    net.advance(cycle_id)
    assert engine.cycle(cycle_id)["phase"] == "implement"


# --- impact orientation: insights and report ----------------------------------------------

CURRENT_GOALS = (
    # goal id, title, unit, baseline, target, step, IOOI level, values (value, measured on)
    (
        "erreichen",
        "Mehr Familien erreichen",
        "%",
        10,
        30,
        2,
        "output",
        ((20, "2025-09-15"), (15, "2025-05-15")),
    ),
    (
        "wartezeit",
        "Wartezeit bis zum Erstgespräch verkürzen",
        "Tage",
        40,
        20,
        5,
        "outcome",
        ((35, "2025-06-30"),),
    ),
    ("kompetenz", "Elternkompetenz stärken", "Punkte", 2, 6, 4, "outcome", ()),
    (
        "stellen",
        "Stellenanteile Familienhebammen sichern",
        "Stellen",
        1,
        3,
        3,
        "input",
        ((3, "2025-10-01"),),
    ),
    (
        "teilhabe",
        "Teilhabe von Familien in Armut",
        "Projekte",
        0,
        4,
        7,
        "impact",
        ((1, "2025-10-01"),),
    ),
)


def impact_story(net: Network) -> tuple[UUID, UUID]:
    """A closed 2024 cycle (one output, one outcome goal, each 20 % along) and its 2025
    follow-up in implementation with five goals on the staircase and their measured values."""
    previous = net.start([IMPACT], year=2024)
    net.analyse(previous)
    net.goal(
        previous,
        "reichweite",
        IMPACT,
        title="Reichweite",
        unit="%",
        baseline=10,
        target=30,
        attrs={"impact_step": 2, "iooi_level": "output"},
    )
    net.goal(
        previous,
        "sicherheit",
        IMPACT,
        title="Sicherheit der Eltern",
        baseline=0,
        target=10,
        attrs={"impact_step": 4, "iooi_level": "outcome"},
    )
    net.measure(previous, "befragung", IMPACT, attrs={"impact_step": 4})
    net.advance(previous)
    net.move(previous, "befragung", "done")
    net.value(previous, "reichweite", 14, "2024-09-01")
    net.value(previous, "sicherheit", 2, "2024-09-01")
    net.advance(previous)
    net.review_goals(previous)
    net.close(previous)

    current = net.start([IMPACT], year=2025, follows=previous)
    net.analyse(current)
    for goal_id, title, unit, baseline, target, step, level, _values in CURRENT_GOALS:
        net.goal(
            current,
            goal_id,
            IMPACT,
            title=title,
            unit=unit,
            baseline=baseline,
            target=target,
            attrs={"impact_step": step, "iooi_level": level},
        )
    net.measure(current, "lotsendienst", IMPACT, goal_id="erreichen", attrs={"impact_step": 2})
    net.advance(current)
    for goal_id, *_rest, values in CURRENT_GOALS:
        for value, measured_on in values:
            net.value(current, goal_id, value, measured_on)
    return previous, current


def test_impact_insights_count_goals_per_step_and_level_and_show_progress_against_target(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    _previous, current = impact_story(net)

    found = insights_of(engine, current)

    steps = found[(IMPACT, "goals-by-impact-step")]
    (chart,) = steps.charts
    assert [c.de for c in chart.categories] == [
        "1 Aktivitäten",
        "2 Erreichen",
        "3 Akzeptanz",
        "4 Bewusstsein, Fähigkeiten",
        "5 Handeln",
        "6 Lebenslage",
        "7 Gesellschaft",
    ]
    assert [s.values for s in chart.series] == [(0, 1, 1, 1, 1, 0, 1), (0, 1, 0, 1, 0, 0, 0)]
    assert_described(chart)
    assert figures(steps.figures) == {"Wirkungsziele": (5, "")}

    levels = found[(IMPACT, "goals-by-iooi-level")]
    assert [(f.label.de.split()[0], f.value) for f in levels.figures] == [
        ("Input", 1),
        ("Output", 1),
        ("Outcome", 2),
        ("Impact", 1),
    ]
    assert [row[1:] for row in levels.tables[0].rows] == [
        ("1", "0"),
        ("1", "1"),
        ("2", "1"),
        ("1", "0"),
    ]
    assert [row[0] for row in rows(levels.tables[0], "en")] == [
        "Input (resources used)",
        "Output (services delivered, steps 1–3)",
        "Outcome (effects on the target groups, steps 4–6)",
        "Impact (effects on society, step 7)",
    ]

    progress = found[(IMPACT, "indicator-progress")]
    assert rows(progress.tables[0]) == (
        ("Mehr Familien erreichen", "10 %", "20 % (15.09.2025)", "30 %", "50 %"),
        (
            "Wartezeit bis zum Erstgespräch verkürzen",
            "40 Tage",
            "35 Tage (30.06.2025)",
            "20 Tage",
            "25 %",
        ),
        ("Elternkompetenz stärken", "2 Punkte", "–", "6 Punkte", "noch kein Messwert"),
        (
            "Stellenanteile Familienhebammen sichern",
            "1 Stellen",
            "3 Stellen (01.10.2025)",
            "3 Stellen",
            "100 %",
        ),
        (
            "Teilhabe von Familien in Armut",
            "0 Projekte",
            "1 Projekte (01.10.2025)",
            "4 Projekte",
            "25 %",
        ),
    )
    english = rows(progress.tables[0], "en")
    # English writes a percentage as "10%", whether the goal's unit or a progress
    assert english[0] == ("Mehr Familien erreichen", "10%", "20% (2025-09-15)", "30%", "50%")
    assert english[2][2:] == ("–", "6 Punkte", "no measured value yet")
    (bars,) = progress.charts
    assert [c.de for c in bars.categories] == [goal[1] for goal in CURRENT_GOALS]
    assert bars.series[0].values == (50.0, 25.0, None, 100.0, 25.0)
    assert_described(bars)
    assert bars.description is not None
    assert "Elternkompetenz stärken: noch kein Messwert" in bars.description.de

    change = found[(IMPACT, "impact-change")]
    assert figures(change.figures) == {
        "Anteil der Ziele ab Outcome": (60.0, "%"),
        "Anteil der Ziele ab Outcome im Vorzyklus": (50.0, "%"),
        "Anteil der Ziele ab Outcome: Veränderung": ("+10", "Prozentpunkte"),
        "Mittlerer Fortschritt": (50.0, "%"),
        "Mittlerer Fortschritt im Vorzyklus": (20.0, "%"),
        "Mittlerer Fortschritt: Veränderung": ("+30", "Prozentpunkte"),
    }
    assert figures(change.figures, "en")["Mean progress: change"] == ("+30", "percentage points")
    assert_in_english(*found.values())


def test_impact_report_lists_goals_with_step_level_figures_and_progress(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    previous, current = impact_story(net)

    section = sections_of(engine, current)[IMPACT]

    assert section.title.de == "Wirkungsorientierung"
    summary, comparison = section.paragraphs
    assert summary.de == (
        "Das Netzwerk verfolgt in diesem Zyklus 5 Wirkungsziele; "
        "für 4 davon liegen Messwerte des Indikators vor."
    )
    assert "3 von 5 Wirkungszielen (60 %) zielen auf Outcome oder Impact." in comparison.de
    assert "Der mittlere Fortschritt der 4 gemessenen Ziele liegt bei 50 %." in comparison.de
    assert "Im Vorzyklus: Anteil ab Outcome 50 %, mittlerer Fortschritt 20 %." in comparison.de
    (table,) = section.tables
    assert [c.de for c in table.columns] == [
        "Ziel",
        "Stufe der Wirkungstreppe",
        "IOOI-Ebene",
        "Ausgangswert",
        "Letzter Messwert",
        "Zielwert",
        "Fortschritt",
    ]
    assert rows(table)[0] == (
        "Mehr Familien erreichen",
        "2 Erreichen",
        "Output",
        "10 %",
        "20 % (15.09.2025)",
        "30 %",
        "50 %",
    )
    assert rows(table)[2][1:] == (
        "4 Bewusstsein, Fähigkeiten",
        "Outcome",
        "2 Punkte",
        "–",
        "6 Punkte",
        "noch kein Messwert",
    )
    assert rows(table, "en")[2][1:] == (
        "4 Awareness, skills",
        "Outcome",
        "2 Punkte",
        "–",
        "6 Punkte",
        "no measured value yet",
    )
    assert_in_english(section)
    for chart in section.charts:
        assert_described(chart)

    first = sections_of(engine, previous)[IMPACT]
    assert "Der mittlere Fortschritt der 2 gemessenen Ziele liegt bei 20 %." in (
        first.paragraphs[1].de
    )
    assert "Einen Vorzyklus mit diesem Thema zum Vergleich gibt es nicht." in (
        first.paragraphs[1].de
    )


# --- political anchoring ------------------------------------------------------------------

STANDARDS_2024 = {
    "agenda-committees": ["minimum", "minimum", "more"],
    "resolution-reporting": ["not-met", "not-met", "minimum"],
    "resource-planning": ["not-met", "not-met", "minimum"],
    "budget-line": ["more", "more", "minimum"],
    "coordination-hours": ["not-met", "not-met", "minimum"],
    "youth-welfare-planning": ["not-met", "not-met", "minimum"],
    "steering-group": ["minimum", "minimum", "not-met"],
    "binding-concept": ["not-met", "not-met", "not-met"],
}
STANDARDS_2025 = {
    **STANDARDS_2024,
    "agenda-committees": ["more", "more", "more"],
    "resolution-reporting": ["minimum", "minimum", "not-met"],
    "coordination-hours": ["minimum", "minimum", "minimum"],
    "binding-concept": ["not-met", "minimum"],
}
RESOLUTION = {
    "document": "Beschluss zur Verstetigung der Netzwerkkoordination",
    "body": "jugendhilfeausschuss",
    "date": "2019-03-14",
}
BUDGET = {"document": "Haushaltsstelle Frühe Hilfen", "body": "kreistag", "date": "2020-11-20"}
PROGRESS_REPORT = {
    "document": "Sachstandsbericht Frühe Hilfen",
    "body": "jugendhilfeausschuss",
    "date": "2021-06-01",
}
RULES = {
    "document": "Geschäftsordnung der Steuerungsgruppe",
    "body": "steuerungsgruppe",
    "date": "2022-02-01",
}


def anchoring_story(net: Network) -> tuple[UUID, UUID]:
    """A closed 2024 cycle (3 of 8 standards at minimum or better) and its 2025 follow-up
    (5 of 8) whose goal and measure hold evidence from three bodies (one document twice)."""
    previous = net.start([ANCHORING], year=2024)
    net.analyse(previous, {ANCHORING: STANDARDS_2024})
    net.goal(
        previous,
        "haushalt",
        ANCHORING,
        title="Eigene Haushaltsstelle",
        attrs={"evidence": [BUDGET]},
    )
    net.measure(previous, "vorlage", ANCHORING, attrs={"evidence": []})
    net.advance(previous)
    net.move(previous, "vorlage", "done")
    net.advance(previous)
    net.review_goals(previous)
    net.close(previous)

    current = net.start([ANCHORING], year=2025, follows=previous)
    net.analyse(current, {ANCHORING: STANDARDS_2025})
    net.goal(
        current,
        "bericht",
        ANCHORING,
        title="Jährlicher Bericht im Jugendhilfeausschuss",
        attrs={"evidence": [RESOLUTION, BUDGET]},
    )
    net.measure(
        current,
        "beschluesse",
        ANCHORING,
        title="Beschlussübersicht führen",
        goal_id="bericht",
        attrs={"evidence": [PROGRESS_REPORT, BUDGET, RULES]},
    )
    return previous, current


def test_anchoring_insights_count_evidence_per_body_with_the_earliest_date(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    _previous, current = anchoring_story(net)

    evidence = insights_of(engine, current)[(ANCHORING, "anchoring-evidence")]

    assert [
        (f.label.de, f.value, shown(f.unit), f.note and f.note.de) for f in evidence.figures
    ] == [
        ("Kreistag", 1, "Nachweis", "seit 11/2020"),
        ("Jugendhilfeausschuss", 2, "Nachweise", "seit 03/2019"),
        ("Steuerungsgruppe", 1, "Nachweis", "seit 02/2022"),
    ]
    assert [
        (f.label.en, f.value, shown(f.unit, "en"), f.note and f.note.en) for f in evidence.figures
    ] == [
        ("District council", 1, "piece of evidence", "since 11/2020"),
        ("Youth-welfare committee", 2, "pieces of evidence", "since 03/2019"),
        ("Steering group", 1, "piece of evidence", "since 02/2022"),
    ]
    (table,) = evidence.tables
    assert [c.de for c in table.columns] == ["Gremium", "Nachweise", "seit", "Letzter Nachweis"]
    assert rows(table) == (
        ("Rat", "0", "–", "–"),
        ("Kreistag", "1", "11/2020", "Haushaltsstelle Frühe Hilfen (20.11.2020)"),
        ("Jugendhilfeausschuss", "2", "03/2019", "Sachstandsbericht Frühe Hilfen (01.06.2021)"),
        ("Steuerungsgruppe", "1", "02/2022", "Geschäftsordnung der Steuerungsgruppe (01.02.2022)"),
        ("Verwaltung", "0", "–", "–"),
        ("Sonstige Gremien", "0", "–", "–"),
    )
    assert rows(table, "en")[2] == (
        "Youth-welfare committee",
        "2",
        "03/2019",
        "Sachstandsbericht Frühe Hilfen (2021-06-01)",
    )
    assert evidence.text is not None
    assert evidence.text.de.startswith(
        "4 Nachweise aus 3 Gremien; der früheste stammt vom 14.03.2019 (Jugendhilfeausschuss"
    )


def test_anchoring_insights_give_each_standards_median_level_against_the_previous_cycle(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    _previous, current = anchoring_story(net)

    standards = insights_of(engine, current)[(ANCHORING, "anchoring-standards")]

    label = "Standards mit mindestens Mindestvoraussetzungen"
    assert figures(standards.figures) == {
        label: (5, "von 8"),
        f"{label} im Vorzyklus": (3, "von 8"),
        "Veränderung gegenüber dem Vorzyklus": ("+2", "Standards"),
    }
    label_en = "Standards meeting at least the minimum requirements"
    assert figures(standards.figures, "en") == {
        label_en: (5, "of 8"),
        f"{label_en} in the previous cycle": (3, "of 8"),
        "Change against the previous cycle": ("+2", "standards"),
    }
    (table,) = standards.tables
    assert [c.de for c in table.columns] == [
        "Standard",
        "Einschätzungen",
        "Median",
        "Median im Vorzyklus",
    ]
    by_title = {row[0]: row[1:] for row in rows(table)}
    assert len(by_title) == 8
    assert by_title[
        "Frühe Hilfen stehen regelmäßig auf der Tagesordnung der politischen Gremien"
    ] == ("3", "das Mehr erfüllt", "Mindestvoraussetzungen erfüllt")
    assert by_title["Ein Gesamtkonzept Frühe Hilfen ist politisch beschlossen"] == (
        "2",
        "zwischen nicht erfüllt und Mindestvoraussetzungen erfüllt",
        "nicht erfüllt",
    )
    in_english = {row[0]: row[1:] for row in rows(table, "en")}
    assert in_english["Frühe Hilfen are regularly on the agenda of the political bodies"] == (
        "3",
        "the aspiration ('das Mehr') met",
        "minimum requirements met",
    )
    assert in_english["An overall concept for Frühe Hilfen has been adopted politically"] == (
        "2",
        "between not met and minimum requirements met",
        "not met",
    )
    assert_in_english(standards)
    assert standards.text is not None
    assert standards.text.de.startswith(
        "5 von 8 Standards erfüllen nach dem Median der Einschätzungen mindestens die "
        "Mindestvoraussetzungen, 2 davon auch das Mehr."
    )
    assert standards.text.de.endswith("Im Vorzyklus waren es 3.")


def test_anchoring_report_has_a_summary_and_the_evidence_tables(engine: Qualizyklus) -> None:
    net = Network.register(engine)
    _previous, current = anchoring_story(net)

    section = sections_of(engine, current)[ANCHORING]

    assert section.title.de == "Politisch-strukturelle Verankerung"
    assert section.paragraphs[0].de.startswith("4 Nachweise aus 3 Gremien")
    assert section.paragraphs[1].de.startswith("5 von 8 Standards")
    by_body, documents, standards = section.tables
    assert rows(by_body)[2] == (
        "Jugendhilfeausschuss",
        "2",
        "03/2019",
        "Sachstandsbericht Frühe Hilfen (01.06.2021)",
    )
    assert rows(documents) == (
        (
            "14.03.2019",
            "Jugendhilfeausschuss",
            RESOLUTION["document"],
            "Jährlicher Bericht im Jugendhilfeausschuss",
        ),
        (
            "20.11.2020",
            "Kreistag",
            BUDGET["document"],
            "Jährlicher Bericht im Jugendhilfeausschuss; Beschlussübersicht führen",
        ),
        (
            "01.06.2021",
            "Jugendhilfeausschuss",
            PROGRESS_REPORT["document"],
            "Beschlussübersicht führen",
        ),
        ("01.02.2022", "Steuerungsgruppe", RULES["document"], "Beschlussübersicht führen"),
    )
    assert rows(documents, "en")[0] == (
        "2019-03-14",
        "Youth-welfare committee",
        RESOLUTION["document"],
        "Jährlicher Bericht im Jugendhilfeausschuss",
    )
    assert len(standards.rows) == 8
    assert_in_english(section)


# --- cycles without a theme get nothing from it --------------------------------------------

ATTRS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    PARTICIPATION: ({"participation_level": "mitbestimmung"}, {"participation_level": "anhoerung"}),
    IMPACT: ({"impact_step": 4, "iooi_level": "outcome"}, {"impact_step": 4}),
    ANCHORING: ({"evidence": [RESOLUTION]}, {"evidence": [RULES]}),
}
INSIGHT_IDS = {
    PARTICIPATION: {"measures-on-ladder", "participation-share", "parent-involvement"},
    IMPACT: {"goals-by-impact-step", "goals-by-iooi-level", "indicator-progress", "impact-change"},
    ANCHORING: {"anchoring-evidence", "anchoring-standards"},
}


@pytest.mark.parametrize("theme_id", [PARTICIPATION, IMPACT, ANCHORING])
def test_a_cycle_gets_insights_and_a_report_section_only_from_its_own_theme(
    engine: Qualizyklus, theme_id: str
) -> None:
    net = Network.register(engine)
    cycle_id = net.start([theme_id])
    net.analyse(cycle_id)
    goal_attrs, measure_attrs = ATTRS[theme_id]
    net.goal(cycle_id, "ziel", theme_id, attrs=goal_attrs)
    net.measure(cycle_id, "massnahme", theme_id, goal_id="ziel", attrs=measure_attrs)

    found = insights_of(engine, cycle_id)
    sections = sections_of(engine, cycle_id)

    assert {insight_theme for insight_theme, _id in found} == {theme_id}
    assert {insight_id for _theme, insight_id in found} == INSIGHT_IDS[theme_id]
    assert list(sections) == [theme_id]
    for insight in found.values():
        for chart in insight.charts:
            assert_described(chart)
    assert_in_english(*found.values(), *sections.values())


def test_the_impact_gate_leaves_cycles_without_impact_orientation_alone(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    cycle_id = net.start([PARTICIPATION])
    net.analyse(cycle_id)
    net.goal(cycle_id, "eltern", PARTICIPATION, baseline=None, target=None)
    net.measure(cycle_id, "cafe", PARTICIPATION, attrs={"participation_level": "anhoerung"})

    assert engine.next_step(cycle_id)["reasons"] == []
    net.advance(cycle_id)
    assert engine.cycle(cycle_id)["phase"] == "implement"


def test_the_parents_gate_leaves_cycles_without_parent_participation_alone(
    engine: Qualizyklus,
) -> None:
    net = Network.register(engine)
    cycle_id = net.start([IMPACT, ANCHORING])
    net.analyse(cycle_id)
    net.goal(cycle_id, "ziel", IMPACT, attrs={"impact_step": 2, "iooi_level": "output"})
    net.measure(cycle_id, "massnahme", ANCHORING)
    net.advance(cycle_id)
    net.move(cycle_id, "massnahme", "done")
    net.advance(cycle_id)
    net.review_goals(cycle_id)

    assert engine.cycle(cycle_id)["feedback"] == {}
    assert engine.next_step(cycle_id)["reasons"] == []
    net.close(cycle_id)
    assert engine.cycle(cycle_id)["phase"] == "closed"


def test_the_impact_comparison_speaks_of_a_single_measured_goal_in_the_singular() -> None:
    one = Standing(goals=1, outcome_or_above=0, with_level=1, progress_values=(50.0,))

    text = comparison_text(one, None)

    assert "Der Fortschritt des einen gemessenen Ziels liegt bei 50 %." in text.de
    assert "The progress of the one measured goal is 50%." in text.en
