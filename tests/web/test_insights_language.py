"""The themes' insights on a cycle's overview speak the reader's language, figures and cells too.

The demo's running cycle works on all three built-in themes and follows a closed cycle, so its
insights hold criterion titles, level labels, IOOI labels, bodies, progress and comparisons.
"""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from tests.web.conftest import BASE_URL, COORDINATOR, cycle_ids, sign_in

ENGLISH = (
    # table headers
    '<th scope="col">Criterion</th>',
    '<th scope="col">Median in the previous cycle</th>',
    '<th scope="col">Latest evidence</th>',
    # criterion titles
    "<td>Parents take part in the analysis of services and needs</td>",
    "<td>Frühe Hilfen are regularly on the agenda of the political bodies</td>",
    # level labels, a span of levels, IOOI and body labels
    "<td>minimum requirements met</td>",
    "<td>not met</td>",
    "<td>instrumentalisation – consultation</td>",
    "<td>Input (resources used)</td>",
    "<td>Council</td>",
    # figures: counts out of a whole, changes with their unit, shares as numbers
    "<dd>7 of 8</dd>",
    "<dd>+4 standards</dd>",
    "<dd>−50 percentage points</dd>",
    "<dd>50% <small>1 of 2 measures</small></dd>",  # English writes "50%" (German "50 %")
    # a progress and a measured value with its date
    "<td>50%</td>",
    "<td>5 Anzahl (2025-09-15)</td>",
)
GERMAN = (
    '<th scope="col">Kriterium</th>',
    '<th scope="col">Median im Vorzyklus</th>',
    '<th scope="col">Letzter Nachweis</th>',
    "<td>Eltern sind an der Bestands- und Bedarfsanalyse beteiligt</td>",
    "<td>Frühe Hilfen stehen regelmäßig auf der Tagesordnung der politischen Gremien</td>",
    "<td>Mindestvoraussetzungen erfüllt</td>",
    "<td>nicht erfüllt</td>",
    "<td>Instrumentalisierung – Anhörung</td>",
    "<td>Input (eingesetzte Ressourcen)</td>",
    "<td>Rat</td>",
    "<dd>7 von 8</dd>",
    "<dd>+4 Standards</dd>",
    "<dd>−50 Prozentpunkte</dd>",
    "<dd>50 % <small>1 von 2 Maßnahmen</small></dd>",
    "<td>50 %</td>",
    "<td>5 Anzahl (15.09.2025)</td>",
)
GERMAN_ONLY = (
    "Mindestvoraussetzungen erfüllt",
    "nicht erfüllt",
    " von ",
    "Prozentpunkte",
    "Instrumentalisierung",
    "Eltern sind an der",
    "eingesetzte Ressourcen",
    "noch nicht eingeschätzt",
    "<td>Rat</td>",
    "15.09.2025",
)
ENGLISH_ONLY = (
    "minimum requirements met",
    " of 8",
    "percentage points",
    "instrumentalisation",
    "Parents take part",
    "resources used",
    "2025-09-15",
)

WHOLE_AS_DECIMAL = re.compile(r"\d[.,]0(?!\d)")
"""A whole number shown with a decimal place ("50.0"; not a date such as 15.09.2025)."""


def insights_of(client: FlaskClient, cycle_id: str, language: str | None = None) -> str:
    """The insights section of a cycle's overview (unescaped), in the browser's language."""
    headers = {"Accept-Language": language} if language else {}
    page = client.get(
        f"/o/lk-musterland/cycles/{cycle_id}/", base_url=BASE_URL, headers=headers
    ).get_data(as_text=True)
    start = page.index('aria-labelledby="insights"')
    return unescape(page[start : page.index('aria-labelledby="comments"', start)])


def running_cycle(client: FlaskClient) -> str:
    sign_in(client, COORDINATOR)
    return cycle_ids(client, "lk-musterland")[0]


def test_an_english_reader_sees_cells_labels_and_figures_in_english(client: FlaskClient) -> None:
    cycle_id = running_cycle(client)

    insights = insights_of(client, cycle_id, "en")

    for text in ENGLISH:
        assert text in insights
    for text in GERMAN_ONLY:
        assert text not in insights
    assert not WHOLE_AS_DECIMAL.search(insights)  # "50 %", not "50.0 %"


def test_a_german_reader_sees_them_in_german_by_default(client: FlaskClient) -> None:
    cycle_id = running_cycle(client)

    insights = insights_of(client, cycle_id)

    for text in GERMAN:
        assert text in insights
    for text in ENGLISH_ONLY:
        assert text not in insights
    assert not WHOLE_AS_DECIMAL.search(insights)


def test_each_language_keeps_its_own_rendering_of_the_same_version(client: FlaskClient) -> None:
    cycle_id = running_cycle(client)

    english = insights_of(client, cycle_id, "en")
    german = insights_of(client, cycle_id, "de")

    assert english != german
    assert "<dd>7 of 8</dd>" in insights_of(client, cycle_id, "en")
    assert "<dd>7 von 8</dd>" in insights_of(client, cycle_id, "de")


def test_chart_values_follow_the_readers_number_format(client: FlaskClient) -> None:
    cycle_id = running_cycle(client)

    for language in ("en", "de"):
        insights = insights_of(client, cycle_id, language)
        # the progress chart's bar and its table: 50, not 50.0
        assert 'class="chart-value">50</text>' in insights
        assert "<td>50</td>" in insights
