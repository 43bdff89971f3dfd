"""What one parent's answer costs the store: a request without a cookie asks nothing about
sign-in sessions, reads no log position that another read took a moment ago, and writes its
answer in one transaction (statements counted on the real SQLite connections)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application import survey_queries
from engine.application.survey_inbox import inbox
from tests.web.conftest import BASE_URL, COORDINATOR, sign_in
from tests.web.test_analyse_page import engine_of, person_id
from tests.web.test_parents_survey import survey  # noqa: F401 -- the fixture

FORM = {"all": "1", "q-heard": "yes", "q-rating": "4"}


def _connections(web_app: Flask) -> list[sqlite3.Connection]:
    """Every SQLite connection the engine holds now (idle in its datastores' pools)."""
    engine: Any = engine_of(web_app)
    datastores = {id(d): d for d in (engine.recorder.datastore, inbox(engine)._datastore)}
    found = []
    for datastore in datastores.values():
        found.extend(c._sqlite_conn for c in datastore.pool._pool)
    assert found, "the engine keeps its SQLite connections in its pools"
    return found


@contextmanager
def _statements(web_app: Flask) -> Iterator[list[str]]:
    seen: list[str] = []
    connections = _connections(web_app)
    for connection in connections:
        connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        for connection in connections:
            connection.set_trace_callback(None)


def test_an_answer_without_a_cookie_asks_nothing_about_sessions_and_writes_once(
    client: FlaskClient,
    web_app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    survey: tuple[str, str],  # noqa: F811 -- the fixture
) -> None:
    monkeypatch.setattr(survey_queries, "PARENTS_FRESH", 600.0)  # however slow the machine
    cycle_id, survey_id = survey
    base = f"/befragung/{cycle_id}/{survey_id}/de"
    assert client.post(f"{base}/senden", data=FORM, base_url=BASE_URL).status_code == 303
    with _statements(web_app) as seen:
        sent = client.post(f"{base}/senden", data=FORM, base_url=BASE_URL)
    assert sent.status_code == 303
    assert not [s for s in seen if "login_sessions" in s]
    assert not [s for s in seen if "max(" in s.lower()], "the position read a moment ago serves"
    assert [s for s in seen if s.startswith("INSERT INTO qualizyklus_survey_inbox")]
    assert sum(s == "BEGIN" for s in seen) == 1, seen
    assert sum(s == "COMMIT" for s in seen) == 1, seen
    # the same count sees the session table for a signed-in person's page
    sign_in(client, COORDINATOR)
    with _statements(web_app) as seen:
        assert client.get("/", base_url=BASE_URL).status_code in (200, 302)
    assert [s for s in seen if "login_sessions" in s]


def test_a_survey_closed_in_this_process_is_closed_for_parents_at_once(
    client: FlaskClient,
    web_app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    survey: tuple[str, str],  # noqa: F811 -- the fixture
) -> None:
    monkeypatch.setattr(survey_queries, "PARENTS_FRESH", 600.0)
    cycle_id, survey_id = survey
    base = f"/befragung/{cycle_id}/{survey_id}/de"
    assert client.get(f"{base}/alle", base_url=BASE_URL).status_code == 200
    engine_of(web_app).close_survey(UUID(cycle_id), survey_id, actor_id=person_id(COORDINATOR))
    assert client.get(f"{base}/alle", base_url=BASE_URL).status_code == 410
    refused = client.post(f"{base}/senden", data=FORM, base_url=BASE_URL)
    assert refused.status_code == 410
    assert engine_of(web_app).survey(UUID(cycle_id), survey_id)["answers"] == 0
