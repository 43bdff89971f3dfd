"""JSON bodies that cannot be decoded or parsed safely are a 400 problem before any view runs:
nothing is written, nothing answers 500 (forms: tests/web/test_malformed_forms.py)."""

from __future__ import annotations

import pytest

from tests.api.conftest import PROBLEM_JSON, Api, running_cycle
from web.bodies import MAX_DEPTH

STATUS_CHANGE = b'{"status": "blocked", "reason": %s}'
"""A measure's status change, otherwise valid, with the reason as given."""

MALFORMED = {
    "nested 100,000 levels": b'{"status": "blocked", "reason": "x", "attrs": '
    + b"[" * 100_000
    + b"]" * 100_000
    + b"}",
    "nested objects 100,000 levels": b'{"status": "blocked", "reason": '
    + b'{"a": ' * 100_000
    + b"1"
    + b"}" * 100_000
    + b"}",
    f"nested {MAX_DEPTH + 1} levels": STATUS_CHANGE
    % (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)),
    "lone surrogate": STATUS_CHANGE % b'"Grund \\ud800"',
    "lone low surrogate in a key": b'{"status": "blocked", "reason": "x", "\\udc00": 1}',
    "invalid UTF-8": STATUS_CHANGE % b'"Grund \xff\xfe"',
    "UTF-8 encoded surrogate": STATUS_CHANGE % b'"Grund \xed\xa0\x80"',
    "a 5,000-digit number": STATUS_CHANGE % (b"1" * 5000),
    "a number beyond float": STATUS_CHANGE % b"1e999999",
    "NaN": STATUS_CHANGE % b"NaN",
    "Infinity": STATUS_CHANGE % b"-Infinity",
    "cut off": b'{"status": "blocked", "reason": ',
}


def _measure(api: Api) -> tuple[str, str, str]:
    cycle = running_cycle(api)
    measure_id = sorted(api.get(f"/api/v1/cycles/{cycle}").get_json()["measures"])[0]
    return cycle, measure_id, api.version(f"/api/v1/cycles/{cycle}")


@pytest.mark.parametrize("body", list(MALFORMED.values()), ids=list(MALFORMED))
def test_an_unreadable_json_body_is_a_400_problem_and_writes_nothing(
    coordinator: Api, body: bytes
) -> None:
    cycle, measure_id, version = _measure(coordinator)
    response = coordinator.put(
        f"/api/v1/cycles/{cycle}/measures/{measure_id}/status",
        data=body,
        headers={"If-Match": version, "Content-Type": "application/json"},
    )
    assert response.status_code == 400, response.get_data()[:300]
    assert response.mimetype == PROBLEM_JSON
    problem = response.get_json()
    assert problem["code"] == "malformed-body" and problem["status"] == 400
    assert problem["detail"].startswith("The request body cannot be read: ")
    assert coordinator.version(f"/api/v1/cycles/{cycle}") == version


def test_the_same_body_well_formed_is_written(coordinator: Api) -> None:
    """The control: the malformed bodies above fail for their flaw, not for their route."""
    cycle, measure_id, version = _measure(coordinator)
    response = coordinator.put(
        f"/api/v1/cycles/{cycle}/measures/{measure_id}/status",
        data=STATUS_CHANGE % b'"Grund \\u00e4 \\ud83d\\ude00"',  # a proper pair
        headers={"If-Match": version, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.get_json()
    state = coordinator.get(f"/api/v1/cycles/{cycle}").get_json()
    assert state["version"] == int(version.strip('"')) + 1


def test_a_body_that_is_not_json_is_a_415_and_writes_nothing(coordinator: Api) -> None:
    cycle, measure_id, version = _measure(coordinator)
    for content_type, body in (
        ("text/plain", STATUS_CHANGE % b'"Grund"'),
        ("application/x-www-form-urlencoded", b"status=blocked&reason=Grund"),
    ):
        response = coordinator.put(
            f"/api/v1/cycles/{cycle}/measures/{measure_id}/status",
            data=body,
            headers={"If-Match": version, "Content-Type": content_type},
        )
        assert response.status_code == 415, content_type
        assert response.get_json()["code"] == "unsupported-media-type"
    assert coordinator.version(f"/api/v1/cycles/{cycle}") == version


def test_a_plan_csv_with_a_pathological_attrs_cell_is_refused_for_that_cell(
    coordinator: Api,
) -> None:
    cycle = running_cycle(coordinator)
    version = coordinator.version(f"/api/v1/cycles/{cycle}")
    exported = coordinator.get(f"/api/v1/cycles/{cycle}/plan.csv").get_data(as_text=True)
    header = exported.splitlines()[0]
    columns = header.split(",")
    for attrs in ("[" * 100_000 + "]" * 100_000, '{"a": "\\ud800"}', '{"a": NaN}'):
        row = {column: "" for column in columns}
        row.update(kind="goal", id="neu-1", title="Neues Ziel", attrs=attrs.replace('"', '""'))
        line = ",".join(f'"{row[c]}"' for c in columns)
        response = coordinator.post(
            f"/api/v1/cycles/{cycle}/plan.csv",
            data=f"{header}\n{line}\n".encode(),
            headers={"If-Match": version, "Content-Type": "text/csv"},
        )
        assert response.status_code in (409, 422), response.get_data()[:300]
    assert coordinator.version(f"/api/v1/cycles/{cycle}") == version
