"""The logic model page's texts and rows, computed once in Python in the reader's language.

The template gets ``L`` (every fixed text of the page) and plain rows (strings and URLs) instead
of translating each item by macro: a model of 60 elements and 120 arrows renders without a
macro call or ``url_for`` per item.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any
from urllib.parse import quote

from engine import Text
from plugins.impact_orientation.models import IMPACT_STEP_SHORT, IOOI_LABELS
from plugins.impact_orientation.records import COLUMN_LABELS, COLUMNS

TEXTS: dict[str, Text] = {
    "title": Text("Wirkmodell", "Logic model"),
    "overview": Text("Das Modell im Überblick", "The model at a glance"),
    "intro": Text(
        "Wie die Aktivitäten des Netzwerks zu Veränderungen für Familien führen sollen: "
        "Rahmenbedingungen, Konzept, Aktivitätsbereiche und Resultate, verbunden durch Pfeile "
        "(„führt zu“) mit ihren Annahmen.",
        "How the network's activities are meant to lead to change for families: conditions, "
        "concept, activities and results, connected by arrows ('leads to') with their "
        "assumptions.",
    ),
    "closed": Text(
        "Der Zyklus ist abgeschlossen: das Modell bleibt so, wie es zum Abschluss stand.",
        "The cycle is closed: the model stays as it stood at the close.",
    ),
    "problem": Text("Es gibt ein Problem", "There is a problem"),
    "by_column": Text("Elemente nach Spalten", "Elements by column"),
    "step": Text("Stufe", "Step"),
    "goals": Text("Ziele:", "Goals:"),
    "edit": Text("Bearbeiten", "Edit"),
    "remove": Text("Entfernen", "Remove"),
    "pick_elements": Text("Elemente zum Entfernen", "Elements to remove"),
    "pick_arrows": Text("Pfeile zum Entfernen", "Arrows to remove"),
    "pick_hint": Text(
        "Zum Entfernen: Kästchen wählen, unten eine Begründung eingeben und senden.",
        "To remove: tick the boxes, give a reason below and send.",
    ),
    "with_arrows": Text(
        "Die Pfeile von und zu den gewählten Elementen werden mit entfernt.",
        "The arrows from and to the chosen elements are removed with them.",
    ),
    "remove_elements": Text("Elemente entfernen", "Remove elements"),
    "remove_arrows": Text("Pfeile entfernen", "Remove arrows"),
    "no_elements": Text("Noch keine Elemente.", "No elements yet."),
    "arrows": Text("Pfeile („führt zu“)", "Arrows ('leads to')"),
    "assuming": Text("unter der Annahme, dass", "assuming that"),
    "no_arrows": Text("Noch keine Pfeile.", "No arrows yet."),
    "gate_now": Text(
        "Prüfung als Voraussetzung für den Phasenwechsel:", "Check required to move on:"
    ),
    "reason": Text("Begründung (optional)", "Reason (optional)"),
    "edit_element": Text("Element bearbeiten", "Edit element"),
    "add_element": Text("Element hinzufügen", "Add an element"),
    "column": Text("Spalte", "Column"),
    "element_title": Text("Titel", "Title"),
    "description": Text("Beschreibung (optional)", "Description (optional)"),
    "results_only": Text("Nur für Resultate", "Results only"),
    "staircase": Text("Stufe der Wirkungstreppe", "Step of the impact staircase"),
    "none": Text("keine", "none"),
    "level": Text("Ebene (IOOI)", "Level (IOOI)"),
    "linked_goals": Text("Verknüpfte Ziele dieses Themas", "Linked goals of this theme"),
    "no_goals": Text(
        "Der Zyklus hat noch keine Ziele dieses Themas.",
        "The cycle has no goals of this theme yet.",
    ),
    "save_element": Text("Element speichern", "Save element"),
    "add_arrow": Text("Pfeil hinzufügen", "Add an arrow"),
    "two_first": Text(
        "Ein Pfeil verbindet zwei Elemente: legen Sie zuerst Elemente an.",
        "An arrow connects two elements: add elements first.",
    ),
    "source": Text("Von", "From"),
    "target": Text("führt zu", "leads to"),
    "choose": Text("bitte wählen", "please choose"),
    "assumption": Text(
        "Annahme (optional): unter der Annahme, dass …", "Assumption (optional): assuming that …"
    ),
    "save_arrow": Text("Pfeil speichern", "Save arrow"),
    "gate_title": Text("Prüfung als Voraussetzung", "Check as a requirement"),
    "gate_question": Text(
        "Welche Prüfung des Modells muss erfüllt sein, bevor der Zyklus weitergeht?",
        "Which check of the model must pass before the cycle moves on?",
    ),
    "save_choice": Text("Wahl speichern", "Save choice"),
}


@cache
def texts(language: str) -> dict[str, Any]:
    """Every fixed text of the page in ``language``; also the columns, steps and levels."""
    found: dict[str, Any] = {key: text.get(language) for key, text in TEXTS.items()}
    found["columns"] = [(c, COLUMN_LABELS[c].get(language)) for c in COLUMNS]
    found["steps"] = [(n, s.get(language)) for n, s in enumerate(IMPACT_STEP_SHORT, start=1)]
    found["levels"] = [(k, label.get(language)) for k, label in IOOI_LABELS.items()]
    return found


def element_rows(
    elements: Mapping[str, Any], goals: Mapping[str, Any], language: str, page_url: str
) -> dict[str, list[dict[str, str]]]:
    """The elements by column (sorted by title) as rows of ready strings; ``page_url`` is the
    page's address, to which each row's edit link adds ``?edit=<id>``."""
    words = texts(language)
    steps, levels = dict(words["steps"]), dict(words["levels"])
    rows: dict[str, list[dict[str, str]]] = {c: [] for c in COLUMNS}
    for key, element in elements.items():
        attrs = element["attrs"]
        meta = ""
        if attrs.get("step"):
            meta += f" · {words['step']} {steps.get(attrs['step'], attrs['step'])}"
        if attrs.get("level"):
            meta += f" · {levels.get(attrs['level'], attrs['level'])}"
        titles = [goals[g]["title"] if g in goals else g for g in attrs.get("goal_ids") or []]
        rows.setdefault(attrs["column"], []).append(
            {
                "key": key,
                "title": attrs["title"],
                "meta": meta,
                "text": element["text"],
                "goals": ", ".join(titles),
                "edit": f"{page_url}?edit={quote(key, safe='')}#element-form",
            }
        )
    for found in rows.values():
        found.sort(key=lambda row: row["title"].lower())
    return rows


def arrow_rows(arrows: Mapping[str, Any], elements: Mapping[str, Any]) -> list[dict[str, str]]:
    """The arrows as rows: their ends by title (the id when the element is missing)."""

    def title(key: str) -> str:
        return str(elements[key]["attrs"]["title"]) if key in elements else key

    return [
        {
            "key": key,
            "source": title(arrow["attrs"]["source"]),
            "target": title(arrow["attrs"]["target"]),
            "text": arrow["text"],
        }
        for key, arrow in arrows.items()
    ]
