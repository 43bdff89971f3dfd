"""The history, the comparison and "Stand am" as a person reads them: no internal keys, ids,
raw paths or whole checksums in what the page shows; fields in the reader's language, theme
fields by their schema's labels, items by their titles, list positions in words; comparing by
choosing two entries of the history or two days, with the old version links still working."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.domain import shapes
from tests.web.conftest import BASE_URL, COORDINATOR, cycle_ids, get, sign_in
from tests.web.test_audit_pages import clock  # noqa: F401 (a fixture)
from web.ui.audit import FIELD_LABELS

SLUG = "lk-musterland"
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b")
ITEM_ID = re.compile(r"\b[0-9a-f]{12}\b")
WHOLE_CHECKSUM = re.compile(r"\b[0-9a-f]{64}\b")
RAW_POSITION = re.compile(r"\w\[\d+\]")
CHECKSUM = "9f2b" * 16


class VisibleText(HTMLParser):
    """The text a person sees: no scripts or styles, nothing inside a closed <details> but its
    summary, no attributes (a ``title`` is not on screen)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0
        self.closed_details: list[bool] = []
        self.in_summary = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag == "details":
            self.closed_details.append("open" not in dict(attrs))
        elif tag == "summary":
            self.in_summary += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping -= 1
        elif tag == "details" and self.closed_details:
            self.closed_details.pop()
        elif tag == "summary":
            self.in_summary -= 1

    def handle_data(self, data: str) -> None:
        hidden = any(self.closed_details) and not self.in_summary
        if not self.skipping and not hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    """What the page shows, whitespace collapsed."""
    parser = VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def leaks(text: str) -> list[str]:
    """Internal keys, ids, list paths and whole checksums found in a page's visible text."""
    found: list[str] = []
    for pattern in (RAW_KEY, ITEM_ID, WHOLE_CHECKSUM, RAW_POSITION):
        found += pattern.findall(text)
    return found


@pytest.fixture
def app(web_app: Flask) -> Qualizyklus:
    engine: Qualizyklus = web_app.extensions["qualizyklus"]
    return engine


@pytest.fixture
def running(client: FlaskClient, app: Qualizyklus) -> str:
    """The demo's running cycle (three themes with theme data on goals and measures), with one
    measure's theme data revised and a document attached, as the coordinator sees it."""
    sign_in(client, COORDINATOR)
    cycle_id = cycle_ids(client, SLUG)[0]
    cycle = app.cycle(UUID(cycle_id))
    anna = str(app.profiles.by_email(COORDINATOR)["person_id"])  # type: ignore[index]
    measure_id, measure = next(
        (key, m)
        for key, m in cycle["measures"].items()
        if m["attrs"].get("participation_level") == "mitbestimmung"
    )
    fields = {k: measure[k] for k in ("title", "goal_id", "theme_id", "start", "due", "resources")}
    fields["responsible_member_id"] = measure["responsible_member_id"]
    fields["attrs"] = {**measure["attrs"], "participation_level": "entscheidungsmacht"}
    app.revise_measure(UUID(cycle_id), actor_id=anna, measure_id=measure_id, **fields)
    app.attach_evidence(
        UUID(cycle_id),
        actor_id=anna,
        sha256=CHECKSUM,
        filename="Protokoll Steuerungsgruppe.pdf",
        media_type="application/pdf",
        size=2048,
    )
    return cycle_id


def page(client: FlaskClient, cycle_id: str, view: str, query: str = "") -> tuple[int, str]:
    response = get(client, f"/o/{SLUG}/cycles/{cycle_id}/{view}{query}")
    return response.status_code, response.get_data(as_text=True)


def latest(app: Qualizyklus, cycle_id: str) -> int:
    return int(app.cycle(UUID(cycle_id))["version"])


# No keys, ids or whole checksums ---------------------------------------------------------------


