"""All the errors at once: a request with several bad fields is answered with every one of
them, in English (``errors``) and German (``errors_de``), in the one problem shape; a rating
off its scale names the ids a client must send. Nothing is written."""

from __future__ import annotations

from uuid import UUID

import pytest
from flask import Flask

from engine.domain.errors import InvalidInput
from tests.api.conftest import OWN, PROBLEM_JSON, Api, engine_of, person_id
from tests.web.test_analyse_page import new_cycle
from tests.web.test_plan_page import cycle_in_plan
from web.api.errors import input_errors

BAD_GOAL = {
    "title": 5,
    "baseline": "viel",
    "due": "morgen",
    "theme_id": "impact-orientation",
    "attrs": {"impact_step": "zwei", "iooi_level": "nirgends", "colour": "blau"},
}


def test_every_field_error_of_a_request_is_answered_in_both_languages(
    coordinator: Api, api_app: Flask
) -> None:
    cycle_id = cycle_in_plan(api_app)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")

    refused = coordinator.post(
        f"/api/v1/cycles/{cycle_id}/goals", json=BAD_GOAL, headers={"If-Match": version}
    )

    assert refused.status_code == 422
    assert refused.mimetype == PROBLEM_JSON
    body = refused.get_json()
    fields = {
        "title",
        "baseline",
        "due",
        "attrs.impact_step",
        "attrs.iooi_level",
        "attrs.colour",
    }
    assert set(body["errors"]) == fields
    assert set(body["errors_de"]) == fields
    assert body["errors"]["baseline"] == ["Not a valid number."]
    assert body["errors_de"]["baseline"] == ["Bitte eine Zahl angeben."]
    assert body["errors_de"]["attrs.impact_step"] == ["Bitte eine ganze Zahl angeben."]
    assert body["errors_de"]["attrs.colour"] == ["Dieses Feld ist hier nicht vorgesehen."]
    assert body["errors_de"]["due"] == ["Bitte ein gültiges Datum angeben."]
    assert all(not message.startswith("Not a") for m in body["errors_de"].values() for message in m)
    for field in fields:
        assert field in body["detail_de"]
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version  # nothing written


def test_the_engines_own_checks_report_every_field_too(coordinator: Api, api_app: Flask) -> None:
    """Shapes the API accepts but the engine refuses (a blank title, an end before its start)
    are reported together, not the first only."""
    cycle_id = cycle_in_plan(api_app)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")

    refused = coordinator.post(
        f"/api/v1/cycles/{cycle_id}/measures",
        json={"title": "   ", "start": "2027-06-01", "due": "2027-01-01"},
        headers={"If-Match": version},
    )

    assert refused.status_code == 422
    body = refused.get_json()
    assert body["errors"] == {"title": ["must not be empty"], "due": ["lies before the start"]}
    assert body["errors_de"] == {"title": ["darf nicht leer sein"], "due": ["liegt vor dem Beginn"]}
    assert body["detail_de"] == "due: liegt vor dem Beginn; title: darf nicht leer sein"
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version


def test_a_rating_off_its_scale_names_the_ids_to_send(coordinator: Api, api_app: Flask) -> None:
    cycle_id = new_cycle(api_app)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")

    refused = coordinator.post(
        f"/api/v1/cycles/{cycle_id}/assessments",
        json={
            "theme_id": "impact-orientation",
            "criterion_id": "impact-goals",
            "value": "Mindeststandard erfüllt",
            "note": 7,
        },
        headers={"If-Match": version},
    )

    assert refused.status_code == 422
    body = refused.get_json()
    assert set(body["errors"]) == {"value", "note"}
    assert body["errors"]["value"] == ["Must be one of these level ids: not-met, minimum, more."]
    assert body["errors_de"]["value"] == [
        "Bitte eine dieser Kennungen der Stufen senden: not-met, minimum, more."
    ]
    assert body["errors_de"]["note"] == ["Bitte einen Text angeben."]
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version


def test_the_engine_names_the_ids_of_a_scale_beside_its_labels(api_app: Flask) -> None:
    """Below the API (the pages, a theme's tests) the refusal names the labels a reader knows
    and carries the ids; the API tells a client the ids to send."""
    cycle_id = new_cycle(api_app)
    engine = engine_of(api_app)
    with pytest.raises(InvalidInput) as refused:
        engine.record_assessment(
            UUID(cycle_id),
            actor_id=person_id(OWN.slug, "coordinator"),
            theme_id="impact-orientation",
            criterion_id="impact-goals",
            value="mehr",
            note=5,
        )
    fields = [(problem.field, problem.allowed) for problem in refused.value.problems]
    assert fields == [("value", ("not-met", "minimum", "more")), ("note", ())]
    assert refused.value.field_de.startswith("muss eine dieser Stufen sein: nicht erfüllt")
    with api_app.test_request_context("/api/v1/cycles"):
        assert input_errors(refused.value, "en")["value"][0].endswith(
            ". Send one of these ids: not-met, minimum, more."
        )
        assert input_errors(refused.value, "de")["value"][0].endswith(
            ". Senden Sie eine dieser Kennungen: not-met, minimum, more."
        )


def test_an_unknown_theme_is_told_with_the_other_problems(coordinator: Api, api_app: Flask) -> None:
    cycle_id = cycle_in_plan(api_app)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")

    refused = coordinator.post(
        f"/api/v1/cycles/{cycle_id}/goals",
        json={"title": " ", "theme_id": "gibt-es-nicht", "due": "2027-01-01"},
        headers={"If-Match": version},
    )

    assert refused.status_code == 422
    assert set(refused.get_json()["errors_de"]) == {"theme_id", "title"}
    assert coordinator.version(f"/api/v1/cycles/{cycle_id}") == version
