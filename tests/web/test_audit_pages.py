"""The audit pages: history with filters and pagination, the seal check, differences between
versions, and the cycle as it stood on a date or at a version."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import CanCreateTimestamp
from flask import Flask
from flask.testing import FlaskClient

from engine.application.audit import LOCAL_TIME, history
from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from tests.web.conftest import (
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    cycle_ids,
    get,
    sign_in,
)

SLUG = "lk-musterland"
BLOCKED_REASON = "Die Finanzierung ist noch nicht bewilligt."


@pytest.fixture
def app(web_app: Flask) -> Qualizyklus:
    engine: Qualizyklus = web_app.extensions["qualizyklus"]
    return engine


@pytest.fixture
def running(client: FlaskClient) -> str:
    """The demo's running cycle, as the signed-in coordinator sees it."""
    sign_in(client, COORDINATOR)
    return cycle_ids(client, SLUG)[0]


def page(client: FlaskClient, cycle_id: str, view: str, query: str = "") -> tuple[int, str]:
    response = get(client, f"/o/{SLUG}/cycles/{cycle_id}/{view}{query}")
    return response.status_code, response.get_data(as_text=True)


def table_rows(html: str, css_class: str = "history") -> list[str]:
    """The body rows of the table with this class."""
    found = re.search(rf'<table class="{css_class}">(.*?)</table>', html, re.S)
    if found is None:
        return []
    body = found.group(1).split("<tbody>", 1)[1]
    return [row for row in re.split(r"<tr[ >]", body)[1:]]


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def versions_of(rows: list[str]) -> list[int]:
    return [int(re.search(r'<th scope="row">\s*(\d+)', row).group(1)) for row in rows]  # type: ignore[union-attr]


def person_id(app: Qualizyklus, email: str) -> str:
    profile = app.profiles.by_email(email)
    assert profile is not None
    return str(profile["person_id"])


def blocked_version(app: Qualizyklus, cycle_id: str) -> int:
    """The version at which a measure of the running demo cycle was blocked (with a reason)."""
    return next(e["version"] for e in history(app, UUID(cycle_id)) if e["reason"] == BLOCKED_REASON)


# History -------------------------------------------------------------------------------------


