"""What a run of the scale generator writes: the organisations, and the items the themes offer.

Deterministic for a seed: the same size and seed plan the same organisations (engine/demo/scale.py
writes them; engine/demo/scale_cycles.py builds their cycles).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.application.service import Qualizyklus
from engine.application.store import DEFAULT_WORKFLOW
from engine.domain import validation as check
from engine.domain.catalogue import Theme
from engine.domain.errors import InvalidInput
from engine.domain.organisation import LAENDER
from engine.domain.workflow import WorkflowDefinition

ORGANISATIONS_PER_LAND = 25
"""Organisations go round-robin over the first max(1, N // this) Länder (at most all 16)."""
KINDS = (
    ("Landkreis", "lk"),
    ("Stadt", "st"),
    ("Kreis", "kr"),
    ("Gemeinde", "gem"),
    ("Samtgemeinde", "sg"),
)
PLACES = (
    "Musterhausen",
    "Lindenau",
    "Birkenfelde",
    "Rosenbach",
    "Eichenried",
    "Talheim",
    "Waldstetten",
    "Auenrode",
    "Steinbrück",
    "Mühlental",
    "Hohenweide",
    "Kirchdorf",
    "Sonnenberg",
    "Wiesenau",
    "Bergstedt",
    "Seeburg",
)


@dataclass(frozen=True)
class ScaleOrganisation:
    """One generated organisation: its slug, name and Land."""

    index: int
    slug: str
    name: str
    land: str


def plan_organisations(organisations: int, seed: int) -> list[ScaleOrganisation]:
    """The organisations a run with this size and seed writes (slugs are unique per seed)."""
    laender = LAENDER[: min(len(LAENDER), max(1, organisations // ORGANISATIONS_PER_LAND))]
    planned = []
    for index in range(organisations):
        kind, short = KINDS[index % len(KINDS)]
        place = PLACES[(index // len(KINDS) + seed) % len(PLACES)]
        number = index + 1
        slug = f"{short}-{slug_of(place)}-{number}-s{seed}"
        name = f"{kind} {place} {number}"
        planned.append(ScaleOrganisation(index, slug, name, laender[index % len(laender)]))
    return planned


def slug_of(text: str) -> str:
    """A place name as part of a slug (umlauts spelt out, spaces as dashes)."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return text.lower().translate(table)


@dataclass(frozen=True)
class Item:
    """A goal or measure to plan: its theme (or None), title and checked attrs."""

    theme_id: str | None
    title: str
    attrs: dict[str, Any]


@dataclass(frozen=True)
class ScaleCatalogue:
    """The installed themes, the workflow and the goal and measure items they offer."""

    themes: tuple[Theme, ...]
    definition: WorkflowDefinition
    goals: dict[str, tuple[Item, ...]]
    measures: dict[str, tuple[Item, ...]]
    assessment_attrs: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, app: Qualizyklus) -> ScaleCatalogue:
        """Read the themes' templates once, their attrs checked as the commands check them."""
        themes = tuple(sorted(app.themes.values(), key=lambda theme: theme.id))
        if not themes:
            raise InvalidInput(
                "themes",
                "Es ist kein Thema installiert; die Daten brauchen mindestens ein Themen-Plugin.",
                "No theme is installed; the data needs at least one theme plugin.",
            )
        definition = app.workflows.latest(DEFAULT_WORKFLOW)
        if definition is None:
            msg = f"workflow {DEFAULT_WORKFLOW} is not installed"
            raise RuntimeError(msg)
        goals = {t.id: _items(t, "goal", t.goal_schema) for t in themes}
        measures = {t.id: _items(t, "measure", t.measure_schema) for t in themes}
        assessment_attrs = {t.id: check.attrs(None, t.assessment_schema) for t in themes}
        return cls(themes, definition, goals, measures, assessment_attrs)


def _items(theme: Theme, kind: str, schema: Any) -> tuple[Item, ...]:
    items = [
        Item(theme.id, template.title.de, check.attrs(dict(template.attrs), schema))
        for template in theme.templates
        if template.kind == kind
    ]
    if items:
        return tuple(items)
    title = f"{theme.title.de}: " + ("Ziel weiterentwickeln" if kind == "goal" else "Arbeitsgruppe")
    try:
        return (Item(theme.id, title, check.attrs({}, schema)),)
    except InvalidInput:  # the theme's schema needs attrs that only its templates know
        return (Item(None, title, {}),)
