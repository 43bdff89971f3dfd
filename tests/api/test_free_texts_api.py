"""The API lists a cycle's free texts for coordinators and erases one; contributors may not."""

from __future__ import annotations

from tests.api.conftest import Api, running_cycle

SECRET = "Frau Apiname-Xyq ruft zurück"


def test_a_coordinator_lists_and_erases_a_text_and_a_contributor_is_refused(
    coordinator: Api, contributor: Api
) -> None:
    cycle_id = running_cycle(coordinator)
    base = f"/api/v1/cycles/{cycle_id}"
    version = coordinator.version(base)
    added = coordinator.post(
        f"{base}/comments", json={"text": SECRET}, headers={"If-Match": version}
    )
    assert added.status_code == 201, added.get_data(as_text=True)
    listed = coordinator.get(f"{base}/texts").get_json()
    reference = next(t["reference"] for t in listed if t["text"] == SECRET)
    erasure = f"{base}/texts/{reference}/erasure"

    refused = contributor.post(
        erasure, json={"reason": "x"}, headers={"If-Match": coordinator.version(base)}
    )
    stale = coordinator.post(erasure, json={"reason": "DSGVO"}, headers={"If-Match": version})
    done = coordinator.post(
        erasure, json={"reason": "DSGVO"}, headers={"If-Match": coordinator.version(base)}
    )
    again = coordinator.post(
        erasure, json={"reason": "DSGVO"}, headers={"If-Match": coordinator.version(base)}
    )

    assert refused.status_code == 403
    assert stale.status_code == 412
    assert done.status_code == 200, done.get_data(as_text=True)
    assert again.status_code == 409
    comments = coordinator.get(f"{base}/comments?per_page=100").get_json()
    texts = [comment["text"] for comment in comments]
    assert SECRET not in texts
    assert any(text.startswith("(gelöscht am ") for text in texts)