def test_history_shows_names_event_labels_reasons_and_changes(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    status, html = page(client, running, "history")
    latest = app.cycle(UUID(running))["version"]

    assert status == 200
    assert f"{latest} Ereignisse." in plain(html)
    rows = table_rows(html)
    assert len(rows) == 50
    assert versions_of(rows) == list(range(latest, latest - 50, -1))
    blocked = next(row for row in rows if BLOCKED_REASON in row)
    text = plain(blocked)
    assert "Anna Becker" in text
    assert "Status einer Maßnahme geändert" in text
    assert "Maßnahmen ›" in text and "Status" in text
    assert re.search(r"vorher: läuft → nachher: blockiert", text)
    assert any("Jana Wolff" in plain(row) and "Indikatorwert erfasst" in plain(row) for row in rows)


def test_history_times_are_shown_in_berlin_time(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    _, html = page(client, running, "history")
    newest = history(app, UUID(running))[-1]
    local = newest["timestamp"].astimezone(LOCAL_TIME)

    assert local.strftime("%d.%m.%Y, %H:%M:%S") in plain(table_rows(html)[0])


def test_history_is_paginated_newest_first(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    latest = app.cycle(UUID(running))["version"]
    pages = -(-latest // 50)
    _, first = page(client, running, "history")
    _, last = page(client, running, "history", f"?page={pages}")

    assert f"Seite 1 von {pages}" in plain(first)
    assert f"page={pages}" in first and 'rel="next"' in first
    assert versions_of(table_rows(last)) == list(range(latest - 50 * (pages - 1), 0, -1))
    assert "Zyklus begonnen" in plain(table_rows(last)[-1])
    assert 'aria-current="page"' in last and 'rel="prev"' in last
    _, beyond = page(client, running, "history", "?page=999")
    assert versions_of(table_rows(beyond)) == versions_of(table_rows(last))


def test_history_filters_by_event_kind(client: FlaskClient, app: Qualizyklus, running: str) -> None:
    expected = [
        e["version"] for e in history(app, UUID(running)) if e["event"] == "MeasureStatusChanged"
    ]
    _, html = page(client, running, "history", "?event=MeasureStatusChanged")
    rows = table_rows(html)

    assert versions_of(rows) == sorted(expected, reverse=True)
    assert all("Status einer Maßnahme geändert" in row for row in rows)
    assert f"{len(expected)} von" in plain(html)
    assert "Filter zurücksetzen" in html


def test_history_filters_by_person_and_keeps_the_filter_in_page_links(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    jana = person_id(app, "j.wolff@musterland.example")
    anna = person_id(app, COORDINATOR)
    expected = [e["version"] for e in history(app, UUID(running)) if e["actor_id"] == jana]
    _, html = page(client, running, "history", f"?person={jana}")

    assert versions_of(table_rows(html)) == sorted(expected, reverse=True)
    assert all("Jana Wolff" in row and "Anna Becker" not in row for row in table_rows(html))
    _, by_anna = page(client, running, "history", f"?person={anna}&page=2")
    assert f"person={anna}" in by_anna and "page=1" in by_anna


def test_history_filters_by_date_range_in_berlin_time(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    days = sorted(
        {e["timestamp"].astimezone(LOCAL_TIME).date() for e in history(app, UUID(running))}
    )
    first, last = days[0], days[-1]
    _, whole = page(client, running, "history", f"?from={first}&to={last}")
    _, later = page(client, running, "history", f"?from={last + timedelta(days=1)}")
    _, earlier = page(client, running, "history", f"?to={first - timedelta(days=1)}")

    assert versions_of(table_rows(whole))[0] == app.cycle(UUID(running))["version"]
    assert table_rows(later) == [] and "Keine Ereignisse gefunden." in later
    assert table_rows(earlier) == []


def test_invalid_filters_are_shown_next_to_their_fields(client: FlaskClient, running: str) -> None:
    status, html = page(client, running, "history", "?from=2025-13-45")
    assert status == 400
    assert 'id="from-error"' in html
    status, html = page(client, running, "history", "?from=2025-06-01&to=2025-05-01")
    assert status == 400
    assert 'id="to-error"' in html and "vor seinem Anfang" in html
    status, html = page(client, running, "history", "?event=NoSuchEvent")
    assert status == 400 and 'id="event-error"' in html


def test_history_reports_an_intact_seal_chain_for_cycle_and_organisation(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    _, html = page(client, running, "history")
    latest = app.cycle(UUID(running))["version"]
    organisation = app.organisation_by_slug(SLUG)

    assert f"Zyklus: Prüfkette intakt ({latest} Ereignisse)" in plain(html)
    assert f"Organisation: Prüfkette intakt ({organisation['version']} Ereignisse)" in plain(html)


def _tamper(web_app: Flask, cycle_id: str, version: int, change: dict[str, Any]) -> None:
    """Change a stored event's JSON directly in the SQLite file, as someone with file access."""
    path = Settings(database=web_app.config["QUALIZYKLUS_DATABASE"]).sqlite_path()
    with sqlite3.connect(path, isolation_level=None, timeout=30) as connection:
        key = UUID(cycle_id).hex
        (stored,) = connection.execute(
            "SELECT state FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            (key, version),
        ).fetchone()
        state = {**json.loads(stored), **change}
        connection.execute(
            "UPDATE stored_events SET state = ? WHERE originator_id = ? AND originator_version = ?",
            (json.dumps(state, ensure_ascii=False).encode("utf-8"), key, version),
        )
    connection.close()


def test_a_tampered_event_breaks_the_chain_at_its_version(
    client: FlaskClient, app: Qualizyklus, web_app: Flask, running: str
) -> None:
    version = blocked_version(app, running)
    _tamper(web_app, running, version, {"reason": "Nachträglich geschönt."})

    _, html = page(client, running, "history")
    text = plain(html)
    assert f"Zyklus: Prüfkette gebrochen bei Version {version}." in text
    assert "Das Siegel passt nicht" in text
    assert "Organisation: Prüfkette intakt" in text
    row = next(r for r in table_rows(html) if versions_of([r]) == [version])
    assert "Siegel gebrochen" in row and "Nachträglich geschönt." in row


# Differences ---------------------------------------------------------------------------------


def test_diff_shows_the_change_between_two_versions(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    version = blocked_version(app, running)
    status, html = page(client, running, "diff", f"?from={version - 1}&to={version}")

    assert status == 200
    assert f"Unterschiede zwischen Version {version - 1} und Version {version}" in html
    rows = table_rows(html, "diff")
    assert len(rows) == 1
    assert "Status" in rows[0] and "läuft" in rows[0] and "blockiert" in rows[0]
    assert "Status einer Maßnahme geändert – Anna Becker" in plain(html)


def test_diff_defaults_to_the_last_change(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    latest = app.cycle(UUID(running))["version"]
    status, html = page(client, running, "diff")

    assert status == 200
    assert f"Unterschiede zwischen Version {latest - 1} und Version {latest}" in html
    assert f'value="{latest - 1}"' in html and f'value="{latest}"' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?from=abc&to=2", "from", "ganze Zahl"),
        ("?from=1&to=99999", "to", "gibt es nicht"),
        ("?from=0&to=2", "from", "gibt es nicht"),
        ("?from_day=2025-03-11", "to_day", "Bitte geben Sie einen Tag an."),
        ("?from_day=2000-01-01&to_day=2030-01-01", "from_day", "gab es diesen Zyklus noch nicht"),
        ("?from_day=2025-13-45&to_day=2030-01-01", "from_day", ""),
    ],
)
def test_invalid_versions_show_an_error_next_to_the_field(
    client: FlaskClient, running: str, query: str, field: str, message: str
) -> None:
    status, html = page(client, running, "diff", query)

    assert status == 400
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert error is not None and message in error.group(1)
    assert '<table class="diff">' not in html


# "Stand am" ------------------------------------------------------------------------------------


def as_of_section(html: str) -> str:
    found = re.search(r'<section class="as-of".*?</section>', html, re.S)
    assert found is not None, "no as-of section"
    return plain(found.group(0))


def test_as_of_a_version_shows_the_cycle_as_it_stood_then(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    latest = app.cycle(UUID(running))["version"]
    status, html = page(client, running, "as-of", "?version=1")
    then = as_of_section(html)

    assert status == 200
    assert f"Stand nach Version 1 von {latest}" in then
    assert "Phase Bestands- und Bedarfsanalyse" in then
    assert "Noch keine Ziele." in then and "Noch keine Befunde." in then
    assert f'href="/o/{SLUG}/cycles/{running}/"' in html  # back to the current state
    now = as_of_section(page(client, running, "as-of", f"?version={latest}")[1])
    assert "Phase Umsetzung" in now and "Das ist der aktuelle Stand." in now
    assert "blockiert" in now and "Netzwerkstatistik" in now


def test_as_of_dates_before_and_after_the_demo_cycle(
    client: FlaskClient, app: Qualizyklus, running: str
) -> None:
    status, before = page(client, running, "as-of", "?date=2000-01-01")
    assert status == 200
    error = re.search(r'<p class="error" id="date-error">([^<]*)</p>', before)
    assert error is not None and "Am 01.01.2000 gab es diesen Zyklus noch nicht" in error.group(1)
    assert '<section class="as-of"' not in before

    _, after = page(client, running, "as-of", "?date=2999-12-31")
    assert "Das Datum liegt in der Zukunft" in as_of_section(after)
    assert "Phase Umsetzung" in as_of_section(after)

    status, wrong = page(client, running, "as-of", "?version=100000")
    assert status == 400 and 'id="version-error"' in wrong


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, datetime]]:
    """Events created while this is set carry the given time (a history with known dates)."""
    now = {"now": datetime.now(UTC)}
    monkeypatch.setattr(CanCreateTimestamp, "create_timestamp", staticmethod(lambda: now["now"]))
    yield now


def test_as_of_a_date_uses_the_end_of_that_day_in_berlin(
    client: FlaskClient, app: Qualizyklus, running: str, clock: dict[str, datetime]
) -> None:
    anna = person_id(app, COORDINATOR)
    organisation_id = UUID(app.organisation_by_slug(SLUG)["id"])
    theme = sorted(app.themes.values(), key=lambda t: t.id)[0]
    criterion = theme.criteria[0]
    scale = criterion.scale
    value = scale.levels[0].id if scale.kind == "levels" else scale.minimum
    clock["now"] = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
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
    app.record_assessment(
        cycle_id, actor_id=anna, theme_id=theme.id, criterion_id=criterion.id, value=value
    )
    app.record_finding(cycle_id, actor_id=anna, kind="need", text="Eltern früher beteiligen.")
    clock["now"] = datetime(2025, 3, 31, 21, 30, tzinfo=UTC)  # 23:30 in Berlin (summer time)
    app.advance_phase(cycle_id, actor_id=anna)
    cycle = str(cycle_id)

    _, before = page(client, cycle, "as-of", "?date=2025-03-02")
    _, started = page(client, cycle, "as-of", "?date=2025-03-03")
    _, analysed = page(client, cycle, "as-of", "?date=2025-03-30")
    _, planned = page(client, cycle, "as-of", "?date=2025-03-31")

    assert "Am 02.03.2025 gab es diesen Zyklus noch nicht; er wurde am 03.03.2025 begonnen." in (
        plain(before)
    )
    assert "Stand am 03.03.2025 (Version 1 von 4)" in as_of_section(started)
    assert "Noch keine Befunde." in as_of_section(started)
    assert "Phase Bestands- und Bedarfsanalyse" in as_of_section(analysed)
    assert "Eltern früher beteiligen." in as_of_section(analysed)
    assert "Phase Zielbestimmung und Maßnahmenplanung" in as_of_section(planned)
    assert "Nächste Phase begonnen – Anna Becker, 31.03.2025, 23:30:00" in as_of_section(planned)


# Who may see the audit pages --------------------------------------------------------------------


def test_members_with_any_role_read_the_audit_pages(client: FlaskClient, running: str) -> None:
    sign_in(client, VIEWER)
    for view in ("history", "diff", "as-of?version=1"):
        assert get(client, f"/o/{SLUG}/cycles/{running}/{view}").status_code == 200


def test_other_organisations_get_404_for_the_audit_pages(
    client: FlaskClient, app: Qualizyklus
) -> None:
    organisation = app.organisation_by_slug(SLUG)
    cycle_id = organisation["cycles"][0]
    sign_in(client, OTHER_COORDINATOR)
    for view in ("history", "diff", "as-of"):
        assert get(client, f"/o/{SLUG}/cycles/{cycle_id}/{view}").status_code == 404
    beispiel = app.organisation_by_slug("beispielstadt")["cycles"][0]
    # another organisation's cycle under this organisation's slug is no way in either
    assert get(client, f"/o/beispielstadt/cycles/{cycle_id}/history").status_code == 404
    assert get(client, f"/o/beispielstadt/cycles/{beispiel}/history").status_code == 200
