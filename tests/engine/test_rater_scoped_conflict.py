"""A rating form is stale only for what it is about: people rating at the same time do not
refuse each other, a rater's own changed rating (or a changed phase or theme) does."""

from __future__ import annotations

from uuid import UUID

import pytest

from engine.application.service import Qualizyklus
from engine.domain.errors import Conflict, RatingChanged
from tests.engine.stories import Network, register_network, start_cycle


def _loaded(app: Qualizyklus) -> tuple[Network, UUID, int]:
    """A cycle with one theme whose rating forms everybody loads at the same version."""
    net = register_network(app)
    cycle_id = start_cycle(app, net, themes=["network"])
    return net, cycle_id, app.cycle(cycle_id)["version"]


def _value(app: Qualizyklus, cycle_id: UUID, rater: str) -> object:
    return app.cycle(cycle_id)["assessments"]["network/partners-known"][rater]["value"]


def test_two_members_rating_from_forms_of_the_same_version_are_both_saved(
    app: Qualizyklus,
) -> None:
    net, cycle_id, loaded = _loaded(app)

    for rater, value in ((net.midwife, 2), (net.paediatrician, 4)):
        app.record_assessments(
            cycle_id,
            actor_id=rater,
            theme_id="network",
            ratings=[{"criterion_id": "partners-known", "value": value}],
            expected_version=loaded,
        )
    app.record_assessment(  # the single rating too, and after a finding of the meeting
        cycle_id,
        actor_id=net.coordinator,
        theme_id="network",
        criterion_id="partners-known",
        value=3,
        expected_version=loaded,
    )

    assert _value(app, cycle_id, net.midwife) == 2
    assert _value(app, cycle_id, net.paediatrician) == 4
    assert _value(app, cycle_id, net.coordinator) == 3


def test_a_stale_form_whose_own_rating_changed_meanwhile_is_refused_and_writes_nothing(
    app: Qualizyklus,
) -> None:
    net, cycle_id, loaded = _loaded(app)
    app.record_assessment(  # in another window, or the coordination on her behalf
        cycle_id, actor_id=net.midwife, theme_id="network", criterion_id="partners-known", value=5
    )
    before = app.cycle(cycle_id)["version"]

    with pytest.raises(RatingChanged) as refused:
        app.record_assessments(
            cycle_id,
            actor_id=net.midwife,
            theme_id="network",
            ratings=[
                {"criterion_id": "binding-structures", "value": "minimum"},
                {"criterion_id": "partners-known", "value": 1},
            ],
            expected_version=loaded,
        )

    assert refused.value.criteria == ["partners-known"]
    assert "partners-known" in refused.value.de and "nichts wurde gespeichert" in refused.value.de
    assert isinstance(refused.value, Conflict)  # 412 in the API, as every stale version
    assert app.cycle(cycle_id)["version"] == before
    assert _value(app, cycle_id, net.midwife) == 5
    assert "network/binding-structures" not in app.cycle(cycle_id)["assessments"]


def test_a_changed_theme_or_a_version_not_yet_stored_still_refuses_a_rating_form(
    app: Qualizyklus,
) -> None:
    net, cycle_id, loaded = _loaded(app)
    app.add_theme(cycle_id, actor_id=net.coordinator, theme_id="families")
    rating = {"theme_id": "network", "criterion_id": "partners-known", "value": 2}

    with pytest.raises(Conflict):
        app.record_assessment(cycle_id, actor_id=net.midwife, expected_version=loaded, **rating)
    with pytest.raises(Conflict):
        app.record_assessment(cycle_id, actor_id=net.midwife, expected_version=loaded + 5, **rating)
    assert app.cycle(cycle_id)["assessments"] == {}
