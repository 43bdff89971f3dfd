"""Workflow definitions: the built-in ones load, malformed ones are refused with a message that
names the file and the fault, a cycle keeps the version it started with, and moving a running
cycle to a newer version is a recorded, checked event.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from itertools import pairwise
from pathlib import Path

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import DefinitionError, GateRefused, InvalidInput
from engine.domain.gates import CORE_GATES
from engine.domain.workflow import (
    COMMANDS,
    WorkflowRegistry,
    builtin_definitions,
    load_definition_file,
    parse_definition,
)
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import (
    cycle_in_phase,
    register_network,
    start_cycle,
    stored_events,
)

PHASE_IDS = ["analyse", "plan", "implement", "review", "closed"]

MINIMAL = """\
id = "mini"
version = 1
title = { de = "Kurz", en = "Short" }

[[phase]]
id = "analyse"
title = { de = "Analyse", en = "Analysis" }
allows = ["record_assessment"]

[[phase]]
id = "plan"
title = { de = "Planung", en = "Planning" }
allows = ["set_goal"]

[[phase]]
id = "closed"
title = { de = "Abgeschlossen", en = "Closed" }
terminal = true

[[transition]]
from = "analyse"
to = "plan"
gates = ["need-recorded"]

[[transition]]
from = "plan"
to = "closed"

[[transition]]
from = "plan"
to = "analyse"
kind = "reopen"
"""


def builtin_text(name: str) -> str:
    """The text of a built-in definition file."""
    return resources.files("workflows").joinpath(name).read_text(encoding="utf-8")


# The built-in definitions -------------------------------------------------------------------


def test_the_builtin_definitions_load_as_standard_versions_1_and_2() -> None:
    definitions = builtin_definitions()

    assert [(d.id, d.version) for d in definitions] == [("standard", 1), ("standard", 2)]
    for definition in definitions:
        assert [p.id for p in definition.phases] == PHASE_IDS
        assert definition.first_phase == "analyse"
        assert [p.terminal for p in definition.phases] == [False, False, False, False, True]
        assert definition.source.startswith("workflows/standard-v")
        for phase in definition.phases:
            assert phase.allows <= COMMANDS
        for source, target in pairwise(PHASE_IDS):
            assert definition.next_transition(source).target == target  # type: ignore[union-attr]
            reopen = definition.transition(target, source)
            assert reopen is not None
            assert reopen.kind == "reopen"
            assert reopen.gates == ()
    v1, v2 = definitions
    assert v1.next_transition("analyse").gates == (  # type: ignore[union-attr]
        "assessment-per-theme",
        "need-recorded",
    )
    assert v2.next_transition("analyse").gates == (  # type: ignore[union-attr]
        "assessment-per-theme",
        "need-recorded",
        "priorities-chosen",
    )
    registry = WorkflowRegistry(definitions)
    assert registry.latest("standard") is v2
    assert registry.get("standard", 1) is v1
    assert registry.get("standard", 3) is None
    assert registry.latest("express") is None


def test_a_definition_describes_itself_as_plain_data() -> None:
    definition = parse_definition(MINIMAL, "mini.toml")

    data = definition.as_dict()

    assert data["id"] == "mini"
    assert data["title"] == {"de": "Kurz", "en": "Short"}
    assert [p["id"] for p in data["phases"]] == ["analyse", "plan", "closed"]
    assert data["transitions"][0] == {
        "from": "analyse",
        "to": "plan",
        "kind": "advance",
        "gates": ["need-recorded"],
    }


def test_a_definition_file_loads_and_names_its_file_as_source(tmp_path: Path) -> None:
    path = tmp_path / "mini.toml"
    path.write_text(MINIMAL, encoding="utf-8")

    definition = load_definition_file(path)

    assert (definition.id, definition.version) == ("mini", 1)
    assert definition.source == str(path)


# Malformed definitions ----------------------------------------------------------------------


def refusal(tmp_path: Path, text: str, name: str = "broken.toml") -> str:
    """Load ``text`` from a file and return the DefinitionError's message."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load_definition_file(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_bad_toml_is_refused_naming_the_file(tmp_path: Path) -> None:
    message = refusal(tmp_path, MINIMAL.replace("version = 1", "version = "))

    assert "not valid TOML" in message


def test_an_unknown_command_is_refused_naming_it_and_its_phase(tmp_path: Path) -> None:
    message = refusal(tmp_path, MINIMAL.replace('allows = ["set_goal"]', 'allows = ["fly"]'))

    assert "phase 2" in message
    assert "unknown commands ['fly']" in message


def test_an_unknown_gate_is_refused_naming_it(tmp_path: Path) -> None:
    message = refusal(tmp_path, MINIMAL.replace('["need-recorded"]', '["weather-fine"]'))

    assert "transition 1" in message
    assert "unknown gates ['weather-fine']" in message
    assert all(gate in message for gate in CORE_GATES)  # it lists the known ones


def test_an_unknown_phase_in_a_transition_is_refused_naming_it(tmp_path: Path) -> None:
    message = refusal(tmp_path, MINIMAL.replace('to = "closed"', 'to = "nowhere"'))

    assert "transition 2" in message
    assert "unknown phase 'nowhere'" in message


