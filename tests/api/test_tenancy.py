"""The tenancy rule for every API route, generated from the URL map: a token of one
organisation gets 404 for everything of another, whatever the method, body or headers.
A route added later is covered without anyone remembering to add it here. Files belong to the
organisation that uploaded them: another one cannot attach or download them by their hash."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Flask
from werkzeug.routing import Rule

from tests.api.conftest import OTHER, OWN, Api, engine_of, person_id, running_cycle, uploaded
from tests.web.test_comments_and_attachments import small_pdf, small_png
from web.api.common import API_BLUEPRINTS

UNKNOWN_HASH = "ab" * 32

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
        elif argument == "position":  # a value's place in its goal's series
            values[argument] = 0
        elif argument == "survey_id":
            values[argument] = next(iter(cycle.get("surveys") or ()), "x")
        else:
            values[argument] = "x"
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def with_attachment(api: Api, slug: str, content: bytes) -> str:
    """The organisation's running cycle, with an evidence file it uploaded attached."""
    cycle_id = running_cycle(api, slug)
    attached = attach(api, cycle_id, uploaded(api.app, slug, content))
    assert attached.status_code == 201, attached.get_json()
    return cycle_id


def attach(api: Api, cycle_id: str, sha256: str, **claims: Any) -> Any:
    """Attach content by its hash (metadata only), based on the cycle's current version."""
    version = api.version(f"/api/v1/cycles/{cycle_id}")
    return api.post(
        f"/api/v1/cycles/{cycle_id}/attachments",
        json={"sha256": sha256, "filename": "beleg.pdf", **claims},
        headers={"If-Match": version},
    )


def with_survey(api: Api, cycle_id: str) -> str:
    """A parents' survey on the cycle; its id."""
    created = api.post(
        f"/api/v1/cycles/{cycle_id}/surveys",
        json={
            "title": "Befragung",
            "question_set_id": "parents-good-practice",
            "closes_on": "2030-01-01",
        },
        headers={"If-Match": api.version(f"/api/v1/cycles/{cycle_id}")},
    )
    assert created.status_code == 201, created.get_json()
    return str(created.get_json()["item_id"])


def test_every_api_route_of_another_organisation_answers_404(coordinator: Api, other: Api) -> None:
    foreign_cycle_id = with_attachment(other, OTHER.slug, small_pdf())
    foreign = other.get(f"/api/v1/cycles/{foreign_cycle_id}").get_json()
    foreign["surveys"] = [with_survey(other, foreign_cycle_id)]
    version = other.version(f"/api/v1/cycles/{foreign_cycle_id}")
    assert foreign["attachments"]  # the download route is asked for a real file
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
    own_cycle_id = with_attachment(coordinator, OWN.slug, small_pdf())
    own = coordinator.get(f"/api/v1/cycles/{own_cycle_id}").get_json()
    own["surveys"] = [with_survey(coordinator, own_cycle_id)]
    downloads = 0
    for rule in api_rules(coordinator.app):
        if "GET" not in (rule.methods or ()) or not rule.arguments & {"slug", "cycle_id"}:
            continue
        path = url_for_rule(rule, OWN.slug, own)
        query = "?from=1&to=2" if path.endswith("/diff") else "?version=1"
        response = coordinator.get(path + (query if path.endswith(("/diff", "/state")) else ""))
        assert response.status_code == 200, (path, response.get_json())
        downloads += path.endswith("/content")
    assert downloads == 1


def problem_without_instance(response: Any) -> dict[str, Any]:
    """A problem's body without the URL it answers (which differs by design)."""
    body: dict[str, Any] = response.get_json()
    body.pop("instance", None)
    return body


