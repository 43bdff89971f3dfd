"""A whole cycle run through the API alone: every command of its life, each with If-Match."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import OWN, Api, person_id, uploaded
from tests.web.test_comments_and_attachments import small_pdf


def command(api: Api, method: str, path: str, body: Any = None, status: int = 200) -> Any:
    """Send a command based on the cycle's current version; it must succeed."""
    cycle = path.split("/")[4]
    version = api.version(f"/api/v1/cycles/{cycle}")
    response = api.request(method, path, json=body, headers={"If-Match": version})
    assert response.status_code == status, response.get_json()
    answer = response.get_json()
    assert response.headers["ETag"] == f'"{answer["version"]}"'
    assert answer["version"] > int(version.strip('"'))
    return answer


def advance(api: Api, cycle: str) -> None:
    """Move on; a refusal shows its reasons."""
    command(api, "POST", f"/api/v1/cycles/{cycle}/advance")


def test_a_cycle_runs_from_start_to_close_through_the_api(coordinator: Api) -> None:
    api = coordinator
    theme = api.get("/api/v1/themes/impact-orientation").get_json()
    organisation = api.get(f"/api/v1/organisations/{OWN.slug}")
    started = api.post(
        f"/api/v1/organisations/{OWN.slug}/cycles",
        json={
            "title": "Zyklus über die API",
            "themes": ["impact-orientation"],
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
        },
        headers={"If-Match": organisation.headers["ETag"]},
    )
    assert started.status_code == 201, started.get_json()
    cycle = started.get_json()["id"]
    assert started.headers["Location"] == f"/api/v1/cycles/{cycle}"
    base = f"/api/v1/cycles/{cycle}"
    coordinator_id = person_id(OWN.slug, "coordinator")
    contributor_id = person_id(OWN.slug, "contributor")

    # Analysis
    for criterion in theme["criteria"]:
        scale = criterion["scale"]
        value = scale["levels"][0]["id"] if scale["kind"] == "levels" else scale["minimum"]
        for rater in (coordinator_id, contributor_id):
            command(
                api,
                "POST",
                f"{base}/assessments",
                {
                    "theme_id": "impact-orientation",
                    "criterion_id": criterion["id"],
                    "value": value,
                    "rater_id": rater,
                },
            )
    need = command(api, "POST", f"{base}/findings", {"kind": "need", "text": "Zugang"}, 201)
    strength = command(
        api, "POST", f"{base}/findings", {"kind": "strength", "text": "Netzwerk"}, 201
    )
    command(api, "POST", f"{base}/findings/{strength['item_id']}/withdrawal", {"reason": "doppelt"})
    command(api, "PUT", f"{base}/priorities", {"finding_ids": [need["item_id"]]})
    command(
        api,
        "POST",
        f"{base}/attachments",
        {"sha256": uploaded(api.app, OWN.slug, small_pdf()), "filename": "protokoll.pdf"},
        201,
    )
    summary = api.get(f"{base}/assessment-summary").get_json()
    assert summary[0]["theme_id"] == "impact-orientation"
    assert summary[0]["rated"] == len(theme["criteria"])
    advance(api, cycle)

    # Plan
    goal = command(
        api,
        "POST",
        f"{base}/goals",
        {
            "title": "Mehr Familien erreichen",
            "indicator": "Anteil erreichter Familien",
            "unit": "%",
            "baseline": 40,
            "target": 60,
            "due": "2027-11-30",
            "theme_id": "impact-orientation",
            "attrs": {"impact_step": 2, "iooi_level": "output"},
        },
        201,
    )
    goal_id = goal["item_id"]
    command(
        api,
        "PUT",
        f"{base}/goals/{goal_id}",
        {
            "title": "Mehr Familien früh erreichen",
            "indicator": "Anteil",
            "unit": "%",
            "baseline": 40,
            "target": 65,
            "due": "2027-11-30",
            "theme_id": "impact-orientation",
            "attrs": {"impact_step": 2, "iooi_level": "output"},
            "reason": "genauer",
        },
    )
    measure = command(
        api,
        "POST",
        f"{base}/measures",
        {
            "title": "Willkommensbesuche",
            "goal_id": goal_id,
            "responsible_member_id": contributor_id,
            "start": "2027-02-01",
            "due": "2027-10-31",
        },
        201,
    )
    measure_id = measure["item_id"]
    command(
        api,
        "PUT",
        f"{base}/measures/{measure_id}",
        {
            "title": "Willkommensbesuche für alle",
            "goal_id": goal_id,
            "responsible_member_id": contributor_id,
            "start": "2027-02-01",
            "due": "2027-10-31",
            "resources": "10 Stunden",
        },
    )
    advance(api, cycle)

    # Implementation
    command(api, "PUT", f"{base}/measures/{measure_id}/status", {"status": "running"})
    command(
        api,
        "POST",
        f"{base}/goals/{goal_id}/values",
        {"value": 52, "measured_on": "2027-06-30", "source": "Statistik"},
        201,
    )
    command(api, "POST", f"{base}/feedback", {"source": "parents", "text": "Hilfreich"}, 201)
    command(
        api,
        "POST",
        f"{base}/comments",
        {"text": "Läuft gut", "subject": f"measure:{measure_id}"},
        201,
    )
    command(api, "PUT", f"{base}/measures/{measure_id}/status", {"status": "done"})
    advance(api, cycle)

    # Review and close
    command(
        api,
        "PUT",
        f"{base}/goals/{goal_id}/review",
        {"verdict": "partly", "evidence": "52 statt 65 Prozent"},
    )
    command(api, "POST", f"{base}/lessons", {"text": "Früher anfangen"}, 201)
    command(api, "POST", f"{base}/close", {"summary": "Gut vorangekommen", "follow_up": "2028"})
    closed = api.get(base).get_json()
    assert closed["phase"] == "closed"
    assert closed["closing"] == {"summary": "Gut vorangekommen", "follow_up": "2028"}
    command(api, "POST", f"{base}/reopen", {"to_phase": "review", "reason": "Nachtrag"})
    assert api.get(f"{base}/next-step").get_json()["next"] == "closed"
    insights = api.get(f"{base}/insights").get_json()
    assert {item["theme_id"] for item in insights["items"]} <= {"impact-orientation"}

    # The history has every step, by version, with the token as actor.
    history = api.get(f"{base}/history?per_page=100").get_json()
    assert [entry["version"] for entry in history] == list(range(1, len(history) + 1))
    assert history[-1]["event"] == "PhaseReopened"
    assert history[-1]["actor_id"].startswith("token:")


def test_a_theme_is_added_and_removed_and_a_workflow_migration_is_checked(
    coordinator: Api,
) -> None:
    api = coordinator
    organisation = api.get(f"/api/v1/organisations/{OWN.slug}")
    started = api.post(
        f"/api/v1/organisations/{OWN.slug}/cycles",
        json={
            "title": "Thementest",
            "themes": ["impact-orientation"],
            "period_start": "2028-01-01",
            "period_end": "2028-12-31",
            "workflow_version": 1,
        },
        headers={"If-Match": organisation.headers["ETag"]},
    )
    assert started.status_code == 201, started.get_json()
    base = f"/api/v1/cycles/{started.get_json()['id']}"
    command(api, "POST", f"{base}/themes", {"theme_id": "parent-participation"})
    assert "parent-participation" in api.get(base).get_json()["themes"]
    version = api.version(base)
    removed = api.delete(
        f"{base}/themes/parent-participation?reason=falsch", headers={"If-Match": version}
    )
    assert removed.status_code == 200
    assert "parent-participation" not in api.get(base).get_json()["themes"]
    command(api, "POST", f"{base}/migration", {"to_version": 2, "reason": "neue Fassung"})
    assert api.get(base).get_json()["workflow_version"] == 2
