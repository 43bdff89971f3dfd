"""The API of a theme's own records: read them with the cycle's ETag, change several at once with
If-Match, every problem told at once and nothing written; roles and tenancy as everywhere."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api, running_cycle

IMPACT = "impact-orientation"


def records_path(cycle_id: str, theme_id: str = IMPACT) -> str:
    return f"/api/v1/cycles/{cycle_id}/themes/{theme_id}/records"


def element(key: str, column: str, title: str) -> dict[str, Any]:
    attrs = {"column": column, "title": title}
    return {"kind": "element", "record_id": key, "attrs": attrs, "text": ""}


def change(api: Api, cycle_id: str, body: dict[str, Any]) -> Any:
    path = records_path(cycle_id)
    return api.post(path, json=body, headers={"If-Match": api.version(path)})


def test_records_are_changed_together_and_read_back_with_the_version(coordinator: Api) -> None:
    cycle_id = running_cycle(coordinator)
    arrow = {"kind": "arrow", "record_id": "a1", "attrs": {"source": "e1", "target": "e2"},
             "text": "Familien kennen den Dienst"}  # fmt: skip

    answer = change(
        coordinator,
        cycle_id,
        {"saves": [element("e1", "activities", "Lotsen"), element("e2", "results", "Zugang"),
                   arrow], "reason": "Entwurf"},
    )  # fmt: skip

    assert answer.status_code == 200, answer.get_json()
    read = coordinator.get(records_path(cycle_id))
    body = read.get_json()
    assert read.headers["ETag"] == f'"{answer.get_json()["version"]}"'
    assert body["records"]["arrow"]["a1"] == {
        "attrs": {"source": "e1", "target": "e2"},
        "text": "Familien kennen den Dienst",
    }
    assert body["records"]["element"]["e2"]["attrs"] == {
        "column": "results", "title": "Zugang", "step": None, "level": None, "goal_ids": [],
    }  # fmt: skip


def test_every_problem_of_a_change_is_told_and_nothing_is_written(coordinator: Api) -> None:
    cycle_id = running_cycle(coordinator)
    before = coordinator.version(records_path(cycle_id))

    answer = change(
        coordinator,
        cycle_id,
        {"saves": [
            element("e1", "nowhere", "Lotsen"),
            {"kind": "arrow", "record_id": "a1", "attrs": {"source": "e1", "target": "e9"}},
        ]},
    )  # fmt: skip

    assert answer.status_code == 422
    errors = answer.get_json()["errors"]
    assert "records.element.e1.attrs.column" in errors
    assert coordinator.version(records_path(cycle_id)) == before


def test_an_arrow_to_a_missing_element_is_refused_by_the_theme(coordinator: Api) -> None:
    cycle_id = running_cycle(coordinator)
    change(coordinator, cycle_id, {"saves": [element("e1", "activities", "Lotsen")]})

    answer = change(
        coordinator,
        cycle_id,
        {"saves": [{"kind": "arrow", "attrs": {"source": "e1", "target": "e9"}}]},
    )

    assert answer.status_code == 422
    assert any(key.endswith(".attrs.target") for key in answer.get_json()["errors"])


def test_a_write_needs_if_match_and_a_reader_may_not_change(coordinator: Api, viewer: Api) -> None:
    cycle_id = running_cycle(coordinator)
    body = {"saves": [element("e1", "activities", "Lotsen")]}

    assert coordinator.post(records_path(cycle_id), json=body).status_code == 428
    assert viewer.get(records_path(cycle_id)).status_code == 200
    assert change(viewer, cycle_id, body).status_code == 403


def test_other_organisations_and_themes_not_on_the_cycle_are_not_found(
    coordinator: Api, other: Api
) -> None:
    cycle_id = running_cycle(coordinator)

    assert other.get(records_path(cycle_id)).status_code == 404
    assert coordinator.get(records_path(cycle_id, "no-such-theme")).status_code == 404
