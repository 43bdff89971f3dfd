"""The surveys API: question sets, create and close with If-Match, results only from five
answers, roles (viewers and contributors read, only coordinators change), and no route that
hands out a single parent's answers."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from tests.api.conftest import OWN, Api, engine_of, running_cycle
from tests.api.test_tenancy import api_rules, with_survey


def test_question_sets_list_the_good_practice_set(viewer: Api) -> None:
    sets = viewer.get("/api/v1/question-sets").get_json()
    found = {s["id"]: s for s in sets}["parents-good-practice"]
    assert found["theme_id"] == "parent-participation"
    assert [q["id"] for q in found["questions"]][-2:] == ["rating", "open"]
    assert set(found["questions"][0]["text"]) == {"de", "ls", "en", "tr", "ar", "ru", "uk"}


def test_a_coordinator_creates_and_closes_a_survey_and_results_appear_from_five_answers(
    coordinator: Api, viewer: Api
) -> None:
    cycle_id = running_cycle(coordinator, OWN.slug)
    survey_id = with_survey(coordinator, cycle_id)
    path = f"/api/v1/cycles/{cycle_id}/surveys/{survey_id}"
    assert viewer.get(path).get_json()["results"] is None
    engine = engine_of(coordinator.app)
    for _ in range(5):
        engine.answer_survey(
            UUID(cycle_id),
            survey_id,
            language="uk",
            choices={"heard": ["yes"]},
            texts={},
            today=date(2029, 1, 1),
        )
    survey = viewer.get(path).get_json()
    heard = {q["id"]: q for q in survey["results"]["questions"]}["heard"]
    assert heard["answers"] == 5 and {"id": "yes", "count": 5} in heard["options"]
    assert survey["results_by_language"]["uk"]["answers"] == 5
    stale = coordinator.post(f"{path}/close", json={}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    closed = coordinator.post(
        f"{path}/close",
        json={},
        headers={"If-Match": coordinator.version(f"/api/v1/cycles/{cycle_id}")},
    )
    assert closed.status_code == 200, closed.get_json()
    assert viewer.get(path).get_json()["closed"] is True
    listed = viewer.get(f"/api/v1/cycles/{cycle_id}/surveys").get_json()
    assert [s["id"] for s in listed] == [survey_id]


def test_viewers_and_contributors_may_not_create_or_close_and_nothing_is_written(
    coordinator: Api, viewer: Api, contributor: Api
) -> None:
    cycle_id = running_cycle(coordinator, OWN.slug)
    survey_id = with_survey(coordinator, cycle_id)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    for caller in (viewer, contributor):
        created = caller.post(
            f"/api/v1/cycles/{cycle_id}/surveys",
            json={
                "title": "X",
                "question_set_id": "parents-good-practice",
                "closes_on": "2030-01-01",
            },
            headers={"If-Match": version},
        )
        closed = caller.post(
            f"/api/v1/cycles/{cycle_id}/surveys/{survey_id}/close",
            json={},
            headers={"If-Match": version},
        )
        assert (created.status_code, closed.status_code) == (403, 403)
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version


def test_bad_survey_input_gets_a_field_error_and_nothing_is_written(coordinator: Api) -> None:
    cycle_id = running_cycle(coordinator, OWN.slug)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    refused = coordinator.post(
        f"/api/v1/cycles/{cycle_id}/surveys",
        json={
            "title": "X",
            "question_set_id": "parents-good-practice",
            "closes_on": "2030-01-01",
            "left_out": ["nope"],
        },
        headers={"If-Match": version},
    )
    assert refused.status_code == 422 and "left_out" in refused.get_json()["errors"]
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version


def test_no_api_route_hands_out_single_answers(coordinator: Api) -> None:
    """Answers go in (paper answers typed in), never out one by one."""
    survey_rules = [r for r in api_rules(coordinator.app) if "survey" in r.rule]
    reading = [r.rule for r in survey_rules if "GET" in (r.methods or ())]
    assert survey_rules and reading and not [rule for rule in reading if "answer" in rule]


def test_a_coordinator_types_in_a_paper_answer_and_bad_ones_change_nothing(
    coordinator: Api, contributor: Api
) -> None:
    cycle_id = running_cycle(coordinator, OWN.slug)
    survey_id = with_survey(coordinator, cycle_id)
    path = f"/api/v1/cycles/{cycle_id}/surveys/{survey_id}"
    paper = {"language": "de", "choices": {"heard": ["yes"]}, "texts": {}}
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    assert (
        contributor.post(
            f"{path}/paper-answers", json=paper, headers={"If-Match": version}
        ).status_code
        == 403
    )
    assert (
        coordinator.post(
            f"{path}/paper-answers", json=paper, headers={"If-Match": '"1"'}
        ).status_code
        == 412
    )
    bad = {**paper, "language": "xx", "choices": {"heard": ["vielleicht"]}}
    refused = coordinator.post(f"{path}/paper-answers", json=bad, headers={"If-Match": version})
    assert refused.status_code == 422, refused.get_json()
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version

    typed = coordinator.post(f"{path}/paper-answers", json=paper, headers={"If-Match": version})

    assert typed.status_code == 201, typed.get_json()
    survey = coordinator.get(path).get_json()
    assert (survey["answers"], survey["on_paper"]) == (1, 1)
