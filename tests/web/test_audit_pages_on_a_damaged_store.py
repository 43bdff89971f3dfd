"""The audit pages on a store where one of the cycle's events cannot be read any more: each page
still answers, says what it cannot show, and names the version where the trail breaks."""

from __future__ import annotations

import sqlite3
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.infrastructure.settings import SNAPSHOT_INTERVAL, Settings
from tests.web.test_audit_pages import app, page, plain, running, table_rows, versions_of

__all__ = ["app", "running"]  # fixtures shared with the audit pages' tests


def make_unreadable(web_app: Flask, cycle_id: str, version: int) -> None:
    """Give one stored event a topic no code defines, directly in the SQLite file."""
    path = Settings(database=web_app.config["QUALIZYKLUS_DATABASE"]).sqlite_path()
    with sqlite3.connect(path, isolation_level=None, timeout=30) as connection:
        connection.execute(
            "UPDATE stored_events SET topic = ? WHERE originator_id = ? AND originator_version = ?",
            ("qualizyklus:Cycle.NeverDefined", UUID(cycle_id).hex, version),
        )
    connection.close()


def damaged_version(app: Qualizyklus, cycle_id: str) -> int:
    """A late version that no snapshot stands on (so reading it means replaying its event)."""
    latest = int(app.cycle(UUID(cycle_id))["version"])
    return latest - 1 if (latest - 1) % SNAPSHOT_INTERVAL else latest - 2


def test_the_history_ends_before_an_unreadable_event_and_the_chain_breaks_there(
    client: FlaskClient, app: Qualizyklus, web_app: Flask, running: str
) -> None:
    version = damaged_version(app, running)
    make_unreadable(web_app, running, version)

    status, html = page(client, running, "history")
    text = plain(html)

    assert status == 200
    assert f"Ab Version {version} sind die gespeicherten Ereignisse nicht lesbar" in text
    assert f"Zyklus: Prüfkette gebrochen bei Version {version}." in text
    assert "Das Ereignis ist nicht lesbar." in text
    assert "Organisation: Prüfkette intakt" in text
    assert versions_of(table_rows(html))[0] == version - 1


def test_diff_and_as_of_say_that_a_damaged_version_cannot_be_restored(
    client: FlaskClient, app: Qualizyklus, web_app: Flask, running: str
) -> None:
    version = damaged_version(app, running)
    make_unreadable(web_app, running, version)

    diff_status, diff_html = page(client, running, "diff", f"?from={version - 1}&to={version}")
    as_of_status, as_of_html = page(client, running, "as-of", f"?version={version}")

    assert diff_status == 200
    assert "Diese Versionen lassen sich nicht wiederherstellen" in plain(diff_html)
    assert '<table class="diff">' not in diff_html
    assert as_of_status == 200
    assert "Dieser Stand lässt sich nicht wiederherstellen" in plain(as_of_html)
    assert '<section class="as-of"' not in as_of_html
