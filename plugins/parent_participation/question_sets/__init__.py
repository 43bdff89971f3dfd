"""The theme's question sets for parents' surveys, kept as data (one JSON file per set)."""

from __future__ import annotations

import json
from pathlib import Path

from engine import QuestionSet
from plugins.parent_participation.analysis import THEME_ID

HERE = Path(__file__).parent


def load(name: str) -> QuestionSet:
    """The question set of the JSON file ``name`` beside this module."""
    data = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    return QuestionSet.from_data(data, theme_id=THEME_ID)


GOOD_PRACTICE = load("good_practice")
"""How parents learned of the offers, felt heard, what was missing, access barriers, a smiley
rating of the offers and one open question, in German, Leichte Sprache, English, Turkish,
Arabic, Russian and Ukrainian."""
