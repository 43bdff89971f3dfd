"""The API's assessment summary obeys the blind first round for the caller, as the pages do."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Flask

from tests.api.conftest import OWN, Api, engine_of, person_id

THEME = "parent-participation"
CRITERION = "shared-understanding"  # rated 1 to 5


def _cycle_with_two_ratings(app: Flask) -> str:
    """A new cycle of lk-musterland whose coordinator and contributor rated 1 and 5."""
    engine = engine_of(app)
    coordinator = person_id(OWN.slug, "coordinator")
    cycle_id = engine.start_cycle(
        UUID(engine.organisation_by_slug(OWN.slug)["id"]),
        actor_id=coordinator,
        title="Blind",
        themes=[THEME],
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    for rater, value in ((coordinator, 1), (person_id(OWN.slug, "contributor"), 5)):
        engine.record_assessment(
            cycle_id,
            actor_id=coordinator,
            rater_id=rater,
            theme_id=THEME,
            criterion_id=CRITERION,
            value=value,
        )
    return str(cycle_id)


def _criterion(api: Api, cycle_id: str, query: str = "") -> dict[str, Any]:
    response = api.get(f"/api/v1/cycles/{cycle_id}/assessment-summary{query}")
    assert response.status_code == 200
    theme = response.get_json()[0]
    found: dict[str, Any] = next(c for c in theme["criteria"] if c["criterion_id"] == CRITERION)
    return found


def test_a_token_that_may_rate_sees_a_result_only_after_rating_it(
    api_app: Flask, contributor: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)
    hidden = _criterion(contributor, cycle_id, f"?reveal={THEME}")  # a contributor cannot reveal
    assert hidden["hidden"] is True
    assert (hidden["median"], hidden["distribution"], hidden["disagreement"]) == (None, None, None)
    assert hidden["ratings"] == {} and hidden["raters"] == 2

    etag = contributor.get(f"/api/v1/cycles/{cycle_id}").headers["ETag"]
    rated = contributor.post(
        f"/api/v1/cycles/{cycle_id}/assessments",
        json={"theme_id": THEME, "criterion_id": CRITERION, "value": 3},
        headers={"If-Match": etag},
    )
    assert rated.status_code == 200, rated.get_json()
    shown = _criterion(contributor, cycle_id)
    assert shown["hidden"] is False
    assert shown["distribution"] == [1, 0, 1, 0, 1]
    assert shown["disagreement"] is not None and shown["raters"] == 3


def test_a_coordinator_token_sees_a_theme_when_it_asks_to_reveal_it_and_a_viewer_always(
    api_app: Flask, coordinator: Api, viewer: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)
    assert _criterion(coordinator, cycle_id)["hidden"] is True
    revealed = _criterion(coordinator, cycle_id, f"?reveal={THEME}")
    assert revealed["hidden"] is False and revealed["distribution"] == [1, 0, 0, 0, 1]
    assert revealed["dialogue"] is True
    summary = coordinator.get(
        f"/api/v1/cycles/{cycle_id}/assessment-summary?reveal={THEME}"
    ).get_json()[0]
    assert summary["most_disagreed"] == summary["dialogue"] == [CRITERION]
    assert _criterion(viewer, cycle_id)["hidden"] is False


def test_the_cycles_raw_ratings_are_blind_too(
    api_app: Flask, contributor: Api, viewer: Api
) -> None:
    cycle_id = _cycle_with_two_ratings(api_app)
    key = f"{THEME}/{CRITERION}"

    assert key not in contributor.get(f"/api/v1/cycles/{cycle_id}").get_json()["assessments"]
    assert len(viewer.get(f"/api/v1/cycles/{cycle_id}").get_json()["assessments"][key]) == 2
