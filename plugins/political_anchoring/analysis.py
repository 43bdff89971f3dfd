"""What a cycle says about political anchoring: evidence per body and the standards' ratings.

Evidence records ({document, body, date}) sit in the ``attrs.evidence`` of the theme's goals
and measures; the same document attached to several items counts once. Pure functions over
the plain cycle dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine import Criterion, Text, as_date, summarise_criterion, two_level_standard
from plugins.political_anchoring.catalogue import THEME
from plugins.political_anchoring.schemas import BODIES

THEME_ID = THEME.id
STANDARD_SCALE = two_level_standard()
MINIMUM_POSITION = 1.0
"""Position of "Mindestvoraussetzungen erfüllt" on the two-level standard scale."""

BODY_LABELS: dict[str, Text] = {
    "rat": Text("Rat", "Council"),
    "kreistag": Text("Kreistag", "District council"),
    "jugendhilfeausschuss": Text("Jugendhilfeausschuss", "Youth-welfare committee"),
    "steuerungsgruppe": Text("Steuerungsgruppe", "Steering group"),
    "verwaltung": Text("Verwaltung", "Administration"),
    "other": Text("Sonstige Gremien", "Other bodies"),
}
"""The bodies evidence comes from, as they read in tables and figures."""

STANDARDS: tuple[Criterion, ...] = tuple(
    criterion for criterion in THEME.criteria if criterion.scale.id == STANDARD_SCALE.id
)
"""The theme's standards: criteria with Mindestvoraussetzungen and das Mehr."""


@dataclass(frozen=True)
class Evidence:
    """One document that shows anchoring, and the goals and measures it is attached to."""

    document: str
    body: str
    date: date
    items: tuple[str, ...]


@dataclass(frozen=True)
class BodyAnchoring:
    """What one body has anchored: how many documents, the earliest and the latest."""

    body: str
    records: int
    earliest: Evidence | None
    latest: Evidence | None

    @property
    def label(self) -> Text:
        """The body's name."""
        return BODY_LABELS[self.body]


def evidence(cycle: Mapping[str, Any]) -> list[Evidence]:
    """Every distinct evidence record on the theme's goals and measures, oldest first."""
    found: dict[tuple[str, str, date], list[str]] = {}
    for kind in ("goals", "measures"):
        for item_id, item in cycle[kind].items():
            if item.get("theme_id") != THEME_ID:
                continue
            for record in (item.get("attrs") or {}).get("evidence") or []:
                key = _key(record)
                if key is not None:
                    titles = found.setdefault(key, [])
                    title = str(item.get("title") or item_id)
                    if title not in titles:
                        titles.append(title)
    return sorted(
        (
            Evidence(document, body, day, tuple(titles))
            for (document, body, day), titles in found.items()
        ),
        key=lambda e: (e.date, BODIES.index(e.body), e.document),
    )


def _key(record: object) -> tuple[str, str, date] | None:
    if not isinstance(record, Mapping):
        return None
    document, body, day = record.get("document"), record.get("body"), as_date(record.get("date"))
    if not isinstance(document, str) or body not in BODIES or day is None:
        return None
    return document.strip(), str(body), day


def by_body(records: list[Evidence]) -> list[BodyAnchoring]:
    """Per body (all of them, in a fixed order): the number of documents, earliest, latest."""
    rows = []
    for body in BODIES:
        own = [record for record in records if record.body == body]
        rows.append(
            BodyAnchoring(body, len(own), own[0] if own else None, own[-1] if own else None)
        )
    return rows


@dataclass(frozen=True)
class StandardRating:
    """A standard's ratings: how many raters and the median position (0, 1 or 2)."""

    criterion: Criterion
    raters: int
    median: float | None

    @property
    def minimum_met(self) -> bool:
        """Whether the median reaches at least the minimum requirements."""
        return self.median is not None and self.median >= MINIMUM_POSITION


def standards(cycle: Mapping[str, Any]) -> list[StandardRating]:
    """The theme's standards with their median level from the multi-rater assessment."""
    rows = []
    for criterion in STANDARDS:
        ratings = cycle["assessments"].get(f"{THEME_ID}/{criterion.id}", {})
        summary = summarise_criterion(criterion, ratings)
        rows.append(StandardRating(criterion, summary["raters"], summary["median"]))
    return rows


def minimum_met(rows: list[StandardRating]) -> int:
    """How many standards meet at least the minimum requirements (by their median)."""
    return sum(1 for row in rows if row.minimum_met)
