"""schemathesis over the whole spec, with a coordinator's token, against the WSGI app: no
server error and no response that breaks the spec (status, content type, schema, headers).

One test per operation of the committed spec (equal to the served one: test_openapi.py) and
per kind of data (fitting the spec, or not). Path parameters point at the demo's running
cycle and organisation, and If-Match at their current version, so that generated requests
reach the engine instead of stopping at 404 or 412. Bounded: a few examples per operation,
no deadline, derandomised (the same cases every run).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import OWN, Api, new_token, running_cycle

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
SPEC = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text(encoding="utf-8")
)
LABELS = sorted(
    f"{method.upper()} {path}"
    for path, item in SPEC["paths"].items()
    for method in item
    if method != "parameters"
)
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=str)
@pytest.mark.parametrize("label", LABELS)
def test_the_api_conforms_to_its_spec_and_never_fails(
    api_app: Flask, label: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    secret = new_token(api_app, OWN.slug, "coordinator")
    api = Api(api_app, secret)
    cycle_id = running_cycle(api)
    fixed = {"slug": OWN.slug, "cycle_id": cycle_id}
    if mode == GenerationMode.POSITIVE:  # real items too, so that commands reach the aggregate
        state = api.get(f"/api/v1/cycles/{cycle_id}").get_json()
        fixed["goal_id"] = sorted(state["goals"])[0]
        fixed["measure_id"] = sorted(state["measures"])[0]
    names = {p.name for p in operation.path_parameters}
    owner = (
        f"/api/v1/cycles/{cycle_id}" if "cycle_id" in names else f"/api/v1/organisations/{OWN.slug}"
    )
    strategy = operation.as_strategy(
        mode, path_parameters={k: v for k, v in fixed.items() if k in names}
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        headers = {"Authorization": f"Bearer {secret}"}
        if case.headers and "If-Match" in case.headers:
            headers["If-Match"] = api.version(owner)
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()
