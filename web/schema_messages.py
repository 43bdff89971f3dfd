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
    "datetime": "ein gültiger Zeitpunkt",
    "time": "eine gültige Uhrzeit",
    "boolean": "ja oder nein (true oder false)",
    "string": "ein Text",
    "list": "eine Liste",
    "mapping": "ein Objekt",
    "tuple": "eine Liste",
    "uuid": "eine gültige UUID",
    "email address": "eine gültige E-Mail-Adresse",
    "url": "eine gültige Adresse (URL)",
}

_RULES: tuple[_Rule, ...] = (
    (re.compile(r"^Missing data for required field\.$"), _fixed("Bitte ausfüllen.")),
    (re.compile(r"^Field may not be null\.$"), _fixed("Bitte ausfüllen.")),
    (re.compile(r"^Unknown field\.$"), _fixed("Dieses Feld ist hier nicht vorgesehen.")),
    (re.compile(r"^Invalid input type\.$"), _fixed("Der Wert hat die falsche Art.")),
    (re.compile(r"^Invalid (value|input)\.$"), _fixed("Dieser Wert ist nicht gültig.")),
    (
        re.compile(r"^Not a valid (?P<kind>[A-Za-z ]+)\.$"),
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