def test_history_diff_and_as_of_show_no_internal_keys_ids_or_whole_checksums(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    last = latest(app, running)
    shown = {
        "history": page(client, running, "history"),
        "history page 2": page(client, running, "history", "?page=2"),
        "diff whole cycle": page(client, running, "diff", f"?from=1&to={last}"),
        "diff last change": page(client, running, "diff"),
        "as-of": page(client, running, "as-of", f"?version={last}"),
    }

    for name, (status, html) in shown.items():
        assert status == 200, name
        assert leaks(visible(html)) == [], name


def test_theme_fields_are_named_by_their_schema_labels_and_choices(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    last = latest(app, running)
    history = visible(page(client, running, "history")[1])
    whole = visible(page(client, running, "diff", f"?from=1&to={last}")[1])
    as_of = visible(page(client, running, "as-of", f"?version={last}")[1])

    revised = re.search(
        r"Maßnahmen › „Planungswerkstatt mit Eltern“ › Angaben des Themas › Beteiligungsstufe"
        r" vorher: Mitbestimmung → nachher: Entscheidungsmacht",
        history,
    )
    assert revised, history[:3000]
    for text in (whole, as_of):
        assert "Beteiligungsstufe" in text and "Eltern beteiligt in den Phasen" in text
        assert "Stufe der Wirkungstreppe" in text and "2 – Zielgruppen werden erreicht" in text
        assert "Output (Leistungen, Stufen 1–3)" in text
    assert "Prioritäten › 1. Priorität" in whole
    assert "Ziele › „Mehr Familien mit Neugeborenen erreichen“" in whole


def test_list_positions_and_items_read_as_words(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    history = visible(page(client, running, "history")[1])

    assert re.search(r"Messwerte › 2\. Messwert vorher: \(leer\) → nachher: Wert \d", history)
    assert "Kommentare › „Die Elternbefragung startet nach den Sommerferien.“" in history
    assert "Nr. " not in history


def test_a_checksum_shows_shortened_with_the_whole_value_to_open_and_copy(
    client: FlaskClient, running: str
) -> None:
    _, html = page(client, running, "history")
    text = visible(html)

    assert "Prüfsumme 9f2b 9f2b 9f2b…" in text
    assert CHECKSUM not in text
    digests = re.findall(r'<details class="digest">(.*?)</details>', html, re.S)
    assert any(f'<code class="digest-full">{CHECKSUM}</code>' in d for d in digests)
    assert re.search(r"Letztes Siegel: [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}…", text)


def test_the_pages_speak_english_to_an_english_reader(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    english = {"Accept-Language": "en"}
    path = f"/o/{SLUG}/cycles/{running}"
    history = visible(client.get(f"{path}/history", base_url=BASE_URL, headers=english).text)
    last = latest(app, running)
    whole = client.get(f"{path}/diff?from=1&to={last}", base_url=BASE_URL, headers=english)

    assert (
        "Measures › “Planungswerkstatt mit Eltern” › Theme details › Participation level"
        " before: co-determination → after: decision-making power"
    ) in history
    assert "Priorities › Priority 1" in visible(whole.text)
    assert leaks(history) == [] and leaks(visible(whole.text)) == []


def test_every_field_the_state_and_the_item_shapes_know_has_a_name() -> None:
    items = (
        shapes.GOAL,
        shapes.MEASURE,
        shapes.FINDING,
        shapes.INDICATOR_VALUE,
        shapes.GOAL_REVIEW,
        shapes.LESSON,
        shapes.FEEDBACK,
        shapes.COMMENT,
        shapes.ATTACHMENT,
        shapes.CLOSING,
        shapes.START_CYCLE,
    )
    named = {spec.name for shape in items for spec in shape.fields} - {"reason"}

    assert sorted(named - set(FIELD_LABELS)) == []


def test_every_key_of_a_demo_cycles_state_has_a_name(app: Qualizyklus, running: str) -> None:
    def keys(value: Any) -> Iterator[str]:
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)

    state = app.cycle(UUID(running))
    # Field names are snake_case; item ids, person ids, theme and criterion keys are not.
    fields = {key for key in keys(state) if re.fullmatch(r"[a-z_]+", key)}
    attrs = {key for m in state["measures"].values() for key in m["attrs"]}
    attrs |= {key for g in state["goals"].values() for key in g["attrs"]}
    # theme records are named by their titles, their attrs by the theme's schema
    records = [r for kinds in state["records"].values() for r in kinds.values()]
    attrs |= {key for found in records for key in found}
    attrs |= {key for found in records for r in found.values() for key in r["attrs"]}

    assert sorted(fields - attrs - set(FIELD_LABELS) - {"created_on", "modified_on"}) == []


# Comparing by choosing --------------------------------------------------------------------------


def test_the_history_offers_two_entries_to_compare_and_the_choice_compares_them(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    last = latest(app, running)
    _, html = page(client, running, "history")

    form = re.search(r'<form id="compare-entries" method="get" action="([^"]+)"', html)
    assert form is not None and form.group(1).endswith(f"/cycles/{running}/diff")
    assert f'form="compare-entries" name="to" value="{last}" checked' in html
    assert f'form="compare-entries" name="from" value="{last - 1}" checked' in html
    assert f'name="from" value="{last - 10}"' in html

    status, chosen = page(client, running, "diff", f"?from={last - 10}&to={last}")
    assert status == 200
    assert f"Unterschiede zwischen Version {last - 10} und Version {last}" in chosen
    assert "Beteiligungsstufe" in visible(chosen)


def test_the_comparison_offers_entries_by_what_happened_not_a_number_to_type(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    last = latest(app, running)
    _, html = page(client, running, "diff", f"?from=2&to={last}")

    select = re.search(r'<select[^>]*name="from"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    options = re.findall(r'<option([^>]*)value="(\d+)"[^>]*>([^<]+)</option>', select.group(1))
    assert [int(value) for _, value, _ in options] == list(range(last, 0, -1))
    chosen = [label for attrs, value, label in options if value == "2"]
    assert chosen and re.match(r"Version 2: .+ – .+, \d\d\.\d\d\.\d\d", chosen[0])
    assert 'type="text" name="from"' not in html and 'name="from_day" type="date"' in html


def test_the_earlier_entry_is_shown_first_whichever_way_round_they_are_chosen(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    last = latest(app, running)
    _, html = page(client, running, "diff", f"?from={last}&to={last - 3}")

    assert f"Unterschiede zwischen Version {last - 3} und Version {last}" in html


def test_two_days_compare_the_stand_at_the_end_of_each(
    client: FlaskClient,
    app: Qualizyklus,
    running: str,
    clock: dict[str, datetime],  # noqa: F811 (the fixture imported above)
) -> None:
    anna = str(app.profiles.by_email(COORDINATOR)["person_id"])  # type: ignore[index]
    organisation_id = UUID(app.organisation_by_slug(SLUG)["id"])
    theme = sorted(app.themes.values(), key=lambda t: t.id)[0]
    clock["now"] = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
    cycle_id = app.start_cycle(
        organisation_id,
        actor_id=anna,
        title="Rückblick 2025",
        themes=[theme.id],
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        workflow_version=1,
    )
    clock["now"] = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    app.record_finding(cycle_id, actor_id=anna, kind="need", text="Eltern früher beteiligen.")
    clock["now"] = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)
    app.record_finding(cycle_id, actor_id=anna, kind="strength", text="Verlässliche Partner.")
    cycle = str(cycle_id)

    status, html = page(client, cycle, "diff", "?from_day=2025-03-11&to_day=2025-03-03")
    text = visible(html)

    assert status == 200
    assert "Unterschiede zwischen Version 1 und Version 2" in text
    assert "Eltern früher beteiligen." in text and "Verlässliche Partner." not in text
    assert "Befunde › „Eltern früher beteiligen.“" in text and leaks(text) == []


def test_old_links_with_version_numbers_still_work(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    diff_status, diff = page(client, running, "diff", "?from=1&to=2")
    as_of_status, as_of = page(client, running, "as-of", "?version=2")

    assert diff_status == 200 and "Unterschiede zwischen Version 1 und Version 2" in diff
    assert as_of_status == 200 and f"Stand nach Version 2 von {latest(app, running)}" in as_of
    assert re.search(r'<option selected value="2">Version 2: ', as_of)
