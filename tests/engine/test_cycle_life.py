"""The life of a cycle, told as the story of one network's year of quality development.

Landkreis Beispiel's network coordinator starts a cycle on two themes. The midwife and the
paediatrician rate criteria, the network records strengths and needs and chooses what to
work on, plans goals and measures, carries them out, reviews them and closes the cycle;
next year's cycle takes over what was carried over. Each step checks what it guarantees.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import GateRefused
from tests.engine.stories import (
    Network,
    cycle_in_phase,
    register_network,
    start_cycle,
    stored_events,
    stored_topics,
)

ASSESSMENT = "qualizyklus:Cycle.AssessmentRecorded"


@pytest.mark.parametrize("workflow_version", [1, None], ids=["workflow-v1", "workflow-latest"])
def test_a_network_runs_a_cycle_from_analysis_to_close_and_the_next_takes_over_carried_measures(
    app: Qualizyklus, workflow_version: int | None
) -> None:
    net = register_network(app)
    coord, midwife, paed = net.coordinator, net.midwife, net.paediatrician

    # The coordinator starts a cycle on two themes; it begins in the analysis.
    cycle_id = start_cycle(app, net, workflow_version=workflow_version)
    assert isinstance(cycle_id, UUID)
    cycle = app.cycle(cycle_id)
    assert cycle["id"] == str(cycle_id)
    assert cycle["version"] == 1
    assert cycle["phase"] == "analyse"
    assert cycle["title"] == "Qualitätszyklus 2025"
    assert cycle["themes"] == ["network", "families"]
    assert cycle["theme_versions"] == {"network": "1.0", "families": "2.1"}
    assert cycle["workflow_id"] == "standard"
    assert cycle["workflow_version"] == (workflow_version or 2)
    assert (cycle["period_start"], cycle["period_end"]) == (date(2025, 1, 1), date(2025, 12, 31))
    assert cycle["follows"] is None
    assert cycle["closing"] is None
    assert app.organisation(net.organisation_id)["cycles"] == [str(cycle_id)]

    # Contributors rate criteria as themselves; each rating is one new version.
    assert (
        app.record_assessment(
            cycle_id,
            actor_id=midwife,
            theme_id="network",
            criterion_id="partners-known",
            value=2,
            note="Die Kinderärzte kennen wir kaum.",
        )
        == 2
    )
    assert (
        app.record_assessment(
            cycle_id, actor_id=paed, theme_id="network", criterion_id="partners-known", value=4
        )
        == 3
    )
    # A two-level standard is rated by its level; the coordinator rates on someone's behalf.
    app.record_assessment(
        cycle_id,
        actor_id=coord,
        theme_id="network",
        criterion_id="binding-structures",
        value="minimum",
    )
    app.record_assessment(
        cycle_id,
        actor_id=coord,
        rater_id=midwife,
        theme_id="families",
        criterion_id="low-threshold",
        value=2,
        note="im Gespräch erhoben",
    )

    # The midwife changes her mind: her newer rating supersedes hers, not the paediatrician's.
    version = app.record_assessment(
        cycle_id,
        actor_id=midwife,
        theme_id="network",
        criterion_id="partners-known",
        value=3,
        note="Nach dem Netzwerktreffen besser.",
    )
    assert version == 6
    ratings = app.cycle(cycle_id)["assessments"]
    assert set(ratings) == {
        "network/partners-known",
        "network/binding-structures",
        "families/low-threshold",
    }
    partners = ratings["network/partners-known"]
    assert set(partners) == {midwife, paed}
    assert partners[midwife]["value"] == 3
    assert partners[midwife]["note"] == "Nach dem Netzwerktreffen besser."
    assert partners[midwife]["version"] == 6
    assert partners[paed]["value"] == 4
    assert ratings["network/binding-structures"][coord]["value"] == "minimum"
    assert ratings["families/low-threshold"][midwife]["value"] == 2

    # ... while every rating stays in the history: five recorded, both of the midwife's.
    assert stored_topics(app, cycle_id).count(ASSESSMENT) == 5
    midwife_partner_values = [
        e.value
        for e in stored_events(app, cycle_id)
        if e.TOPIC == ASSESSMENT
        and (e.rater_id, e.criterion_id) == (midwife, "partners-known")
        and e.actor_id == midwife
    ]
    assert midwife_partner_values == [2, 3]

    # Strengths and needs (Stärken, Entwicklungsbedarfe) are recorded, one need withdrawn.
    app.record_finding(
        cycle_id,
        actor_id=coord,
        finding_id="strength-1",
        kind="strength",
        text="Hebammen und Kinderärzte kennen einander.",
        theme_id="network",
        criterion_id="partners-known",
    )
    app.record_finding(
        cycle_id,
        actor_id=coord,
        finding_id="need-access",
        kind="need",
        text="Familien mit Fluchterfahrung werden kaum erreicht.",
        theme_id="families",
        criterion_id="low-threshold",
    )
    app.record_finding(
        cycle_id,
        actor_id=coord,
        finding_id="need-agreements",
        kind="need",
        text="Es fehlen verbindliche Kooperationsvereinbarungen.",
        theme_id="network",
    )
    app.record_finding(
        cycle_id, actor_id=coord, finding_id="need-website", kind="need", text="Webseite fehlt."
    )
    app.withdraw_finding(
        cycle_id, actor_id=coord, finding_id="need-website", reason="Gibt es schon beim Land."
    )
    findings = app.cycle(cycle_id)["findings"]
    assert findings["strength-1"]["kind"] == "strength"
    assert findings["need-access"] == {
        "kind": "need",
        "theme_id": "families",
        "criterion_id": "low-threshold",
        "text": "Familien mit Fluchterfahrung werden kaum erreicht.",
        "withdrawn": False,
    }
    assert findings["need-website"]["withdrawn"] is True

    # Priorities: the needs to work on, most important first.
    app.set_priorities(cycle_id, actor_id=coord, finding_ids=["need-access", "need-agreements"])
    assert app.cycle(cycle_id)["priorities"] == ["need-access", "need-agreements"]

    # Members comment on the cycle and on its items.
    app.add_comment(cycle_id, actor_id=paed, comment_id="c-1", text="Gute Runde!")
    app.add_comment(
        cycle_id,
        actor_id=midwife,
        comment_id="c-2",
        subject="finding:need-access",
        text="Die Unterkunft in der Bahnhofstraße fragen.",
    )
    comments = app.cycle(cycle_id)["comments"]
    assert comments["c-1"]["author_id"] == paed
    assert comments["c-1"]["subject"] == "cycle"
    assert comments["c-2"]["subject"] == "finding:need-access"

    # The analysis is complete: on to planning.
    assert app.next_step(cycle_id) == {
        "phase": "analyse",
        "next": "plan",
        "closes": False,
        "reasons": [],
    }
    before = app.cycle(cycle_id)["version"]
    assert app.advance_phase(cycle_id, actor_id=coord) == before + 1
    assert app.cycle(cycle_id)["phase"] == "plan"

    # Goals with indicators, baseline and target; a goal can be revised.
    app.set_goal(
        cycle_id,
        actor_id=coord,
        goal_id="goal-access",
        theme_id="families",
        title="Familien mit Fluchterfahrung erreichen",
        indicator="Anteil erreichter Familien in Unterkünften",
        unit="%",
        baseline=10,
        target=30,
        due="2025-11-30",
    )
    app.set_goal(
        cycle_id,
        actor_id=coord,
        goal_id="goal-agreements",
        theme_id="network",
        title="Verbindliche Kooperation",
        indicator="Unterzeichnete Kooperationsvereinbarungen",
        unit="Anzahl",
        baseline=0,
        target=4,
    )
    app.revise_goal(
        cycle_id,
        actor_id=coord,
        goal_id="goal-agreements",
        reason="realistischer",
        title="Verbindliche Kooperation",
        indicator="Unterzeichnete Kooperationsvereinbarungen",
        unit="Anzahl",
        baseline=0,
        target=3,
        theme_id="network",
    )
    goals = app.cycle(cycle_id)["goals"]
    assert goals["goal-access"]["indicator"] == "Anteil erreichter Familien in Unterkünften"
    assert (goals["goal-access"]["baseline"], goals["goal-access"]["target"]) == (10, 30)
    assert goals["goal-access"]["due"] == date(2025, 11, 30)
    assert goals["goal-agreements"]["target"] == 3
    assert goals["goal-agreements"]["values"] == []
    assert goals["goal-agreements"]["review"] is None

    # Measures with a responsible member, dates, resources and theme data.
    app.plan_measure(
        cycle_id,
        actor_id=coord,
        measure_id="m-office-hours",
        goal_id="goal-access",
        theme_id="network",
        title="Offene Sprechstunde in der Unterkunft",
        responsible_member_id=midwife,
        start="2025-03-01",
        due="2025-09-30",
        resources="2 Stunden pro Woche",
        attrs={"level": 6},
    )
    app.plan_measure(
        cycle_id,
        actor_id=coord,
        measure_id="m-flyer",
        goal_id="goal-access",
        title="Mehrsprachiger Flyer",
        responsible_member_id=paed,
        due="2025-05-31",
    )
    app.plan_measure(
        cycle_id,
        actor_id=coord,
        measure_id="m-agreement",
        goal_id="goal-agreements",
        theme_id="network",
        title="Kooperationsvereinbarung mit den Kinderärzten",
        responsible_member_id=paed,
        start="2025-04-01",
        due="2025-12-15",
        attrs={"level": 5},
    )
    measures = app.cycle(cycle_id)["measures"]
    office_hours = measures["m-office-hours"]
    assert office_hours["status"] == "planned"
    assert office_hours["responsible_member_id"] == midwife
    assert (office_hours["start"], office_hours["due"]) == (date(2025, 3, 1), date(2025, 9, 30))
    assert office_hours["resources"] == "2 Stunden pro Woche"
    assert office_hours["attrs"] == {"level": 6}
    assert office_hours["carried_from_cycle"] is None
    app.revise_measure(
        cycle_id,
        actor_id=coord,
        measure_id="m-flyer",
        reason="Übersetzung dauert länger",
        goal_id="goal-access",
        title="Mehrsprachiger Flyer",
        responsible_member_id=paed,
        due="2025-06-30",
    )
    assert app.cycle(cycle_id)["measures"]["m-flyer"]["due"] == date(2025, 6, 30)

    # Planning is complete: on to the implementation.
    app.advance_phase(cycle_id, actor_id=coord)
    assert app.cycle(cycle_id)["phase"] == "implement"

    # Measures move through every status; contributors report on their own measures.
    def status_of(measure_id: str) -> str:
        return str(app.cycle(cycle_id)["measures"][measure_id]["status"])

    app.change_measure_status(
        cycle_id, actor_id=midwife, measure_id="m-office-hours", status="running"
    )
    assert status_of("m-office-hours") == "running"
    app.change_measure_status(
        cycle_id,
        actor_id=paed,
        measure_id="m-flyer",
        status="blocked",
        reason="Keine Übersetzerin gefunden.",
    )
    assert status_of("m-flyer") == "blocked"
    app.change_measure_status(cycle_id, actor_id=paed, measure_id="m-flyer", status="planned")
    assert status_of("m-flyer") == "planned"
    app.change_measure_status(
        cycle_id,
        actor_id=coord,
        measure_id="m-flyer",
        status="dropped",
        reason="Das Land stellt einen Flyer bereit.",
    )
    assert status_of("m-flyer") == "dropped"
    app.change_measure_status(cycle_id, actor_id=paed, measure_id="m-agreement", status="running")

    # A measure can still be added while implementing.
    app.plan_measure(
        cycle_id,
        actor_id=coord,
        measure_id="m-interpreters",
        title="Dolmetscherpool",
        responsible_member_id=midwife,
        due="2025-10-31",
    )
    assert status_of("m-interpreters") == "planned"

    # Indicator values are recorded as they are measured.
    app.record_indicator_value(
        cycle_id,
        actor_id=midwife,
        goal_id="goal-access",
        value=15,
        measured_on="2025-06-30",
        source="Sprechstundenliste",
    )
    app.record_indicator_value(
        cycle_id,
        actor_id=coord,
        goal_id="goal-access",
        value=22.5,
        measured_on=date(2025, 9, 30),
    )
    assert app.cycle(cycle_id)["goals"]["goal-access"]["values"] == [
        {
            "value": 15.0,
            "measured_on": date(2025, 6, 30),
            "source": "Sprechstundenliste",
            "position": 0,
            "corrected": None,
            "withdrawn": None,
        },
        {
            "value": 22.5,
            "measured_on": date(2025, 9, 30),
            "source": "",
            "position": 1,
            "corrected": None,
            "withdrawn": None,
        },
    ]

    # Every measure is settled: done, dropped or carried over to the next cycle.
    app.change_measure_status(
        cycle_id, actor_id=midwife, measure_id="m-office-hours", status="done"
    )
    app.change_measure_status(
        cycle_id, actor_id=midwife, measure_id="m-interpreters", status="done"
    )
    app.change_measure_status(
        cycle_id,
        actor_id=coord,
        measure_id="m-agreement",
        status="carried-over",
        reason="Unterschrift erst im Frühjahr.",
    )
    assert {m: status_of(m) for m in app.cycle(cycle_id)["measures"]} == {
        "m-office-hours": "done",
        "m-flyer": "dropped",
        "m-agreement": "carried-over",
        "m-interpreters": "done",
    }
    app.advance_phase(cycle_id, actor_id=coord)
    assert app.cycle(cycle_id)["phase"] == "review"

    # The review: a last value, goals judged (a newer verdict supersedes), lessons learned.
    app.record_indicator_value(
        cycle_id, actor_id=coord, goal_id="goal-access", value=24, measured_on="2025-11-30"
    )
    app.review_goal(
        cycle_id,
        actor_id=coord,
        goal_id="goal-access",
        verdict="not",
        evidence="Ziel 30 % nicht erreicht.",
    )
    app.review_goal(
        cycle_id,
        actor_id=coord,
        goal_id="goal-access",
        verdict="partly",
        evidence="Von 10 % auf 24 % gestiegen.",
        reason="Steigerung gewürdigt",
    )
    app.review_goal(
        cycle_id,
        actor_id=coord,
        goal_id="goal-agreements",
        verdict="not",
        evidence="Vereinbarung noch nicht unterschrieben.",
    )
    goals = app.cycle(cycle_id)["goals"]
    assert goals["goal-access"]["review"] == {
        "verdict": "partly",
        "evidence": "Von 10 % auf 24 % gestiegen.",
    }
    assert goals["goal-agreements"]["review"]["verdict"] == "not"
    assert len(goals["goal-access"]["values"]) == 3
    app.record_lesson(
        cycle_id,
        actor_id=coord,
        lesson_id="l-1",
        theme_id="families",
        text="Aufsuchende Angebote wirken besser als Flyer.",
    )
    app.record_lesson(cycle_id, actor_id=coord, lesson_id="l-2", text="Früher anfangen.")
    assert app.cycle(cycle_id)["lessons"] == {
        "l-1": {"theme_id": "families", "text": "Aufsuchende Angebote wirken besser als Flyer."},
        "l-2": {"theme_id": None, "text": "Früher anfangen."},
    }
    app.add_comment(
        cycle_id, actor_id=midwife, comment_id="c-3", subject="lesson:l-1", text="Genau so."
    )

    # The review ends by closing the cycle with a summary and what follows.
    assert app.next_step(cycle_id)["closes"] is True
    app.close_cycle(
        cycle_id,
        actor_id=coord,
        summary="Zugang zu Familien deutlich verbessert.",
        follow_up="Kooperationsvereinbarung im nächsten Zyklus abschließen.",
    )
    closed = app.cycle(cycle_id)
    assert closed["phase"] == "closed"
    assert closed["closing"] == {
        "summary": "Zugang zu Familien deutlich verbessert.",
        "follow_up": "Kooperationsvereinbarung im nächsten Zyklus abschließen.",
    }
    assert app.next_step(cycle_id) == {
        "phase": "closed",
        "next": None,
        "closes": False,
        "reasons": [],
    }
    # A closed cycle can still be commented on.
    app.add_comment(cycle_id, actor_id=paed, comment_id="c-4", text="Danke an alle!")
    assert app.cycle(cycle_id)["version"] == len(app.recorder.select_events(cycle_id))
    before_follow_up = app.cycle(cycle_id)

    # Next year's cycle follows this one and takes over the carried-over measure, and only it.
    next_id = start_cycle(
        app,
        net,
        workflow_version=workflow_version,
        title="Qualitätszyklus 2026",
        period=("2026-01-01", "2026-12-31"),
        themes=["network"],
        follows=cycle_id,
    )
    follow_up = app.cycle(next_id)
    assert follow_up["follows"] == str(cycle_id)
    assert follow_up["phase"] == "analyse"
    assert list(follow_up["measures"]) == ["m-agreement"]
    taken_over = follow_up["measures"]["m-agreement"]
    assert taken_over["status"] == "planned"
    assert taken_over["title"] == "Kooperationsvereinbarung mit den Kinderärzten"
    assert taken_over["responsible_member_id"] == paed
    assert taken_over["theme_id"] == "network"
    assert taken_over["attrs"] == {"level": 5}
    assert taken_over["goal_id"] is None
    assert taken_over["carried_from_cycle"] == str(cycle_id)
    assert taken_over["carried_from_measure"] == "m-agreement"
    assert follow_up["version"] == 2  # started, then the measure taken over
    # The previous cycle is untouched by its successor.
    assert app.cycle(cycle_id) == before_follow_up
    assert before_follow_up["measures"]["m-agreement"]["status"] == "carried-over"

    # The organisation lists both cycles, newest first.
    summaries = app.cycles_of(net.organisation_id, actor_id=net.viewer)
    assert [s["id"] for s in summaries] == [str(next_id), str(cycle_id)]
    assert [s["phase"] for s in summaries] == ["analyse", "closed"]
    assert summaries[0]["follows"] == str(cycle_id)


def test_a_carried_measure_loses_a_theme_the_follow_up_cycle_does_not_have(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net, workflow_version=1)
    _carry_over_one_measure(app, net, cycle_id, theme_id="network")

    next_id = start_cycle(app, net, themes=["families"], follows=cycle_id)

    measure = app.cycle(next_id)["measures"]["m-carried"]
    assert measure["theme_id"] is None
    assert measure["carried_from_cycle"] == str(cycle_id)


def test_every_event_of_the_cycle_names_its_actor_and_reasons_travel_with_changes(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    app.record_finding(
        cycle_id, actor_id=net.coordinator, finding_id="n", kind="need", text="Bedarf"
    )
    app.withdraw_finding(
        cycle_id, actor_id=net.coordinator, finding_id="n", reason="doppelt erfasst"
    )
    app.record_assessment(
        cycle_id, actor_id=net.midwife, theme_id="families", criterion_id="low-threshold", value=1
    )

    events = stored_events(app, cycle_id)
    assert [e.actor_id for e in events] == [
        net.coordinator,
        net.coordinator,
        net.coordinator,
        net.midwife,
    ]
    assert events[2].reason == "doppelt erfasst"
    assert [e.originator_version for e in events] == [1, 2, 3, 4]


def test_the_latest_workflow_asks_for_priorities_before_planning_while_version_1_does_not(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    old = start_cycle(app, net, workflow_version=1)
    latest = start_cycle(app, net)
    for cycle_id in (old, latest):
        for theme, criterion in (("network", "partners-known"), ("families", "low-threshold")):
            app.record_assessment(
                cycle_id,
                actor_id=net.coordinator,
                theme_id=theme,
                criterion_id=criterion,
                value=3,
            )
        app.record_finding(
            cycle_id, actor_id=net.coordinator, finding_id="need-1", kind="need", text="Bedarf"
        )

    # Version 1 lets the analysis end without priorities ...
    app.advance_phase(old, actor_id=net.coordinator)
    assert app.cycle(old)["phase"] == "plan"

    # ... the latest version (2) refuses until priorities are chosen.
    assert app.cycle(latest)["workflow_version"] == 2
    with pytest.raises(GateRefused) as refused:
        app.advance_phase(latest, actor_id=net.coordinator)
    assert [r.code for r in refused.value.reasons] == ["priorities-missing"]
    app.set_priorities(latest, actor_id=net.coordinator, finding_ids=["need-1"])
    app.advance_phase(latest, actor_id=net.coordinator)
    assert app.cycle(latest)["phase"] == "plan"


def test_withdrawing_a_prioritised_need_drops_it_from_the_priorities(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    for finding_id in ("need-1", "need-2"):
        app.record_finding(
            cycle_id, actor_id=net.coordinator, finding_id=finding_id, kind="need", text="Bedarf"
        )
    app.set_priorities(cycle_id, actor_id=net.coordinator, finding_ids=["need-2", "need-1"])

    app.withdraw_finding(
        cycle_id, actor_id=net.coordinator, finding_id="need-2", reason="erledigt sich"
    )

    assert app.cycle(cycle_id)["priorities"] == ["need-1"]


def test_a_reopened_cycle_goes_back_with_its_reason_and_a_reopened_closed_cycle_is_open(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = cycle_in_phase(app, net, "closed")

    app.reopen_phase(
        cycle_id,
        actor_id=net.coordinator,
        to_phase="review",
        reason="Ein Ziel wurde falsch bewertet.",
    )

    cycle = app.cycle(cycle_id)
    assert cycle["phase"] == "review"
    assert cycle["closing"] is None
    reopened = stored_events(app, cycle_id)[-1]
    assert reopened.TOPIC == "qualizyklus:Cycle.PhaseReopened"
    assert (reopened.from_phase, reopened.to_phase) == ("closed", "review")
    assert reopened.reason == "Ein Ziel wurde falsch bewertet."
    # The cycle can be closed again.
    app.close_cycle(cycle_id, actor_id=net.coordinator, summary="Neu bewertet.")
    assert app.cycle(cycle_id)["closing"] == {"summary": "Neu bewertet.", "follow_up": ""}


def _carry_over_one_measure(
    app: Qualizyklus, net: Network, cycle_id: UUID, *, theme_id: str
) -> None:
    """Bring a version-1 cycle to review with one measure carried over, and close it."""
    coord = net.coordinator
    for theme, criterion in (("network", "partners-known"), ("families", "low-threshold")):
        app.record_assessment(
            cycle_id, actor_id=coord, theme_id=theme, criterion_id=criterion, value=3
        )
    app.record_finding(cycle_id, actor_id=coord, kind="need", text="Bedarf")
    app.advance_phase(cycle_id, actor_id=coord)
    app.set_goal(cycle_id, actor_id=coord, goal_id="g", title="Ziel", indicator="Zahl")
    app.plan_measure(
        cycle_id,
        actor_id=coord,
        measure_id="m-carried",
        title="Weiter so",
        theme_id=theme_id,
        responsible_member_id=net.midwife,
        due="2025-12-01",
    )
    app.advance_phase(cycle_id, actor_id=coord)
    app.change_measure_status(
        cycle_id, actor_id=coord, measure_id="m-carried", status="carried-over"
    )
    app.advance_phase(cycle_id, actor_id=coord)
    app.review_goal(cycle_id, actor_id=coord, goal_id="g", verdict="reached", evidence="ja")
    app.close_cycle(cycle_id, actor_id=coord, summary="fertig")