def test_another_organisations_file_cannot_be_attached_by_its_hash(
    coordinator: Api, other: Api
) -> None:
    own_cycle_id = with_attachment(coordinator, OWN.slug, small_pdf())
    known = next(
        iter(coordinator.get(f"/api/v1/cycles/{own_cycle_id}").get_json()["attachments"].values())
    )
    foreign_cycle_id = running_cycle(other, OTHER.slug)
    before = other.version(f"/api/v1/cycles/{foreign_cycle_id}")
    elsewhere = attach(other, foreign_cycle_id, known["sha256"])
    nowhere = attach(other, foreign_cycle_id, UNKNOWN_HASH)
    assert elsewhere.status_code == nowhere.status_code == 422
    assert elsewhere.get_json() == nowhere.get_json()
    assert "sha256" in elsewhere.get_json()["errors"]
    assert other.version(f"/api/v1/cycles/{foreign_cycle_id}") == before  # nothing recorded


def test_another_organisations_file_is_not_downloaded_by_its_hash(
    coordinator: Api, other: Api
) -> None:
    """Even a history that names another organisation's hash (recorded before files belonged
    to organisations, or by the engine directly) gets 404, exactly as for unknown content."""
    own_cycle_id = with_attachment(coordinator, OWN.slug, small_pdf())
    sha256 = next(
        iter(coordinator.get(f"/api/v1/cycles/{own_cycle_id}").get_json()["attachments"].values())
    )["sha256"]
    foreign_cycle_id = running_cycle(other, OTHER.slug)
    engine = engine_of(other.app)
    for attachment_id, content in (("elsewhere", sha256), ("nowhere", UNKNOWN_HASH)):
        engine.attach_evidence(
            UUID(foreign_cycle_id),
            actor_id=person_id(OTHER.slug, "coordinator"),
            sha256=content,
            filename="beleg.pdf",
            media_type="application/pdf",
            size=10,
            attachment_id=attachment_id,
        )
    base = f"/api/v1/cycles/{foreign_cycle_id}/attachments"
    elsewhere = other.get(f"{base}/elsewhere/content")
    nowhere = other.get(f"{base}/nowhere/content")
    assert elsewhere.status_code == nowhere.status_code == 404
    assert problem_without_instance(elsewhere) == problem_without_instance(nowhere)
    assert small_pdf() not in elsewhere.data


def test_the_same_bytes_attach_in_two_organisations_each_from_its_own_upload(
    coordinator: Api, other: Api
) -> None:
    own_cycle_id = with_attachment(coordinator, OWN.slug, small_pdf())
    foreign_cycle_id = with_attachment(other, OTHER.slug, small_pdf())
    for api, cycle_id in ((coordinator, own_cycle_id), (other, foreign_cycle_id)):
        attachments = api.get(f"/api/v1/cycles/{cycle_id}").get_json()["attachments"]
        attachment_id = next(iter(attachments))
        got = api.get(f"/api/v1/cycles/{cycle_id}/attachments/{attachment_id}/content")
        assert got.status_code == 200
        assert got.data == small_pdf()
        assert got.headers["Content-Type"] == "application/pdf"


def test_type_and_size_come_from_the_content_and_a_differing_claim_is_refused(
    coordinator: Api,
) -> None:
    cycle_id = running_cycle(coordinator)
    sha256 = uploaded(coordinator.app, OWN.slug, small_png())
    before = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    for claims, field in (
        ({"media_type": "application/pdf"}, "media_type"),
        ({"media_type": "text/html"}, "media_type"),
        ({"size": len(small_png()) + 1}, "size"),
    ):
        refused = attach(coordinator, cycle_id, sha256, **claims)
        assert refused.status_code == 422, claims
        assert field in refused.get_json()["errors"]
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == before
    matching = attach(coordinator, cycle_id, sha256, media_type="image/png")
    assert matching.status_code == 201
    unclaimed = attach(coordinator, cycle_id, sha256)
    assert unclaimed.status_code == 201
    attachments = coordinator.get(f"/api/v1/cycles/{cycle_id}").get_json()["attachments"]
    for item_id in (matching.get_json()["item_id"], unclaimed.get_json()["item_id"]):
        record = attachments[item_id]
        assert (record["media_type"], record["size"]) == ("image/png", len(small_png()))
        assert record["filename"] == "beleg.pdf.png"  # named as its content is


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
