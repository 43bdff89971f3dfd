"""The API's ``detail_de`` is German: marshmallow's standard messages translated, a German
detail for every problem."""

from __future__ import annotations

import inspect
import string

from flask import Flask
from marshmallow import Schema
from marshmallow import fields as ma_fields
from marshmallow import validate as ma_validate

from tests.api.conftest import OWN, Api, new_token
from tests.web.test_plan_page import cycle_in_plan
from web.schema_messages import german


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


class _Example(dict[str, str]):
    """Values for the placeholders of marshmallow's messages."""

    def __missing__(self, key: str) -> str:
        return {"min_op": "greater than or equal to", "max_op": "less than or equal to"}.get(
            key, "3"
        )


def marshmallow_messages() -> set[str]:
    """Every standard message of marshmallow's fields, validators and schemas, filled in."""
    found: set[str] = set(Schema._default_error_messages.values())
    for _name, cls in inspect.getmembers(ma_fields, inspect.isclass):
        found.update(getattr(cls, "default_error_messages", {}).values())
    for _name, cls in inspect.getmembers(ma_validate, inspect.isclass):
        for attribute in dir(cls):
            value = getattr(cls, attribute)
            fragment = attribute in ("message_gt", "message_gte", "message_lt", "message_lte")
            if attribute.startswith("message") and isinstance(value, str) and not fragment:
                found.add(value)
    return {string.Formatter().vformat(message, (), _Example()) for message in found}


def test_every_standard_marshmallow_message_has_a_german_text() -> None:
    messages = marshmallow_messages()
    assert len(messages) > 30
    untranslated = sorted(message for message in messages if german(message) == message)
    assert untranslated == [], "add them to web/schema_messages.py"
