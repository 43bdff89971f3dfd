"""A client learns a theme from the API: the JSON Schema of each item's theme data, generated
from the theme's marshmallow schemas, with labels in both languages, and it agrees with what
the API accepts."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.api.conftest import Api, engine_of
from tests.web.test_plan_page import cycle_in_plan


def attrs_schema(api: Api, theme_id: str) -> dict[str, Any]:
    response = api.get(f"/api/v1/themes/{theme_id}")
    assert response.status_code == 200
    found: dict[str, Any] = response.get_json()["attrs_schema"]
    return found


def test_a_themes_data_is_described_as_json_schema(viewer: Api) -> None:
    schemas = attrs_schema(viewer, "impact-orientation")

    assert set(schemas) == {"goal", "measure", "assessment", "feedback"}
    assert schemas["assessment"] is None and schemas["feedback"] is None
    goal = schemas["goal"]
    assert goal["type"] == "object" and goal["additionalProperties"] is False
    assert set(goal["required"]) == {"impact_step", "iooi_level"}
    step = goal["properties"]["impact_step"]
    assert (step["type"], step["minimum"], step["maximum"]) == ("integer", 1, 7)
    assert step["x-labels"] == {
        "de": "Stufe der Wirkungstreppe",
        "en": "Step of the impact staircase",
    }
    assert [choice["value"] for choice in step["x-choices"]] == list(range(1, 8))
    assert step["x-choices"][1]["label"]["de"].startswith("2 – ")
    level = goal["properties"]["iooi_level"]
    assert level["enum"] == ["input", "output", "outcome", "impact"]
    assert [choice["value"] for choice in level["x-choices"]] == level["enum"]
    assert all(set(choice["label"]) == {"de", "en"} for choice in level["x-choices"])


def test_nested_groups_and_limits_are_described(viewer: Api) -> None:
    goal = attrs_schema(viewer, "political-anchoring")["goal"]

    evidence = goal["properties"]["evidence"]
    assert evidence["type"] == "array"
    item = evidence["items"]
    assert set(item["required"]) == {"body", "date", "document"}
    assert item["properties"]["document"]["maxLength"] == 300
    assert item["properties"]["date"]["format"] == "date"
    assert item["properties"]["body"]["x-labels"]["de"] == "Gremium"


def test_level_choices_are_labelled_as_the_themes_levels(viewer: Api) -> None:
    goal = attrs_schema(viewer, "parent-participation")["goal"]

    level = goal["properties"]["participation_level"]
    labels = {choice["value"]: choice["label"] for choice in level["x-choices"]}
    assert set(labels) == set(level["enum"])
    assert all(label["de"] and label["en"] for label in labels.values())


def test_what_the_schema_allows_the_api_accepts_and_what_it_refuses_is_refused(
    coordinator: Api, api_app: Flask
) -> None:
    goal = attrs_schema(coordinator, "impact-orientation")["goal"]
    cycle_id = cycle_in_plan(api_app)
    allowed = {
        "impact_step": goal["properties"]["impact_step"]["x-choices"][4]["value"],
        "iooi_level": "outcome",
    }
    refused = {"impact_step": goal["properties"]["impact_step"]["maximum"] + 1, "iooi_level": "x"}
    results = []
    for attrs in (allowed, refused):
        response = coordinator.post(
            f"/api/v1/cycles/{cycle_id}/goals",
            json={"title": "Eltern erreichen", "theme_id": "impact-orientation", "attrs": attrs},
            headers={"If-Match": coordinator.version(f"/api/v1/cycles/{cycle_id}")},
        )
        results.append(response.status_code)
    assert results == [201, 422]


def test_a_theme_lists_its_theme_wide_reflection_questions_per_phase(viewer: Api) -> None:
    """Asked once per theme (not per criterion), in both languages, as the catalogue has them."""
    installed = engine_of(viewer.app).themes["political-anchoring"].reflection_questions
    assert installed, "the political anchoring theme asks theme-wide questions"

    listed = viewer.get("/api/v1/themes/political-anchoring").get_json()["reflection_questions"]

    assert listed == {
        phase: [{"de": q.de, "en": q.get("en")} for q in questions]
        for phase, questions in installed.items()
    }
    criteria = viewer.get("/api/v1/themes/political-anchoring").get_json()["criteria"]
    per_criterion = [q for c in criteria for qs in c["reflection_questions"].values() for q in qs]
    assert not [q for qs in listed.values() for q in qs if q in per_criterion]
