"""Theme records: a theme's own data on a cycle (a logic model, a theory of change), kept in
core events, changed together or not at all, carried into the follow-up cycle, in the history.

The sample theme ``network`` declares one record kind, ``outcome`` (a third party's theory of
change would look like this), and the plugin below checks the references between outcomes the
way the impact-orientation theme checks its arrows: the mechanism is the core's, not a theme's.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import Any
from uuid import UUID

import pytest

from engine import FieldProblem, Text, hookimpl
from engine.application.audit import history, state_at, verify
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.application.store import SYSTEM_ACTOR
from engine.application.transfer import export_organisation, import_history
from engine.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from engine.domain.limits import MAX_RECORD_TEXT
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.stories import (
    Network,
    complete_review,
    cycle_in_phase,
    register_network,
    start_cycle,
)
from tests.engine.test_transfer import empty_store_like

ASSUMPTION = "Familien vertrauen den Hebammen"


class TheoryOfChange:
    """A third party's plugin: the sample themes, and a check that outcomes exist."""

    @hookimpl
    def register_themes(self) -> list[Any]:
        return list(SAMPLE_THEMES.values())

    @hookimpl
    def validate_item(self, kind: str, item: Mapping[str, Any]) -> list[FieldProblem]:
        if kind != "records" or item["theme_id"] != "network":
            return []
        outcomes = item["records"].get("outcome", {})
        return [
            FieldProblem(
                f"records.outcome.{key}.attrs.precondition_of",
                Text(f"Das Ergebnis {other} gibt es nicht.", f"No outcome {other}."),
            )
            for key, outcome in outcomes.items()
            for other in outcome["attrs"]["precondition_of"]
            if other not in outcomes
        ]


