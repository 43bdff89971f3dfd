"""The API's ``detail_de`` is German: marshmallow's standard messages translated, a German
detail for every problem."""

from __future__ import annotations

from flask import Flask

from tests.api.conftest import OWN, Api, new_token
from tests.web.test_plan_page import cycle_in_plan


def test_the_apis_german_detail_is_german_for_invalid_query_values(api_app: Flask) -> None:
    api = Api(api_app, new_token(api_app, OWN.slug, "viewer"))

    refused = api.get(f"/api/v1/organisations/{OWN.slug}/cycles?per_page=viele&page=0")

    assert refused.status_code == 422
    body = refused.get_json()
    assert body["errors"]["per_page"] == ["Not a valid integer."]
    assert body["detail_de"] == (
        "Die Daten der Anfrage sind ungültig (page: Der Wert muss zwischen 1 und 1000000 "
        "liegen.; per_page: Bitte eine ganze Zahl angeben.)."
    )
    assert "Not a valid" not in body["detail_de"]


def test_the_apis_german_detail_is_german_for_a_themes_own_schema(
    coordinator: Api, api_app: Flask
) -> None:
    cycle_id = cycle_in_plan(api_app)
    version = coordinator.version(f"/api/v1/cycles/{cycle_id}")

    refused = coordinator.post(
        f"/api/v1/cycles/{cycle_id}/goals",
        json={
            "title": "Mehr Familien erreichen",
            "theme_id": "impact-orientation",
            "attrs": {"impact_step": "zwei", "iooi_level": "output"},
        },
        headers={"If-Match": version},
    )

    assert refused.status_code == 422
    body = refused.get_json()
    assert body["detail_de"] == (
        "Die Daten der Anfrage sind ungültig (attrs.impact_step: Bitte eine ganze Zahl angeben.)."
    )
    assert body["errors"] == {"attrs.impact_step": ["Not a valid integer."]}
    assert body["errors_de"] == {"attrs.impact_step": ["Bitte eine ganze Zahl angeben."]}


def test_every_api_problem_has_a_german_detail(api_app: Flask) -> None:
    api = Api(api_app, new_token(api_app, OWN.slug, "viewer"))
    missing = api.get("/api/v1/gibt-es-nicht").get_json()
    assert missing["detail_de"] == "Nicht gefunden."
    unauthorised = Api(api_app, None).get(f"/api/v1/organisations/{OWN.slug}").get_json()
    assert unauthorised["status"] == 401 and "melden Sie sich an" in unauthorised["detail_de"]
