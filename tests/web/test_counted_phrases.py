"""Counted phrases through ngettext and percentages through Babel, in German and English."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from flask_babel import ngettext

from engine import Text
from tests.web.conftest import BASE_URL, COORDINATOR, cycle_ids, sign_in
from web.audit_text import ChainView
from web.i18n import amount, percent, percent_suffix, short_date
from web.reports.blocks import amount as amount_in_report
from web.reports.blocks import figure_text
from web.reports.content import seal
from web.ui.dashboard import indicator_description

CHAINS = '{% from "ui/_audit_macros.html" import chain_report %}{{ chain_report(chains) }}'
PERCENTAGE = re.compile(r"\d(?:[.,]\d)?(?P<space> ?)%")
"""A number followed by a per cent sign, with or without a space between them."""


def chain(events: int) -> SimpleNamespace:
    return SimpleNamespace(what="Zyklus", intact=True, events=events, seal=None)


@pytest.mark.parametrize(
    ("language", "events", "shown"),
    [
        ("de", 0, "Prüfkette intakt (0 Ereignisse)"),
        ("de", 1, "Prüfkette intakt (1 Ereignis)"),
        ("de", 2, "Prüfkette intakt (2 Ereignisse)"),
        ("en", 0, "Seal chain intact (0 events)"),
        ("en", 1, "Seal chain intact (1 event)"),
        ("en", 2, "Seal chain intact (2 events)"),
    ],
)
def test_the_seal_chain_counts_its_events(
    web_app: Flask, language: str, events: int, shown: str
) -> None:
    with web_app.test_request_context(headers={"Accept-Language": language}):
        html = render_template_string(CHAINS, chains=[chain(events)])

    assert shown in " ".join(html.split())


@pytest.mark.parametrize(
    ("language", "events", "shown"),
    [
        ("de", 1, "Prüfkette intakt (1 Ereignis)."),
        ("de", 2, "Prüfkette intakt (2 Ereignisse)."),
        ("en", 1, "Seal chain intact (1 event)."),
        ("en", 2, "Seal chain intact (2 events)."),
    ],
)
def test_the_reports_seal_counts_its_events(
    web_app: Flask, language: str, events: int, shown: str
) -> None:
    view = ChainView(what="Zyklus", events=events, broken_at=None, fault="", seal="ab" * 32)
    with web_app.test_request_context(headers={"Accept-Language": language}):
        assert seal(view).text == shown


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", ["50 %", "7 von 8", "3 Anzahl", "–"]), ("en", ["50%", "7 of 8", "3 Anzahl", "–"])],
)
def test_the_reports_figures_write_units_as_the_reader_does(
    web_app: Flask, language: str, expected: list[str]
) -> None:
    with web_app.test_request_context(headers={"Accept-Language": language}):
        shown = [
            figure_text(50, "%"),
            figure_text(7, Text("von 8", "of 8")),
            amount_in_report(3, "Anzahl"),
            amount_in_report(None, "%"),
        ]
    assert shown == expected


@pytest.mark.parametrize(
    ("language", "goals", "shown"),
    [
        ("de", 0, "0 von 0 Zielen sind bewertet."),
        ("de", 1, "0 von 1 Ziel ist bewertet."),
        ("de", 2, "0 von 2 Zielen sind bewertet."),
        ("en", 0, "0 of 0 goals have been assessed."),
        ("en", 1, "0 of 1 goal has been assessed."),
        ("en", 2, "0 of 2 goals have been assessed."),
    ],
)
def test_the_review_counts_its_goals(web_app: Flask, language: str, goals: int, shown: str) -> None:
    with web_app.test_request_context(headers={"Accept-Language": language}):
        wording = ngettext(
            "%(done)s von %(num)s Ziel ist bewertet.",
            "%(done)s von %(num)s Zielen sind bewertet.",
            goals,
            done=0,
        )

    assert wording == shown


@pytest.mark.parametrize(
    ("language", "events", "shown"),
    [
        ("de", 0, "0 Ereignisse."),
        ("de", 1, "1 Ereignis."),
        ("de", 2, "2 Ereignisse."),
        ("en", 0, "0 events."),
        ("en", 1, "1 event."),
        ("en", 2, "2 events."),
    ],
)
def test_the_history_counts_its_events(
    web_app: Flask, language: str, events: int, shown: str
) -> None:
    with web_app.test_request_context(headers={"Accept-Language": language}):
        assert ngettext("%(num)s Ereignis.", "%(num)s Ereignisse.", events) == shown


@pytest.mark.parametrize(
    ("language", "shown", "suffix"), [("de", "27,5 %", " %"), ("en", "27.5%", "%")]
)
def test_a_percentage_reads_as_the_language_writes_it(
    web_app: Flask, language: str, shown: str, suffix: str
) -> None:
    with web_app.test_request_context(headers={"Accept-Language": language}):
        assert percent(27.5) == shown
        assert percent(27.54) == shown
        assert percent(None) == "–"
        assert percent_suffix() == suffix


def page_text(client: FlaskClient, path: str, language: str) -> str:
    """A page's text outside its charts (whose SVG the chart module words)."""
    html = client.get(path, base_url=BASE_URL, headers={"Accept-Language": language}).get_data(
        as_text=True
    )
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)


@pytest.mark.parametrize("page", ["dashboard", "cycle"])
def test_pages_write_percentages_as_the_language_does(client: FlaskClient, page: str) -> None:
    sign_in(client, COORDINATOR)
    path = (
        "/o/lk-musterland/dashboard"
        if page == "dashboard"
        else f"/o/lk-musterland/cycles/{cycle_ids(client, 'lk-musterland')[0]}/"
    )

    german = [m.group("space") for m in PERCENTAGE.finditer(page_text(client, path, "de"))]
    english = [m.group("space") for m in PERCENTAGE.finditer(page_text(client, path, "en"))]

    assert german and english
    assert set(german) == {" "}  # "27,5 %"
    assert set(english) == {""}  # "27.5%"


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("de", ["12,5 %", "40 Familien", "3 Sitzungen", "–"]),
        ("en", ["12.5%", "40 Familien", "3 Sitzungen", "–"]),
    ],
)
def test_a_goal_measured_in_percent_reads_as_the_language_writes_it(
    web_app: Flask, language: str, shown: list[str]
) -> None:
    with web_app.test_request_context(headers={"Accept-Language": language}):
        values = [amount(12.5, "%"), amount(40, "Familien"), amount(3.0, "Sitzungen")]
        assert [*values, amount(None, "%")] == shown


@pytest.mark.parametrize(
    ("language", "values", "shown"),
    [
        ("de", [5], "1 Wert vom 15.05.2024: 5 %;"),
        ("de", [5, 7.5], "2 Werte von 15.05.2024 bis 15.05.2024, zuletzt 7,5 %;"),
        ("en", [5], "1 value on May 15, 2024: 5%;"),
        ("en", [5, 7.5], "2 values from May 15, 2024 to May 15, 2024, latest 7.5%;"),
    ],
)
def test_an_indicator_chart_counts_its_values(
    web_app: Flask, language: str, values: list[float], shown: str
) -> None:
    series = {"unit": "%", "target": 50, "baseline": 0}
    with web_app.test_request_context(headers={"Accept-Language": language}):
        day = short_date("2024-05-15")
        description = indicator_description(series, [(day, value) for value in values])

    assert description.startswith(shown)
