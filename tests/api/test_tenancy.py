"""The tenancy rule for every API route, generated from the URL map: a token of one
organisation gets 404 for everything of another, whatever the method, body or headers.
A route added later is covered without anyone remembering to add it here."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import Rule

from tests.api.conftest import OTHER, OWN, Api, running_cycle
from web.api.common import API_BLUEPRINTS

ITEM_KINDS = {
    "goal_id": "goals",
    "measure_id": "measures",
    "finding_id": "findings",
    "attachment_id": "attachments",
}


def api_rules(app: Flask) -> list[Rule]:
    """Every rule of the API's blueprints (not the spec and its page, which are public)."""
    names = {blueprint.name for blueprint in API_BLUEPRINTS}
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in names]


def url_for_rule(rule: Rule, slug: str, cycle: dict[str, Any]) -> str:
    """The rule's URL with the given organisation's slug, cycle and real item ids."""
    values: dict[str, Any] = {}
    for argument in rule.arguments:
        if argument == "slug":
            values[argument] = slug
        elif argument == "cycle_id":
            values[argument] = cycle["id"]
        elif argument in ITEM_KINDS:
            values[argument] = next(iter(cycle[ITEM_KINDS[argument]]), "x")
        elif argument == "theme_id":
            values[argument] = cycle["themes"][0]
        else:
            values[argument] = "x"
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def test_every_api_route_of_another_organisation_answers_404(coordinator: Api, other: Api) -> None:
    foreign_cycle_id = running_cycle(other, OTHER.slug)
    foreign = other.get(f"/api/v1/cycles/{foreign_cycle_id}").get_json()
    version = f'"{foreign["version"]}"'
    rules = [rule for rule in api_rules(coordinator.app) if rule.arguments & {"slug", "cycle_id"}]
    assert len(rules) > 40
    checked = 0
    for rule in rules:
        path = url_for_rule(rule, OTHER.slug, foreign)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):  # type: ignore[operator]
            response = coordinator.request(method, path, json={}, headers={"If-Match": version})
            assert response.status_code == 404, (method, path, response.get_json())
            assert response.get_json()["code"] == "not-found"
            checked += 1
    assert coordinator.get(f"/api/v1/cycles/{foreign_cycle_id}").status_code == 404
    assert other.version(f"/api/v1/cycles/{foreign_cycle_id}") == version  # nothing written
    assert checked >= len(rules)


def test_the_same_routes_answer_the_own_organisation(coordinator: Api) -> None:
    """The control: with the caller's own ids the GET routes are found (the 404s mean tenancy)."""
    own = coordinator.get(f"/api/v1/cycles/{running_cycle(coordinator)}").get_json()
    for rule in api_rules(coordinator.app):
        if "GET" not in (rule.methods or ()) or not rule.arguments & {"slug", "cycle_id"}:
            continue
        path = url_for_rule(rule, OWN.slug, own)
        query = "?from=1&to=2" if path.endswith("/diff") else "?version=1"
        response = coordinator.get(path + (query if path.endswith(("/diff", "/state")) else ""))
        assert response.status_code == 200, (path, response.get_json())


def test_a_token_lists_only_its_own_organisation(coordinator: Api, other: Api) -> None:
    assert [o["slug"] for o in coordinator.get("/api/v1/organisations").get_json()] == [OWN.slug]
    assert [o["slug"] for o in other.get("/api/v1/organisations").get_json()] == [OTHER.slug]


def test_tokens_cannot_be_made_members_through_the_members_api(coordinator: Api) -> None:
    version = coordinator.version(f"/api/v1/organisations/{OWN.slug}")
    response = coordinator.put(
        f"/api/v1/organisations/{OWN.slug}/members/token:abc",
        json={"role": "viewer"},
        headers={"If-Match": version},
    )
    assert response.status_code == 422
    assert "member_id" in response.get_json()["errors"]
