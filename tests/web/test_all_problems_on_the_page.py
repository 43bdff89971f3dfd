"""A form the engine refuses for several fields shows every problem at once: each next to its
field (aria-describedby, aria-invalid), all in the error summary at the top, each linked to its
field; and nothing is written. The API answers the same request with every field too."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import OWN, Api, new_token
from tests.web.conftest import COORDINATOR, sign_in
from tests.web.test_analyse_page import error_next_to, state_of, version_of
from tests.web.test_feedback import summary_links, title_of
from tests.web.test_plan_page import ANCHORING, cycle_in_plan, new_goal

WRONG_EVIDENCE = {
    "evidence-0-document": "   ",
    "evidence-0-body": "stammtisch",
    "evidence-0-date": "2027-02-30",
}
INPUTS = [f"new-goal-attrs-evidence-0-{name}" for name in ("document", "body", "date")]


def test_three_wrong_fields_show_three_problems_each_at_its_field_and_in_the_summary(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    before = version_of(web_app, cycle_id)

    refused = new_goal(
        client,
        cycle_id,
        {"title": "Beschluss zur Koordination", "theme_id": ANCHORING},
        WRONG_EVIDENCE,
    )

    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    messages = [error_next_to(html, input_id) for input_id in INPUTS]
    assert all(messages) and len(set(messages)) == 3
    for input_id in INPUTS:
        tag = re.search(rf'<(input|select)[^>]*id="{input_id}"[^>]*>', html)
        assert tag is not None and 'aria-invalid="true"' in tag.group(0), input_id
    links = summary_links(html)
    assert [href for href, _text in links] == [f"#{input_id}" for input_id in INPUTS]
    assert all(message in text for (_href, text), message in zip(links, messages, strict=True))
    assert title_of(html).startswith("Fehler:")
    assert version_of(web_app, cycle_id) == before
    assert state_of(web_app, cycle_id)["goals"] == {}


def test_the_api_answers_three_wrong_fields_with_three_problems(web_app: Flask) -> None:
    cycle_id = cycle_in_plan(web_app)
    api = Api(web_app, new_token(web_app, OWN.slug, "coordinator"))
    version = api.version(f"/api/v1/cycles/{cycle_id}")
    evidence = {"document": "   ", "body": "stammtisch", "date": "2027-02-30"}

    refused = api.post(
        f"/api/v1/cycles/{cycle_id}/goals",
        json={"title": "Beschluss", "theme_id": ANCHORING, "attrs": {"evidence": [evidence]}},
        headers={"If-Match": version},
    )

    assert refused.status_code == 422
    fields = {f"attrs.evidence.0.{name}" for name in ("document", "body", "date")}
    assert set(refused.get_json()["errors"]) == fields
    assert set(refused.get_json()["errors_de"]) == fields
    assert api.version(f"/api/v1/cycles/{cycle_id}") == version


def test_starting_a_cycle_over_the_api_with_three_wrong_fields_names_all_three(
    web_app: Flask,
) -> None:
    api = Api(web_app, new_token(web_app, OWN.slug, "coordinator"))
    organisation = api.get(f"/api/v1/organisations/{OWN.slug}")
    cycles = api.get(f"/api/v1/organisations/{OWN.slug}/cycles").get_json()

    refused = api.post(
        f"/api/v1/organisations/{OWN.slug}/cycles",
        json={
            "title": "   ",
            "themes": ["gibt-es-nicht"],
            "period_start": "2027-12-01",
            "period_end": "2027-01-01",
        },
        headers={"If-Match": organisation.headers["ETag"]},
    )

    assert refused.status_code == 422
    assert set(refused.get_json()["errors_de"]) == {"title", "themes", "period_end"}
    assert (
        api.get(f"/api/v1/organisations/{OWN.slug}").headers["ETag"]
        == (organisation.headers["ETag"])
    )
    assert api.get(f"/api/v1/organisations/{OWN.slug}/cycles").get_json() == cycles
