"""Catalogues are checked when built; the multi-rater summary shows where ratings differ most."""

from __future__ import annotations

import pytest
from marshmallow import Schema, fields, validate

from engine.application.service import Qualizyklus
from engine.domain.assessment import summarise_criterion, summarise_theme
from engine.domain.catalogue import (
    CatalogueError,
    Criterion,
    Level,
    Scale,
    Template,
    Text,
    Theme,
    numeric_scale,
    two_level_standard,
)
from engine.domain.disagreement import agreement
from tests.engine.sample_theme import NETWORK
from tests.engine.stories import register_network, start_cycle

FIVE = numeric_scale("five", Text("1 bis 5"), 1, 5)


class LevelAttrs(Schema):
    level = fields.Integer(required=True, validate=validate.Range(1, 9))


def theme(**changes: object) -> Theme:
    fields_ = {
        "id": "t",
        "version": "1",
        "title": Text("T"),
        "description": Text("D"),
        "quality_dimension": 3,
        "criteria": (Criterion("c", Text("C"), FIVE),),
    }
    fields_.update(changes)
    return Theme(**fields_)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "fault"),
    [
        (lambda: theme(id="Netzwerk"), "lower-case slug"),
        (lambda: theme(quality_dimension=12), "quality dimension"),
        (lambda: theme(criteria=()), "distinct ids"),
        (lambda: theme(criteria=(Criterion("c", Text("A"), FIVE),) * 2), "distinct ids"),
        (lambda: Text(""), "German"),
        (lambda: numeric_scale("s", Text("S"), 5, 1), "minimum < maximum"),
        (lambda: Scale("s", "levels", Text("S"), levels=(Level("a", Text("A")),)), "two levels"),
        (
            lambda: Criterion("c", Text("C"), FIVE, reflection_questions={"later": ()}),
            "unknown phases",
        ),
        (
            lambda: theme(
                templates=(Template("x", "goal", Text("X")), Template("x", "goal", Text("Y")))
            ),
            "template ids",
        ),
        (
            lambda: theme(
                measure_schema=LevelAttrs,
                templates=(Template("m", "measure", Text("M"), attrs={"level": 12}),),
            ),
            "template m",
        ),
    ],
)
def test_a_faulty_catalogue_is_refused_when_it_is_built(build, fault: str) -> None:
    with pytest.raises(CatalogueError, match=fault):
        build()


def test_scales_accept_only_their_values() -> None:
    standard = two_level_standard()
    assert standard.validate("minimum") == "minimum"
    assert FIVE.validate(4) == 4
    for scale, value in ((standard, "viel"), (FIVE, 6), (FIVE, 2.5), (FIVE, True), (FIVE, "3")):
        with pytest.raises(ValueError):
            scale.validate(value)


def _ratings(values: dict[str, object]) -> dict[str, dict[str, object]]:
    return {rater: {"value": value} for rater, value in values.items()}


def test_a_criterion_summary_gives_median_range_spread_and_disagreement_and_flags_it() -> None:
    cycle = {
        "themes": ["network"],
        "assessments": {
            "network/partners-known": _ratings({"a": 1, "b": 4, "c": 5}),
            "network/binding-structures": _ratings({"a": "minimum", "b": "minimum"}),
        },
    }

    summary = summarise_theme(cycle, "network", NETWORK)
    known, binding = summary["criteria"]

    assert (known["raters"], known["median"], known["range"]) == (3, 4.0, 4.0)
    assert known["spread"] == 1.0  # the ratings span the whole scale 1..5
    assert known["distribution"] == [1, 0, 0, 1, 1]  # one step of 1..5 per level
    assert known["disagreement"] == round((1 - agreement([1, 0, 0, 1, 1])) / 2, 4)
    assert known["dialogue"] is True
    assert binding["distribution"] == [0, 2, 0]
    assert (binding["median_value"], binding["spread"], binding["disagreement"]) == (
        "minimum",
        0,
        0,
    )
    assert binding["dialogue"] is False
    assert summary["most_disagreed"] == ["partners-known"]


def test_the_overall_assessment_compares_each_raters_mean_position() -> None:
    cycle = {
        "themes": ["network"],
        "assessments": {
            "network/partners-known": _ratings({"a": 5, "b": 1}),
            "network/binding-structures": _ratings({"a": "more", "b": "not-met"}),
        },
    }

    overall = summarise_theme(cycle, "network", NETWORK)["overall"]

    assert overall["ratings"] == {"a": 1.0, "b": 0.0}
    assert overall["spread"] == 1.0
    assert "dialogue" not in overall  # the flag comes from the criteria's disagreement


def test_an_even_number_of_level_ratings_has_no_single_median_level() -> None:
    cycle = {
        "themes": ["network"],
        "assessments": {"network/binding-structures": _ratings({"a": "not-met", "b": "more"})},
    }
    binding = summarise_theme(cycle, "network", NETWORK)["criteria"][1]
    assert binding["median"] == 1.0
    assert binding["median_value"] == "minimum"
    cycle["assessments"] = {
        "network/binding-structures": _ratings({"a": "not-met", "b": "minimum"})
    }
    binding = summarise_theme(cycle, "network", NETWORK)["criteria"][1]
    assert binding["median"] == 0.5
    assert binding["median_value"] is None


def test_the_service_summarises_the_ratings_of_every_rater(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    for rater, value in ((net.coordinator, 2), (net.midwife, 5), (net.paediatrician, 4)):
        app.record_assessment(
            cycle_id,
            actor_id=net.coordinator,
            rater_id=rater,
            theme_id="network",
            criterion_id="partners-known",
            value=value,
        )
    app.record_assessment(
        cycle_id, actor_id=net.midwife, theme_id="network", criterion_id="partners-known", value=3
    )

    network, families = app.assessment_summary(cycle_id, actor_id=net.viewer)

    known = network["criteria"][0]
    assert known["ratings"] == {net.coordinator: 2, net.midwife: 3, net.paediatrician: 4}
    assert (known["median"], known["range"], known["spread"]) == (3.0, 2.0, 0.5)
    assert known["distribution"] == [0, 1, 1, 1, 0]
    assert network["most_disagreed"] == ["partners-known"]
    assert families["rated"] == 0


def test_a_numeric_scale_counts_each_of_its_steps_as_a_level() -> None:
    """0 to 10 in steps of 2 has the six levels 0, 2, 4, 6, 8, 10; a 0 to 100 scale is cheap."""
    scale = Scale("even", "numeric", Text("0 bis 10"), minimum=0, maximum=10, step=2)
    summary = summarise_criterion(Criterion("c", Text("C"), scale), _ratings_of([0, 4, 4, 10]))
    assert summary["distribution"] == [1, 0, 2, 0, 0, 1]
    assert summary["disagreement"] == round((1 - agreement([1, 0, 2, 0, 0, 1])) / 2, 4)
    hundred = Criterion("h", Text("H"), numeric_scale("hundred", Text("0 bis 100"), 0, 100))
    wide = summarise_criterion(hundred, _ratings_of(list(range(0, 101, 3))))
    assert len(wide["distribution"]) == 101 and sum(wide["distribution"]) == 34


def _ratings_of(values: list[float]) -> dict[str, dict[str, float]]:
    return {f"r{index}": {"value": value} for index, value in enumerate(values)}
