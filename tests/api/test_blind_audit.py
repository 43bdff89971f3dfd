"""The blind first round in the cycle's history, state, diff and the dashboard (API): a caller
who has not rated a criterion learns who rated it and when, never the level; after rating it,
or once the analysis is over, everything shows."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from flask import Flask

from tests.api.conftest import OWN, Api, engine_of, new_token, person_id
from tests.api.test_blind_ratings import CRITERION, THEME, _cycle_with_two_ratings

KEY = f"{THEME}/{CRITERION}"


def _rating_changes(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [c for e in entries for c in e["changes"] if c["path"].startswith("assessments")]


def _history(api: Api, cycle_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/api/v1/cycles/{cycle_id}/history?per_page=100")
    assert response.status_code == 200, response.get_json()
    found: list[dict[str, Any]] = response.get_json()
    return found


def _diff(api: Api, cycle_id: str) -> list[dict[str, Any]]:
    latest = version_of(api, cycle_id)
    response = api.get(f"/api/v1/cycles/{cycle_id}/diff?from=1&to={latest}")
    assert response.status_code == 200, response.get_json()
    return _rating_changes([response.get_json()])


def version_of(api: Api, cycle_id: str) -> int:
    return int(api.get(f"/api/v1/cycles/{cycle_id}").headers["ETag"].strip('"'))


def _levels(changes: list[dict[str, Any]]) -> str:
    return json.dumps(changes, sort_keys=True)


def _rate(api: Api, cycle_id: str, value: int) -> None:
    etag = api.get(f"/api/v1/cycles/{cycle_id}").headers["ETag"]
    rated = api.post(
        f"/api/v1/cycles/{cycle_id}/assessments",
        json={"theme_id": THEME, "criterion_id": CRITERION, "value": value},
        headers={"If-Match": etag},
    )
    assert rated.status_code == 200, rated.get_json()


def test_the_history_shows_who_rated_and_when_but_the_level_only_after_rating(
    api_app: Flask, contributor: Api, viewer: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)

    entries = _history(contributor, cycle_id)
    rated = [e for e in entries if e["event"] == "AssessmentRecorded"]
    assert [e["actor_id"] for e in rated] == [person_id(OWN.slug, "coordinator")] * 2
    hidden = _rating_changes(rated)
    assert hidden and all(c["path"].startswith(f"assessments.{KEY}") for c in hidden)
    assert '"value"' not in _levels(hidden) and '"note"' not in _levels(hidden)
    assert '"hidden": true' in _levels(hidden) and '"recorded_at"' in _levels(hidden)
    assert '"value": 5' in _levels(_rating_changes(_history(viewer, cycle_id)))

    _rate(contributor, cycle_id, 3)
    shown = _levels(_rating_changes(_history(contributor, cycle_id)))
    assert '"value": 1' in shown and '"value": 5' in shown and '"hidden"' not in shown


def test_state_and_diff_leave_out_the_levels_until_the_caller_rated(
    api_app: Flask, contributor: Api, coordinator: Api, viewer: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)
    latest = version_of(viewer, cycle_id)
    state_url = f"/api/v1/cycles/{cycle_id}/state?version={latest}"

    for blind in (contributor, coordinator):  # a coordinator who has not rated too
        assert KEY not in blind.get(state_url).get_json()["assessments"]
        changes = _diff(blind, cycle_id)
        assert changes and '"value"' not in _levels(changes)
    assert len(viewer.get(state_url).get_json()["assessments"][KEY]) == 2
    assert '"value": 5' in _levels(_diff(viewer, cycle_id))

    _rate(contributor, cycle_id, 2)
    now = version_of(contributor, cycle_id)
    state = contributor.get(f"/api/v1/cycles/{cycle_id}/state?version={latest}").get_json()
    assert {r["value"] for r in state["assessments"][KEY].values()} == {1, 5}
    assert now > latest and '"value": 5' in _levels(_diff(contributor, cycle_id))


def _end_analysis(app: Flask, cycle_id: str) -> None:
    engine, coordinator = engine_of(app), person_id(OWN.slug, "coordinator")
    engine.record_finding(
        UUID(cycle_id), actor_id=coordinator, finding_id="n", kind="need", text="Mehr"
    )
    engine.set_priorities(UUID(cycle_id), actor_id=coordinator, finding_ids=["n"])
    engine.advance_phase(UUID(cycle_id), actor_id=coordinator)


def test_after_the_analysis_the_trail_shows_every_level(api_app: Flask, contributor: Api) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)
    assert '"value"' not in _levels(_rating_changes(_history(contributor, cycle_id)))

    _end_analysis(api_app, cycle_id)

    assert '"value": 5' in _levels(_rating_changes(_history(contributor, cycle_id)))
    assert '"value": 5' in _levels(_diff(contributor, cycle_id))
    latest = version_of(contributor, cycle_id)
    state = contributor.get(f"/api/v1/cycles/{cycle_id}/state?version={latest}").get_json()
    assert len(state["assessments"][KEY]) == 2


def _dashboard(api: Api, cycle_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    response = api.get(f"/api/v1/organisations/{OWN.slug}/dashboard")
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    medians = data["criterion_medians"].get(THEME, {}).get(CRITERION, {})
    scores = {row["cycle_id"]: row for row in data["theme_scores"].get(THEME, [])}
    return medians, scores.get(cycle_id, {})


def test_the_dashboard_hides_a_running_analysis_figures_until_the_caller_rated(
    api_app: Flask, contributor: Api, viewer: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)

    medians, score = _dashboard(contributor, cycle_id)
    assert cycle_id not in medians
    assert score["score"] is None and score["hidden"] is True
    medians, score = _dashboard(viewer, cycle_id)
    assert medians[cycle_id] == 0.5 and score["score"] is not None

    _rate(contributor, cycle_id, 3)
    medians, score = _dashboard(contributor, cycle_id)
    assert medians[cycle_id] == 0.5 and score["score"] is not None and "hidden" not in score

    _end_analysis(api_app, cycle_id)
    # a coordinator's token that never rated sees it all once the analysis is over
    fresh = Api(api_app, new_token(api_app, OWN.slug, "coordinator"))
    assert _dashboard(fresh, cycle_id)[1]["score"] is not None
