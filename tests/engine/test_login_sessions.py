"""Sign-in sessions on the server: they end at sign-out, on a new password, on erasure, when
idle too long and when too old; failed sign-ins are counted alike for every address."""

from __future__ import annotations

from datetime import timedelta

import pytest

from engine.application.service import Qualizyklus
from engine.infrastructure.login_sessions import SessionPolicy, hash_secret, login_sessions
from engine.infrastructure.sign_in_throttle import (
    ADDRESS,
    CLIENT,
    address_key,
    client_key,
    sign_in_throttle,
)

POLICY = SessionPolicy(idle=timedelta(minutes=30), max_age=timedelta(hours=8))
T0 = 1_700_000_000.0


def _stored(app: Qualizyklus, column: str) -> list[str]:
    """The raw values of one column of the session table, as the database holds them."""
    table = login_sessions(app)._table  # the raw table is what is checked
    with app.factory.datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"SELECT {column} FROM {table}")
        return [row[column] for row in cursor.fetchall()]


def _person(app: Qualizyklus, person_id: str = "p-1", email: str = "anna@example.org") -> str:
    app.profiles.put(person_id, display_name="Anna", email=email)
    app.profiles.set_password_hash(person_id, "hash-1")
    return person_id


def test_a_session_is_known_by_its_secret_whose_hash_alone_is_stored(app: Qualizyklus) -> None:
    store = login_sessions(app)
    secret = store.start(_person(app), POLICY, now=T0)

    assert store.check(secret, POLICY, now=T0 + 1) == "p-1"
    assert store.check(secret + "x", POLICY, now=T0 + 1) is None
    assert store.check("", POLICY, now=T0 + 1) is None
    assert store.check(hash_secret(secret), POLICY, now=T0 + 1) is None  # the stored form fails
    stored = _stored(app, "secret_hash")
    assert stored == [hash_secret(secret)] and secret not in stored


def test_the_profile_behind_a_live_session_comes_with_it_in_one_query(app: Qualizyklus) -> None:
    store = login_sessions(app)
    secret = store.start(_person(app), POLICY, now=T0)
    orphan = store.start("nobody", POLICY, now=T0)  # a session whose person has no profile

    profile = app.profiles.signed_in(secret, POLICY, now=T0 + 1)
    assert profile == app.profiles.get("p-1")
    assert profile is not None and profile["password_hash"] == "hash-1"
    assert app.profiles.signed_in(orphan, POLICY, now=T0 + 1) is None
    assert app.profiles.signed_in(secret + "x", POLICY, now=T0 + 1) is None
    assert app.profiles.signed_in(secret, POLICY, now=T0 + 31 * 60 + 1) is None  # idle too long
    assert app.profiles.signed_in(secret, POLICY, now=T0 + 1) is None  # and deleted then
    assert _stored(app, "secret_hash") == [hash_secret(orphan)]


def test_ending_a_session_refuses_its_secret_and_leaves_the_others(app: Qualizyklus) -> None:
    store = login_sessions(app)
    person_id = _person(app)
    first, second = store.start(person_id, POLICY, now=T0), store.start(person_id, POLICY, now=T0)

    assert store.end(first)
    assert store.check(first, POLICY, now=T0 + 1) is None
    assert store.check(second, POLICY, now=T0 + 1) == person_id
    assert not store.end(first)  # ended once only


def test_an_idle_session_expires_and_use_keeps_it_alive(app: Qualizyklus) -> None:
    store = login_sessions(app)
    busy = store.start(_person(app), POLICY, now=T0)
    idle = store.start("p-1", POLICY, now=T0)
    for minute in range(10, 100, 10):  # used every ten minutes for an hour and a half
        assert store.check(busy, POLICY, now=T0 + minute * 60) == "p-1"

    assert store.check(idle, POLICY, now=T0 + 30 * 60) == "p-1"  # exactly at the limit
    assert store.check(idle, POLICY, now=T0 + 61 * 60) is None  # 31 minutes idle
    assert store.count("p-1", POLICY, now=T0 + 61 * 60) == 1
    assert store.check(idle, POLICY, now=T0 + 61 * 60 + 1) is None  # and it stays refused


def test_last_seen_is_written_at_most_once_a_minute(app: Qualizyklus) -> None:
    store = login_sessions(app)
    secret = store.start(_person(app), POLICY, now=T0)

    def last_seen() -> float:
        return float(_stored(app, "last_seen_at")[0])

    store.check(secret, POLICY, now=T0 + 30)
    assert last_seen() == T0
    store.check(secret, POLICY, now=T0 + 61)
    assert last_seen() == T0 + 61


