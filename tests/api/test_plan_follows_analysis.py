"""Planning follows the analysis, through the API: goals name the needs they answer, measures
outside the period are flagged, only members who may act are responsible, and indicator values
are corrected or withdrawn; a second value for a day answers 409 unless ``replace`` is true.
Every response is checked against the spec (the ``Api`` client does)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import OWN, Api, person_id, running_cycle
from tests.api.test_cycle_life import advance, command


def _state(api: Api, cycle: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/cycles/{cycle}")
    assert response.status_code == 200
    found: dict[str, Any] = response.get_json()
    return found


def _refused(api: Api, method: str, path: str, body: Any, status: int) -> dict[str, Any]:
    """Send a command that must be refused with ``status``; the cycle must not change."""
    cycle = path.split("/")[4]
    before = _state(api, cycle)
    response = api.request(method, path, json=body, headers={"If-Match": f'"{before["version"]}"'})
    assert response.status_code == status, response.get_json()
    assert _state(api, cycle) == before
    problem: dict[str, Any] = response.get_json()
    return problem


def _a_goal_with_values(api: Api) -> tuple[str, str, list[dict[str, Any]]]:
    cycle = running_cycle(api)
    state = _state(api, cycle)
    assert state["phase"] == "implement"
    goal_id, goal = next((k, g) for k, g in state["goals"].items() if g["values"])
    return cycle, goal_id, goal["values"]


def test_a_second_value_for_a_day_answers_409_unless_replace_is_true(coordinator: Api) -> None:
    cycle, goal_id, values = _a_goal_with_values(coordinator)
    taken = values[-1]
    path = f"/api/v1/cycles/{cycle}/goals/{goal_id}/values"
    again = {"value": 99, "measured_on": taken["measured_on"], "source": "Nachmeldung"}
    problem = _refused(coordinator, "POST", path, again, 409)
    assert problem["code"] == "value-exists"
    assert "replace" in problem["detail"]
    assert "ersetzt" in problem["detail_de"]

    command(coordinator, "POST", path, {**again, "replace": True, "reason": "nachgezählt"}, 201)
    goal = _state(coordinator, cycle)["goals"][goal_id]
    replaced = next(v for v in goal["values"] if v["position"] == taken["position"])
    assert replaced["value"] == 99
    assert replaced["corrected"]["value"] == taken["value"]
    assert replaced["corrected"]["reason"] == "nachgezählt"
    assert len(goal["values"]) == len(values)


def test_a_value_is_corrected_and_withdrawn_with_a_reason(coordinator: Api) -> None:
    cycle, goal_id, values = _a_goal_with_values(coordinator)
    first = values[0]
    base = f"/api/v1/cycles/{cycle}/goals/{goal_id}/values/{first['position']}"
    correction = {"value": 1.5, "measured_on": first["measured_on"], "source": "Liste"}
    problem = _refused(coordinator, "PUT", base, correction, 422)
    assert "reason" in problem["errors"]
    _refused(coordinator, "PUT", f"/api/v1/cycles/{cycle}/goals/{goal_id}/values/999",
             {**correction, "reason": "x"}, 404)  # fmt: skip

    command(coordinator, "PUT", base, {**correction, "reason": "Tippfehler"})
    goal = coordinator.get(f"/api/v1/cycles/{cycle}/goals/{goal_id}").get_json()
    corrected = next(v for v in goal["values"] if v["position"] == first["position"])
    assert (corrected["value"], corrected["corrected"]["reason"]) == (1.5, "Tippfehler")

    _refused(coordinator, "POST", f"{base}/withdrawal", {"reason": ""}, 422)
    command(coordinator, "POST", f"{base}/withdrawal", {"reason": "falsche Liste"})
    goal = coordinator.get(f"/api/v1/cycles/{cycle}/goals/{goal_id}").get_json()
    assert first["position"] not in [v["position"] for v in goal["values"]]
    withdrawn = goal["withdrawn_values"][0]
    assert (withdrawn["position"], withdrawn["withdrawn"]["reason"]) == (
        first["position"],
        "falsche Liste",
    )
    # Withdrawn once is withdrawn: a second withdrawal is refused and changes nothing.
    _refused(coordinator, "POST", f"{base}/withdrawal", {"reason": "nochmal"}, 422)


def test_a_viewer_cannot_correct_values(viewer: Api, coordinator: Api) -> None:
    cycle, goal_id, values = _a_goal_with_values(coordinator)
    path = f"/api/v1/cycles/{cycle}/goals/{goal_id}/values/{values[0]['position']}/withdrawal"
    _refused(viewer, "POST", path, {"reason": "weg"}, 403)


def test_a_measure_outside_the_period_is_flagged_and_a_viewer_is_not_responsible(
    coordinator: Api,
) -> None:
    cycle = running_cycle(coordinator)
    state = _state(coordinator, cycle)
    path = f"/api/v1/cycles/{cycle}/measures"
    viewer_id = person_id(OWN.slug, "viewer")
    problem = _refused(
        coordinator, "POST", path, {"title": "X", "responsible_member_id": viewer_id}, 422
    )
    assert "responsible_member_id" in problem["errors"]

    assert state["period_end"] < "2029-03-01"
    late = {"title": "Nachbereitung", "start": "2026-11-01", "due": "2029-03-01"}
    made = command(coordinator, "POST", path, late, 201)
    measure = coordinator.get(f"{path}/{made['item_id']}").get_json()
    assert measure["outside_period"] is True
    listed = coordinator.get(path).get_json()
    assert {m["id"]: m["outside_period"] for m in listed}[made["item_id"]] is True
    assert any(m["outside_period"] is False for m in listed)


def test_a_goal_names_the_needs_it_answers(coordinator: Api) -> None:
    api = coordinator
    theme = api.get("/api/v1/themes/impact-orientation").get_json()
    organisation = api.get(f"/api/v1/organisations/{OWN.slug}")
    started = api.post(
        f"/api/v1/organisations/{OWN.slug}/cycles",
        json={
            "title": "Bedarfe und Ziele",
            "themes": ["impact-orientation"],
            "period_start": "2028-01-01",
            "period_end": "2028-12-31",
        },
        headers={"If-Match": organisation.headers["ETag"]},
    )
    cycle = started.get_json()["id"]
    base = f"/api/v1/cycles/{cycle}"
    for criterion in theme["criteria"]:
        scale = criterion["scale"]
        value = scale["levels"][0]["id"] if scale["kind"] == "levels" else scale["minimum"]
        body = {"theme_id": "impact-orientation", "criterion_id": criterion["id"], "value": value}
        command(api, "POST", f"{base}/assessments", body)
    need = command(api, "POST", f"{base}/findings", {"kind": "need", "text": "Zugang"}, 201)
    strength = command(api, "POST", f"{base}/findings", {"kind": "strength", "text": "Gut"}, 201)
    command(api, "PUT", f"{base}/priorities", {"finding_ids": [need["item_id"]]})
    advance(api, cycle)

    problem = _refused(
        api, "POST", f"{base}/goals", {"title": "X", "need_ids": [strength["item_id"]]}, 422
    )
    assert "need_ids" in problem["errors"]
    goal = command(
        api, "POST", f"{base}/goals", {"title": "Zugang", "need_ids": [need["item_id"]]}, 201
    )
    answered = api.get(f"{base}/goals/{goal['item_id']}").get_json()
    assert answered["need_ids"] == [need["item_id"]]
