"""The three built-in theme plugins: loaded through the entry points, complete, and strict."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

import pytest
from marshmallow import Schema, ValidationError

from engine import Template, Text, Theme
from engine.domain.errors import InvalidInput
from engine.domain.validation import attrs as check_attrs
from engine.extensions.manager import build_plugin_manager, collect_themes
from plugins.impact_orientation import schemas as impact
from plugins.impact_orientation.catalogue import IMPACT_STEPS, IOOI_LEVELS
from plugins.impact_orientation.models import iooi_level_of_step
from plugins.parent_participation import schemas as participation
from plugins.parent_participation.catalogue import LADDER, PARTICIPATION_THRESHOLD
from plugins.political_anchoring import schemas as anchoring

QUALITY_DIMENSIONS = {
    "political-anchoring": 5,
    "parent-participation": 11,
    "impact-orientation": 10,
}
THEME_IDS = sorted(QUALITY_DIMENSIONS)
LADDER_ORDER = [
    "instrumentalisierung",
    "anweisung",
    "information",
    "anhoerung",
    "einbeziehung",
    "mitbestimmung",
    "teilweise-entscheidungskompetenz",
    "entscheidungsmacht",
    "selbstorganisation",
]


@pytest.fixture(scope="module")
def themes() -> dict[str, Theme]:
    loaded = build_plugin_manager()
    assert set(QUALITY_DIMENSIONS).isdisjoint(loaded.refused), loaded.refused
    return collect_themes(loaded)


@pytest.fixture(params=THEME_IDS)
def theme(request: pytest.FixtureRequest, themes: dict[str, Theme]) -> Theme:
    return themes[request.param]


def _texts(value: object, where: str) -> Iterator[tuple[str, Text]]:
    """Every Text inside a catalogue object, with a path saying where it sits."""
    if isinstance(value, Text):
        yield where, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _texts(getattr(value, item.name), f"{where}.{item.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(item, f"{where}[{key!r}]")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def _schema_for(theme: Theme, template: Template) -> type[Schema] | None:
    return theme.goal_schema if template.kind == "goal" else theme.measure_schema


def _refusal(schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(ValidationError) as refused:
        schema().load(data)
    messages = refused.value.messages
    assert isinstance(messages, dict)
    return messages


# --- every theme --------------------------------------------------------------------------


VERSIONS = {"political-anchoring": "1.1.0"}
"""Built-in themes whose catalogue changed since 1.0.0 (1.1.0: theme-wide questions)."""


def test_each_builtin_theme_loads_through_the_entry_points_with_its_quality_dimension(
    themes: dict[str, Theme],
) -> None:
    assert set(QUALITY_DIMENSIONS) <= set(themes)
    for theme_id, dimension in QUALITY_DIMENSIONS.items():
        assert themes[theme_id].quality_dimension == dimension
        assert themes[theme_id].version == VERSIONS.get(theme_id, "1.0.0")


def test_theme_has_at_least_eight_criteria(theme: Theme) -> None:
    assert len(theme.criteria) >= 8


def test_every_text_of_the_theme_has_german_and_english(theme: Theme) -> None:
    texts = list(_texts(theme, theme.id))
    # titles, helps and at least two questions per criterion, so the walk did reach them
    assert len(texts) >= 4 * len(theme.criteria)
    missing = [where for where, text in texts if not text.de.strip() or not text.en.strip()]
    assert missing == []


def test_every_criterion_has_help_and_questions_for_analyse_and_review(theme: Theme) -> None:
    for criterion in theme.criteria:
        assert criterion.help is not None, criterion.id
        for phase in ("analyse", "review"):
            assert criterion.reflection_questions.get(phase), (criterion.id, phase)


def test_standards_and_only_standards_carry_minimum_requirements_and_aspiration(
    theme: Theme,
) -> None:
    standards = [c for c in theme.criteria if c.scale.id == "standard-two-level"]
    assert standards, "each theme has standards with Mindestvoraussetzungen and das Mehr"
    for criterion in theme.criteria:
        is_standard = criterion in standards
        assert (criterion.minimum_requirements is not None) == is_standard, criterion.id
        assert (criterion.aspiration is not None) == is_standard, criterion.id


def test_criteria_that_are_not_standards_use_one_to_five_or_the_ladder(theme: Theme) -> None:
    for criterion in theme.criteria:
        scale = criterion.scale
        if scale.id == "standard-two-level":
            continue
        if scale.kind == "numeric":
            assert (scale.minimum, scale.maximum, scale.step) == (1, 5, 1), criterion.id
        else:
            assert scale is LADDER, criterion.id


def test_theme_offers_three_goal_and_three_measure_templates(theme: Theme) -> None:
    kinds = [template.kind for template in theme.templates]
    assert kinds.count("goal") >= 3
    assert kinds.count("measure") >= 3


def test_template_attrs_load_unchanged_through_the_theme_schemas(theme: Theme) -> None:
    assert theme.goal_schema is not None
    assert theme.measure_schema is not None
    for template in theme.templates:
        loaded = check_attrs(template.attrs, _schema_for(theme, template))
        assert loaded == dict(template.attrs), template.id


# --- political anchoring ------------------------------------------------------------------

RESOLUTION = {
    "document": "Beschluss des Jugendhilfeausschusses zur Verstetigung der Netzwerkkoordination",
    "body": "jugendhilfeausschuss",
    "date": "2024-03-14",
}


def test_evidence_with_document_body_and_date_is_accepted() -> None:
    loaded = anchoring.EvidenceAttrs().load({"evidence": [RESOLUTION]})
    assert loaded == {"evidence": [{**RESOLUTION, "date": date(2024, 3, 14)}]}


def test_evidence_date_is_stored_as_iso_text_so_the_attrs_stay_json() -> None:
    stored = check_attrs({"evidence": [RESOLUTION]}, anchoring.EvidenceAttrs)
    assert stored == {"evidence": [RESOLUTION]}
    assert json.loads(json.dumps(stored)) == stored


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": None}, "date"),
        ({"date": "14.03.2024"}, "date"),
        ({"body": "bundestag"}, "body"),
        ({"document": "   "}, "document"),
        ({"document": "x" * 301}, "document"),
    ],
)
def test_evidence_with_a_bad_value_is_refused_naming_the_field(
    change: dict[str, Any], field: str
) -> None:
    record = {key: value for key, value in {**RESOLUTION, **change}.items() if value is not None}
    messages = _refusal(anchoring.EvidenceAttrs, {"evidence": [record]})
    assert list(messages["evidence"][0]) == [field]


def test_evidence_attrs_refuse_unknown_fields() -> None:
    messages = _refusal(anchoring.EvidenceAttrs, {"evidenz": [RESOLUTION]})
    assert "evidenz" in messages


# --- parent participation -----------------------------------------------------------------


def test_ladder_has_the_nine_levels_in_order_with_mitbestimmung_at_index_five() -> None:
    ids = [level.id for level in LADDER.levels]
    assert LADDER.kind == "levels"
    assert ids == LADDER_ORDER
    assert ids.index(PARTICIPATION_THRESHOLD) == 5
    assert PARTICIPATION_THRESHOLD == "mitbestimmung"


def test_ladder_describes_the_five_lowest_levels_as_not_yet_participation() -> None:
    for index, level in enumerate(LADDER.levels):
        assert level.description is not None
        de, en = level.description.de, level.description.en
        below_threshold = ("Nicht-Partizipation" in de or "Vorstufe" in de) and (
            "non-participation" in en or "preliminary" in en
        )
        assert below_threshold == (index < 5), level.id


def test_measure_with_a_ladder_level_and_phases_is_accepted() -> None:
    given = {"participation_level": "teilweise-entscheidungskompetenz", "phase_involvement": []}
    assert participation.MeasureAttrs().load(given) == given
    given = {"participation_level": "anhoerung", "phase_involvement": ["analyse", "review"]}
    assert participation.MeasureAttrs().load(given) == given


CO_DETERMINED = {"participation_level": "mitbestimmung"}


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"participation_level": "ganz-viel"}, "participation_level"),
        ({}, "participation_level"),
        ({**CO_DETERMINED, "phase_involvement": ["feiern"]}, "phase_involvement"),
        ({**CO_DETERMINED, "phase_involvement": ["plan", "plan"]}, "phase_involvement"),
        ({**CO_DETERMINED, "stufe": 6}, "stufe"),
    ],
)
def test_measure_with_a_bad_participation_value_is_refused_naming_the_field(
    given: dict[str, Any], field: str
) -> None:
    assert list(_refusal(participation.MeasureAttrs, given)) == [field]


def test_engine_refuses_a_measure_off_the_ladder_naming_the_attrs_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_attrs({"participation_level": "ganz-viel"}, participation.MeasureAttrs)
    assert refused.value.field == "attrs.participation_level"


def test_goal_target_level_is_optional_but_must_lie_on_the_ladder() -> None:
    assert participation.GoalAttrs().load({}) == {}
    assert participation.GoalAttrs().load({"participation_level": "mitbestimmung"}) == {
        "participation_level": "mitbestimmung"
    }
    assert list(_refusal(participation.GoalAttrs, {"participation_level": "viel"})) == [
        "participation_level"
    ]


# --- impact orientation -------------------------------------------------------------------


def test_impact_staircase_has_seven_steps_grouped_into_output_outcome_and_impact() -> None:
    assert len(IMPACT_STEPS) == 7
    assert all(isinstance(step, Text) for step in IMPACT_STEPS)
    assert IOOI_LEVELS == ("input", "output", "outcome", "impact")
    assert [iooi_level_of_step(step) for step in range(1, 8)] == (
        ["output"] * 3 + ["outcome"] * 3 + ["impact"]
    )
    with pytest.raises(ValueError, match="steps 1 to 7"):
        iooi_level_of_step(8)


@pytest.mark.parametrize(
    "given",
    [
        {"impact_step": 2, "iooi_level": "output"},
        {"impact_step": 6, "iooi_level": "outcome"},
        {"impact_step": 7, "iooi_level": "impact"},
        {"impact_step": 4, "iooi_level": "input"},
    ],
)
def test_goal_with_a_step_and_a_matching_iooi_level_is_accepted(given: dict[str, Any]) -> None:
    assert impact.GoalAttrs().load(given) == given


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"impact_step": 8, "iooi_level": "impact"}, "impact_step"),
        ({"impact_step": 0, "iooi_level": "output"}, "impact_step"),
        ({"impact_step": "3", "iooi_level": "output"}, "impact_step"),
        ({"impact_step": True, "iooi_level": "output"}, "impact_step"),
        ({"iooi_level": "output"}, "impact_step"),
        ({"impact_step": 3}, "iooi_level"),
        ({"impact_step": 3, "iooi_level": "throughput"}, "iooi_level"),
        ({"impact_step": 5, "iooi_level": "output"}, "iooi_level"),
        ({"impact_step": 3, "iooi_level": "output", "stufe": 3}, "stufe"),
    ],
)
def test_goal_with_a_bad_impact_value_is_refused_naming_the_field(
    given: dict[str, Any], field: str
) -> None:
    assert list(_refusal(impact.GoalAttrs, given)) == [field]


def test_measure_impact_step_is_optional_but_must_lie_on_the_staircase() -> None:
    assert impact.MeasureAttrs().load({}) == {}
    assert impact.MeasureAttrs().load({"impact_step": 7}) == {"impact_step": 7}
    assert list(_refusal(impact.MeasureAttrs, {"impact_step": 8})) == ["impact_step"]
