"""State coordinators (LaKo): granted per Land outside the events, by command line or API."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from engine.application.bootstrap import open_engine
from engine.application.service import Qualizyklus
from engine.application.state_office import coordinators, grant, land_of, revoke, state_office
from engine.cli.main import main
from engine.domain.errors import InvalidInput
from engine.infrastructure.settings import Settings


@pytest.fixture
def office_app(settings: Settings) -> Iterator[Qualizyklus]:
    """The engine with every table `qualizyklus init` creates."""
    with open_engine(settings, create_tables=True) as app:
        yield app


def test_a_person_is_granted_one_land_and_a_second_grant_moves_them(
    office_app: Qualizyklus, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="engine.application.state_office"):
        grant(office_app, "person-a", "BY", actor="admin")
    assert land_of(office_app, "person-a") == "BY"
    assert "BY granted to person-a by admin" in caplog.text

    grant(office_app, "person-a", "NI")

    assert land_of(office_app, "person-a") == "NI"
    assert [(c["person_id"], c["land"]) for c in coordinators(office_app)] == [("person-a", "NI")]


def test_an_unknown_land_is_refused_and_nothing_is_stored(office_app: Qualizyklus) -> None:
    with pytest.raises(InvalidInput) as refused:
        grant(office_app, "person-a", "XX")
    assert refused.value.field == "land"
    assert land_of(office_app, "person-a") is None
    assert coordinators(office_app) == []


def test_revoking_ends_the_role_and_says_whether_there_was_one(office_app: Qualizyklus) -> None:
    office = state_office(office_app)
    office.grant("person-a", "BY")
    office.grant("person-b", "BE")

    assert revoke(office_app, "person-a") is True
    assert revoke(office_app, "person-a") is False
    assert land_of(office_app, "person-a") is None
    assert land_of(office_app, "person-b") == "BE"


def test_the_command_line_grants_and_revokes_by_e_mail_address(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", database_url)
    runner = CliRunner()
    assert runner.invoke(main, ["init"], catch_exceptions=False).exit_code == 0
    created = runner.invoke(
        main,
        [
            "users",
            "create",
            "--email",
            "lako@by.example",
            "--name",
            "LaKo Bayern",
            "--password-stdin",
        ],
        input="ein-langes-passwort-123\n",
        catch_exceptions=False,
    )
    assert created.exit_code == 0, created.output
    person_id = created.output.strip()

    granted = runner.invoke(main, ["users", "state-coordinator", "lako@by.example", "--land", "BY"])
    unknown = runner.invoke(main, ["users", "state-coordinator", "lako@by.example", "--land", "XX"])
    neither = runner.invoke(main, ["users", "state-coordinator", "lako@by.example"])
    nobody = runner.invoke(main, ["users", "state-coordinator", "nobody@x.example", "--land", "BY"])

    assert granted.exit_code == 0, granted.output
    assert unknown.exit_code != 0 and "XX" in unknown.output
    assert neither.exit_code != 0 and "--revoke" in neither.output
    assert nobody.exit_code != 0 and "nobody@x.example" in nobody.output
    with _engine(database_url) as app:
        assert land_of(app, person_id) == "BY"

    revoked = runner.invoke(main, ["users", "state-coordinator", "lako@by.example", "--revoke"])
    again = runner.invoke(main, ["users", "state-coordinator", "lako@by.example", "--revoke"])

    assert revoked.exit_code == 0, revoked.output
    assert again.exit_code != 0 and "keine Landeskoordinierung" in again.output
    with _engine(database_url) as app:
        assert land_of(app, person_id) is None


def _engine(database_url: str) -> Qualizyklus:
    return open_engine(Settings(database=database_url))
