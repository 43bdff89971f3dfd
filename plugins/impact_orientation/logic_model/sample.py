"""A realistic sample model for the demo, and a large generated one for tests and benchmarks.

Both return theme records in the shape the cycle carries them
(``cycle["records"]["impact-orientation"]``): kind → record id → ``{"attrs", "text"}``.
The sample follows the NZFH's logic model for Frühe Hilfen: conditions and concept lead to the
areas of activity, which lead to results from output (families reached) through outcome
(parents feel more confident, practitioners refer reliably) to impact (children grow up
healthy and protected).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from plugins.impact_orientation.logic_model.model import COLUMNS
from plugins.impact_orientation.records import MAX_ELEMENT_TITLE

Records = dict[str, dict[str, dict[str, Any]]]

_ELEMENTS: tuple[tuple[str, str, str, str, int | None, str | None], ...] = (
    # id, column, title, description, step, level
    (
        "rb-auftrag",
        "conditions",
        "Gesetzlicher Auftrag (KKG) und Bundesstiftung Frühe Hilfen",
        "§ 3 KKG verpflichtet zu verbindlichen Netzwerkstrukturen.",
        None,
        None,
    ),
    (
        "rb-stelle",
        "conditions",
        "Netzwerkkoordination mit einer halben Stelle finanziert",
        "",
        None,
        None,
    ),
    (
        "rb-bedarf",
        "conditions",
        "Viele junge Familien in belasteten Lebenslagen",
        "Sozialdaten: hoher Anteil von Familien im SGB-II-Bezug.",
        None,
        None,
    ),
    ("ko-ziel", "concept", "Familien ab der Schwangerschaft früh erreichen", "", None, None),
    (
        "ko-zielgruppe",
        "concept",
        "Werdende Eltern und Familien mit Kindern bis drei Jahre",
        "",
        None,
        None,
    ),
    (
        "ko-grundsaetze",
        "concept",
        "Freiwillig, niedrigschwellig und multiprofessionell",
        "",
        None,
        None,
    ),
    (
        "ak-netzwerk",
        "activities",
        "Netzwerktreffen und Qualitätszirkel",
        "Viermal im Jahr, mit Gesundheitswesen und Jugendhilfe.",
        None,
        None,
    ),
    ("ak-willkommen", "activities", "Willkommensbesuche bei allen Neugeborenen", "", None, None),
    (
        "ak-begleitung",
        "activities",
        "Familienhebammen und FGKiKP begleiten Familien",
        "",
        None,
        None,
    ),
    ("ak-qualifizierung", "activities", "Gemeinsame Fortbildungen der Fachkräfte", "", None, None),
    ("ak-oeffentlichkeit", "activities", "Elternbriefe und Wegweiser Frühe Hilfen", "", None, None),
    ("re-erreicht", "results", "Mehr Familien mit Neugeborenen erreicht", "", 2, "output"),
    ("re-angenommen", "results", "Vermittelte Familien nehmen die Begleitung an", "", 3, "output"),
    (
        "re-sicherheit",
        "results",
        "Eltern fühlen sich sicherer im Umgang mit ihrem Kind",
        "",
        4,
        "outcome",
    ),
    (
        "re-vermittlung",
        "results",
        "Fachkräfte vermitteln verbindlich ins Netzwerk",
        "",
        5,
        "outcome",
    ),
    ("re-aufwachsen", "results", "Kinder wachsen gesund und geschützt auf", "", 7, "impact"),
)

_ARROWS: tuple[tuple[str, str, str], ...] = (
    ("rb-auftrag", "ko-ziel", ""),
    ("rb-stelle", "ak-netzwerk", "die Stelle dauerhaft besetzt ist"),
    ("rb-bedarf", "ko-zielgruppe", "die Sozialdaten jährlich ausgewertet werden"),
    ("ko-ziel", "ak-willkommen", ""),
    ("ko-zielgruppe", "ak-begleitung", ""),
    ("ko-grundsaetze", "ak-oeffentlichkeit", "Eltern die Angebote als freiwillig erleben"),
    ("ko-grundsaetze", "ak-qualifizierung", ""),
    ("ak-netzwerk", "re-vermittlung", "alle Berufsgruppen regelmäßig teilnehmen"),
    ("ak-willkommen", "re-erreicht", "die Geburtsmeldungen vollständig vorliegen"),
    ("ak-oeffentlichkeit", "re-erreicht", "die Elternbriefe in den Familiensprachen erscheinen"),
    ("ak-begleitung", "re-angenommen", "genug Familienhebammen verfügbar sind"),
    ("ak-qualifizierung", "re-vermittlung", ""),
    ("re-erreicht", "re-angenommen", "Familien Vertrauen zu den Fachkräften fassen"),
    ("re-angenommen", "re-sicherheit", "die Begleitung mindestens drei Monate dauert"),
    ("re-vermittlung", "re-angenommen", ""),
    ("re-sicherheit", "re-aufwachsen", "weitere Belastungen nicht überwiegen"),
    ("re-vermittlung", "ak-netzwerk", "Rückmeldungen aus der Praxis ins Netzwerk zurückfließen"),
)


def sample_records(goal_ids: Sequence[str] = ()) -> Records:
    """The sample model of a Landkreis, 16 elements and 17 arrows with assumptions.

    ``goal_ids`` (the cycle's goals of the impact theme) are tied to the results in order:
    the first to "Mehr Familien … erreicht", the second to "… nehmen die Begleitung an", and
    so on; results beyond them stay without a goal (the checks then name them).
    """
    results = [spec[0] for spec in _ELEMENTS if spec[1] == "results"]
    linked = dict(zip(results, goal_ids, strict=False))
    elements = {
        element_id: {
            "attrs": {
                "column": column,
                "title": title,
                "step": step,
                "level": level,
                "goal_ids": [linked[element_id]] if element_id in linked else [],
            },
            "text": text,
        }
        for element_id, column, title, text, step, level in _ELEMENTS
    }
    arrows = {
        f"pf-{number:02d}": {"attrs": {"source": source, "target": target}, "text": assumption}
        for number, (source, target, assumption) in enumerate(_ARROWS, 1)
    }
    return {
        "element": elements,
        "arrow": arrows,
        "setting": {"gate": {"attrs": {"check": None}, "text": ""}},
    }


def generated_records(elements: int = 60, arrows: int = 120, seed: int = 15) -> Records:
    """A large random model for benchmarks: ``elements`` spread over the four columns (more in
    activities and results), ``arrows`` mostly forward, some inside a column or backward, every
    third with an assumption. The same seed gives the same model."""
    rng = random.Random(seed)
    weights = (0.15, 0.15, 0.3, 0.4)
    columns: list[str] = []
    for index, column in enumerate(COLUMNS):
        columns += [column] * round(elements * weights[index])
    columns = (columns + ["results"] * elements)[:elements]
    records: Records = {"element": {}, "arrow": {}}
    for index, column in enumerate(columns):
        words = rng.randint(3, 12)
        title = " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize()
        title = title[:MAX_ELEMENT_TITLE].rstrip()  # as the theme's schema allows
        is_result = column == "results"
        step = rng.randint(1, 7) if is_result else None
        level = _level(step) if step is not None else None
        records["element"][f"el-{index:03d}"] = {
            "attrs": {
                "column": column,
                "title": title,
                "step": step,
                "level": level,
                "goal_ids": [],
            },
            "text": "",
        }
    ids = list(records["element"])
    index_of = {column: [i for i, c in enumerate(columns) if c == column] for column in COLUMNS}
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < arrows:
        source = rng.randrange(elements)
        here = COLUMNS.index(columns[source])
        roll = rng.random()
        shift = 1 if roll < 0.7 else 2 if roll < 0.8 else 0 if roll < 0.9 else -1
        there = min(3, max(0, here + shift))
        target = rng.choice(index_of[COLUMNS[there]])
        if target != source:
            pairs.add((source, target))
    for number, (source, target) in enumerate(sorted(pairs), 1):
        assumption = f"Annahme {number}: " + " ".join(rng.choice(_WORDS) for _ in range(6))
        records["arrow"][f"pf-{number:03d}"] = {
            "attrs": {"source": ids[source], "target": ids[target]},
            "text": assumption if number % 3 == 0 else "",
        }
    return records


def _level(step: int) -> str:
    return "output" if step <= 3 else "outcome" if step <= 6 else "impact"


_WORDS = (
    "Familien",
    "Netzwerk",
    "Hebammen",
    "Beratung",
    "Eltern",
    "Kita",
    "Jugendamt",
    "Gesundheitsamt",
    "Kinderärzte",
    "erreichen",
    "begleiten",
    "stärken",
    "vermitteln",
    "Qualifizierung",
    "Angebote",
    "frühzeitig",
    "verbindlich",
    "Zusammenarbeit",
    "Willkommensbesuch",
    "Sprachmittlung",
    "Elterncafé",
    "Lotsendienst",
    "Geburtsklinik",
)


def demo_saves(goal_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The sample model as saves for ``change_records`` (``Theme.demo_records``): the demo's
    impact cycles get it, their goals of this theme tied to its results."""
    return [
        {"kind": kind, "record_id": record_id, "attrs": record["attrs"], "text": record["text"]}
        for kind, records in sample_records(goal_ids).items()
        for record_id, record in records.items()
    ]
