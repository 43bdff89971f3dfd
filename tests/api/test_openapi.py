"""The OpenAPI spec: served, committed, complete, and browsable without script."""

from __future__ import annotations

import json
from pathlib import Path

from tests.api.conftest import Api
from web.api.openapi import COMMAND, render

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_the_served_spec_is_the_committed_one(anonymous: Api) -> None:
    served = anonymous.get("/api/v1/openapi.json")
    assert served.status_code == 200
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert served.get_json() == committed, (
        f"docs/openapi.json differs from the served spec; regenerate it with: {COMMAND}"
    )
    assert render(served.get_json()) == COMMITTED.read_text(encoding="utf-8"), (
        f"docs/openapi.json is not in its canonical form; regenerate it with: {COMMAND}"
    )


def test_every_operation_documents_its_errors_as_problem_details(anonymous: Api) -> None:
    spec = anonymous.get("/api/v1/openapi.json").get_json()
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == ["application/problem+json"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert "default" in operation["responses"], (method, path)
            assert operation.get("summary"), (method, path)
            if method != "get":
                names = [p.get("name") for p in operation.get("parameters", [])]
                assert "If-Match" in names, (method, path)


def test_the_operations_page_lists_every_path_without_script(anonymous: Api) -> None:
    spec = anonymous.get("/api/v1/openapi.json").get_json()
    page = anonymous.app.test_client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<script" not in html
    for path in spec["paths"]:
        assert path in html
