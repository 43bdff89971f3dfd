"""The blind first round ends for a criterion once a facilitator revealed its results in a
rating session: from then on every view shows it to everybody (summary, state, history)."""

from __future__ import annotations

from engine.application import audit
from engine.application.service import Qualizyklus
from tests.engine.stories import register_network, start_cycle
from tests.engine.test_rating_sessions import soon

KEY = "network/partners-known"


def _known(app: Qualizyklus, cycle_id: object, reader: str) -> dict:
    summary = app.assessment_summary(cycle_id, actor_id=reader)  # type: ignore[arg-type]
    theme = next(s for s in summary if s["theme_id"] == "network")
    return next(c for c in theme["criteria"] if c["criterion_id"] == "partners-known")


def test_a_criterion_revealed_in_a_session_is_shown_to_those_who_did_not_rate_it(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    for rater, value in ((net.midwife, 1), (net.paediatrician, 5)):
        app.record_assessment(
            cycle_id, actor_id=rater, theme_id="network", criterion_id="partners-known", value=value
        )
    app.grant_role(
        net.organisation_id, actor_id=net.coordinator, member_id="neu", role="contributor"
    )
    session = app.open_rating_session(
        cycle_id, actor_id=net.coordinator, title="Treffen", criteria=[KEY], ends_at=soon()
    )
    blind = app.blind_round(cycle_id, actor_id="neu")
    assert _known(app, cycle_id, "neu")["hidden"] is True
    assert blind is not None and blind.hides(KEY)
    assert KEY not in blind.state(app.cycle(cycle_id))["assessments"]
    masked = audit.history(app, cycle_id, blind=blind)
    assert "'value'" not in repr(
        [e["changes"] for e in masked if e["event"] == "AssessmentRecorded"]
    )

    app.reveal_session_results(cycle_id, session["session_id"], actor_id=net.coordinator)

    shown = _known(app, cycle_id, "neu")
    assert shown["hidden"] is False and shown["distribution"] == [1, 0, 0, 0, 1]
    blind = app.blind_round(cycle_id, actor_id="neu")
    assert blind is not None and not blind.hides(KEY)  # other criteria stay blind
    assert blind.hides("network/binding-structures")
    shown_history = repr([e["changes"] for e in audit.history(app, cycle_id, blind=blind)])
    assert "'value': 1" in shown_history and "'value': 5" in shown_history
