"""Wording of numbers, shares, changes and dates in themes' insights and reports.

Public for every theme (``from engine import percent, date_text, ...``), the built-in ones
included.

German first (decimal comma, "62,5 %"), English alongside ("62.5%"), both by Babel from the
Unicode CLDR (a regular space stands for Babel's no-break space before the German "%"). Numbers
are rounded to one decimal place and shown without trailing zeros; a count that changes the
wording goes through :meth:`engine.Text.counted`. Whatever reads differently in the two
languages (words, a decimal comma, a German date) goes into table cells and figures as a
:class:`engine.Text`; numbers go in as numbers, and names as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal, format_percent

from engine.domain.catalogue import Text

MINUS = "\N{MINUS SIGN}"
"""The minus sign of a negative change (read out as "minus" by screen readers)."""

MEASURE_STATUS_LABELS: dict[str, Text] = {
    "planned": Text("geplant", "planned"),
    "running": Text("läuft", "running"),
    "done": Text("erledigt", "done"),
    "blocked": Text("blockiert", "blocked"),
    "dropped": Text("verworfen", "dropped"),
    "carried-over": Text("übertragen", "carried over"),
}
"""How a measure's status reads in tables and reports."""


def uses_theme(cycle: Mapping[str, Any] | None, theme_id: str) -> bool:
    """Whether ``cycle`` exists and works on the theme ``theme_id``."""
    return cycle is not None and theme_id in cycle.get("themes", ())


def rounded(value: float, digits: int = 1) -> float:
    """``value`` rounded for display (and for figures, so that they match their wording)."""
    result = round(float(value), digits)
    return 0.0 if result == 0 else result


def number(value: float, language: str = "de", digits: int = 1) -> str:
    """A number rounded to ``digits`` places, without trailing zeros ("12,5", "40")."""
    pattern = f"0.{'#' * digits}" if digits > 0 else "0"
    return _signs(format_decimal(rounded(value, digits), format=pattern, locale=language))


def percent(value: float, language: str = "de") -> str:
    """A percentage of ``value`` (in percent): "62,5 %" in German, "62.5%" in English."""
    fraction = Decimal(repr(rounded(value))) / 100
    return _signs(format_percent(fraction, locale=language, decimal_quantization=False))


def _signs(text: str) -> str:
    """Babel's output with a true minus sign and a plain space (as in every text so far)."""
    return text.replace("-", MINUS).replace("\N{NO-BREAK SPACE}", " ")


def signed(value: float, language: str = "de") -> str:
    """A change with its sign: "+15", "−2,5", "±0"."""
    if rounded(value) == 0:
        return "±0"
    text = number(value, language)
    return text if text.startswith(MINUS) else f"+{text}"


PERCENTAGE_POINTS = Text("Prozentpunkte", "percentage points")
"""The unit of a change of a share."""


def change(value: float) -> Text:
    """A change with its sign in both languages ("+2,5" and "+2.5", "±0")."""
    return Text(signed(value), signed(value, "en"))


def points(value: float) -> Text:
    """A change of a share in percentage points ("+15 Prozentpunkte")."""
    return Text(f"{signed(value)} Prozentpunkte", f"{signed(value, 'en')} percentage points")


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, or None when there is nothing to divide."""
    return None if whole == 0 else 100.0 * part / whole


def as_date(value: object) -> date | None:
    """A date from a date or an ISO text (attrs hold dates as text); None if it is neither."""
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def month_year(value: date) -> str:
    """A date as month and year ("03/2019")."""
    return f"{value.month:02d}/{value.year}"


def day(value: date, language: str = "de") -> str:
    """A date as German ("14.03.2019") or ISO text."""
    return f"{value.day:02d}.{value.month:02d}.{value.year}" if language == "de" else str(value)


def date_text(value: date) -> Text:
    """A date as German ("14.03.2019") and English (ISO, "2019-03-14") text."""
    return Text(day(value), day(value, "en"))


def out_of(whole: int) -> Text:
    """The unit of a count out of a whole ("von 8", "of 8": the figure reads "7 von 8")."""
    return Text(f"von {whole}", f"of {whole}")


def between(lower: Text, upper: Text) -> Text:
    """A median between two levels ("zwischen Anhörung und Einbeziehung")."""
    return Text(
        f"zwischen {lower.de} und {upper.de}", f"between {lower.get('en')} and {upper.get('en')}"
    )


def span(lowest: Text, highest: Text) -> Text:
    """A range from one level to another ("Anhörung – Mitbestimmung"); one level if they agree."""
    if lowest == highest:
        return lowest
    return Text(f"{lowest.de} – {highest.de}", f"{lowest.get('en')} – {highest.get('en')}")


def status_label(status: str) -> Text:
    """A measure's status as a label (unknown statuses as they are)."""
    return MEASURE_STATUS_LABELS.get(status) or Text(status or "–", status or "–")