def test_a_session_ends_at_the_absolute_limit_however_busy(app: Qualizyklus) -> None:
    store = login_sessions(app)
    secret = store.start(_person(app), POLICY, now=T0)
    for minute in range(20, 8 * 60, 20):
        assert store.check(secret, POLICY, now=T0 + minute * 60) == "p-1"
    assert store.check(secret, POLICY, now=T0 + 8 * 3600 + 1) is None


def test_a_new_password_ends_every_session_of_the_person_only(app: Qualizyklus) -> None:
    store = login_sessions(app)
    anna, ben = _person(app), _person(app, "p-2", "ben@example.org")
    annas = [store.start(anna, POLICY) for _ in range(2)]
    bens = store.start(ben, POLICY)

    assert app.profiles.set_password_hash(anna, "hash-2")
    assert [store.check(secret, POLICY) for secret in annas] == [None, None]
    assert store.check(bens, POLICY) == ben


def test_sign_out_everywhere_and_erasure_end_the_sessions(app: Qualizyklus) -> None:
    store = login_sessions(app)
    anna, ben = _person(app), _person(app, "p-2", "ben@example.org")
    annas, bens = store.start(anna, POLICY), store.start(ben, POLICY)

    assert store.end_all(anna) == 1
    assert store.check(annas, POLICY) is None
    assert app.profiles.erase(ben)
    assert store.check(bens, POLICY) is None
    assert store.end_all(ben) == 0


def test_starting_a_session_deletes_sessions_that_ran_out(app: Qualizyklus) -> None:
    store = login_sessions(app)
    old = store.start(_person(app), POLICY, now=T0)
    store.start("p-1", POLICY, now=T0 + 3600)
    stored = _stored(app, "secret_hash")
    assert hash_secret(old) not in stored and len(stored) == 1


def test_session_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        SessionPolicy(idle=timedelta(0))
    with pytest.raises(ValueError, match="positive"):
        SessionPolicy(max_age=timedelta(minutes=-1))


def test_an_address_waits_after_three_failures_whether_or_not_anyone_has_it(
    app: Qualizyklus,
) -> None:
    throttle = sign_in_throttle(app)
    _person(app)
    waits = {}
    for address in ("Anna@Example.org ", "nobody@example.org"):
        key = address_key(address)
        seen = []
        for attempt in range(5):
            seen.append(throttle.wait(key, now=T0 + attempt / 10))
            if seen[-1] == 0:
                throttle.record_failure(key, now=T0 + attempt / 10)
        waits[address] = seen
    assert waits["Anna@Example.org "] == waits["nobody@example.org"] == [0, 0, 0, 2, 2]
    assert throttle.wait(address_key("ANNA@example.org"), now=T0 + 1.2) == 1  # same address
    assert throttle.wait(address_key("anna@example.org"), now=T0 + 2.3) == 0  # waited enough


def test_waits_double_up_to_fifteen_minutes_and_a_quiet_day_forgets(app: Qualizyklus) -> None:
    throttle = sign_in_throttle(app)
    key = address_key("anna@example.org")
    for _ in range(20):
        throttle.record_failure(key, now=T0)
    assert throttle.wait(key, now=T0) == 15 * 60
    day = ADDRESS.forget_after.total_seconds()
    assert throttle.wait(key, now=T0 + day + 1) == 0
    throttle.record_failure(key, now=T0 + day + 1)  # counting starts again
    assert throttle.failures(key) == (1, T0 + day + 1)


def test_a_client_waits_after_many_failures_across_addresses(app: Qualizyklus) -> None:
    throttle = sign_in_throttle(app)
    client = client_key("192.0.2.7")
    for number in range(CLIENT.free):
        assert throttle.wait(address_key(f"p{number}@example.org"), client, now=T0) == 0
        throttle.record_failure(address_key(f"p{number}@example.org"), client, now=T0)
    assert throttle.wait(address_key("fresh@example.org"), client, now=T0) == 2
    assert throttle.wait(client_key("192.0.2.8"), now=T0) == 0


def test_a_new_password_lifts_the_wait_for_the_address(app: Qualizyklus) -> None:
    throttle = sign_in_throttle(app)
    key = address_key("anna@example.org")
    _person(app)
    for _ in range(4):
        throttle.record_failure(key)
    assert throttle.wait(key) > 0
    app.profiles.set_password_hash("p-1", "hash-2")
    assert throttle.wait(key) == 0
