"""The two actions of the pages that the API gained last: uploading an evidence file (stored by
its content, attached in the same request) and erasing a person of this organisation only."""

from __future__ import annotations

from hashlib import sha256
from uuid import UUID

from flask import Flask

from engine.infrastructure.profiles import pseudonym
from tests.api.conftest import OTHER, OWN, Api, engine_of, person_id, running_cycle
from tests.web.test_comments_and_attachments import small_pdf
from web.attachments import organisation_files

ORGANISATION = f"/api/v1/organisations/{OWN.slug}"


def upload(
    api: Api, cycle_id: str, content: bytes, version: str | None = None, **query: str
) -> object:
    """POST the content as the body of an upload."""
    return api.post(
        f"/api/v1/cycles/{cycle_id}/attachments/upload",
        query_string={"filename": "protokoll.pdf", **query},
        data=content,
        headers={
            "Content-Type": "application/octet-stream",
            "If-Match": version or api.version(f"/api/v1/cycles/{cycle_id}"),
        },
    )


def test_an_uploaded_file_is_attached_and_downloads_as_it_was_sent(coordinator: Api) -> None:
    cycle_id = running_cycle(coordinator)

    response = upload(coordinator, cycle_id, small_pdf())

    assert response.status_code == 201, response.get_json()
    item_id = response.get_json()["item_id"]
    attachment = coordinator.get(f"/api/v1/cycles/{cycle_id}").get_json()["attachments"][item_id]
    assert (attachment["media_type"], attachment["size"]) == ("application/pdf", len(small_pdf()))
    content = coordinator.get(f"/api/v1/cycles/{cycle_id}/attachments/{item_id}/content")
    assert content.data == small_pdf()


def test_a_refused_upload_stores_and_records_nothing(
    coordinator: Api, viewer: Api, api_app: Flask
) -> None:
    cycle_id = running_cycle(coordinator)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")
    organisation_id = engine_of(api_app).organisation_by_slug(OWN.slug)["id"]
    folder = organisation_files(api_app.config, organisation_id)

    script = upload(coordinator, cycle_id, b"#!/bin/sh\necho hallo\n", version)
    empty = upload(coordinator, cycle_id, b"", version)
    forbidden = upload(viewer, cycle_id, small_pdf(), version)

    assert (script.status_code, empty.status_code) == (422, 422)
    assert set(script.get_json()["errors"]) == {"content"}
    assert forbidden.status_code == 403
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version
    assert folder.describe(sha256(small_pdf()).hexdigest()) is None  # the refused one is gone


def test_a_person_of_this_organisation_only_is_erased(coordinator: Api, api_app: Flask) -> None:
    engine = engine_of(api_app)
    engine.profiles.put("person-weg", display_name="Wera Weg", email="w.weg@musterland.example")
    version = coordinator.version(ORGANISATION)
    granted = coordinator.put(
        f"{ORGANISATION}/members/person-weg", json={"role": "viewer"}, headers={"If-Match": version}
    )
    assert granted.status_code == 200
    unconfirmed = coordinator.post(
        f"{ORGANISATION}/members/person-weg/erasure",
        json={"confirm": False},
        headers={"If-Match": granted.headers["ETag"]},
    )
    assert unconfirmed.status_code == 422 and "confirm" in unconfirmed.get_json()["errors"]

    erased = coordinator.post(
        f"{ORGANISATION}/members/person-weg/erasure",
        json={"confirm": True},
        headers={"If-Match": granted.headers["ETag"]},
    )

    assert erased.status_code == 200, erased.get_json()
    assert engine.profiles.get("person-weg") is None
    assert "person-weg" not in coordinator.get(ORGANISATION).get_json()["members"]
    history = coordinator.get(f"{ORGANISATION}/history?per_page=100").get_data(as_text=True)
    assert "Wera Weg" not in history
    assert pseudonym("person-weg") in engine.display_names(["person-weg"]).values()


def test_someone_of_other_organisations_is_not_erased_here(
    coordinator: Api, api_app: Flask
) -> None:
    engine = engine_of(api_app)
    engine.profiles.put("person-zwei", display_name="Zora Zwei", email="z.zwei@example.org")
    for slug in (OWN.slug, OTHER.slug):
        engine.grant_role(
            UUID(engine.organisation_by_slug(slug)["id"]),
            actor_id=person_id(slug, "coordinator"),
            member_id="person-zwei",
            role="viewer",
        )
    version = coordinator.version(ORGANISATION)

    refused = coordinator.post(
        f"{ORGANISATION}/members/person-zwei/erasure",
        json={"confirm": True},
        headers={"If-Match": version},
    )
    nobody = coordinator.post(
        f"{ORGANISATION}/members/nobody/erasure",
        json={"confirm": True},
        headers={"If-Match": version},
    )

    assert refused.status_code == 422
    assert "Administration" in refused.get_json()["errors_de"]["member_id"][0]
    assert nobody.status_code == 404
    assert coordinator.version(ORGANISATION) == version
    assert engine.profiles.get("person-zwei") is not None