def test_a_non_terminal_phase_without_a_way_forward_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace('[[transition]]\nfrom = "plan"\nto = "closed"\n\n', "")

    message = refusal(tmp_path, text)

    assert "phase 'plan' needs exactly one advancing transition" in message


def test_a_phase_with_two_ways_forward_is_refused(tmp_path: Path) -> None:
    text = MINIMAL + '\n[[transition]]\nfrom = "analyse"\nto = "closed"\n'

    message = refusal(tmp_path, text)

    assert "phase 'analyse' needs exactly one advancing transition" in message


def test_a_definition_whose_last_phase_is_not_terminal_is_refused_for_that(
    tmp_path: Path,
) -> None:
    text = MINIMAL.replace("terminal = true\n", "")

    message = refusal(tmp_path, text)

    assert "terminal" in message


def test_a_definition_with_a_backward_advance_or_a_forward_reopen_is_refused(
    tmp_path: Path,
) -> None:
    forward_reopen = MINIMAL.replace(
        'from = "plan"\nto = "analyse"\nkind = "reopen"',
        'from = "analyse"\nto = "closed"\nkind = "reopen"',
    )
    assert "'reopen' backward" in refusal(tmp_path, forward_reopen)
    gated_reopen = MINIMAL.replace('kind = "reopen"', 'kind = "reopen"\ngates = ["need-recorded"]')
    assert "a reopening transition has no gates" in refusal(tmp_path, gated_reopen)
    odd_kind = MINIMAL.replace('kind = "reopen"', 'kind = "jump"')
    assert "kind must be 'advance' or 'reopen'" in refusal(tmp_path, odd_kind)


def test_missing_keys_and_bad_versions_are_refused_naming_them(tmp_path: Path) -> None:
    assert "missing key 'id'" in refusal(tmp_path, MINIMAL.replace('id = "mini"\n', ""))
    assert "version must be a positive whole number" in refusal(
        tmp_path, MINIMAL.replace("version = 1", 'version = "1"')
    )
    assert "version must be a positive whole number" in refusal(
        tmp_path, MINIMAL.replace("version = 1", "version = 0")
    )
    no_transitions = MINIMAL[: MINIMAL.index("[[transition]]")]
    assert "missing key 'transition'" in refusal(tmp_path, no_transitions)


def test_the_same_id_and_version_twice_is_refused_naming_both_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(MINIMAL, encoding="utf-8")
    second.write_text(MINIMAL.replace("Kurz", "Auch kurz"), encoding="utf-8")

    with pytest.raises(DefinitionError) as info:
        WorkflowRegistry([load_definition_file(first), load_definition_file(second)])

    message = str(info.value)
    assert message.startswith(f"{second}: ")
    assert "workflow mini version 1 is already defined in" in message
    assert str(first) in message
    # A built-in's id and version cannot be taken by another file either.
    clash = tmp_path / "standard.toml"
    clash.write_text(builtin_text("standard-v2.toml"), encoding="utf-8")
    registry = WorkflowRegistry(builtin_definitions())
    with pytest.raises(DefinitionError) as info:
        registry.add(load_definition_file(clash))
    assert "already defined in workflows/standard-v2.toml" in str(info.value)


# Versions of running cycles -----------------------------------------------------------------


@pytest.fixture
def registry_with_v3(tmp_path: Path) -> WorkflowRegistry:
    """The built-in definitions and a version 3 whose analysis has no gates."""
    v3 = tmp_path / "standard-v3.toml"
    v3.write_text(
        builtin_text("standard-v2.toml")
        .replace("version = 2", "version = 3")
        .replace('gates = ["assessment-per-theme", "need-recorded", "priorities-chosen"]', ""),
        encoding="utf-8",
    )
    return WorkflowRegistry([*builtin_definitions(), load_definition_file(v3)])


@pytest.fixture
def app_with_v3(settings: Settings, registry_with_v3: WorkflowRegistry) -> Iterator[Qualizyklus]:
    """A second engine on the same store that knows version 3 as well."""
    application = Qualizyklus(settings, themes=SAMPLE_THEMES, workflows=registry_with_v3)
    yield application
    application.close()


def test_a_cycle_keeps_the_version_it_started_with_when_a_newer_one_is_installed(
    app: Qualizyklus, app_with_v3: Qualizyklus
) -> None:
    net = register_network(app)
    running = start_cycle(app, net)  # the latest installed then: version 2

    # After an update that installs version 3, new cycles start on 3 ...
    newer = start_cycle(app_with_v3, net, title="Neuer Zyklus")
    assert app_with_v3.cycle(newer)["workflow_version"] == 3
    app_with_v3.advance_phase(newer, actor_id=net.coordinator)  # v3 has no analysis gates
    assert app_with_v3.cycle(newer)["phase"] == "plan"

    # ... while the running cycle stays on 2 and keeps its gates.
    assert app_with_v3.cycle(running)["workflow_version"] == 2
    assert app_with_v3.definition_of(running).version == 2
    with pytest.raises(GateRefused):
        app_with_v3.advance_phase(running, actor_id=net.coordinator)
    assert app_with_v3.cycle(running)["phase"] == "analyse"
    # A cycle can also be started on an older version on purpose.
    older = start_cycle(app_with_v3, net, workflow_version=1)
    assert app_with_v3.cycle(older)["workflow_version"] == 1


