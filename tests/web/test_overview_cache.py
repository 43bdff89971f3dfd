"""The overview is kept per reader and version, and never shows anything out of date."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from engine import hookimpl
from engine.application.service import SYSTEM_ACTOR
from tests.web.conftest import COORDINATOR, cycle_ids, get, sign_in
from web.app import create_app


def _overview(client: FlaskClient, cycle_id: str) -> str:
    return get(client, f"/o/lk-musterland/cycles/{cycle_id}/").get_data(as_text=True)


def test_a_change_by_someone_else_shows_at_once(web_app: Flask, client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    cycle_id = cycle_ids(client, "lk-musterland")[0]
    first = _overview(client, cycle_id)
    assert _overview(client, cycle_id) == first  # the same version, the same page

    app = web_app.extensions["qualizyklus"]
    organisation = app.organisation_by_slug("lk-musterland")
    contributor = next(m for m, role in organisation["members"].items() if role == "contributor")
    app.add_comment(UUID(cycle_id), actor_id=contributor, text="Neue Termine stehen fest.")

    assert "Neue Termine stehen fest." in _overview(client, cycle_id)


def test_a_changed_role_shows_at_once(web_app: Flask, client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    cycle_id = cycle_ids(client, "lk-musterland")[0]
    assert "Weiter zur Phase" in _overview(client, cycle_id)

    app = web_app.extensions["qualizyklus"]
    organisation = app.organisation_by_slug("lk-musterland")
    me = app.profiles.by_email(COORDINATOR)["person_id"]
    other = next(m for m, role in organisation["members"].items() if role == "contributor")
    app.grant_role(
        UUID(organisation["id"]),
        actor_id=SYSTEM_ACTOR,
        member_id=other,
        role="coordinator",
        as_administrator=True,
    )
    app.grant_role(
        UUID(organisation["id"]),
        actor_id=SYSTEM_ACTOR,
        member_id=me,
        role="viewer",
        as_administrator=True,
    )

    assert "Weiter zur Phase" not in _overview(client, cycle_id)


def test_a_closed_cycle_links_its_follow_up_instead_of_offering_another(
    client: FlaskClient,
) -> None:
    sign_in(client, COORDINATOR)
    running, closed = cycle_ids(client, "lk-musterland")[:2]
    page = _overview(client, closed)
    assert "Folgezyklus beginnen" not in page
    assert f'href="/o/lk-musterland/cycles/{running}/"' in page


class FlakyInsight:
    """An insight plugin that fails until it is told to work."""

    name = "flaky-insight"
    failing = True

    @hookimpl
    def insights(self) -> list[Any]:
        if self.failing:
            raise RuntimeError("the Land's statistics service is down")
        return []


def test_a_page_with_a_plugin_notice_is_not_kept(demo_database: Path, tmp_path: Path) -> None:
    database = tmp_path / "qualizyklus.db"
    shutil.copyfile(demo_database, database)
    flaky = FlakyInsight()
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "x",
            "QUALIZYKLUS_EXTRA_PLUGINS": (flaky,),
        }
    )
    client = app.test_client()
    sign_in(client, COORDINATOR)
    cycle_id = cycle_ids(client, "lk-musterland")[0]
    assert "flaky-insight" in _overview(client, cycle_id)

    flaky.failing = False

    assert "flaky-insight" not in _overview(client, cycle_id)
    app.extensions["qualizyklus"].close()
