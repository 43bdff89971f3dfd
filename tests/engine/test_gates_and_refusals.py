"""What the engine refuses, and that a refusal writes nothing.

Gates say every reason at once, in German naming the theme, goal or measure; phases refuse
commands they do not allow; invalid input names its field; a stale version conflicts;
roles limit who may do what, and a non-member learns nothing at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any
from uuid import UUID, uuid4

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    GateRefused,
    InvalidInput,
    NotAllowedInPhase,
    NotFound,
)
from engine.domain.workflow import COMMANDS
from tests.engine.stories import (
    PHASES,
    Network,
    complete_analysis,
    complete_planning,
    complete_review,
    cycle_in_phase,
    register_network,
    start_cycle,
)

# Helpers ------------------------------------------------------------------------------------


@contextmanager
def writes_nothing(app: Qualizyklus, *aggregate_ids: UUID) -> Iterator[None]:
    """Assert that the block leaves the stored history of each aggregate unchanged."""
    before = {i: len(app.recorder.select_events(i)) for i in aggregate_ids}
    yield
    after = {i: len(app.recorder.select_events(i)) for i in aggregate_ids}
    assert after == before


@contextmanager
def refused(
    app: Qualizyklus, error: type[DomainError], *aggregate_ids: UUID
) -> Iterator[pytest.ExceptionInfo[Any]]:
    """Expect ``error`` and that nothing was written."""
    with writes_nothing(app, *aggregate_ids), pytest.raises(error) as info:
        yield info


@contextmanager
def invalid(
    app: Qualizyklus, field: str, *aggregate_ids: UUID
) -> Iterator[pytest.ExceptionInfo[Any]]:
    """Expect InvalidInput naming ``field``, and that nothing was written."""
    with refused(app, InvalidInput, *aggregate_ids) as info:
        yield info
    assert info.value.field == field, info.value


Command = Callable[[Qualizyklus, UUID, str], int]
"""A cycle command with valid input: (app, cycle id, actor) -> new version."""

CYCLE_COMMANDS: dict[str, Command] = {
    "add_theme": lambda app, c, a: app.add_theme(c, actor_id=a, theme_id="families"),
    "remove_theme": lambda app, c, a: app.remove_theme(
        c, actor_id=a, theme_id="families", reason="zu viel auf einmal"
    ),
    "record_assessment": lambda app, c, a: app.record_assessment(
        c, actor_id=a, theme_id="network", criterion_id="partners-known", value=3
    ),
    "record_finding": lambda app, c, a: app.record_finding(
        c, actor_id=a, kind="need", text="Noch ein Bedarf"
    ),
    "withdraw_finding": lambda app, c, a: app.withdraw_finding(
        c, actor_id=a, finding_id="need-1", reason="doppelt"
    ),
    "set_priorities": lambda app, c, a: app.set_priorities(c, actor_id=a, finding_ids=["need-1"]),
    "set_goal": lambda app, c, a: app.set_goal(c, actor_id=a, title="Neues Ziel", indicator="Zahl"),
    "revise_goal": lambda app, c, a: app.revise_goal(
        c, actor_id=a, goal_id="goal-1", title="Geändertes Ziel", indicator="Zahl"
    ),
    "plan_measure": lambda app, c, a: app.plan_measure(c, actor_id=a, title="Neue Maßnahme"),
    "revise_measure": lambda app, c, a: app.revise_measure(
        c, actor_id=a, measure_id="measure-1", title="Geänderte Maßnahme"
    ),
    "change_measure_status": lambda app, c, a: app.change_measure_status(
        c, actor_id=a, measure_id="measure-1", status="running"
    ),
    "record_indicator_value": lambda app, c, a: app.record_indicator_value(
        c, actor_id=a, goal_id="goal-1", value=12, measured_on="2025-06-01"
    ),
    "review_goal": lambda app, c, a: app.review_goal(
        c, actor_id=a, goal_id="goal-1", verdict="reached", evidence="gezählt"
    ),
    "record_lesson": lambda app, c, a: app.record_lesson(c, actor_id=a, text="Gelernt"),
    "record_feedback": lambda app, c, a: app.record_feedback(
        c, actor_id=a, source="parents", text="Die Eltern wünschen sich Abendtermine."
    ),
    "attach_evidence": lambda app, c, a: app.attach_evidence(
        c,
        actor_id=a,
        sha256="ab" * 32,
        filename="Beschluss.pdf",
        media_type="application/pdf",
        size=1024,
    ),
    "remove_attachment": lambda app, c, a: app.remove_attachment(
        c, actor_id=a, attachment_id="a-1", reason="falsche Datei"
    ),
    "add_comment": lambda app, c, a: app.add_comment(c, actor_id=a, text="Ein Kommentar"),
}

PHASE_COMMANDS: dict[str, Command] = {
    "advance_phase": lambda app, c, a: app.advance_phase(c, actor_id=a),
    "close_cycle": lambda app, c, a: app.close_cycle(c, actor_id=a, summary="fertig"),
    "reopen_phase": lambda app, c, a: app.reopen_phase(
        c, actor_id=a, to_phase="analyse", reason="nochmal"
    ),
    "migrate_workflow": lambda app, c, a: app.migrate_workflow(
        c, actor_id=a, to_version=2, reason="neue Version"
    ),
}

ALLOWED_IN_PHASE = {
    "analyse": {
        "add_theme",
        "remove_theme",
        "record_assessment",
        "record_finding",
        "withdraw_finding",
        "set_priorities",
        "attach_evidence",
        "remove_attachment",
        "add_comment",
    },
    "plan": {
        "set_goal",
        "revise_goal",
        "plan_measure",
        "revise_measure",
        "set_priorities",
        "attach_evidence",
        "remove_attachment",
        "add_comment",
    },
    "implement": {
        "plan_measure",
        "revise_measure",
        "change_measure_status",
        "record_indicator_value",
        "record_feedback",
        "attach_evidence",
        "remove_attachment",
        "add_comment",
    },
    "review": {
        "record_indicator_value",
        "review_goal",
        "record_lesson",
        "record_feedback",
        "attach_evidence",
        "remove_attachment",
        "add_comment",
    },
    "closed": {"add_comment"},
}
"""What the standard workflow (v1 and v2 alike) lets each phase do."""


def test_the_command_tables_of_these_tests_cover_every_cycle_command() -> None:
    assert set(CYCLE_COMMANDS) == COMMANDS


# Gates --------------------------------------------------------------------------------------


def test_the_analysis_gate_refuses_with_every_reason_at_once(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)

    with refused(app, GateRefused, cycle_id) as info:
        app.advance_phase(cycle_id, actor_id=net.coordinator)

    reasons = info.value.reasons
    assert [r.code for r in reasons] == [
        "assessment-missing",
        "assessment-missing",
        "need-missing",
        "priorities-missing",
    ]
    assert reasons[0].de == "Für das Thema „Netzwerk“ liegt noch keine Einschätzung vor."
    assert reasons[1].de == (
        "Für das Thema „Zusammenarbeit mit Familien“ liegt noch keine Einschätzung vor."
    )
    assert reasons[2].de == "Es ist noch kein Entwicklungsbedarf festgehalten."
    assert reasons[3].de == "Es sind noch keine Prioritäten gesetzt."
    assert all(r.en for r in reasons)
    # The error's own message carries every reason, and its plain data lists them.
    assert all(r.de in info.value.de for r in reasons)
    assert info.value.as_dict()["code"] == "gate-refused"
    assert info.value.as_dict()["reasons"] == [r.as_dict() for r in reasons]
    # The query for the next step shows the same reasons, before anyone tries.
    assert app.next_step(cycle_id)["reasons"] == [r.as_dict() for r in reasons]
    assert app.cycle(cycle_id)["phase"] == "analyse"
    assert app.cycle(cycle_id)["version"] == 1


def test_the_analysis_gate_of_version_1_asks_for_an_assessment_per_theme_and_a_need(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, workflow_version=1)
    app.record_assessment(
        cycle_id, actor_id=net.midwife, theme_id="network", criterion_id="partners-known", value=1
    )
    # A strength is no need; a withdrawn need is no need either.
    app.record_finding(cycle_id, actor_id=net.coordinator, kind="strength", text="Gut")
    app.record_finding(
        cycle_id, actor_id=net.coordinator, finding_id="n", kind="need", text="Bedarf"
    )
    app.withdraw_finding(cycle_id, actor_id=net.coordinator, finding_id="n", reason="falsch")

    with refused(app, GateRefused, cycle_id) as info:
        app.advance_phase(cycle_id, actor_id=net.coordinator)

    assert [(r.code, r.de) for r in info.value.reasons] == [
        (
            "assessment-missing",
            "Für das Thema „Zusammenarbeit mit Familien“ liegt noch keine Einschätzung vor.",
        ),
        ("need-missing", "Es ist noch kein Entwicklungsbedarf festgehalten."),
    ]


def test_the_planning_gate_asks_for_a_goal_and_a_measure_with_owner_and_due_date(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "plan")

    with refused(app, GateRefused, cycle_id) as info:
        app.advance_phase(cycle_id, actor_id=net.coordinator)

    assert [(r.code, r.de) for r in info.value.reasons] == [
        ("goal-missing", "Es ist noch kein Ziel gesetzt."),
        (
            "measure-missing",
            "Es fehlt eine Maßnahme mit verantwortlicher Person und Fälligkeitsdatum.",
        ),
    ]


def test_the_planning_gate_names_every_goal_without_indicator(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "plan")
    coord = net.coordinator
    app.set_goal(cycle_id, actor_id=coord, title="Mehr Hebammen", indicator="Anzahl")
    app.set_goal(cycle_id, actor_id=coord, title="Bessere Übergänge")
    app.set_goal(cycle_id, actor_id=coord, title="Politik informieren", indicator="   ")
    # A measure with an owner but no due date, and one with a due date but no owner.
    app.plan_measure(cycle_id, actor_id=coord, title="Treffen", responsible_member_id=net.midwife)
    app.plan_measure(cycle_id, actor_id=coord, title="Bericht", due="2025-06-30")

    with refused(app, GateRefused, cycle_id) as info:
        app.advance_phase(cycle_id, actor_id=coord)

    assert [(r.code, r.de) for r in info.value.reasons] == [
        ("indicator-missing", "Das Ziel „Bessere Übergänge“ hat noch keinen Indikator."),
        ("indicator-missing", "Das Ziel „Politik informieren“ hat noch keinen Indikator."),
        (
            "measure-missing",
            "Es fehlt eine Maßnahme mit verantwortlicher Person und Fälligkeitsdatum.",
        ),
    ]


def test_the_implementation_gate_names_every_measure_not_yet_settled(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "implement")
    coord = net.coordinator
    for measure_id, title, status in (
        ("m-run", "Sprechstunde", "running"),
        ("m-block", "Flyer", "blocked"),
        ("m-done", "Konferenz", "done"),
        ("m-drop", "Webseite", "dropped"),
        ("m-carry", "Vereinbarung", "carried-over"),
    ):
        app.plan_measure(cycle_id, actor_id=coord, measure_id=measure_id, title=title)
        app.change_measure_status(
            cycle_id, actor_id=coord, measure_id=measure_id, status=status, reason="so ist es"
        )

    with refused(app, GateRefused, cycle_id) as info:
        app.advance_phase(cycle_id, actor_id=coord)

    reasons = info.value.reasons
    assert [r.code for r in reasons] == ["measure-open"] * 3
    texts = [r.de for r in reasons]
    assert texts[0].startswith("Die Maßnahme „Offene Sprechstunde“ ist noch „geplant“")
    assert texts[1].startswith("Die Maßnahme „Sprechstunde“ ist noch „läuft“")
    assert texts[2].startswith("Die Maßnahme „Flyer“ ist noch „blockiert“")


def test_closing_needs_every_goal_reviewed(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "implement")
    coord = net.coordinator
    app.reopen_phase(cycle_id, actor_id=coord, to_phase="plan", reason="ein Ziel fehlt")
    app.set_goal(cycle_id, actor_id=coord, title="Zweites Ziel", indicator="Zahl")
    app.advance_phase(cycle_id, actor_id=coord)
    app.change_measure_status(cycle_id, actor_id=coord, measure_id="measure-1", status="done")
    app.advance_phase(cycle_id, actor_id=coord)

    with refused(app, GateRefused, cycle_id) as info:
        app.close_cycle(cycle_id, actor_id=coord, summary="fertig")

    assert [(r.code, r.de) for r in info.value.reasons] == [
        ("goal-unreviewed", "Das Ziel „Mehr Familien erreichen“ ist noch nicht bewertet."),
        ("goal-unreviewed", "Das Ziel „Zweites Ziel“ ist noch nicht bewertet."),
    ]
    assert app.cycle(cycle_id)["closing"] is None


# Phases -------------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", PHASES)
def test_each_phase_refuses_the_commands_it_does_not_allow_and_writes_nothing(
    app: Qualizyklus, phase: str
) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, phase)
    not_allowed = sorted(COMMANDS - ALLOWED_IN_PHASE[phase])
    assert not_allowed  # every phase refuses something

    for command in not_allowed:
        with refused(app, NotAllowedInPhase, cycle_id) as info:
            CYCLE_COMMANDS[command](app, cycle_id, net.coordinator)
        assert (info.value.command, info.value.phase) == (command, phase)
        assert info.value.code == "not-allowed-in-phase"
    assert app.cycle(cycle_id)["phase"] == phase


@pytest.mark.parametrize("workflow_version", [1, 2])
def test_the_definitions_allow_in_each_phase_exactly_what_these_tests_expect(
    app: Qualizyklus, workflow_version: int
) -> None:
    definition = app.workflows.get("standard", workflow_version)
    assert definition is not None
    assert {p.id: set(p.allows) for p in definition.phases} == ALLOWED_IN_PHASE


def test_reopening_needs_a_reason(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "plan")

    for reason in ("", "   "):
        with invalid(app, "reason", cycle_id):
            app.reopen_phase(cycle_id, actor_id=net.coordinator, to_phase="analyse", reason=reason)
    assert app.cycle(cycle_id)["phase"] == "plan"


@pytest.mark.parametrize(
    ("phase", "to_phase"),
    [
        ("analyse", "analyse"),
        ("analyse", "plan"),  # forward is advancing, not reopening
        ("implement", "analyse"),  # only one step back
        ("review", "plan"),
        ("closed", "analyse"),
        ("plan", "nowhere"),
    ],
)
def test_reopening_goes_only_along_the_reopen_transitions(
    app: Qualizyklus, phase: str, to_phase: str
) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, phase)

    with invalid(app, "to_phase", cycle_id):
        app.reopen_phase(cycle_id, actor_id=net.coordinator, to_phase=to_phase, reason="warum")
    assert app.cycle(cycle_id)["phase"] == phase


@pytest.mark.parametrize(
    ("phase", "to_phase"),
    [("plan", "analyse"), ("implement", "plan"), ("review", "implement"), ("closed", "review")],
)
def test_reopening_goes_one_step_back_along_a_reopen_transition(
    app: Qualizyklus, phase: str, to_phase: str
) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, phase)
    version = app.cycle(cycle_id)["version"]

    assert (
        app.reopen_phase(cycle_id, actor_id=net.coordinator, to_phase=to_phase, reason="warum")
        == version + 1
    )
    assert app.cycle(cycle_id)["phase"] == to_phase


def test_advancing_into_the_terminal_phase_must_be_done_by_closing(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "review")

    with invalid(app, "phase", cycle_id):
        app.advance_phase(cycle_id, actor_id=net.coordinator)
    assert app.cycle(cycle_id)["phase"] == "review"
    # Closing without a summary is refused too.
    with invalid(app, "summary", cycle_id):
        app.close_cycle(cycle_id, actor_id=net.coordinator, summary="  ")


@pytest.mark.parametrize("phase", ["analyse", "plan", "implement"])
def test_closing_is_refused_before_the_review(app: Qualizyklus, phase: str) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, phase)

    with refused(app, NotAllowedInPhase, cycle_id) as info:
        app.close_cycle(cycle_id, actor_id=net.coordinator, summary="zu früh")
    assert info.value.phase == phase


def test_a_closed_cycle_neither_advances_nor_closes_again(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "closed")

    with refused(app, NotAllowedInPhase, cycle_id):
        app.advance_phase(cycle_id, actor_id=net.coordinator)
    with refused(app, NotAllowedInPhase, cycle_id):
        app.close_cycle(cycle_id, actor_id=net.coordinator, summary="nochmal")


# Invalid input ------------------------------------------------------------------------------


def test_starting_a_cycle_refuses_invalid_input_naming_the_field(app: Qualizyklus) -> None:
    net = register_network(app)
    organisation = net.organisation_id

    def start(**changes: Any) -> UUID:
        fields: dict[str, Any] = {
            "actor_id": net.coordinator,
            "title": "Zyklus",
            "themes": ["network"],
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
        } | changes
        return app.start_cycle(organisation, **fields)

    for field, changes in [
        ("title", {"title": ""}),
        ("title", {"title": "   "}),
        ("title", {"title": None}),
        ("period_start", {"period_start": "01.01.2025"}),
        ("period_start", {"period_start": "2025-02-30"}),
        ("period_end", {"period_end": "bald"}),
        ("period_end", {"period_end": 2025}),
        ("period_end", {"period_start": "2026-01-01"}),  # the end lies before the start
        ("themes", {"themes": []}),
        ("themes", {"themes": ["network", "weather"]}),
        ("themes", {"themes": ["network", "network"]}),
        ("themes", {"themes": "network"}),
        ("workflow_id", {"workflow_id": "express"}),
        ("workflow_id", {"workflow_version": 99}),
        ("follows", {"follows": "kein-zyklus"}),
        ("follows", {"follows": uuid4()}),
    ]:
        with invalid(app, field, organisation):
            start(**changes)
    assert app.organisation(organisation)["cycles"] == []


def test_a_cycle_of_another_organisation_cannot_be_followed(app: Qualizyklus) -> None:
    net = register_network(app)
    other = register_network(app, slug="stadt-anders")
    foreign_cycle = start_cycle(app, other)

    with invalid(app, "follows", net.organisation_id):
        start_cycle(app, net, follows=foreign_cycle)


def test_goals_measures_and_findings_may_only_name_a_theme_of_the_cycle(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, themes=["network"])
    with invalid(app, "theme_id", cycle_id):
        app.record_finding(
            cycle_id, actor_id=net.coordinator, kind="need", text="x", theme_id="families"
        )
    app.record_assessment(
        cycle_id,
        actor_id=net.coordinator,
        theme_id="network",
        criterion_id="partners-known",
        value=3,
    )
    app.record_finding(cycle_id, actor_id=net.coordinator, kind="need", text="x", finding_id="n")
    app.set_priorities(cycle_id, actor_id=net.coordinator, finding_ids=["n"])
    app.advance_phase(cycle_id, actor_id=net.coordinator)

    with invalid(app, "theme_id", cycle_id):
        app.set_goal(cycle_id, actor_id=net.coordinator, title="Ziel", theme_id="families")
    with invalid(app, "theme_id", cycle_id):
        app.plan_measure(cycle_id, actor_id=net.coordinator, title="M", theme_id="families")
    app.set_goal(cycle_id, actor_id=net.coordinator, title="Ziel", theme_id="network")


def test_only_a_closed_cycle_can_be_followed_and_only_once(app: Qualizyklus) -> None:
    net = register_network(app)
    running = cycle_in_phase(app, net, "review")
    with invalid(app, "follows", net.organisation_id):
        start_cycle(app, net, follows=running)

    closed = cycle_in_phase(app, net, "closed")
    start_cycle(app, net, follows=closed)
    with invalid(app, "follows", net.organisation_id):
        start_cycle(app, net, follows=closed)


def test_a_carried_over_measure_of_a_member_who_left_becomes_unassigned(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "implement")
    app.change_measure_status(
        cycle_id, actor_id=net.coordinator, measure_id="measure-1", status="carried-over"
    )
    app.advance_phase(cycle_id, actor_id=net.coordinator)
    complete_review(app, net, cycle_id)
    app.close_cycle(cycle_id, actor_id=net.coordinator, summary="Teilweise erreicht.")
    app.revoke_role(net.organisation_id, actor_id=net.coordinator, member_id=net.midwife)

    follow_up = app.cycle(start_cycle(app, net, follows=cycle_id))

    assert follow_up["measures"]["measure-1"]["responsible_member_id"] is None
    assert follow_up["measures"]["measure-1"]["carried_from_cycle"] == str(cycle_id)


def test_ratings_are_refused_for_unknown_themes_criteria_and_values_off_the_scale(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, themes=["network"])

    def rate(theme: Any = "network", criterion: Any = "partners-known", **more: Any) -> int:
        return app.record_assessment(
            cycle_id, actor_id=net.coordinator, theme_id=theme, criterion_id=criterion, **more
        )

    cases: list[tuple[str, dict[str, Any]]] = [
        ("theme_id", {"theme": "weather", "value": 3}),
        ("theme_id", {"theme": None, "value": 3}),
        # an installed theme the cycle did not choose
        ("theme_id", {"theme": "families", "criterion": "low-threshold", "value": 3}),
        ("criterion_id", {"criterion": "low-threshold", "value": 3}),
        ("criterion_id", {"criterion": "unknown", "value": 3}),
        # numeric scale 1..5, whole steps
        ("value", {"value": 0}),
        ("value", {"value": 6}),
        ("value", {"value": 2.5}),
        ("value", {"value": "3"}),
        ("value", {"value": True}),
        ("value", {"value": float("nan")}),
        ("value", {"value": None}),
        # the two-level standard: not-met / minimum / more
        ("value", {"criterion": "binding-structures", "value": "excellent"}),
        ("value", {"criterion": "binding-structures", "value": 1}),
        ("value", {"criterion": "binding-structures", "value": "Minimum"}),
        # a rater must be a member
        ("rater_id", {"value": 3, "rater_id": net.stranger}),
    ]
    for field, arguments in cases:
        with invalid(app, field, cycle_id):
            rate(**arguments)
    assert app.cycle(cycle_id)["assessments"] == {}
    # Values on the scale are taken.
    rate(value=5)
    rate(criterion="binding-structures", value="more")


def test_planning_refuses_invalid_input_naming_the_field(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "plan")
    complete_planning(app, net, cycle_id)  # goal-1 and measure-1
    coord = net.coordinator

    def plan(**measure: Any) -> int:
        return app.plan_measure(cycle_id, actor_id=coord, **({"title": "Maßnahme"} | measure))

    def goal(**fields: Any) -> int:
        return app.set_goal(cycle_id, actor_id=coord, **({"title": "Ziel"} | fields))

    measure_cases: list[tuple[str, dict[str, Any]]] = [
        ("title", {"title": ""}),
        ("title", {"title": "x" * 301}),
        ("due", {"due": "30.06.2025"}),
        ("start", {"start": "2025-13-01"}),
        ("due", {"start": "2025-07-01", "due": "2025-06-30"}),  # due before start
        ("theme_id", {"theme_id": "weather"}),
        ("goal_id", {"goal_id": "no-such-goal"}),
        ("responsible_member_id", {"responsible_member_id": net.stranger}),
        ("responsible_member_id", {"responsible_member_id": 42}),
        # the sample theme's measure schema: an optional participation level 1..9
        ("attrs.colour", {"theme_id": "network", "attrs": {"colour": "rot"}}),
        ("attrs.level", {"theme_id": "network", "attrs": {"level": "hoch"}}),
        ("attrs.level", {"theme_id": "network", "attrs": {"level": 10}}),
        ("attrs.level", {"theme_id": "network", "attrs": {"level": 0}}),
        ("attrs", {"theme_id": "network", "attrs": ["level", 3]}),
        ("owner", {"owner": net.midwife}),  # not a field of a measure
        ("measure_id", {"measure_id": "measure-1"}),  # taken
        ("measure_id", {"measure_id": "mit Leerzeichen"}),
    ]
    for field, arguments in measure_cases:
        with invalid(app, field, cycle_id):
            plan(**arguments)

    goal_cases: list[tuple[str, dict[str, Any]]] = [
        ("title", {"title": "  "}),
        ("baseline", {"baseline": "zehn"}),
        ("target", {"target": float("inf")}),
        ("due", {"due": "Ende des Jahres"}),
        ("theme_id", {"theme_id": "weather"}),
        ("colour", {"colour": "rot"}),
        ("goal_id", {"goal_id": "goal-1"}),  # taken
    ]
    for field, arguments in goal_cases:
        with invalid(app, field, cycle_id):
            goal(**arguments)

    # The same checks apply when a measure is revised.
    with invalid(app, "responsible_member_id", cycle_id):
        app.revise_measure(
            cycle_id,
            actor_id=coord,
            measure_id="measure-1",
            title="Sprechstunde",
            responsible_member_id=net.stranger,
        )
    with invalid(app, "attrs.level", cycle_id):
        app.revise_measure(
            cycle_id,
            actor_id=coord,
            measure_id="measure-1",
            title="Sprechstunde",
            theme_id="network",
            attrs={"level": 12},
        )
    # A valid level is taken.
    plan(measure_id="m-ok", theme_id="network", attrs={"level": 9})
    assert app.cycle(cycle_id)["measures"]["m-ok"]["attrs"] == {"level": 9}


def test_findings_lessons_and_comments_refuse_duplicate_ids(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    coord = net.coordinator
    app.record_finding(cycle_id, actor_id=coord, finding_id="f-1", kind="need", text="Bedarf")
    app.add_comment(cycle_id, actor_id=coord, comment_id="c-1", text="Hallo")

    with invalid(app, "finding_id", cycle_id):
        app.record_finding(cycle_id, actor_id=coord, finding_id="f-1", kind="strength", text="x")
    with invalid(app, "comment_id", cycle_id):
        app.add_comment(cycle_id, actor_id=coord, comment_id="c-1", text="Nochmal")
    with invalid(app, "kind", cycle_id):
        app.record_finding(cycle_id, actor_id=coord, kind="weakness", text="x")
    with invalid(app, "subject", cycle_id):
        app.add_comment(cycle_id, actor_id=coord, subject="goal:none", text="x")
    with invalid(app, "criterion_id", cycle_id):
        app.record_finding(
            cycle_id,
            actor_id=coord,
            kind="need",
            text="x",
            theme_id="network",
            criterion_id="low-threshold",
        )


def test_lessons_refuse_duplicate_ids(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "review")
    app.record_lesson(cycle_id, actor_id=net.coordinator, lesson_id="l-1", text="Gelernt")

    with invalid(app, "lesson_id", cycle_id):
        app.record_lesson(cycle_id, actor_id=net.coordinator, lesson_id="l-1", text="Nochmal")
    with invalid(app, "verdict", cycle_id):
        app.review_goal(
            cycle_id, actor_id=net.coordinator, goal_id="goal-1", verdict="super", evidence="x"
        )
    with invalid(app, "evidence", cycle_id):
        app.review_goal(
            cycle_id, actor_id=net.coordinator, goal_id="goal-1", verdict="reached", evidence=""
        )


def test_priorities_must_be_open_needs(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    coord = net.coordinator
    app.record_finding(cycle_id, actor_id=coord, finding_id="need-1", kind="need", text="a")
    app.record_finding(cycle_id, actor_id=coord, finding_id="need-2", kind="need", text="b")
    app.record_finding(cycle_id, actor_id=coord, finding_id="strong", kind="strength", text="c")
    app.withdraw_finding(cycle_id, actor_id=coord, finding_id="need-2", reason="erledigt")

    for finding_ids in (
        ["strong"],
        ["need-2"],
        ["need-1", "unknown"],
        ["need-1", "need-1"],
        "need-1",
        [1],
    ):
        with invalid(app, "finding_ids", cycle_id):
            app.set_priorities(cycle_id, actor_id=coord, finding_ids=finding_ids)  # type: ignore[arg-type]
    assert app.cycle(cycle_id)["priorities"] == []


def test_status_changes_need_a_known_status_and_blocking_or_dropping_a_reason(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "implement")
    coord = net.coordinator

    with invalid(app, "status", cycle_id):
        app.change_measure_status(cycle_id, actor_id=coord, measure_id="measure-1", status="late")
    with invalid(app, "status", cycle_id):  # it is planned already
        app.change_measure_status(
            cycle_id, actor_id=coord, measure_id="measure-1", status="planned"
        )
    for status in ("blocked", "dropped"):
        with invalid(app, "reason", cycle_id):
            app.change_measure_status(
                cycle_id, actor_id=coord, measure_id="measure-1", status=status
            )
    with invalid(app, "measured_on", cycle_id):
        app.record_indicator_value(
            cycle_id, actor_id=coord, goal_id="goal-1", value=3, measured_on="gestern"
        )
    with invalid(app, "value", cycle_id):
        app.record_indicator_value(
            cycle_id, actor_id=coord, goal_id="goal-1", value="drei", measured_on="2025-05-01"
        )
    with refused(app, NotFound, cycle_id):
        app.change_measure_status(cycle_id, actor_id=coord, measure_id="nope", status="done")


def test_removing_the_only_theme_is_refused(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, themes=["network"])

    with invalid(app, "theme_id", cycle_id):
        app.remove_theme(cycle_id, actor_id=net.coordinator, theme_id="network", reason="x")
    with invalid(app, "reason", cycle_id):
        app.remove_theme(cycle_id, actor_id=net.coordinator, theme_id="network", reason="")
    with invalid(app, "theme_id", cycle_id):
        app.add_theme(cycle_id, actor_id=net.coordinator, theme_id="network")


# Versions -----------------------------------------------------------------------------------


def test_a_stale_expected_version_raises_conflict_and_writes_nothing(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    seen = app.cycle(cycle_id)["version"]
    app.add_comment(cycle_id, actor_id=net.midwife, text="Jemand war schneller.")

    with refused(app, Conflict, cycle_id) as info:
        app.record_finding(
            cycle_id, actor_id=net.coordinator, kind="need", text="x", expected_version=seen
        )
    assert (info.value.expected, info.value.actual) == (seen, seen + 1)
    assert info.value.code == "conflict"
    with refused(app, Conflict, cycle_id):
        app.advance_phase(cycle_id, actor_id=net.coordinator, expected_version=seen)
    # The current version is accepted.
    assert (
        app.add_comment(cycle_id, actor_id=net.coordinator, text="ok", expected_version=seen + 1)
        == seen + 2
    )


def test_a_stale_organisation_version_raises_conflict_and_writes_nothing(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    organisation = net.organisation_id
    seen = app.organisation(organisation)["version"]
    start_cycle(app, net)

    with refused(app, Conflict, organisation):
        app.grant_role(
            organisation,
            actor_id=net.coordinator,
            member_id="neu",
            role="viewer",
            expected_version=seen,
        )
    with refused(app, Conflict, organisation):
        start_cycle(app, net, expected_version=seen)
    assert len(app.organisation(organisation)["cycles"]) == 1


# Roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["analyse", "implement", "review"])
def test_a_viewer_can_read_but_change_nothing(app: Qualizyklus, phase: str) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, phase)

    assert app.cycle(cycle_id, actor_id=net.viewer)["phase"] == phase
    assert app.organisation(net.organisation_id, actor_id=net.viewer)["members"]
    for name, command in (CYCLE_COMMANDS | PHASE_COMMANDS).items():
        with refused(app, Forbidden, cycle_id, net.organisation_id) as info:
            command(app, cycle_id, net.viewer)
        assert info.value.code == "forbidden", name
    with refused(app, Forbidden, net.organisation_id):
        start_cycle(app, Network(net.organisation_id, coordinator=net.viewer))
    with refused(app, Forbidden, net.organisation_id):
        app.grant_role(
            net.organisation_id, actor_id=net.viewer, member_id=net.viewer, role="coordinator"
        )


def test_a_contributor_rates_only_as_themselves(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)

    app.record_assessment(
        cycle_id, actor_id=net.midwife, theme_id="network", criterion_id="partners-known", value=2
    )
    with refused(app, Forbidden, cycle_id):
        app.record_assessment(
            cycle_id,
            actor_id=net.midwife,
            rater_id=net.paediatrician,
            theme_id="network",
            criterion_id="partners-known",
            value=5,
        )
    # Naming herself as rater is the same as not naming anyone.
    app.record_assessment(
        cycle_id,
        actor_id=net.midwife,
        rater_id=net.midwife,
        theme_id="families",
        criterion_id="low-threshold",
        value=4,
    )
    ratings = app.cycle(cycle_id)["assessments"]
    assert set(ratings["network/partners-known"]) == {net.midwife}
    assert set(ratings["families/low-threshold"]) == {net.midwife}


def test_a_contributor_cannot_moderate_plan_or_manage(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    complete_analysis(app, net, cycle_id)
    contributor = net.paediatrician

    for name in (
        "add_theme",
        "remove_theme",
        "record_finding",
        "withdraw_finding",
        "set_priorities",
    ):
        with refused(app, Forbidden, cycle_id):
            CYCLE_COMMANDS[name](app, cycle_id, contributor)
    for command in PHASE_COMMANDS.values():
        with refused(app, Forbidden, cycle_id):
            command(app, cycle_id, contributor)
    with refused(app, Forbidden, net.organisation_id):
        app.grant_role(
            net.organisation_id, actor_id=contributor, member_id="neu", role="contributor"
        )
    # Commenting is what contributors may do besides rating and reporting.
    app.add_comment(cycle_id, actor_id=contributor, text="Ich bin dabei.")


def test_a_contributor_reports_only_on_measures_they_are_responsible_for(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "implement")  # measure-1 belongs to the midwife
    app.plan_measure(
        cycle_id,
        actor_id=net.coordinator,
        measure_id="measure-2",
        title="Konferenz",
        responsible_member_id=net.paediatrician,
    )
    app.plan_measure(cycle_id, actor_id=net.coordinator, measure_id="nobodys", title="Offen")

    with refused(app, Forbidden, cycle_id):
        app.change_measure_status(
            cycle_id, actor_id=net.paediatrician, measure_id="measure-1", status="running"
        )
    with refused(app, Forbidden, cycle_id):
        app.change_measure_status(
            cycle_id, actor_id=net.paediatrician, measure_id="nobodys", status="running"
        )
    with refused(app, Forbidden, cycle_id):
        app.plan_measure(
            cycle_id,
            actor_id=net.paediatrician,
            title="Eigene Idee",
            responsible_member_id=net.paediatrician,
        )

    app.change_measure_status(
        cycle_id, actor_id=net.paediatrician, measure_id="measure-2", status="running"
    )
    app.change_measure_status(cycle_id, actor_id=net.midwife, measure_id="measure-1", status="done")
    measures = app.cycle(cycle_id)["measures"]
    assert measures["measure-1"]["status"] == "done"
    assert measures["measure-2"]["status"] == "running"
    assert measures["nobodys"]["status"] == "planned"


def test_a_non_member_gets_not_found_for_everything(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "implement")
    stranger = net.stranger
    organisation = net.organisation_id

    with refused(app, NotFound, organisation):
        app.cycle(cycle_id, actor_id=stranger)
    with refused(app, NotFound, organisation):
        app.organisation(organisation, actor_id=stranger)
    with refused(app, NotFound, organisation):
        app.cycles_of(organisation, actor_id=stranger)
    for name, command in (CYCLE_COMMANDS | PHASE_COMMANDS).items():
        with refused(app, NotFound, cycle_id, organisation) as info:
            command(app, cycle_id, stranger)
        assert info.value.code == "not-found", name
    with refused(app, NotFound, organisation):
        start_cycle(app, Network(organisation, coordinator=stranger))
    for change in (
        lambda: app.grant_role(organisation, actor_id=stranger, member_id=stranger, role="viewer"),
        lambda: app.revoke_role(organisation, actor_id=stranger, member_id=net.midwife),
        lambda: app.rename_organisation(organisation, actor_id=stranger, name="Gekapert"),
    ):
        with refused(app, NotFound, organisation):
            change()
    assert app.memberships(stranger) == []


def test_a_non_member_cannot_tell_an_existing_cycle_or_organisation_from_a_missing_one(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    stranger = net.stranger
    calls: list[tuple[UUID, Callable[[UUID], object]]] = [
        (cycle_id, lambda c: app.cycle(c, actor_id=stranger)),
        (cycle_id, lambda c: app.add_comment(c, actor_id=stranger, text="Hallo?")),
        (net.organisation_id, lambda o: app.organisation(o, actor_id=stranger)),
        (net.organisation_id, lambda o: app.cycles_of(o, actor_id=stranger)),
    ]

    for existing_id, call in calls:
        with pytest.raises(NotFound) as existing:
            call(existing_id)
        with pytest.raises(NotFound) as absent:
            call(uuid4())
        assert existing.value.as_dict() == absent.value.as_dict()


def test_a_stale_version_does_not_tell_a_non_member_that_the_organisation_exists(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    organisation = net.organisation_id

    with refused(app, NotFound, organisation):
        app.grant_role(
            organisation,
            actor_id=net.stranger,
            member_id=net.stranger,
            role="coordinator",
            expected_version=1,
        )
    with refused(app, NotFound, organisation):
        start_cycle(app, Network(organisation, coordinator=net.stranger), expected_version=1)


def test_the_last_coordinator_cannot_be_removed(app: Qualizyklus) -> None:
    net = register_network(app)
    organisation = net.organisation_id

    with invalid(app, "member_id", organisation) as info:
        app.revoke_role(organisation, actor_id=net.coordinator, member_id=net.coordinator)
    assert "letzte Netzwerkkoordination" in info.value.de
    # With a second coordinator, the first may leave; then the second is the last.
    app.grant_role(
        organisation, actor_id=net.coordinator, member_id=net.midwife, role="coordinator"
    )
    app.revoke_role(
        organisation, actor_id=net.coordinator, member_id=net.coordinator, reason="Elternzeit"
    )
    assert app.organisation(organisation)["members"][net.midwife] == "coordinator"
    assert net.coordinator not in app.organisation(organisation)["members"]
    with invalid(app, "member_id", organisation):
        app.revoke_role(organisation, actor_id=net.midwife, member_id=net.midwife)
    # An administrator cannot remove the last coordinator either.
    with invalid(app, "member_id", organisation):
        app.revoke_role(
            organisation, actor_id="admin", member_id=net.midwife, as_administrator=True
        )


def test_the_last_coordinator_cannot_be_demoted_either(app: Qualizyklus) -> None:
    net = register_network(app)
    organisation = net.organisation_id

    with invalid(app, "member_id", organisation):
        app.grant_role(
            organisation, actor_id=net.coordinator, member_id=net.coordinator, role="viewer"
        )
    assert app.organisation(organisation)["members"][net.coordinator] == "coordinator"


def test_roles_must_be_known_and_a_removed_member_is_a_stranger(app: Qualizyklus) -> None:
    net = register_network(app)
    organisation = net.organisation_id
    cycle_id = start_cycle(app, net)

    with invalid(app, "role", organisation):
        app.grant_role(organisation, actor_id=net.coordinator, member_id="neu", role="admin")
    with invalid(app, "role", organisation):  # held already
        app.grant_role(
            organisation, actor_id=net.coordinator, member_id=net.midwife, role="contributor"
        )
    app.revoke_role(
        organisation, actor_id=net.coordinator, member_id=net.midwife, reason="gewechselt"
    )
    with refused(app, NotFound, cycle_id):
        app.add_comment(cycle_id, actor_id=net.midwife, text="Noch da?")
    with refused(app, NotFound, organisation):
        app.revoke_role(organisation, actor_id=net.coordinator, member_id=net.midwife)


def test_attachments_need_a_content_hash_and_a_size_and_are_withdrawn_with_a_reason(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    attach = partial(
        app.attach_evidence,
        cycle_id,
        actor_id=net.midwife,
        filename="Beschluss JHA 2025.pdf",
        media_type="application/pdf",
    )
    with invalid(app, "sha256", cycle_id):
        attach(sha256="not-a-hash", size=10)
    with invalid(app, "size", cycle_id):
        attach(sha256="ab" * 32, size=0)
    with invalid(app, "subject", cycle_id):
        attach(sha256="ab" * 32, size=10, subject="goal:none")
    attach(sha256="ab" * 32, size=10, attachment_id="a-1")

    with invalid(app, "reason", cycle_id):
        app.remove_attachment(cycle_id, actor_id=net.coordinator, attachment_id="a-1", reason="")
    app.remove_attachment(
        cycle_id, actor_id=net.coordinator, attachment_id="a-1", reason="Dublette"
    )

    attachment = app.cycle(cycle_id)["attachments"]["a-1"]
    assert (attachment["removed"], attachment["added_by"], attachment["size"]) == (
        True,
        net.midwife,
        10,
    )
