"""The blind first round (nobody sees the group's result of a criterion before rating it) and
rating a whole theme at once (all ratings or none, one event per criterion)."""

from __future__ import annotations

from uuid import UUID

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import Forbidden, InvalidInput
from tests.engine.stories import (
    Network,
    register_network,
    start_cycle,
    stored_topics,
)

ASSESSMENT = "qualizyklus:Cycle.AssessmentRecorded"


def _rated(app: Qualizyklus) -> tuple[Network, UUID]:
    """A cycle in which the midwife and the paediatrician rated 'partners-known' apart."""
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    for rater, value in ((net.midwife, 1), (net.paediatrician, 5)):
        app.record_assessment(
            cycle_id, actor_id=rater, theme_id="network", criterion_id="partners-known", value=value
        )
    return net, cycle_id


def _known(summaries: list[dict], theme_id: str = "network") -> dict:
    theme = next(s for s in summaries if s["theme_id"] == theme_id)
    return theme["criteria"][0]


def test_a_rater_sees_a_criterions_result_only_after_rating_it(app: Qualizyklus) -> None:
    net, cycle_id = _rated(app)
    app.grant_role(
        net.organisation_id, actor_id=net.coordinator, member_id="neu", role="contributor"
    )

    before = app.assessment_summary(cycle_id, actor_id="neu")
    known = _known(before)
    assert known["hidden"] is True
    assert known["raters"] == 2  # how many rated is not a result
    assert (known["median"], known["distribution"], known["disagreement"]) == (None, None, None)
    assert known["ratings"] == {} and known["spread"] is None
    assert before[0]["most_disagreed"] == []
    assert before[0]["overall"]["hidden"] is True and before[0]["overall"]["ratings"] == {}

    app.record_assessment(
        cycle_id, actor_id="neu", theme_id="network", criterion_id="partners-known", value=3
    )
    after = _known(app.assessment_summary(cycle_id, actor_id="neu"))
    assert after["hidden"] is False
    assert after["distribution"] == [1, 0, 1, 0, 1]
    assert after["ratings"] == {net.midwife: 1, net.paediatrician: 5, "neu": 3}


def test_a_coordinator_who_did_not_rate_sees_a_theme_only_when_revealing_it(
    app: Qualizyklus,
) -> None:
    net, cycle_id = _rated(app)
    assert _known(app.assessment_summary(cycle_id, actor_id=net.coordinator))["hidden"] is True
    shown = app.assessment_summary(cycle_id, actor_id=net.coordinator, reveal=["network"])
    assert _known(shown)["hidden"] is False
    assert shown[0]["most_disagreed"] == ["partners-known"]
    # A contributor cannot reveal: the choice belongs to the moderation.
    hidden = app.assessment_summary(cycle_id, actor_id="hebamme", reveal=["network"])
    assert _known(hidden)["hidden"] is False  # she rated it herself
    app.grant_role(
        net.organisation_id, actor_id=net.coordinator, member_id="neu", role="contributor"
    )
    assert _known(app.assessment_summary(cycle_id, actor_id="neu", reveal=["network"]))["hidden"]


def test_viewers_and_everybody_after_the_analysis_see_every_result(app: Qualizyklus) -> None:
    net, cycle_id = _rated(app)
    assert _known(app.assessment_summary(cycle_id, actor_id=net.viewer))["hidden"] is False
    app.record_assessment(
        cycle_id,
        actor_id=net.coordinator,
        theme_id="families",
        criterion_id="low-threshold",
        value=2,
    )
    app.record_finding(cycle_id, actor_id=net.coordinator, finding_id="n", kind="need", text="Mehr")
    app.set_priorities(cycle_id, actor_id=net.coordinator, finding_ids=["n"])
    app.advance_phase(cycle_id, actor_id=net.coordinator)
    assert _known(app.assessment_summary(cycle_id, actor_id=net.coordinator))["hidden"] is False


def test_a_theme_is_rated_at_once_with_one_event_per_criterion(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    before = stored_topics(app, cycle_id).count(ASSESSMENT)

    version = app.record_assessments(
        cycle_id,
        actor_id=net.midwife,
        theme_id="network",
        ratings=[
            {"criterion_id": "partners-known", "value": 4, "note": "gut"},
            {"criterion_id": "binding-structures", "value": "minimum"},
        ],
        expected_version=1,
    )

    assert version == 3
    assert stored_topics(app, cycle_id).count(ASSESSMENT) == before + 2
    assessments = app.cycle(cycle_id)["assessments"]
    assert assessments["network/partners-known"][net.midwife]["value"] == 4
    assert assessments["network/partners-known"][net.midwife]["note"] == "gut"
    assert assessments["network/binding-structures"][net.midwife]["value"] == "minimum"


@pytest.mark.parametrize(
    ("ratings", "field"),
    [
        (
            [
                {"criterion_id": "partners-known", "value": 4},
                {"criterion_id": "binding-structures", "value": "zu-viel"},
            ],
            "ratings.binding-structures.value",
        ),
        ([{"criterion_id": "partners-known", "value": 9}], "ratings.partners-known.value"),
        ([{"criterion_id": "unbekannt", "value": 1}], "ratings.unbekannt.criterion_id"),
        (
            [
                {"criterion_id": "partners-known", "value": 1},
                {"criterion_id": "partners-known", "value": 2},
            ],
            "ratings.partners-known",
        ),
        ([], "ratings"),
    ],
)
def test_one_bad_rating_refuses_the_whole_theme_and_records_nothing(
    app: Qualizyklus, ratings: list[dict], field: str
) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    with pytest.raises(InvalidInput) as refused:
        app.record_assessments(cycle_id, actor_id=net.midwife, theme_id="network", ratings=ratings)
    assert refused.value.field == field
    assert app.cycle(cycle_id)["version"] == 1
    assert ASSESSMENT not in stored_topics(app, cycle_id)


def test_only_the_coordination_rates_a_theme_for_someone_else(app: Qualizyklus) -> None:
    net = register_network(app)
    cycle_id = start_cycle(app, net)
    ratings = [{"criterion_id": "partners-known", "value": 2}]
    with pytest.raises(Forbidden):
        app.record_assessments(
            cycle_id,
            actor_id=net.midwife,
            rater_id=net.paediatrician,
            theme_id="network",
            ratings=ratings,
        )
    app.record_assessments(
        cycle_id,
        actor_id=net.coordinator,
        rater_id=net.paediatrician,
        theme_id="network",
        ratings=ratings,
    )
    assert list(app.cycle(cycle_id)["assessments"]["network/partners-known"]) == [net.paediatrician]
    assert ASSESSMENT in stored_topics(app, cycle_id)


def test_the_blind_themes_follow_the_role_the_reveal_and_the_phase(app: Qualizyklus) -> None:
    net, cycle_id = _rated(app)
    both = ["families", "network"]
    assert app.blind_themes(cycle_id, actor_id=net.midwife) == both
    assert app.blind_themes(cycle_id, actor_id=net.midwife, reveal=["network"]) == both
    assert app.blind_themes(cycle_id, actor_id=net.coordinator, reveal=["network"]) == ["families"]
    assert app.blind_themes(cycle_id, actor_id=net.viewer) == []
