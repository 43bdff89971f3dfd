"""The API's rating route checks If-Match per rater: people rating at the same time from one
version are all saved; a rater whose own rating changed since gets 412 and nothing is written."""

from __future__ import annotations

from flask import Flask

from tests.api.conftest import Api
from tests.api.test_blind_ratings import CRITERION, THEME, _cycle_with_two_ratings


def _post(api: Api, cycle_id: str, etag: str, value: int) -> tuple[int, dict]:
    response = api.post(
        f"/api/v1/cycles/{cycle_id}/assessments",
        json={"theme_id": THEME, "criterion_id": CRITERION, "value": value},
        headers={"If-Match": etag},
    )
    return response.status_code, response.get_json()


def test_two_callers_rating_on_the_same_etag_are_both_saved(
    api_app: Flask, contributor: Api, coordinator: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)
    etag = contributor.get(f"/api/v1/cycles/{cycle_id}").headers["ETag"]

    assert _post(contributor, cycle_id, etag, 2)[0] == 200
    assert _post(coordinator, cycle_id, etag, 4)[0] == 200

    ratings = coordinator.get(f"/api/v1/cycles/{cycle_id}").get_json()["assessments"]
    assert sorted(r["value"] for r in ratings[f"{THEME}/{CRITERION}"].values()) == [1, 2, 4, 5]


def test_a_caller_whose_own_rating_changed_since_the_etag_gets_412_and_nothing_is_written(
    api_app: Flask, contributor: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)
    etag = contributor.get(f"/api/v1/cycles/{cycle_id}").headers["ETag"]
    assert _post(contributor, cycle_id, etag, 2)[0] == 200
    current = contributor.get(f"/api/v1/cycles/{cycle_id}")

    status, problem = _post(contributor, cycle_id, etag, 3)

    assert status == 412 and problem["code"] == "precondition-failed"
    assert CRITERION in problem["detail"] and "nothing was saved" in problem["detail"]
    after = contributor.get(f"/api/v1/cycles/{cycle_id}")
    assert after.headers["ETag"] == current.headers["ETag"]
    mine = [r["value"] for r in after.get_json()["assessments"][f"{THEME}/{CRITERION}"].values()]
    assert 2 in mine and 3 not in mine
