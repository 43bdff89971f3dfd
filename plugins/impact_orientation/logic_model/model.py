"""The logic model as plain frozen data, read from a cycle's theme records.

The records of kind ``element`` (a box in one of the four columns), ``arrow`` ("führt zu",
with its assumption) and ``setting`` (the organisation's chosen gate) are read leniently:
a missing theme, kind or attribute is an empty model or a default, an arrow whose ends are
unknown is left out, so a page never fails on half-entered data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine import Text
from plugins.impact_orientation.models import IMPACT_STEP_SHORT, IMPACT_STEPS, IOOI_LEVELS
from plugins.impact_orientation.records import THEME_ID

COLUMNS = ("conditions", "concept", "activities", "results")
"""The four columns of the NZFH logic model, left to right."""

COLUMN_LABELS: dict[str, Text] = {
    "conditions": Text("Rahmenbedingungen", "Framework conditions"),
    "concept": Text("Konzept", "Concept"),
    "activities": Text("Aktivitätsbereiche", "Areas of activity"),
    "results": Text("Resultate", "Results"),
}
"""The columns' headings."""

LEVEL_SHORT: dict[str, Text] = {
    "input": Text("Input", "Input"),
    "output": Text("Output", "Output"),
    "outcome": Text("Outcome", "Outcome"),
    "impact": Text("Impact", "Impact"),
}
"""The IOOI levels as one word (the same in both languages)."""

CHECKS = (
    "results-without-indicator",
    "activities-leading-nowhere",
    "goals-outside-model",
    "cycles",
)
"""The checks an organisation may choose as its gate (setting ``gate``, attribute ``check``)."""


@dataclass(frozen=True)
class Element:
    """A box of the model: its column, title, description and, for a result, its place."""

    id: str
    column: str
    title: str
    text: str = ""
    step: int | None = None
    level: str | None = None
    goal_ids: tuple[str, ...] = ()

    @property
    def column_index(self) -> int:
        """The column's position, 0 (conditions) to 3 (results)."""
        return COLUMNS.index(self.column)

    def place(self) -> Text | None:
        """Where a result sits, short: "Stufe 4 · Outcome", or None if neither is given."""
        de, en = [], []
        if self.step is not None:
            de.append(f"Stufe {self.step}")
            en.append(f"Step {self.step}")
        if self.level is not None:
            de.append(LEVEL_SHORT[self.level].de)
            en.append(LEVEL_SHORT[self.level].en)
        return Text(" · ".join(de), " · ".join(en)) if de else None

    def step_text(self) -> Text | None:
        """The staircase step with its short name ("4 Bewusstsein, Fähigkeiten"), or None."""
        return IMPACT_STEP_SHORT[self.step - 1] if self.step is not None else None


@dataclass(frozen=True)
class Arrow:
    """ "Führt zu": from one element to another, under an assumption (may be empty)."""

    id: str
    source: str
    target: str
    assumption: str = ""


@dataclass(frozen=True)
class LogicModel:
    """The elements (column by column, in the order entered) and the arrows between them."""

    elements: tuple[Element, ...] = ()
    arrows: tuple[Arrow, ...] = ()
    gate_check: str | None = None
    _by_id: dict[str, Element] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update((element.id, element) for element in self.elements)

    @property
    def is_empty(self) -> bool:
        """True when the model has no element yet."""
        return not self.elements

    def element(self, element_id: str) -> Element:
        """The element with this id (KeyError if there is none)."""
        return self._by_id[element_id]

    def column(self, column: str) -> tuple[Element, ...]:
        """The elements of one column, in the order entered."""
        return tuple(e for e in self.elements if e.column == column)

    def outgoing(self, element_id: str) -> tuple[Arrow, ...]:
        """The arrows leaving an element."""
        return tuple(a for a in self.arrows if a.source == element_id)

    def numbered_assumptions(self) -> dict[str, int]:
        """Arrow id → the number of its assumption (1, 2, …), for arrows that have one."""
        numbered = [a.id for a in self.arrows if a.assumption.strip()]
        return {arrow_id: number for number, arrow_id in enumerate(numbered, 1)}


def quoted(title: str, language: str) -> str:
    """A title in the language's quotation marks („…“ or “…”)."""
    return f"“{title}”" if language == "en" else f"„{title}“"


def model_of(cycle: Mapping[str, Any]) -> LogicModel:
    """The logic model in ``cycle``'s records of the impact orientation theme."""
    records = _mapping(_mapping(cycle.get("records")).get(THEME_ID))
    elements = [
        element
        for record_id, record in _mapping(records.get("element")).items()
        if (element := _element(str(record_id), _mapping(record))) is not None
    ]
    elements.sort(key=lambda e: e.column_index)  # stable: the order entered within a column
    known = {e.id for e in elements}
    arrows = tuple(
        arrow
        for record_id, record in _mapping(records.get("arrow")).items()
        if (arrow := _arrow(str(record_id), _mapping(record))) is not None
        and arrow.source in known
        and arrow.target in known
    )
    gate = _mapping(_mapping(_mapping(records.get("setting")).get("gate")).get("attrs"))
    check = gate.get("check")
    return LogicModel(tuple(elements), arrows, check if check in CHECKS else None)


def _element(record_id: str, record: Mapping[str, Any]) -> Element | None:
    attrs = _mapping(record.get("attrs"))
    column = attrs.get("column")
    if column not in COLUMNS:
        return None
    step = attrs.get("step")
    level = attrs.get("level")
    goal_ids = attrs.get("goal_ids")
    return Element(
        id=record_id,
        column=str(column),
        title=str(attrs.get("title") or "").strip() or record_id,
        text=str(record.get("text") or ""),
        step=step
        if isinstance(step, int) and not isinstance(step, bool) and 1 <= step <= len(IMPACT_STEPS)
        else None,
        level=level if level in IOOI_LEVELS else None,
        goal_ids=tuple(str(g) for g in goal_ids) if isinstance(goal_ids, list | tuple) else (),
    )


def _arrow(record_id: str, record: Mapping[str, Any]) -> Arrow | None:
    attrs = _mapping(record.get("attrs"))
    source, target = attrs.get("source"), attrs.get("target")
    if not isinstance(source, str) or not isinstance(target, str):
        return None
    return Arrow(record_id, source, target, str(record.get("text") or "").strip())


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
