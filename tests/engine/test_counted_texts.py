"""Counted texts and numbers: each language's plural rule (Babel's) and number format."""

from __future__ import annotations

import pytest

from engine import Text, number, percent

MEASURES = {
    "one": Text("{n} Maßnahme", "{n} measure"),
    "other": Text("{n} Maßnahmen", "{n} measures"),
}


@pytest.mark.parametrize(
    ("count", "de", "en"),
    [
        (0, "0 Maßnahmen", "0 measures"),
        (1, "1 Maßnahme", "1 measure"),
        (2, "2 Maßnahmen", "2 measures"),
        (1234, "1.234 Maßnahmen", "1,234 measures"),
    ],
)
def test_a_counted_text_takes_the_form_each_language_asks_for(count: int, de: str, en: str) -> None:
    counted = Text.counted(count, **MEASURES)

    assert counted == Text(de, en)
    assert counted.get("de") == de and counted.get("en") == en


@pytest.mark.parametrize(
    ("count", "de", "en"),
    [
        (0, "keine Maßnahmen", "no measures"),
        (1, "1 Maßnahme", "1 measure"),
        (2, "2 Maßnahmen", "2 measures"),
    ],
)
def test_none_words_a_count_of_zero_and_only_that(count: int, de: str, en: str) -> None:
    counted = Text.counted(count, **MEASURES, none=Text("keine Maßnahmen", "no measures"))

    assert counted == Text(de, en)


def test_a_form_without_the_count_is_kept_as_it_is() -> None:
    one = Text("Es ist eine Rückmeldung festgehalten.", "One piece of feedback is recorded.")
    other = Text("Es sind {n} Rückmeldungen festgehalten.", "{n} pieces of feedback are recorded.")

    assert Text.counted(1, one, other) == one
    assert Text.counted(3, one, other) == Text(
        "Es sind 3 Rückmeldungen festgehalten.", "3 pieces of feedback are recorded."
    )


@pytest.mark.parametrize(
    ("value", "de", "en"),
    [
        (27.5, "27,5 %", "27.5%"),
        (0, "0 %", "0%"),
        (40.0, "40 %", "40%"),
        (100, "100 %", "100%"),
        (33.333, "33,3 %", "33.3%"),
        (-2.5, "\N{MINUS SIGN}2,5 %", "\N{MINUS SIGN}2.5%"),
    ],
)
def test_a_percentage_reads_as_each_language_writes_it(value: float, de: str, en: str) -> None:
    assert percent(value) == de
    assert percent(value, "en") == en


def test_numbers_keep_their_form() -> None:
    assert [number(v) for v in (12.5, 40.0, 0.04, -3.25)] == [
        "12,5",
        "40",
        "0",
        "\N{MINUS SIGN}3,2",
    ]
    assert number(12.345, "en", digits=2) == "12.35"
