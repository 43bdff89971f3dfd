"""The implementation page: measures by status with overdue ones marked, status changes and
indicator values, who may do what, and refusals that write nothing."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.domain.cycle import SETTLED_STATUSES
from tests.web.conftest import (
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    cycle_ids,
    get,
    post_form,
    sign_in,
)

CONTRIBUTOR = "m.yilmaz@musterland.example"
SLUG = "lk-musterland"


def engine_of(web_app: Flask) -> Qualizyklus:
    found: Qualizyklus = web_app.extensions["qualizyklus"]
    return found


def person_id(web_app: Flask, email: str) -> str:
    profile = engine_of(web_app).profiles.by_email(email)
    assert profile is not None
    return str(profile["person_id"])


def state(web_app: Flask, cycle_id: str) -> dict[str, Any]:
    return engine_of(web_app).cycle(UUID(cycle_id))


def running_cycle(client: FlaskClient, email: str) -> str:
    sign_in(client, email)
    return cycle_ids(client, SLUG)[0]


def page_of(cycle_id: str) -> str:
    return f"/o/{SLUG}/cycles/{cycle_id}/implement"


def status_url(cycle_id: str, measure_id: str) -> str:
    return f"/o/{SLUG}/cycles/{cycle_id}/implement/measures/{measure_id}/status"


def value_url(cycle_id: str, goal_id: str) -> str:
    return f"/o/{SLUG}/cycles/{cycle_id}/implement/goals/{goal_id}/values"


def measure_of(cycle: dict[str, Any], *, responsible: str, status: str) -> str:
    return next(
        measure_id
        for measure_id, measure in cycle["measures"].items()
        if measure["responsible_member_id"] == responsible and measure["status"] == status
    )


def status_data(measure_id: str, status: str, version: int, reason: str = "") -> dict[str, str]:
    prefix = f"m-{measure_id}"
    return {
        f"{prefix}-status": status,
        f"{prefix}-reason": reason,
        f"{prefix}-version": str(version),
    }


def value_data(goal_id: str, value: str, version: int, on: str = "2026-03-01") -> dict[str, str]:
    prefix = f"g-{goal_id}"
    return {
        f"{prefix}-value": value,
        f"{prefix}-measured_on": on,
        f"{prefix}-source": "Netzwerkstatistik",
        f"{prefix}-version": str(version),
    }


def error_next_to(html: str, field_id: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    assert found is not None, f"no error next to {field_id}"
    assert f'aria-describedby="{field_id}-error"' in html or f"{field_id}-error" in html
    return found.group(1)


def test_measures_are_grouped_by_status_with_names_and_overdue_ones_marked(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    response = get(client, page_of(cycle_id))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for label in ("geplant", "läuft", "blockiert", "erledigt", "verworfen", "übertragen"):
        assert re.search(rf"<h3 id=\"status-[a-z-]+-heading\">{label} ", html), label
    assert "Mehmet Yilmaz" in html and "Jana Wolff" in html and "Anna Becker" in html
    today = date.today()
    cycle = state(web_app, cycle_id)
    overdue = {
        measure_id
        for measure_id, measure in cycle["measures"].items()
        if measure["due"] is not None
        and measure["due"] < today
        and measure["status"] not in SETTLED_STATUSES
    }
    assert overdue, "the demo has overdue measures"
    marked = set(re.findall(r'<tr id="measure-([^"]+)" class="is-overdue">', html))
    assert marked == overdue
    for measure_id in overdue:  # said in words, not by colour alone
        row = html.split(f'<tr id="measure-{measure_id}"', 1)[1].split("</tr>", 1)[0]
        assert "überfällig" in row
    assert f"{len(overdue)} Maßnahmen sind überfällig" in html


def test_overdue_measures_come_first_in_their_group(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    coordinator = person_id(web_app, COORDINATOR)
    engine_of(web_app).plan_measure(
        UUID(cycle_id),
        actor_id=coordinator,
        measure_id="spaeter",
        title="Aaa später fällig",
        responsible_member_id=coordinator,
        due=date(2099, 1, 1),
    )
    engine_of(web_app).plan_measure(
        UUID(cycle_id), actor_id=coordinator, measure_id="ohne-termin", title="Aaa ohne Termin"
    )
    html = get(client, page_of(cycle_id)).get_data(as_text=True)
    planned = html.split('id="status-planned"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<tr id="measure-([^"]+)"( class="is-overdue")?>', planned)
    # overdue first, then by due date (none last), then by title
    assert [bool(mark) for _id, mark in rows] == [True] + [False] * (len(rows) - 1)
    assert [measure_id for measure_id, _mark in rows][1:3] == ["spaeter", "ohne-termin"]


def test_a_contributor_reports_progress_on_their_own_measure(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, CONTRIBUTOR)
    me = person_id(web_app, CONTRIBUTOR)
    before = state(web_app, cycle_id)
    own = measure_of(before, responsible=me, status="planned")
    html = get(client, page_of(cycle_id)).get_data(as_text=True)
    offered = set(re.findall(r"/implement/measures/([^/]+)/status", html))
    mine = {i for i, m in before["measures"].items() if m["responsible_member_id"] == me}
    assert offered == mine  # forms only for the measures they are responsible for

    moved = post_form(
        client,
        page_of(cycle_id),
        status_url(cycle_id, own),
        status_data(own, "running", before["version"]),
    )
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith(f"/implement#measure-{own}")
    after = state(web_app, cycle_id)
    assert after["measures"][own]["status"] == "running"
    assert after["version"] == before["version"] + 1

    goal_id = next(iter(after["goals"]))
    recorded = post_form(
        client,
        page_of(cycle_id),
        value_url(cycle_id, goal_id),
        value_data(goal_id, "7,5", after["version"]),
    )
    assert recorded.status_code == 302
    values = state(web_app, cycle_id)["goals"][goal_id]["values"]
    assert {k: values[-1][k] for k in ("value", "measured_on", "source")} == {
        "value": 7.5,
        "measured_on": date(2026, 3, 1),
        "source": "Netzwerkstatistik",
    }
    shown = get(client, page_of(cycle_id)).get_data(as_text=True)
    assert "7,5" in shown


def test_a_contributor_cannot_change_someone_elses_measure(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, CONTRIBUTOR)
    before = state(web_app, cycle_id)
    others = measure_of(before, responsible=person_id(web_app, COORDINATOR), status="running")
    refused = post_form(
        client,
        page_of(cycle_id),
        status_url(cycle_id, others),
        status_data(others, "done", before["version"]),
    )
    assert refused.status_code == 403
    assert state(web_app, cycle_id) == before


def test_a_viewer_gets_no_forms_and_cannot_post(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = running_cycle(client, VIEWER)
    before = state(web_app, cycle_id)
    html = get(client, page_of(cycle_id)).get_data(as_text=True)
    assert "/implement/measures/" not in html and "/values" not in html
    assert "Neuen Wert erfassen" not in html and "Status speichern" not in html
    measure_id = next(iter(before["measures"]))
    goal_id = next(iter(before["goals"]))
    moved = post_form(
        client,
        page_of(cycle_id),
        status_url(cycle_id, measure_id),
        status_data(measure_id, "dropped", before["version"], "Kein Bedarf."),
    )
    recorded = post_form(
        client, page_of(cycle_id), value_url(cycle_id, goal_id), value_data(goal_id, "3", 0)
    )
    assert moved.status_code == recorded.status_code == 403
    assert state(web_app, cycle_id) == before


def test_blocking_without_a_reason_shows_the_error_next_to_the_reason(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    before = state(web_app, cycle_id)
    measure_id = measure_of(before, responsible=person_id(web_app, COORDINATOR), status="running")
    response = post_form(
        client,
        page_of(cycle_id),
        status_url(cycle_id, measure_id),
        status_data(measure_id, "blocked", before["version"], "   "),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "begründen" in error_next_to(html, f"m-{measure_id}-reason")
    assert state(web_app, cycle_id)["version"] == before["version"]


def test_an_unknown_status_shows_the_error_next_to_the_status(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    before = state(web_app, cycle_id)
    measure_id = next(iter(before["measures"]))
    response = post_form(
        client,
        page_of(cycle_id),
        status_url(cycle_id, measure_id),
        status_data(measure_id, "vergessen", before["version"]),
    )
    assert response.status_code == 400
    assert "angebotenen Status" in error_next_to(
        response.get_data(as_text=True), f"m-{measure_id}-status"
    )
    assert state(web_app, cycle_id) == before


@pytest.mark.parametrize("typed", ["viel", "3,5,1", "nan", "1e999"])
def test_a_value_that_is_not_a_number_shows_the_error_next_to_the_value(
    client: FlaskClient, web_app: Flask, typed: str
) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    before = state(web_app, cycle_id)
    goal_id = next(iter(before["goals"]))
    response = post_form(
        client,
        page_of(cycle_id),
        value_url(cycle_id, goal_id),
        value_data(goal_id, typed, before["version"]),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Zahl" in error_next_to(html, f"g-{goal_id}-value")
    assert f'value="{typed}"' in html  # what was typed is kept for correcting
    assert state(web_app, cycle_id) == before


def test_a_stale_version_gets_a_conflict_message_and_writes_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    before = state(web_app, cycle_id)
    measure_id = measure_of(before, responsible=person_id(web_app, COORDINATOR), status="running")
    response = post_form(
        client,
        page_of(cycle_id),
        status_url(cycle_id, measure_id),
        status_data(measure_id, "done", before["version"] - 1),
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Jemand anderes hat inzwischen etwas geändert" in html
    assert state(web_app, cycle_id) == before
    # the form shown again carries the current version, so sending it again goes through
    assert f'name="m-{measure_id}-version" type="hidden" value="{before["version"]}"' in html


def test_other_organisations_get_404(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    stranger = web_app.test_client()
    sign_in(stranger, OTHER_COORDINATOR)
    assert get(stranger, page_of(cycle_id)).status_code == 404
    assert get(stranger, f"/o/beispielstadt/cycles/{cycle_id}/implement").status_code == 404
