"""The parents' pages' own words (buttons, progress, thanks) in the seven survey languages."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from engine.domain.surveys import LANGUAGES, RIGHT_TO_LEFT

HTML_LANG = {"ls": "de"}
"""The HTML language of a survey language where the two differ (Leichte Sprache is German)."""


@cache
def chrome() -> dict[str, dict[str, str]]:
    """Every language's page texts, by language and key."""
    data = json.loads((Path(__file__).parent / "texts.json").read_text(encoding="utf-8"))
    return {lang: data[lang] for lang in LANGUAGES if lang in data}


def page_languages(survey_languages: list[str]) -> list[str]:
    """The languages a survey can be answered in: its questions' and the pages' texts exist."""
    return [lang for lang in survey_languages if lang in chrome()]


def html_lang(language: str) -> str:
    """The value of the page's ``lang`` attribute."""
    return HTML_LANG.get(language, language)


def direction(language: str) -> str:
    """``rtl`` for Arabic, else ``ltr``."""
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"