def test_migrating_a_cycle_to_a_newer_version_is_a_recorded_event_with_its_reason(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, workflow_version=1)
    version = app.cycle(cycle_id)["version"]

    assert (
        app.migrate_workflow(
            cycle_id,
            actor_id=net.coordinator,
            to_version=2,
            reason="Prioritäten sollen Pflicht sein.",
        )
        == version + 1
    )

    assert app.cycle(cycle_id)["workflow_version"] == 2
    assert app.definition_of(cycle_id).version == 2
    migrated = stored_events(app, cycle_id)[-1]
    assert migrated.TOPIC == "qualizyklus:Cycle.WorkflowMigrated"
    assert (migrated.from_version, migrated.to_version) == (1, 2)
    assert migrated.reason == "Prioritäten sollen Pflicht sein."
    assert migrated.actor_id == net.coordinator
    # From now on the cycle follows version 2: the analysis needs priorities.
    app.record_assessment(
        cycle_id,
        actor_id=net.coordinator,
        theme_id="network",
        criterion_id="partners-known",
        value=3,
    )
    app.record_assessment(
        cycle_id,
        actor_id=net.coordinator,
        theme_id="families",
        criterion_id="low-threshold",
        value=3,
    )
    app.record_finding(cycle_id, actor_id=net.coordinator, kind="need", text="Bedarf")
    with pytest.raises(GateRefused) as refused:
        app.advance_phase(cycle_id, actor_id=net.coordinator)
    assert [r.code for r in refused.value.reasons] == ["priorities-missing"]


def test_migration_is_refused_with_reasons_for_a_cycle_past_analysis_without_priorities(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, workflow_version=1)
    coord = net.coordinator
    app.record_assessment(
        cycle_id, actor_id=coord, theme_id="network", criterion_id="partners-known", value=3
    )
    app.record_assessment(
        cycle_id, actor_id=coord, theme_id="families", criterion_id="low-threshold", value=3
    )
    app.record_finding(cycle_id, actor_id=coord, finding_id="need-1", kind="need", text="Bedarf")
    app.advance_phase(cycle_id, actor_id=coord)  # version 1 needs no priorities
    events_before = len(app.recorder.select_events(cycle_id))

    with pytest.raises(GateRefused) as refused:
        app.migrate_workflow(cycle_id, actor_id=coord, to_version=2, reason="neue Regeln")

    assert [(r.code, r.de) for r in refused.value.reasons] == [
        ("priorities-missing", "Es sind noch keine Prioritäten gesetzt."),
    ]
    assert len(app.recorder.select_events(cycle_id)) == events_before
    assert app.cycle(cycle_id)["workflow_version"] == 1

    # Once the priorities are set (the planning phase allows it), the migration succeeds.
    app.set_priorities(cycle_id, actor_id=coord, finding_ids=["need-1"])
    app.migrate_workflow(cycle_id, actor_id=coord, to_version=2, reason="neue Regeln")
    assert app.cycle(cycle_id)["workflow_version"] == 2
    assert app.cycle(cycle_id)["phase"] == "plan"


def test_migration_is_refused_for_a_version_that_is_not_newer(app: Qualizyklus) -> None:
    net = register_network(app)
    on_v1 = start_cycle(app, net, workflow_version=1)
    on_v2 = start_cycle(app, net)

    for cycle_id, to_version in ((on_v1, 1), (on_v1, 3), (on_v2, 2), (on_v2, 1), (on_v1, -1)):
        events_before = len(app.recorder.select_events(cycle_id))
        with pytest.raises(InvalidInput) as info:
            app.migrate_workflow(
                cycle_id, actor_id=net.coordinator, to_version=to_version, reason="warum nicht"
            )
        assert info.value.field == "to_version"
        assert len(app.recorder.select_events(cycle_id)) == events_before
    assert app.cycle(on_v1)["workflow_version"] == 1
    assert app.cycle(on_v2)["workflow_version"] == 2


def test_migration_needs_a_reason(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, workflow_version=1)

    with pytest.raises(InvalidInput) as info:
        app.migrate_workflow(cycle_id, actor_id=net.coordinator, to_version=2, reason=" ")

    assert info.value.field == "reason"
    assert app.cycle(cycle_id)["workflow_version"] == 1


def test_a_migrated_cycle_in_a_later_phase_keeps_its_content(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "review", workflow_version=1)
    before = app.cycle(cycle_id)

    app.migrate_workflow(cycle_id, actor_id=net.coordinator, to_version=2, reason="Update")

    after = app.cycle(cycle_id)
    unchanged = ("phase", "findings", "priorities", "goals", "measures", "assessments")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    assert after["workflow_version"] == 2
