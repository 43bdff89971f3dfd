"""marshmallow's standard (English) messages in German.

Theme schemas and the API's request schemas are marshmallow schemas; their standard messages
("Not a valid integer.", "Missing data for required field.") are English. A German reader,
and the API's ``detail_de``, get them in German; a theme's own messages pass as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _fixed(german: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: german


_KINDS = {
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
    "date": "ein gültiges Datum",
    "datetime": "einen gültigen Zeitpunkt",
    "time": "eine gültige Uhrzeit",
    "boolean": "ja oder nein (true oder false)",
    "string": "einen Text",
    "list": "eine Liste",
    "mapping": "ein Objekt",
    "tuple": "eine Liste",
    "uuid": "eine gültige UUID",
    "email address": "eine gültige E-Mail-Adresse",
    "url": "eine gültige Adresse (URL)",
    "naive datetime": "einen Zeitpunkt ohne Zeitzone",
    "aware datetime": "einen Zeitpunkt mit Zeitzone",
    "ipv4 address": "eine gültige IPv4-Adresse",
    "ipv6 address": "eine gültige IPv6-Adresse",
    "ip address": "eine gültige IP-Adresse",
    "ipv4 interface": "eine gültige IPv4-Schnittstelle",
    "ipv6 interface": "eine gültige IPv6-Schnittstelle",
    "ip interface": "eine gültige IP-Schnittstelle",
    "utf-8 string": "einen gültigen UTF-8-Text",
    "period of time": "eine gültige Zeitspanne",
}

LEVEL_IDS = "Must be one of these level ids: {ids}."
"""The API's message for a rating off a scale of levels (the ids a client must send)."""

_RULES: tuple[_Rule, ...] = (
    (re.compile(r"^Missing data for required field\.$"), _fixed("Bitte ausfüllen.")),
    (re.compile(r"^Field may not be null\.$"), _fixed("Bitte ausfüllen.")),
    (re.compile(r"^Unknown field\.$"), _fixed("Dieses Feld ist hier nicht vorgesehen.")),
    (re.compile(r"^Invalid input type\.$"), _fixed("Der Wert hat die falsche Art.")),
    (re.compile(r"^Invalid (value|input)\.$"), _fixed("Dieser Wert ist nicht gültig.")),
    (
        re.compile(r"^Not a valid (?P<kind>[A-Za-z0-9 -]+)\.$"),
        lambda m: (
            f"Bitte {_KINDS[m['kind'].lower()]} angeben."
            if m["kind"].lower() in _KINDS
            else "Dieser Wert ist nicht gültig."
        ),
    ),
    (
        re.compile(r"^Must be one of: (?P<choices>.*)\.$"),
        lambda m: f"Bitte einen dieser Werte wählen: {m['choices']}.",
    ),
    (
        re.compile(
            r"^Must be greater than (?P<eq1>or equal to )?(?P<low>\S+) "
            r"and less than (?P<eq2>or equal to )?(?P<high>\S+)\.$"
        ),
        lambda m: f"Der Wert muss zwischen {m['low']} und {m['high']} liegen.",
    ),
    (
        re.compile(r"^Must be greater than or equal to (?P<low>\S+)\.$"),
        lambda m: f"Der Wert muss mindestens {m['low']} sein.",
    ),
    (
        re.compile(r"^Must be greater than (?P<low>\S+)\.$"),
        lambda m: f"Der Wert muss größer als {m['low']} sein.",
    ),
    (
        re.compile(r"^Must be less than or equal to (?P<high>\S+)\.$"),
        lambda m: f"Der Wert darf höchstens {m['high']} sein.",
    ),
    (
        re.compile(r"^Must be less than (?P<high>\S+)\.$"),
        lambda m: f"Der Wert muss kleiner als {m['high']} sein.",
    ),
    (
        re.compile(r"^Length must be between (?P<low>\d+) and (?P<high>\d+)\.$"),
        lambda m: f"Bitte {m['low']} bis {m['high']} Zeichen (oder Einträge) angeben.",
    ),
    (
        re.compile(r"^Shorter than minimum length (?P<low>\d+)\.$"),
        lambda m: f"Bitte mindestens {m['low']} Zeichen (oder Einträge) angeben.",
    ),
    (
        re.compile(r"^Longer than maximum length (?P<high>\d+)\.$"),
        lambda m: f"Höchstens {m['high']} Zeichen (oder Einträge) sind erlaubt.",
    ),
    (
        re.compile(r"^Length must be (?P<equal>\d+)\.$"),
        lambda m: f"Bitte genau {m['equal']} Zeichen (oder Einträge) angeben.",
    ),
    (
        re.compile(r"^String does not match expected pattern\.$"),
        _fixed("Der Text hat nicht die erwartete Form."),
    ),
    (
        re.compile(r"^Must be one of these level ids: (?P<ids>.*)\.$"),
        lambda m: f"Bitte eine dieser Kennungen der Stufen senden: {m['ids']}.",
    ),
    (
        re.compile(r"^must lie between (?P<low>\S+) and (?P<high>\S+)$"),
        lambda m: f"muss zwischen {m['low']} und {m['high']} liegen",
    ),
    (
        re.compile(r"^must be a multiple of (?P<step>\S+) from (?P<low>\S+)$"),
        lambda m: f"muss ein Vielfaches von {m['step']} ab {m['low']} sein",
    ),
    (re.compile(r"^must be a number$"), _fixed("muss eine Zahl sein")),
    (re.compile(r"^Invalid type\.$"), _fixed("Der Wert hat die falsche Art.")),
    (re.compile(r"^Number too large\.$"), _fixed("Die Zahl ist zu groß.")),
    (
        re.compile(r"^Special numeric values \(nan or infinity\) are not permitted\.$"),
        _fixed("Besondere Zahlenwerte (nan, unendlich) sind nicht erlaubt."),
    ),
    (
        re.compile(r"^Must be equal to (?P<other>.*)\.$"),
        lambda m: f"Der Wert muss {m['other']} sein.",
    ),
    (
        re.compile(r"^One or more of the choices you made was not in: (?P<choices>.*)\.$"),
        lambda m: f"Bitte nur Werte aus dieser Liste wählen: {m['choices']}.",
    ),
    (
        re.compile(r"^One or more of the choices you made was in: (?P<values>.*)\.$"),
        lambda m: f"Diese Werte sind nicht erlaubt: {m['values']}.",
    ),
    (
        re.compile(r"^.* cannot be formatted as an? (?P<kind>.+)\.$"),
        _fixed("Der Wert lässt sich nicht in dieser Form ausgeben."),
    ),
    (
        re.compile(r"^Must be a number or a level's id\.$"),
        _fixed("Bitte eine Zahl oder die Kennung einer Stufe angeben."),
    ),
    (re.compile(r"^Must be a finite number\.$"), _fixed("Bitte eine endliche Zahl angeben.")),
    (
        re.compile(r"^Must not hold NUL, other control characters .*$"),
        _fixed(
            "Darf weder NUL noch andere Steuerzeichen (Tabulator und Zeilenumbrüche sind "
            "erlaubt) noch einzelne Ersatzzeichen enthalten."
        ),
    ),
)


def german(message: str) -> str:
    """marshmallow's standard message in German; any other message as it is."""
    stripped = message.strip()
    for pattern, translate in _RULES:
        found = pattern.match(stripped)
        if found:
            return translate(found)
    return message


def german_messages(messages: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each field's messages in German (see :func:`german`)."""
    return {name: [german(message) for message in found] for name, found in messages.items()}
