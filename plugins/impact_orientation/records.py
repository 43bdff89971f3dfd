"""The logic model's records (Wirkmodell): elements in four columns, arrows, the chosen gate.

The theme declares three record kinds (``Theme.record_schemas``); the engine stores them in its
core events and gives them back as ``cycle["records"]["impact-orientation"]``:

- ``element``: ``{"column", "title", "step", "level", "goal_ids"}``, text = description. Only
  results carry a staircase step, an IOOI level and links to goals of this theme.
- ``arrow``: ``{"source", "target"}`` (element ids), text = the assumption ("unter der Annahme,
  dass …").
- ``setting`` ``"gate"``: ``{"check"}``: which of the model's checks becomes a gate, if any.

:func:`problems` is the ``validate_item`` implementation for kind ``"records"``: it checks the
references between the records (arrows' ends exist and differ, one arrow per pair, linked goals
exist and belong to this theme). Removing an element that arrows still use is refused; the
theme's page removes those arrows in the same change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from engine import FieldProblem, Text, field_labels
from plugins.impact_orientation.models import (
    IMPACT_STEPS,
    IOOI_LABELS,
    IOOI_LEVELS,
    iooi_level_of_step,
)
from plugins.impact_orientation.schemas import STEP_LABELS

THEME_ID = "impact-orientation"
COLUMNS = ("conditions", "concept", "activities", "results")
"""The four columns of the NZFH logic model, left to right."""
COLUMN_LABELS: dict[str, Text] = {
    "conditions": Text("Rahmenbedingungen", "Conditions"),
    "concept": Text("Konzept", "Concept"),
    "activities": Text("Aktivitätsbereiche", "Activities"),
    "results": Text("Resultate", "Results"),
}
GATE_CHECKS = (
    "results-without-indicator",
    "activities-leading-nowhere",
    "goals-outside-model",
    "cycles",
)
"""The checks of the model an organisation may make a gate (one at most)."""
GATE_RECORD = "gate"
"""The id of the one ``setting`` record."""
MAX_ELEMENT_TITLE = 120
"""Characters of an element's title (short enough to stand in a box of the diagram)."""

ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class ElementAttrs(Schema):
    """An element of the model: its column, title, and for results step, level and goals."""

    column = fields.String(
        required=True,
        validate=validate.OneOf(COLUMNS),
        metadata=field_labels(Text("Spalte", "Column"), COLUMN_LABELS),
    )
    title = fields.String(
        required=True,
        validate=validate.Length(1, MAX_ELEMENT_TITLE),
        metadata=field_labels(Text("Titel", "Title")),
    )
    step = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(1, len(IMPACT_STEPS)),
        metadata=STEP_LABELS,
    )
    level = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(IOOI_LEVELS),
        metadata=field_labels(Text("IOOI-Ebene", "IOOI level"), IOOI_LABELS),
    )
    goal_ids = fields.List(
        fields.String(validate=ID),
        load_default=list,
        metadata=field_labels(Text("Verknüpfte Ziele", "Linked goals")),
    )

    @validates_schema
    def _results_only(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Step, level and goals belong to results; a step and its level must agree."""
        title = data["title"].strip()
        if not title:
            raise ValidationError("Bitte einen Titel angeben.", field_name="title")
        if data["column"] != "results":
            for name in ("step", "level", "goal_ids"):
                if data.get(name):
                    msg = "Nur Resultate haben Stufe, Ebene und verknüpfte Ziele."
                    raise ValidationError(msg, field_name=name)
        step, level = data.get("step"), data.get("level")
        if step is not None and level not in (None, "input") and level != iooi_level_of_step(step):
            expected = iooi_level_of_step(step)
            msg = f"Stufe {step} der Wirkungstreppe gehört zur Ebene {expected}, nicht {level}."
            raise ValidationError(msg, field_name="level")
        if len(set(data.get("goal_ids") or [])) != len(data.get("goal_ids") or []):
            raise ValidationError("Ein Ziel ist doppelt verknüpft.", field_name="goal_ids")


class ArrowAttrs(Schema):
    """An arrow "führt zu" from one element to another."""

    source = fields.String(
        required=True, validate=ID, metadata=field_labels(Text("Von Element", "From element"))
    )
    target = fields.String(
        required=True, validate=ID, metadata=field_labels(Text("Führt zu", "Leads to"))
    )


class SettingAttrs(Schema):
    """The organisation's choice of the check that becomes a gate (or none)."""

    check = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(GATE_CHECKS),
        metadata=field_labels(Text("Prüfung als Schwelle", "Check used as a gate")),
    )


RECORD_SCHEMAS: dict[str, type[Schema]] = {
    "element": ElementAttrs,
    "arrow": ArrowAttrs,
    "setting": SettingAttrs,
}


def _problem(field: str, de: str, en: str) -> FieldProblem:
    return FieldProblem(field, Text(de, en))


def problems(item: Mapping[str, Any]) -> list[FieldProblem]:
    """What is wrong with the theme's resulting records (every problem, none for others')."""
    if item.get("theme_id") != THEME_ID:
        return []
    records = item["records"]
    elements = records.get("element", {})
    found: list[FieldProblem] = []
    for setting_id in records.get("setting", {}):
        if setting_id != GATE_RECORD:
            found.append(
                _problem(
                    f"records.setting.{setting_id}",
                    f"Die einzige Einstellung heißt „{GATE_RECORD}“.",
                    f"The only setting is '{GATE_RECORD}'.",
                )
            )
    found += _arrow_problems(records.get("arrow", {}), elements)
    found += _goal_problems(elements, item.get("goals", {}))
    return found


def _arrow_problems(
    arrows: Mapping[str, Mapping[str, Any]], elements: Mapping[str, Any]
) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    pairs: dict[tuple[str, str], str] = {}
    for arrow_id, arrow in arrows.items():
        where = f"records.arrow.{arrow_id}.attrs"
        source, target = arrow["attrs"]["source"], arrow["attrs"]["target"]
        for end, element_id in (("source", source), ("target", target)):
            if element_id not in elements:
                found.append(
                    _problem(
                        f"{where}.{end}",
                        f"Das Element {element_id} gibt es nicht (mehr); ein Pfeil braucht "
                        "zwei Elemente des Modells. Entfernen Sie zuerst den Pfeil.",
                        f"There is no element {element_id}; an arrow needs two elements of "
                        "the model. Remove the arrow first.",
                    )
                )
        if source == target:
            found.append(
                _problem(
                    f"{where}.target",
                    "Ein Pfeil führt zu einem anderen Element.",
                    "An arrow leads to another element.",
                )
            )
        elif (source, target) in pairs:
            found.append(
                _problem(
                    f"{where}.target",
                    "Diesen Pfeil gibt es schon.",
                    "That arrow exists already.",
                )
            )
        pairs.setdefault((source, target), arrow_id)
    return found


def _goal_problems(
    elements: Mapping[str, Mapping[str, Any]], goals: Mapping[str, Mapping[str, Any]]
) -> list[FieldProblem]:
    found: list[FieldProblem] = []
    for element_id, element in elements.items():
        for goal_id in element["attrs"].get("goal_ids") or []:
            goal = goals.get(goal_id)
            if goal is None or goal.get("theme_id") != THEME_ID:
                found.append(
                    _problem(
                        f"records.element.{element_id}.attrs.goal_ids",
                        f"Das Ziel {goal_id} ist kein Ziel der Wirkungsorientierung in diesem "
                        "Zyklus.",
                        f"The goal {goal_id} is not an impact-orientation goal of this cycle.",
                    )
                )
    return found
