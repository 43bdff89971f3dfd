"""The example theme against a real engine: it loads, its schema and gate hold, its insight adds up.

The fixtures ``qualizyklus_engine``, ``qualizyklus_network`` and ``qualizyklus_plugin`` come
with Qualizyklus as a pytest plugin (no conftest.py needed); ``network`` and ``start_cycle``
from engine.testing set up an organisation and a cycle on any engine.
"""

from __future__ import annotations

from uuid import UUID

import pytest
from engine import GateRefused, InvalidInput, Template
from engine.testing import Network, PluginEngineFactory, Qualizyklus, network, start_cycle

import qualizyklus_theme_example
from qualizyklus_theme_example import gate_reasons, insights
from qualizyklus_theme_example.catalogue import THEME, THEME_ID
from qualizyklus_theme_example.schemas import MeasureAttrs


@pytest.fixture
def engine(qualizyklus_plugin: PluginEngineFactory) -> Qualizyklus:
    """An engine with this theme alone, so that no other installed plugin interferes."""
    return qualizyklus_plugin(qualizyklus_theme_example, installed=False)


@pytest.fixture
def net(engine: Qualizyklus) -> Network:
    """A Landkreis with a coordinator, a contributor and a viewer."""
    return network(engine)


def planning_cycle(engine: Qualizyklus, net: Network) -> UUID:
    """A cycle on the theme, analysed and in the plan phase, with a goal set."""
    cycle_id = start_cycle(engine, net, [THEME_ID])
    coordinator = net.coordinator
    engine.record_assessment(
        cycle_id,
        actor_id=net.contributor,
        theme_id=THEME_ID,
        criterion_id="joint-learning",
        value=2,
    )
    engine.record_assessment(
        cycle_id,
        actor_id=coordinator,
        theme_id=THEME_ID,
        criterion_id="qualification-plan",
        value="minimum",
    )
    engine.record_finding(
        cycle_id,
        actor_id=coordinator,
        finding_id="need-1",
        kind="need",
        text="Es gibt kaum gemeinsame Fortbildungen.",
        theme_id=THEME_ID,
        criterion_id="joint-learning",
    )
    engine.set_priorities(cycle_id, actor_id=coordinator, finding_ids=["need-1"])
    engine.advance_phase(cycle_id, actor_id=coordinator)
    engine.set_goal(
        cycle_id,
        actor_id=coordinator,
        goal_id="goal-1",
        theme_id=THEME_ID,
        title="Mehr Fachkräfte bilden sich berufsübergreifend fort",
        indicator="Fachkräfte in gemeinsamen Fortbildungen",
        unit="Personen",
        baseline=12,
        target=30,
    )
    return cycle_id


def plan(engine: Qualizyklus, net: Network, cycle_id: UUID, *professions: str) -> None:
    """Plan a training measure of the theme for ``professions``, with an owner and a due date."""
    engine.plan_measure(
        cycle_id,
        actor_id=net.coordinator,
        theme_id=THEME_ID,
        title="Fortbildung " + " und ".join(professions),
        responsible_member_id=net.contributor,
        due="2025-10-31",
        attrs={"format": "training", "professions": list(professions)},
    )


def test_the_installed_theme_loads_with_its_criteria(qualizyklus_engine: Qualizyklus) -> None:
    """Installed, the plugin is found through the entry point and its theme is complete."""
    assert qualizyklus_engine.plugins is not None
    plugins = {row["name"]: row for row in qualizyklus_engine.plugins.describe()}
    assert plugins["qualifizierung"]["hooks"] == ["gate_reasons", "insights", "register_themes"]
    theme = qualizyklus_engine.themes[THEME_ID]
    assert theme.quality_dimension == 6
    assert [c.id for c in theme.criteria] == ["joint-learning", "qualification-plan"]
    assert [level.id for level in theme.criteria[1].scale.levels] == ["not-met", "minimum", "more"]


def test_the_theme_loads_on_its_own_before_it_is_installed(engine: Qualizyklus) -> None:
    """``qualizyklus_plugin`` registers the module directly, here without any other plugin."""
    assert list(engine.themes) == [THEME_ID]
    assert engine.plugins is not None and engine.plugins.refused == {}


