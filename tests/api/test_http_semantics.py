"""HTTP semantics: ETag and If-Match (412, 428, nothing written), problem details for every
error, pagination with Link headers, the browser's session with its CSRF token."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.api.conftest import OWN, PROBLEM_JSON, Api, running_cycle
from tests.api.test_tokens import BASE_URL, _csrf, sign_in
from web.app import create_app


def _status_change(api: Api, headers: dict[str, str]) -> tuple[str, str, Any]:
    cycle = running_cycle(api)
    state = api.get(f"/api/v1/cycles/{cycle}").get_json()
    measure_id, measure = next(iter(sorted(state["measures"].items())))
    status = "blocked" if measure["status"] != "blocked" else "running"
    response = api.put(
        f"/api/v1/cycles/{cycle}/measures/{measure_id}/status",
        json={"status": status, "reason": "Test"},
        headers=headers,
    )
    return cycle, measure_id, response


def test_reads_carry_the_version_as_etag(coordinator: Api) -> None:
    cycle = running_cycle(coordinator)
    response = coordinator.get(f"/api/v1/cycles/{cycle}")
    assert response.headers["ETag"] == f'"{response.get_json()["version"]}"'
    organisation = coordinator.get(f"/api/v1/organisations/{OWN.slug}")
    assert organisation.headers["ETag"] == f'"{organisation.get_json()["version"]}"'


def test_a_write_without_if_match_is_refused_with_428_and_writes_nothing(coordinator: Api) -> None:
    cycle = running_cycle(coordinator)
    before = coordinator.version(f"/api/v1/cycles/{cycle}")
    _, _, response = _status_change(coordinator, {})
    assert response.status_code == 428
    assert response.get_json()["code"] == "precondition-required"
    assert coordinator.version(f"/api/v1/cycles/{cycle}") == before


def test_a_stale_if_match_is_refused_with_412_and_writes_nothing(coordinator: Api) -> None:
    cycle = running_cycle(coordinator)
    current = coordinator.version(f"/api/v1/cycles/{cycle}")
    stale = f'"{int(current.strip(chr(34))) - 1}"'
    for header in (stale, "*", 'W/"1"', "12"):
        _, _, response = _status_change(coordinator, {"If-Match": header})
        assert response.status_code == 412, header
        assert response.get_json()["code"] == "precondition-failed"
    _, _, response = _status_change(coordinator, {"If-Match": stale})
    assert response.headers["ETag"] == current  # the version to reload
    assert coordinator.version(f"/api/v1/cycles/{cycle}") == current


def test_a_current_if_match_writes_and_answers_the_new_version(coordinator: Api) -> None:
    cycle = running_cycle(coordinator)
    current = coordinator.version(f"/api/v1/cycles/{cycle}")
    _, _, response = _status_change(coordinator, {"If-Match": current})
    assert response.status_code == 200, response.get_json()
    new = int(current.strip('"')) + 1
    assert response.get_json()["version"] == new
    assert response.headers["ETag"] == f'"{new}"'
    again = _status_change(coordinator, {"If-Match": current})[2]  # the same version again
    assert again.status_code == 412


def test_invalid_input_names_each_field(coordinator: Api) -> None:
    cycle = running_cycle(coordinator)
    version = coordinator.version(f"/api/v1/cycles/{cycle}")
    response = coordinator.post(
        f"/api/v1/cycles/{cycle}/goals",
        json={"title": 5, "baseline": "viel", "unknown": 1},
        headers={"If-Match": version},
    )
    assert response.status_code == 422
    body = response.get_json()
    assert response.mimetype == PROBLEM_JSON
    assert set(body) >= {"type", "title", "status", "detail", "errors"}
    assert set(body["errors"]) == {"title", "baseline", "unknown"}
    engine_refusal = coordinator.put(
        f"/api/v1/cycles/{cycle}/measures/nope/status",
        json={"status": "blocked", "reason": ""},
        headers={"If-Match": version},
    )
    assert engine_refusal.status_code == 422
    assert engine_refusal.get_json()["errors"] == {"reason": ["must not be empty"]}
    assert coordinator.version(f"/api/v1/cycles/{cycle}") == version


def test_a_refused_gate_lists_every_reason(coordinator: Api) -> None:
    cycle = running_cycle(coordinator)
    response = coordinator.post(
        f"/api/v1/cycles/{cycle}/advance",
        headers={"If-Match": coordinator.version(f"/api/v1/cycles/{cycle}")},
    )
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "gate-refused"
    assert body["reasons"] and all(set(r) == {"code", "de", "en"} for r in body["reasons"])


def test_roles_limit_what_a_token_may_do(viewer: Api, contributor: Api) -> None:
    cycle = running_cycle(viewer)
    response = viewer.post(
        f"/api/v1/cycles/{cycle}/comments",
        json={"text": "Hallo"},
        headers={"If-Match": viewer.version(f"/api/v1/cycles/{cycle}")},
    )
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"
    assert contributor.get(f"/api/v1/organisations/{OWN.slug}/members").status_code == 403
    own = contributor.get(f"/api/v1/organisations/{OWN.slug}").get_json()
    assert "members" not in own and own["role"] == "contributor"


def test_http_errors_are_problem_details_too(coordinator: Api, anonymous: Api) -> None:
    for response, status in (
        (coordinator.get("/api/v1/no-such-thing"), 404),
        (coordinator.request("PATCH", "/api/v1/themes"), 405),
        (anonymous.get("/api/v1/themes"), 401),
        (coordinator.get("/api/v1/themes?per_page=0"), 422),
        (coordinator.get("/api/v1/cycles/not-a-uuid"), 404),
    ):
        assert response.status_code == status
        assert response.mimetype == PROBLEM_JSON
        body = response.get_json()
        assert body["status"] == status and body["title"] and body["type"]
    # the UI's error pages stay HTML
    page = coordinator.app.test_client().get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_an_unexpected_error_answers_500_without_a_trace(api_app: Flask) -> None:
    app = create_app(
        {"QUALIZYKLUS_DATABASE": api_app.config["QUALIZYKLUS_DATABASE"], "SECRET_KEY": "x"}
    )

    def broken() -> str:
        raise RuntimeError("secret internals: /etc/passwd")

    app.add_url_rule("/api/v1/broken", "broken", broken)
    response = app.test_client().get("/api/v1/broken")
    assert response.status_code == 500
    assert response.mimetype == PROBLEM_JSON
    text = response.get_data(as_text=True)
    assert "secret internals" not in text and "Traceback" not in text
    app.extensions["qualizyklus"].close()


def test_lists_are_paginated_with_link_headers_in_a_stable_order(coordinator: Api) -> None:
    everything = [t["id"] for t in coordinator.get("/api/v1/themes").get_json()]
    assert len(everything) >= 3
    seen: list[str] = []
    url: str | None = "/api/v1/themes?per_page=1"
    while url:
        response = coordinator.get(url)
        assert response.headers["X-Total-Count"] == str(len(everything))
        links = dict(
            (rel, href)
            for href, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["Link"])
        )
        assert {"first", "last"} <= set(links)
        seen += [t["id"] for t in response.get_json()]
        url = links.get("next", "").replace("http://localhost", "") or None
    assert seen == everything == sorted(everything)
    cycle = running_cycle(coordinator)
    history = coordinator.get(f"/api/v1/cycles/{cycle}/history?per_page=5&page=2").get_json()
    assert [e["version"] for e in history] == [6, 7, 8, 9, 10]
    beyond = coordinator.get(f"/api/v1/cycles/{cycle}/history?per_page=5&page=9999")
    assert beyond.status_code == 200 and beyond.get_json() == []
    assert 'rel="prev"' in beyond.headers["Link"]


def test_state_as_of_a_version_or_a_time_and_the_diff_of_two(coordinator: Api) -> None:
    cycle = running_cycle(coordinator)
    third = coordinator.get(f"/api/v1/cycles/{cycle}/state?version=3")
    assert third.get_json()["version"] == 3 and third.headers["ETag"] == '"3"'
    now = coordinator.get(f"/api/v1/cycles/{cycle}/state?at=2999-01-01").get_json()
    assert now["version"] == coordinator.get(f"/api/v1/cycles/{cycle}").get_json()["version"]
    assert coordinator.get(f"/api/v1/cycles/{cycle}/state?at=1999-01-01").status_code == 404
    assert coordinator.get(f"/api/v1/cycles/{cycle}/state").status_code == 422
    assert coordinator.get(f"/api/v1/cycles/{cycle}/state?at=gestern").status_code == 422
    diff = coordinator.get(f"/api/v1/cycles/{cycle}/diff?from=1&to=3").get_json()
    assert diff["from"] == 1 and diff["to"] == 3 and diff["changes"]
    assert coordinator.get(f"/api/v1/cycles/{cycle}/diff?from=1&to=99999").status_code == 404


def test_the_browser_session_works_with_its_csrf_token(api_app: Flask) -> None:
    client = api_app.test_client()
    sign_in(client, OWN.people[0].email)
    listed = client.get(f"/api/v1/organisations/{OWN.slug}/cycles", base_url=BASE_URL)
    assert listed.status_code == 200
    cycle = listed.get_json()[0]["id"]
    version = client.get(f"/api/v1/cycles/{cycle}", base_url=BASE_URL).headers["ETag"]
    comment = {"text": "Aus dem Browser"}
    refused = client.post(
        f"/api/v1/cycles/{cycle}/comments",
        json=comment,
        headers={"If-Match": version},
        base_url=BASE_URL,
    )
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "csrf-failed"
    accepted = client.post(
        f"/api/v1/cycles/{cycle}/comments",
        json=comment,
        headers={"If-Match": version, "X-CSRFToken": _csrf(client, f"/o/{OWN.slug}/")},
        base_url=BASE_URL,
    )
    assert accepted.status_code == 201, accepted.get_json()