@pytest.fixture
def engine(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with the sample themes and the theory-of-change check."""
    app = open_engine(settings, plugins=(TheoryOfChange(),), entry_point_group=None)
    yield app
    app.close()


def outcome(key: str, title: str, *after: str, text: str = "") -> dict[str, Any]:
    """A save of an outcome record."""
    attrs = {"title": title, "precondition_of": list(after)}
    return {"kind": "outcome", "record_id": key, "attrs": attrs, "text": text}


def model(app: Qualizyklus, network: Network, cycle_id: UUID) -> int:
    """Two outcomes, the first a precondition of the second, saved in one change."""
    return app.change_records(
        cycle_id,
        actor_id=network.coordinator,
        theme_id="network",
        saves=[
            outcome("trust", "Vertrauen", "reach", text=ASSUMPTION),
            outcome("reach", "Reichweite"),
        ],
        reason="Erster Entwurf",
    )


def closed_with_model(app: Qualizyklus, network: Network) -> UUID:
    """A cycle that drew its model during the review and closed."""
    cycle_id = cycle_in_phase(app, network, "review")
    model(app, network, cycle_id)
    complete_review(app, network, cycle_id)
    app.close_cycle(cycle_id, actor_id=network.coordinator, summary="Fertig.")
    return cycle_id


def records(app: Qualizyklus, cycle_id: UUID) -> dict[str, Any]:
    return dict(app.cycle(cycle_id)["records"])


def test_records_saved_together_are_in_the_state_plugins_receive(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    before = engine.cycle(cycle_id)["version"]

    version = model(engine, network, cycle_id)

    assert version == before + 2
    assert records(engine, cycle_id) == {
        "network": {
            "outcome": {
                "trust": {
                    "attrs": {"title": "Vertrauen", "precondition_of": ["reach"]},
                    "text": ASSUMPTION,
                },
                "reach": {"attrs": {"title": "Reichweite", "precondition_of": []}, "text": ""},
            }
        }
    }


def test_a_removal_and_a_save_in_one_change_leave_the_resulting_set(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    model(engine, network, cycle_id)

    engine.change_records(
        cycle_id,
        actor_id=network.coordinator,
        theme_id="network",
        saves=[outcome("trust", "Vertrauen")],
        removals=[{"kind": "outcome", "record_id": "reach"}],
        reason="Reichweite gehört nicht hierher",
    )

    assert list(records(engine, cycle_id)["network"]["outcome"]) == ["trust"]
    names = [entry["event"] for entry in history(engine, cycle_id)[-2:]]
    assert names == ["ThemeRecordRemoved", "ThemeRecordSaved"]


def test_saving_a_record_unchanged_writes_nothing(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    version = model(engine, network, cycle_id)

    again = engine.change_records(
        cycle_id,
        actor_id=network.coordinator,
        theme_id="network",
        saves=[outcome("reach", "Reichweite")],
    )

    assert again == version


def test_every_problem_of_a_change_is_told_and_nothing_is_written(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    version = model(engine, network, cycle_id)

    with pytest.raises(InvalidInput) as refused:
        engine.change_records(
            cycle_id,
            actor_id=network.coordinator,
            theme_id="network",
            saves=[
                {
                    "kind": "outcome",
                    "record_id": "a",
                    "attrs": {"title": ""},
                    "text": "x" * (MAX_RECORD_TEXT + 1),
                },
                {"kind": "story", "record_id": "b", "attrs": {}},
                {"kind": "outcome", "record_id": "bad id!", "attrs": {"title": "T"}},
            ],
        )

    fields = [problem.field for problem in refused.value.problems]
    assert fields == [
        "records.outcome.a.text",
        "records.outcome.a.attrs.title",
        "saves.1.kind",
        "saves.2.record_id",
    ]
    assert engine.cycle(cycle_id)["version"] == version


def test_the_plugins_check_the_resulting_records_and_refuse_a_broken_reference(
    engine: Qualizyklus,
) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    version = model(engine, network, cycle_id)

    with pytest.raises(InvalidInput) as refused:
        engine.change_records(
            cycle_id,
            actor_id=network.coordinator,
            theme_id="network",
            removals=[{"kind": "outcome", "record_id": "reach"}],
        )

    assert refused.value.field == "records.outcome.trust.attrs.precondition_of"
    assert "reach" in refused.value.de
    assert engine.cycle(cycle_id)["version"] == version
    assert "reach" in records(engine, cycle_id)["network"]["outcome"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"theme_id": "families"}, "theme_id"),  # keeps no records
        ({"theme_id": "unknown"}, "theme_id"),
        ({"removals": [{"kind": "outcome", "record_id": "nothing"}]}, "removals.0.record_id"),
        ({"saves": [], "removals": []}, "saves"),
        ({"saves": [outcome("x", "X"), outcome("x", "Y")]}, "saves.1.record_id"),
        ({"saves": "not a list"}, "saves"),
    ],
)
def test_a_change_that_cannot_be_is_refused_naming_its_field(
    engine: Qualizyklus, change: dict[str, Any], field: str
) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    version = engine.cycle(cycle_id)["version"]
    given = {"theme_id": "network", "saves": [outcome("x", "X")], **change}

    with pytest.raises(InvalidInput) as refused:
        engine.change_records(cycle_id, actor_id=network.coordinator, **given)

    assert refused.value.field == field
    assert engine.cycle(cycle_id)["version"] == version


def test_a_theme_not_on_the_cycle_is_refused(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network, themes=["families"])

    with pytest.raises(InvalidInput) as refused:
        model(engine, network, cycle_id)

    assert refused.value.field == "theme_id"
    assert "network" not in records(engine, cycle_id)


def test_only_roles_that_plan_change_records_and_strangers_learn_nothing(
    engine: Qualizyklus,
) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)

    for actor, error in (
        (network.midwife, Forbidden),
        (network.viewer, Forbidden),
        (network.stranger, NotFound),
    ):
        with pytest.raises(error):
            engine.change_records(
                cycle_id, actor_id=actor, theme_id="network", saves=[outcome("x", "X")]
            )
    assert records(engine, cycle_id) == {}


def test_a_change_against_an_older_version_is_a_conflict(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    seen = engine.cycle(cycle_id)["version"]
    model(engine, network, cycle_id)

    with pytest.raises(Conflict):
        engine.change_records(
            cycle_id, actor_id=network.coordinator, theme_id="network",
            saves=[outcome("x", "X")], expected_version=seen,
        )  # fmt: skip


def test_a_closed_cycle_keeps_its_records(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = cycle_in_phase(engine, network, "closed")
    version = engine.cycle(cycle_id)["version"]

    with pytest.raises(InvalidInput) as refused:
        model(engine, network, cycle_id)

    assert "abgeschlossen" in refused.value.de
    assert engine.cycle(cycle_id)["version"] == version


def test_a_follow_up_cycle_starts_from_the_model_of_the_cycle_it_follows(
    engine: Qualizyklus,
) -> None:
    network = register_network(engine)
    first = closed_with_model(engine, network)

    second = start_cycle(
        engine, network, title="Zyklus 2026", period=("2026-01-01", "2026-12-31"), follows=first
    )
    only_families = records(engine, second)

    assert only_families == records(engine, first)
    entries = history(engine, second)
    carried = [e for e in entries if e["event"] == "ThemeRecordSaved"]
    assert len(carried) == 2
    assert all("übernommen aus dem vorigen Zyklus" in e["reason"] for e in carried)
    assert entries[0]["event"] == "CycleStarted"


def test_the_follow_up_takes_only_the_themes_it_has(engine: Qualizyklus) -> None:
    network = register_network(engine)
    first = closed_with_model(engine, network)

    second = start_cycle(engine, network, title="Nur Familien", themes=["families"], follows=first)

    assert records(engine, second) == {}


def test_replay_as_of_and_diff_show_the_records_as_they_stood(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    drafted = model(engine, network, cycle_id)
    engine.change_records(
        cycle_id, actor_id=network.coordinator, theme_id="network",
        removals=[{"kind": "outcome", "record_id": "trust"}], reason="verworfen",
    )  # fmt: skip
    engine.forget_cached_states(cycle_id)

    then = state_at(engine, cycle_id, version=drafted)["records"]
    now = records(engine, cycle_id)
    assert set(then["network"]["outcome"]) == {"trust", "reach"}
    assert set(now["network"]["outcome"]) == {"reach"}
    assert engine.repository.get(cycle_id).as_dict()["records"] == now
    last = history(engine, cycle_id)[-1]
    assert last["reason"] == "verworfen"
    assert [change["path"] for change in last["changes"]] == ["records.network.outcome.trust"]


def test_an_erased_record_text_is_gone_and_the_seals_still_hold(engine: Qualizyklus) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    model(engine, network, cycle_id)
    stored = b"".join(r.state for r in engine.recorder.select_events(cycle_id))
    assert ASSUMPTION.encode() not in stored
    texts = engine.free_texts_of(cycle_id, actor_id=network.coordinator)
    reference = next(row["reference"] for row in texts if row["text"] == ASSUMPTION)

    engine.erase_text(reference, actor_id=SYSTEM_ACTOR, reason="DSGVO Art. 17")

    text = records(engine, cycle_id)["network"]["outcome"]["trust"]["text"]
    assert ASSUMPTION not in text
    assert "gelöscht" in text
    assert verify(engine).ok


def test_records_travel_with_the_history_into_another_store(
    engine: Qualizyklus, settings: Settings, tmp_path: Any, request: pytest.FixtureRequest
) -> None:
    network = register_network(engine)
    cycle_id = start_cycle(engine, network)
    model(engine, network, cycle_id)
    out = io.StringIO()
    export_organisation(engine, "lk-beispiel", out)
    target = open_engine(
        empty_store_like(settings, tmp_path / "target", request),
        plugins=(TheoryOfChange(),),
        entry_point_group=None,
    )
    try:
        import_history(target, list(io.StringIO(out.getvalue())))

        assert records(target, cycle_id) == records(engine, cycle_id)
        assert records(target, cycle_id)["network"]["outcome"]["trust"]["text"] == ASSUMPTION
        assert verify(target).ok
    finally:
        target.close()
