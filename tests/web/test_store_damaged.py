"""A store whose events fail verification (a record altered or removed) outside the audit
pages: a page says so in a 500 of its own, the API answers a ``store-damaged`` problem, both
logged; no traceback reaches anyone."""

from __future__ import annotations

import logging
import sqlite3
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.infrastructure.settings import Settings
from tests.api.conftest import OWN, PROBLEM_JSON, Api, new_token
from tests.web.test_audit_pages import SLUG, app, running
from tests.web.test_audit_pages_on_a_damaged_store import make_unreadable

__all__ = ["app", "running"]  # fixtures shared with the audit pages' tests


def damage_latest(web_app: Flask, app: Qualizyklus, cycle_id: str) -> None:
    """Make the cycle's latest event unreadable, remove its snapshots, forget the cached copy."""
    latest = int(app.cycle(UUID(cycle_id))["version"])
    make_unreadable(web_app, cycle_id, latest)
    path = Settings(database=web_app.config["QUALIZYKLUS_DATABASE"]).sqlite_path()
    with sqlite3.connect(path, isolation_level=None, timeout=30) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
        for table in [t for t in tables if "snapshot" in t]:
            connection.execute(
                f"DELETE FROM {table} WHERE originator_id = ?", (UUID(cycle_id).hex,)
            )
    connection.close()
    app._evict(UUID(cycle_id))


def test_a_page_and_the_api_on_a_damaged_cycle_say_that_the_store_failed_verification(
    client: FlaskClient,
    app: Qualizyklus,
    web_app: Flask,
    running: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    damage_latest(web_app, app, running)
    api = Api(web_app, new_token(web_app, OWN.slug, "coordinator"))

    with caplog.at_level(logging.ERROR):
        page = client.get(f"/o/{SLUG}/cycles/{running}/plan")
        answer = api.get(f"/api/v1/cycles/{running}")

    html = page.get_data(as_text=True)
    assert page.status_code == 500
    assert "Die gespeicherten Daten haben die Prüfung nicht bestanden" in html
    assert "qualizyklus audit verify" in html
    assert "Traceback" not in html and "NeverDefined" not in html
    assert answer.status_code == 500
    assert answer.mimetype == PROBLEM_JSON
    problem = answer.get_json()
    assert problem["code"] == "store-damaged"
    assert problem["detail"].startswith("The stored data failed verification")
    assert problem["detail_de"].startswith("Die gespeicherten Daten haben die Prüfung")
    assert "NeverDefined" not in answer.get_data(as_text=True)
    logged = [r for r in caplog.records if "stored data failed verification" in r.getMessage()]
    assert len(logged) == 2
    assert all("NeverDefined" in record.getMessage() for record in logged)
