"""Every actor in a history has a name: people, erased people, API tokens and the system."""

from __future__ import annotations

import pytest

from engine.application.service import SYSTEM_ACTOR, Qualizyklus
from engine.application.tokens import create_token
from engine.domain.errors import InvalidInput
from engine.infrastructure.profiles import pseudonym
from tests.engine.stories import register_network


def test_people_tokens_and_the_system_are_named(app: Qualizyklus) -> None:
    net = register_network(app)
    app.profiles.put(net.coordinator, display_name="Anna Becker")
    token = create_token(
        app,
        net.organisation_id,
        actor_id=net.coordinator,
        role="contributor",
        name="Berichtswesen Jugendamt",
    )
    member = token.token.actor_id

    names = app.display_names([net.coordinator, net.midwife, member, SYSTEM_ACTOR])

    assert names == {
        net.coordinator: "Anna Becker",
        net.midwife: pseudonym(net.midwife),
        member: "API-Token „Berichtswesen Jugendamt“",
        SYSTEM_ACTOR: "System",
    }


def test_a_token_does_not_count_as_the_last_coordinator(app: Qualizyklus) -> None:
    net = register_network(app)
    create_token(
        app, net.organisation_id, actor_id=net.coordinator, role="coordinator", name="Import"
    )
    organisation = app.organisation(net.organisation_id)
    assert list(organisation["members"].values()).count("coordinator") == 2

    with pytest.raises(InvalidInput) as refused:
        app.revoke_role(net.organisation_id, actor_id=net.coordinator, member_id=net.coordinator)
    assert refused.value.field == "member_id"
