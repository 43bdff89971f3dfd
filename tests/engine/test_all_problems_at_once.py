"""A command with several wrong fields is refused once, naming every one of them (not the first
only), and writes nothing: starting a cycle, registering an organisation, granting a role,
creating a survey or a token, and the objections of every validation hook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

import plugins.parent_participation as parent_participation
from engine import hookimpl
from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.application.tokens import create_token
from engine.domain.catalogue import Text
from engine.domain.contributions import FieldProblem
from engine.domain.errors import InvalidInput
from engine.infrastructure.settings import Settings
from tests.engine.stories import register_network, start_cycle
from tests.engine.test_plugin_isolation import _analysed_cycle, engine_with

__all__ = ["engine_with"]  # the fixture shared with the plugin isolation tests


def fields_of(error: InvalidInput) -> list[str]:
    """The fields an InvalidInput names, in order."""
    return [problem.field for problem in error.problems]


def test_starting_a_cycle_with_three_wrong_fields_names_all_three(app: Qualizyklus) -> None:
    network = register_network(app)
    before = app.organisation(network.organisation_id, actor_id=network.coordinator)

    with pytest.raises(InvalidInput) as refused:
        start_cycle(
            app, network, title="   ", themes=["gibt-es-nicht"], period=("2025-12-01", "2025-01-01")
        )

    assert fields_of(refused.value) == ["title", "themes", "period_end"]
    assert "title: darf nicht leer sein" in refused.value.de
    assert "period_end: liegt vor dem Beginn" in refused.value.de
    after = app.organisation(network.organisation_id, actor_id=network.coordinator)
    assert after["version"] == before["version"]
    assert app.cycles_of(network.organisation_id, actor_id=network.coordinator) == []


def test_registering_an_organisation_names_every_wrong_field(app: Qualizyklus) -> None:
    with pytest.raises(InvalidInput) as refused:
        app.register_organisation(name="", slug="Groß Buchstaben", land="XX", coordinator_id="")

    assert fields_of(refused.value) == ["name", "slug", "land", "coordinator_id"]


def test_granting_a_role_names_the_member_and_the_reason(app: Qualizyklus) -> None:
    network = register_network(app)

    with pytest.raises(InvalidInput) as refused:
        app.grant_role(
            network.organisation_id,
            actor_id=network.coordinator,
            member_id=" ",
            role="viewer",
            reason="x" * 5000,
        )

    assert fields_of(refused.value) == ["member_id", "reason"]


class TwoObjections:
    name = "two-objections"

    @hookimpl
    def validate_item(self, kind: str, item: Mapping[str, Any]) -> list[FieldProblem]:
        if kind != "measure":
            return []
        return [
            FieldProblem("resources", Text("Ressourcen angeben.", "State resources.")),
            FieldProblem("due", Text("Ein Termin fehlt.", "A due date is missing.")),
        ]


class OneObjection:
    name = "one-objection"

    @hookimpl
    def validate_item(self, kind: str) -> list[FieldProblem]:
        return [FieldProblem("attrs.level", Text("Stufe fehlt.", "Level missing."))] * (
            kind == "measure"
        )


def test_every_objection_of_every_validation_hook_is_told_and_nothing_is_written(
    engine_with: Any,
) -> None:
    app = engine_with(TwoObjections(), OneObjection())
    network, cycle_id = _analysed_cycle(app)
    app.advance_phase(cycle_id, actor_id=network.coordinator)
    version = app.cycle(cycle_id)["version"]

    with pytest.raises(InvalidInput) as refused:
        app.plan_measure(cycle_id, actor_id=network.coordinator, title="Elterncafé")

    assert sorted(fields_of(refused.value)) == ["attrs.level", "due", "resources"]
    assert "Ressourcen angeben." in refused.value.de and "Stufe fehlt." in refused.value.de
    assert "A due date is missing." in refused.value.en
    assert app.cycle(cycle_id)["version"] == version


def test_creating_a_survey_names_every_wrong_field(settings: Settings) -> None:
    with open_engine(settings, plugins=(parent_participation,), entry_point_group=None) as app:
        network = register_network(app)
        cycle_id = start_cycle(app, network, themes=["parent-participation"])
        version = app.cycle(cycle_id)["version"]

        with pytest.raises(InvalidInput) as refused:
            app.create_survey(
                cycle_id,
                actor_id=network.coordinator,
                title="",
                question_set_id="gibt-es-nicht",
                closes_on="morgen",
                max_answers=0,
            )

        assert fields_of(refused.value) == ["title", "closes_on", "max_answers", "question_set_id"]
        assert app.cycle(cycle_id)["version"] == version


def test_creating_a_token_names_every_wrong_field(app: Qualizyklus) -> None:
    network = register_network(app)
    before = app.organisation(network.organisation_id, actor_id=network.coordinator)

    with pytest.raises(InvalidInput) as refused:
        create_token(
            app,
            network.organisation_id,
            actor_id=network.coordinator,
            role="chefin",
            name=" ",
            expires_on="2020-01-01",
        )

    assert fields_of(refused.value) == ["role", "name", "expires_on"]
    after = app.organisation(network.organisation_id, actor_id=network.coordinator)
    assert after["version"] == before["version"]
