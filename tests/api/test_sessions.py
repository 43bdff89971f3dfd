"""The rating session API: open, reveal, round 2, close and results, each answer checked against
the spec; If-Match as for every write; only coordinators; bad input changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from flask import Flask

from tests.api.conftest import Api, engine_of
from tests.web.test_analyse_page import new_cycle

KEY = "parent-participation/involved-in-analysis"


def ends_at() -> str:
    """An end time an hour ahead (ISO with time zone)."""
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()


def test_a_coordinator_runs_a_session_through_the_api(coordinator: Api, api_app: Flask) -> None:
    cycle_id = new_cycle(api_app)
    base = f"/api/v1/cycles/{cycle_id}/sessions"
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    opened = coordinator.post(
        base,
        json={"title": "Netzwerktreffen", "criteria": [KEY], "ends_at": ends_at()},
        headers={"If-Match": version},
    )
    assert opened.status_code == 201, opened.get_json()
    session_id, code = opened.get_json()["item_id"], opened.get_json()["code"]
    engine = engine_of(api_app)
    joined = engine.join_rating_session(UUID(cycle_id), session_id, field="Bildung")
    engine.rate_in_session(
        UUID(cycle_id),
        session_id,
        participant_id=joined.participant_id,
        theme_id="parent-participation",
        criterion_id="involved-in-analysis",
        value="instrumentalisierung",
    )
    etag = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    revealed = coordinator.post(f"{base}/{session_id}/reveal", json={}, headers={"If-Match": etag})
    assert revealed.status_code == 200, revealed.get_json()
    etag = revealed.headers["ETag"]
    second = coordinator.post(
        f"{base}/{session_id}/rounds", json={"criteria": [KEY]}, headers={"If-Match": etag}
    )
    assert second.status_code == 200, second.get_json()
    results = coordinator.get(base).get_json()
    assert [(r["code"], r["round"], r["joined"]) for r in results] == [(code, 2, 1)]
    first_round = results[0]["criteria"][0]["rounds"]["1"]
    assert first_round["raters"] == 1 and first_round["revealed"] is True
    closed = coordinator.post(
        f"{base}/{session_id}/close", headers={"If-Match": second.headers["ETag"]}
    )
    assert closed.status_code == 200
    assert coordinator.get(base).get_json()[0]["closed"] is True


def test_session_writes_refuse_without_if_match_for_contributors_and_on_bad_input(
    coordinator: Api, contributor: Api, api_app: Flask
) -> None:
    cycle_id = new_cycle(api_app)
    base = f"/api/v1/cycles/{cycle_id}/sessions"
    body = {"title": "Treffen", "criteria": [KEY], "ends_at": ends_at()}
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    assert coordinator.post(base, json=body).status_code == 428
    assert contributor.post(base, json=body, headers={"If-Match": version}).status_code == 403
    assert contributor.get(base).status_code == 403
    unknown = {**body, "criteria": ["parent-participation/nope"]}
    assert coordinator.post(base, json=unknown, headers={"If-Match": version}).status_code == 422
    naive = {**body, "ends_at": "2030-01-01T10:00:00"}
    assert coordinator.post(base, json=naive, headers={"If-Match": version}).status_code == 422
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version
    assert coordinator.get(base).get_json() == []


def test_a_coordinator_erases_a_participants_name_and_the_rating_stays(
    coordinator: Api, contributor: Api, api_app: Flask
) -> None:
    cycle_id = new_cycle(api_app)
    base = f"/api/v1/cycles/{cycle_id}/sessions"
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    body = {"title": "Netzwerktreffen", "criteria": [KEY], "ends_at": ends_at()}
    session_id = coordinator.post(base, json=body, headers={"If-Match": version}).get_json()[
        "item_id"
    ]
    engine = engine_of(api_app)
    joined = engine.join_rating_session(
        UUID(cycle_id), session_id, field="Bildung", display_name="Hebamme Ute"
    )
    pid = joined.participant_id
    erasure = f"{base}/participants/{pid}/erasure"
    etag = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    assert contributor.post(erasure, headers={"If-Match": etag}).status_code == 403
    assert coordinator.post(erasure, headers={"If-Match": '"1"'}).status_code == 412
    assert engine.profiles.get(pid)["display_name"] == "Hebamme Ute"

    erased = coordinator.post(erasure, headers={"If-Match": etag})

    assert erased.status_code == 200, erased.get_json()
    assert erased.headers["ETag"] == etag
    profile = engine.profiles.get(pid)
    assert profile is None or "Hebamme" not in str(profile)
    refused = coordinator.post(f"{base}/participants/person-x/erasure", headers={"If-Match": etag})
    assert refused.status_code == 422
