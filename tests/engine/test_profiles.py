"""The profile store keeps personal data outside the history, and erasing it keeps seals valid."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import IntegrityError

from engine.application.audit import history, verify
from engine.application.service import Qualizyklus
from engine.infrastructure.profiles import pseudonym
from tests.engine.stories import register_network, start_cycle


def test_profiles_are_found_by_id_and_case_insensitive_email(app: Qualizyklus) -> None:
    app.profiles.put("p-1", display_name="Anna Becker", email=" A.Becker@Musterland.example ")

    assert app.profiles.get("p-1")["email"] == "a.becker@musterland.example"
    assert app.profiles.by_email("a.becker@MUSTERLAND.example")["person_id"] == "p-1"
    assert app.profiles.by_email("someone@else.example") is None
    assert app.profiles.get("p-2") is None


def test_an_email_address_belongs_to_one_person_only(app: Qualizyklus) -> None:
    app.profiles.put("p-1", display_name="Anna", email="anna@example.org")
    app.profiles.put("p-2", display_name="Ben")  # several people without e-mail are fine
    app.profiles.put("p-3", display_name="Cem")

    with pytest.raises(IntegrityError):
        app.profiles.put("p-2", display_name="Ben", email="ANNA@example.org")
    assert app.profiles.get("p-2")["email"] == ""


def test_sign_in_data_counts_failures_until_a_new_password_or_success(app: Qualizyklus) -> None:
    app.profiles.put("p-1", display_name="Anna", email="anna@example.org")
    assert app.profiles.set_password_hash("p-1", "hash-1")
    app.profiles.record_failed_login("p-1")
    app.profiles.record_failed_login("p-1")
    failed = app.profiles.get("p-1")
    assert (failed["failed_logins"], failed["password_hash"]) == (2, "hash-1")
    assert failed["last_failed_at"]

    app.profiles.reset_failed_logins("p-1")
    assert app.profiles.get("p-1")["failed_logins"] == 0
    assert app.profiles.set_admin("p-1", True)
    assert app.profiles.get("p-1")["is_admin"] == 1
    assert not app.profiles.set_password_hash("nobody", "hash")


def test_erasing_a_person_leaves_a_pseudonym_in_a_history_that_still_verifies(
    app: Qualizyklus,
) -> None:
    net = register_network(app)
    app.profiles.put(net.coordinator, display_name="Anna Becker", email="anna@example.org")
    cycle_id = start_cycle(app, net)
    actor = history(app, cycle_id)[0]["actor_id"]
    assert app.profiles.display_names([actor]) == {actor: "Anna Becker"}

    assert app.profiles.erase(net.coordinator)

    assert app.profiles.display_names([actor]) == {actor: pseudonym(net.coordinator)}
    assert app.profiles.by_email("anna@example.org") is None
    assert verify(app).ok
    assert not app.profiles.erase(net.coordinator)
