"""Languages: German by default, English by choice or by the browser; theme texts alike."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.numbers import format_decimal
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import format_date, format_time, get_locale
from flask_babel import lazy_gettext as _l

from engine import percent as percent_text
from engine.domain.catalogue import Text
from web.extensions import babel

PHASES = {
    "analyse": _l("Bestands- und Bedarfsanalyse"),
    "plan": _l("Zielbestimmung und Maßnahmenplanung"),
    "implement": _l("Umsetzung"),
    "review": _l("Evaluation und Weiterentwicklung"),
    "closed": _l("Abgeschlossen"),
}
STATUSES = {
    "planned": _l("geplant"),
    "running": _l("läuft"),
    "done": _l("erledigt"),
    "blocked": _l("blockiert"),
    "dropped": _l("verworfen"),
    "carried-over": _l("übertragen"),
}
ROLES = {
    "coordinator": _l("Netzwerkkoordination"),
    "contributor": _l("Fachkraft / Netzwerkpartner"),
    "viewer": _l("Lesezugriff"),
}
VERDICTS = {
    "reached": _l("erreicht"),
    "partly": _l("teilweise erreicht"),
    "not": _l("nicht erreicht"),
}


def select_locale() -> str:
    """The chosen language, else the browser's preference among German and English."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("language")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or "de"


def number(value: float | None, places: int | None = None) -> str:
    """A number as the reader writes it ("62,5" / "62.5"; 3.0 as "3"), "–" for none.

    With ``places``, rounded to that many decimals first.
    """
    if value is None:
        return "–"
    return _formatted(value if places is None else round(value, places), language())


@lru_cache(maxsize=4_096)
def _formatted(value: float, locale: str) -> str:
    """Babel's formatting, kept: a page of charts formats the same few numbers many times."""
    return str(format_decimal(value, locale=locale))


def percent(value: float | None) -> str:
    """A percentage (``value`` in percent) as the reader writes it ("27,5 %" / "27.5%"), or "–".

    Babel's percent pattern of the language, rounded to one decimal place; every page and chart
    text that shows a share goes through here (or through ``engine.percent``, which it uses).
    """
    if value is None:
        return "–"
    return _percentage(float(value), language())


@lru_cache(maxsize=4_096)
def _percentage(value: float, locale: str) -> str:
    return percent_text(value, locale)


def percent_suffix() -> str:
    """What follows a number that is a percentage: " %" in German, "%" in English."""
    return percent(0.0).removeprefix("0")


def unit_suffix(unit: str | None) -> str:
    """What follows a number in ``unit``: " %" / "%" for a percentage, else " " and the unit."""
    if not unit:
        return ""
    return percent_suffix() if unit.strip() == "%" else f" {unit}"


def amount(value: float | None, unit: str | None = None) -> str:
    """A number with its unit as the reader writes it ("12,5 %" / "12.5%", "40 Familien")."""
    if value is None:
        return "–"
    return f"{number(value)}{unit_suffix(unit)}"


def language() -> str:
    """The current language code (looked up once per request)."""
    if has_request_context():
        found = g.get("language")
        if found is None:
            found = g.language = str(get_locale() or "de")
        return str(found)
    return str(get_locale() or "de")


def localised(text: Text | Mapping[str, str] | str | None) -> str:
    """A catalogue text in the current language (German when there is no English)."""
    if text is None:
        return ""
    if isinstance(text, Text):
        return text.get(language())
    if isinstance(text, Mapping):
        return str(text.get(language()) or text.get("de") or "")
    return str(text)


def short_date(value: date | datetime | str | None) -> str:
    """A date as the reader expects it (22.11.2026 / Nov 22, 2026)."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"
    return str(format_date(value, "medium"))


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and offer the helpers to every template."""
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {
            "t": localised,
            "percent": percent,
            "amount": amount,
            "language": language,
            "phase_label": lambda phase: PHASES.get(phase, phase),
            "status_label": lambda status: STATUSES.get(status, status),
            "role_label": lambda role: ROLES.get(role, role),
            "verdict_label": lambda verdict: VERDICTS.get(verdict, verdict),
        }

    app.add_template_filter(short_date, "date")