@pytest.mark.parametrize(
    "template", [t for t in THEME.templates if t.kind == "measure"], ids=lambda t: t.id
)
def test_every_measure_template_fits_the_measure_schema(template: Template) -> None:
    """A coordinator who starts from a template gets attrs the schema accepts."""
    assert MeasureAttrs().load(dict(template.attrs)) == template.attrs


def test_the_schema_refuses_an_unknown_profession_and_nothing_is_written(
    engine: Qualizyklus, net: Network
) -> None:
    """The measure schema names the offending field; the cycle keeps its version."""
    cycle_id = planning_cycle(engine, net)
    version = engine.cycle(cycle_id)["version"]
    with pytest.raises(InvalidInput) as refused:
        plan(engine, net, cycle_id, "astrology")
    assert refused.value.field == "attrs.professions.0"
    assert engine.cycle(cycle_id)["version"] == version


def test_too_few_participants_for_the_professions_are_refused_at_the_field(
    engine: Qualizyklus, net: Network
) -> None:
    """The schema-wide rule names ``participants``, so the error stands next to that field."""
    cycle_id = planning_cycle(engine, net)
    with pytest.raises(InvalidInput) as refused:
        engine.plan_measure(
            cycle_id,
            actor_id=net.coordinator,
            theme_id=THEME_ID,
            title="Qualitätszirkel",
            attrs={
                "format": "quality-circle",
                "professions": ["midwifery", "paediatrics"],
                "participants": 1,
            },
        )
    assert refused.value.field == "attrs.participants"
    assert "eine Person je Berufsgruppe" in refused.value.field_de
    assert engine.cycle(cycle_id)["measures"] == {}


def test_the_gate_refuses_planning_without_a_joint_measure_then_passes(
    engine: Qualizyklus, net: Network
) -> None:
    """One profession alone does not pass the gate; a measure for two professions does."""
    cycle_id = planning_cycle(engine, net)
    plan(engine, net, cycle_id, "midwifery")

    with pytest.raises(GateRefused) as refused:
        engine.advance_phase(cycle_id, actor_id=net.coordinator)
    assert [r.code for r in refused.value.reasons] == ["qualifizierung-no-joint-measure"]
    assert engine.cycle(cycle_id)["phase"] == "plan"

    plan(engine, net, cycle_id, "midwifery", "youth-welfare")
    engine.advance_phase(cycle_id, actor_id=net.coordinator)
    assert engine.cycle(cycle_id)["phase"] == "implement"


def test_the_insight_computes_the_share_of_joint_measures(
    engine: Qualizyklus, net: Network
) -> None:
    """Two measures, one of them for two professions: 50 %, three professions in all."""
    cycle_id = planning_cycle(engine, net)
    plan(engine, net, cycle_id, "midwifery", "youth-welfare")
    plan(engine, net, cycle_id, "paediatrics")

    gathered = engine.insights(cycle_id, actor_id=net.viewer)

    assert gathered.notices == []
    (insight,) = gathered.items
    assert {f.label.en: (f.value, f.unit) for f in insight.figures} == {
        "Interprofessional measures": (50, "%"),
        "Professions involved": (3, ""),
    }


def test_cycles_without_the_theme_are_left_alone() -> None:
    """The hooks are plain functions of plain data, so they can be tested without an engine."""
    cycle = {"themes": ["another-theme"], "measures": {}}
    assert gate_reasons(cycle=cycle, source="plan", target="implement") == []
    assert insights(cycle=cycle, previous=None) == []


def test_a_cycle_records_the_theme_version_it_started_with(
    qualizyklus_engine: Qualizyklus, qualizyklus_network: Network
) -> None:
    """Installed beside the other themes, a network starts a cycle on it."""
    cycle_id = start_cycle(qualizyklus_engine, qualizyklus_network, [THEME_ID])
    assert qualizyklus_engine.cycle(cycle_id)["theme_versions"] == {THEME_ID: THEME.version}
