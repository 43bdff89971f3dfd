"""The role rule for every API route that writes, generated from the URL map and the spec: a
viewer's token changes nothing through any of them, even with a body the spec accepts, and is
told 403 wherever the body passes. A route added later is covered without being listed here."""

from __future__ import annotations

import re
from typing import Any

from tests.api.conftest import OWN, Api, running_cycle
from tests.api.test_tenancy import api_rules, url_for_rule

WRITES = ("POST", "PUT", "PATCH", "DELETE")
EXAMPLES = {"date": "2027-03-01", "date-time": "2027-03-01T10:00:00+00:00", "uuid": None}


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its $ref followed."""
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = spec["components"]["schemas"][name]
    return schema


def example(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value the schema accepts, as plain as can be (required properties only)."""
    schema = resolve(spec, schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(spec, properties[name]) for name in schema.get("required", [])}
    if kind == "array":
        return [example(spec, schema.get("items", {}))] * schema.get("minItems", 0)
    if kind in ("number", "integer"):
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if schema.get("format") in EXAMPLES:
        return EXAMPLES[schema["format"]]
    return "Beispiel"


def request_of(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """The JSON body and query a write operation's schema accepts."""
    operation = spec["paths"][path][method.lower()]
    body: Any = {}
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        body = example(spec, content["application/json"]["schema"])
    query = {
        parameter["name"]: example(spec, parameter.get("schema", {}))
        for parameter in operation.get("parameters", [])
        if parameter.get("in") == "query" and parameter.get("required")
    }
    return {"json": body, "query_string": query}


def spec_path(rule_path: str) -> str:
    """The spec's path of a URL rule (<uuid:cycle_id> as {cycle_id})."""
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule_path)


def test_a_viewer_changes_nothing_through_any_writing_route(viewer: Api) -> None:
    spec = viewer.get("/api/v1/openapi.json").get_json()
    cycle_id = running_cycle(viewer)
    cycle = viewer.get(f"/api/v1/cycles/{cycle_id}").get_json()
    organisation = f"/api/v1/organisations/{OWN.slug}"
    before = (viewer.version(organisation), viewer.version(f"/api/v1/cycles/{cycle_id}"))
    statuses: dict[str, int] = {}
    for rule in api_rules(viewer.app):
        for method in sorted(set(rule.methods or ()) & set(WRITES)):
            path = url_for_rule(rule, OWN.slug, cycle)
            sent = request_of(
                spec, "/api/v1" + spec_path(rule.rule).removeprefix("/api/v1"), method
            )
            version = before[1] if "cycle_id" in rule.arguments else before[0]
            response = viewer.request(method, path, headers={"If-Match": version}, **sent)
            assert response.status_code >= 400, (method, path, response.get_json())
            statuses[f"{method} {rule.rule}"] = response.status_code
    after = (viewer.version(organisation), viewer.version(f"/api/v1/cycles/{cycle_id}"))
    assert after == before  # nothing written anywhere
    forbidden = [route for route, status in statuses.items() if status == 403]
    assert len(statuses) > 30
    assert len(forbidden) >= len(statuses) // 2, statuses  # most reach the role check


def test_the_new_organisation_routes_are_for_coordinators(contributor: Api, viewer: Api) -> None:
    organisation = f"/api/v1/organisations/{OWN.slug}"
    version = contributor.version(organisation)
    for api in (contributor, viewer):
        for method, path, body in (
            ("PUT", "/themes", {"theme_ids": ["impact-orientation"]}),
            ("PUT", "/state-sharing", {"shares": True}),
            ("POST", "/invitations", {"name": "N", "email": "n@example.org", "role": "viewer"}),
            ("POST", "/members/x/erasure", {"confirm": True}),
        ):
            response = api.request(
                method, organisation + path, json=body, headers={"If-Match": version}
            )
            assert response.status_code == 403, (method, path, response.get_json())
        assert api.get(organisation + "/invitations").status_code == 403
        assert api.get(organisation + "/dashboard").status_code == 200  # every member reads it
    assert contributor.version(organisation) == version
