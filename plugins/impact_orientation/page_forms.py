"""The logic model page's forms, read without WTForms: what was typed, checked, and the change
(saves and removals) it asks the engine for; the engine's refusals put back beside the fields.

Every message is a :class:`engine.Text` (German, English); the template shows it with ``t``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine import MAX_REASON, MAX_RECORD_TEXT, InvalidInput, Text
from plugins.impact_orientation.models import IMPACT_STEPS, IOOI_LEVELS, iooi_level_of_step
from plugins.impact_orientation.records import (
    COLUMNS,
    GATE_CHECKS,
    GATE_RECORD,
    MAX_ELEMENT_TITLE,
)

RECORD_FIELD = re.compile(r"^records\.(\w+)\.[^.]+\.(attrs\.)?(\w+)")


@dataclass
class Form:
    """One submitted form: the values as typed, and the problems by input name."""

    name: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[Text]] = field(default_factory=dict)
    general: list[Text] = field(default_factory=list)

    def add(self, name: str, message: Text) -> None:
        """Note a problem of the input ``name``."""
        self.errors.setdefault(name, []).append(message)

    @property
    def problems(self) -> list[tuple[str, Text]]:
        """Every problem for the error summary: (the input's id or '', message)."""
        found = [(f"{self.name}-{name}", m) for name, ms in self.errors.items() for m in ms]
        return found + [("", message) for message in self.general]

    def refused(self, error: InvalidInput, fields: Mapping[str, str]) -> None:
        """Put the engine's problems beside the inputs they concern (``fields``: the engine's
        last name part -> input name), the others into the summary."""
        for problem in error.problems:
            message = Text(problem.field_de, problem.field_en)
            match = RECORD_FIELD.match(problem.field)
            name = match.group(3) if match else problem.field
            if name in fields:
                self.add(fields[name], message)
            else:
                self.general.append(message)


def _text(form: Form, name: str, given: Mapping[str, str], limit: int, label: Text) -> str:
    value = (given.get(name) or "").strip()
    form.values[name] = value
    if len(value) > limit:
        form.add(
            name,
            Text(
                f"„{label.de}“ darf höchstens {limit} Zeichen lang sein "
                f"(eingegeben: {len(value)}).",
                f"'{label.get('en')}' may be at most {limit} characters long "
                f"(entered: {len(value)}).",
            ),
        )
    return value


TITLE = Text("Titel", "Title")
DESCRIPTION = Text("Beschreibung", "Description")
ASSUMPTION = Text("Annahme", "Assumption")
REASON = Text("Begründung", "Reason")


def reason(form: Form, given: Mapping[str, str]) -> str:
    """The reason typed with any change (optional)."""
    return _text(form, "reason", given, MAX_REASON, REASON)


def element_form(
    given: Mapping[str, str], goal_ids: list[str], theme_goals: set[str]
) -> tuple[Form, dict[str, Any]]:
    """The element form's values checked; the save it asks for (``attrs`` and ``text``)."""
    form = Form("element")
    column = given.get("column") or ""
    form.values["column"] = column
    if column not in COLUMNS:
        form.add("column", Text("Bitte wählen Sie eine Spalte.", "Please choose a column."))
    title = _text(form, "title", given, MAX_ELEMENT_TITLE, TITLE)
    if not title:
        form.add("title", Text("Bitte geben Sie einen Titel ein.", "Please enter a title."))
    text = _text(form, "description", given, MAX_RECORD_TEXT, DESCRIPTION)
    step = _step(form, given.get("step") or "")
    level = given.get("level") or ""
    form.values["level"] = level
    if level and level not in IOOI_LEVELS:
        form.add("level", Text("Bitte wählen Sie eine Ebene.", "Please choose a level."))
    chosen = [goal_id for goal_id in goal_ids if goal_id in theme_goals]
    form.values["goal_ids"] = chosen
    if len(chosen) != len(goal_ids):
        form.add(
            "goal_ids",
            Text("Bitte nur Ziele dieses Themas wählen.", "Choose goals of this theme only."),
        )
    if column != "results" and (step or level or chosen):
        form.add(
            "column",
            Text(
                "Nur Resultate haben eine Stufe, eine Ebene und verknüpfte Ziele: wählen Sie "
                "„Resultate“ oder lassen Sie diese Angaben leer.",
                "Only results have a step, a level and linked goals: choose 'Results' or "
                "leave these empty.",
            ),
        )
    if step and level and level != "input" and level != iooi_level_of_step(step):
        expected = iooi_level_of_step(step)
        form.add(
            "level",
            Text(
                f"Stufe {step} der Wirkungstreppe gehört zur Ebene {expected.capitalize()}.",
                f"Step {step} of the impact staircase belongs to the level {expected}.",
            ),
        )
    attrs = {
        "column": column,
        "title": title,
        "step": step,
        "level": level or None,
        "goal_ids": chosen,
    }
    return form, {"kind": "element", "attrs": attrs, "text": text}


def _step(form: Form, given: str) -> int | None:
    form.values["step"] = given
    if not given:
        return None
    if given.isdigit() and 1 <= int(given) <= len(IMPACT_STEPS):
        return int(given)
    form.add(
        "step",
        Text("Bitte wählen Sie eine Stufe von 1 bis 7.", "Please choose a step from 1 to 7."),
    )
    return None


def arrow_form(
    given: Mapping[str, str], elements: Mapping[str, Any]
) -> tuple[Form, dict[str, Any]]:
    """The arrow form's values checked; the save it asks for."""
    form = Form("arrow")
    ends = {}
    for name, de, en in (
        (
            "source",
            "Bitte wählen Sie, wovon der Pfeil ausgeht.",
            "Please choose where the arrow starts.",
        ),
        (
            "target",
            "Bitte wählen Sie, wozu der Pfeil führt.",
            "Please choose where the arrow leads.",
        ),
    ):
        ends[name] = given.get(name) or ""
        form.values[name] = ends[name]
        if ends[name] not in elements:
            form.add(name, Text(de, en))
    if ends["source"] and ends["source"] == ends["target"]:
        form.add(
            "target",
            Text("Ein Pfeil führt zu einem anderen Element.", "An arrow leads to another element."),
        )
    text = _text(form, "assumption", given, MAX_RECORD_TEXT, ASSUMPTION)
    return form, {"kind": "arrow", "attrs": ends, "text": text}


def gate_form(given: Mapping[str, str]) -> tuple[Form, dict[str, Any]]:
    """The gate choice checked; the save of the one setting record."""
    form = Form("gate")
    check = given.get("check") or ""
    form.values["check"] = check
    if check and check not in GATE_CHECKS:
        form.add(
            "check",
            Text("Bitte wählen Sie eine der Prüfungen.", "Please choose one of the checks."),
        )
    attrs = {"check": check or None}
    return form, {"kind": "setting", "record_id": GATE_RECORD, "attrs": attrs, "text": ""}


ELEMENT_FIELDS = {
    "column": "column",
    "title": "title",
    "step": "step",
    "level": "level",
    "goal_ids": "goal_ids",
    "text": "description",
    "reason": "reason",
}
"""The engine's names of an element's problems -> the element form's inputs."""
ARROW_FIELDS = {"source": "source", "target": "target", "text": "assumption", "reason": "reason"}
GATE_FIELDS = {"check": "check", "reason": "reason"}
