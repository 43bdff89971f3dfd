"""What docs/plugins.md promises a theme author, held against a third-party theme in the web app.

A theme of this file (registered as an extra plugin, as an installed distribution would be)
asks theme-wide reflection questions and checks its measures' attrs with two
``@validates_schema`` validators: one names a field (``field_name``), one names none. The
phase pages show the theme-wide questions once per theme; the page puts a named error next to
its input and an unnamed one above the theme's inputs; the API names the same paths; nothing
is written either way.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from marshmallow import Schema, ValidationError, fields, validates_schema

from engine import Criterion, Text, Theme, hookimpl, numeric_scale
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_PASSWORD
from engine.domain.catalogue import CatalogueError
from tests.api.conftest import Api, new_token, person_id
from tests.web.conftest import COORDINATOR, get
from tests.web.test_analyse_page import error_next_to, submit
from web.app import create_app

SLUG = "lk-musterland"
HTTPS = "https://localhost"
THEME_ID = "kit-probe"
ASKED_ONCE = {
    "analyse": Text("Was wissen wir über das Thema als Ganzes?", "What do we know of it all?"),
    "plan": Text("Welche Berufsgruppe fehlt noch?", "Which profession is still missing?"),
}
PER_CRITERION = Text("Wie oft lernen wir gemeinsam?", "How often do we learn together?")
TOO_FEW = "Mindestens eine teilnehmende Person je Berufsgruppe."
NOT_BOTH = "Entweder online oder mit Ort, nicht beides."


class ProbeMeasure(Schema):
    """A measure: professions, participants, and where it takes place."""

    professions = fields.List(fields.String(), required=True)
    participants = fields.Integer(strict=True)
    online = fields.Boolean()
    place = fields.String()

    @validates_schema
    def _enough_participants(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Named: the message belongs to ``participants``."""
        if data.get("participants", len(data["professions"])) < len(data["professions"]):
            raise ValidationError(TOO_FEW, field_name="participants")

    @validates_schema
    def _online_or_place(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Unnamed: the message belongs to the measure's data as a whole."""
        if data.get("online") and data.get("place"):
            raise ValidationError(NOT_BOTH)


CRITERIA = tuple(
    Criterion(
        criterion_id,
        Text(f"Kriterium {criterion_id}", f"Criterion {criterion_id}"),
        numeric_scale("one-to-five", Text("1 bis 5", "1 to 5"), 1, 5),
        reflection_questions={"plan": (PER_CRITERION,)},
    )
    for criterion_id in ("first", "second")
)
THEME = Theme(
    id=THEME_ID,
    version="1.0.0",
    title=Text("Prüfthema des Autorenpakets", "The author kit's probe theme"),
    description=Text("Nur für Tests.", "For tests only."),
    quality_dimension=6,
    criteria=CRITERIA,
    measure_schema=ProbeMeasure,
    reflection_questions={phase: (question,) for phase, question in ASKED_ONCE.items()},
)


class ProbePlugin:
    """The theme as a third-party plugin contributes it."""

    name = "kit-probe"

    @hookimpl
    def register_themes(self) -> list[Theme]:
        """The probe theme."""
        return [THEME]


@pytest.fixture(scope="module")
def probe_app(demo_database: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The web app on a copy of the demo store, with the probe theme installed besides."""
    folder = tmp_path_factory.mktemp("kit")
    shutil.copyfile(demo_database, folder / "qualizyklus.db")
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{folder / 'qualizyklus.db'}",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": folder / "attachments",
            "QUALIZYKLUS_EXTRA_PLUGINS": (ProbePlugin(),),
        }
    )
    yield app
    app.extensions["qualizyklus"].close()


def signed_in(app: Flask, email: str, password: str) -> FlaskClient:
    """A test client signed in through the login form, as a browser over HTTPS would be."""
    client = app.test_client()
    page = client.get("/login", base_url=HTTPS)  # the session cookie is secure: HTTPS only
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    assert token is not None
    response = client.post(
        "/login",
        data={"csrf_token": token.group(1), "email": email, "password": password},
        base_url=HTTPS,
        headers={"Referer": f"{HTTPS}/login"},  # over HTTPS the CSRF check wants a referrer
    )
    assert response.status_code == 302, response.status_code
    return client


def probe_cycle(app: Flask, *, plan: bool) -> str:
    """A new cycle of the demo network on the probe theme alone (in its plan phase if asked)."""
    engine: Qualizyklus = app.extensions["qualizyklus"]
    coordinator = person_id(SLUG, "coordinator")
    organisation_id = UUID(engine.organisation_by_slug(SLUG)["id"])
    engine.choose_themes(organisation_id, actor_id=coordinator, theme_ids=sorted(engine.themes))
    cycle_id = engine.start_cycle(
        organisation_id,
        actor_id=coordinator,
        title="Prüfzyklus",
        themes=[THEME_ID],
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    if plan:
        for criterion in CRITERIA:
            engine.record_assessment(
                cycle_id,
                actor_id=coordinator,
                theme_id=THEME_ID,
                criterion_id=criterion.id,
                value=2,
            )
        engine.record_finding(
            cycle_id,
            actor_id=coordinator,
            finding_id="bedarf",
            kind="need",
            text="Wenig gemeinsames Lernen",
            theme_id=THEME_ID,
            criterion_id="first",
        )
        engine.set_priorities(cycle_id, actor_id=coordinator, finding_ids=["bedarf"])
        engine.advance_phase(cycle_id, actor_id=coordinator)
    return str(cycle_id)


def test_theme_wide_questions_are_asked_once_per_theme_on_each_phase_page(
    probe_app: Flask,
) -> None:
    client = signed_in(probe_app, COORDINATOR, DEMO_PASSWORD)
    analysed, planned = probe_cycle(probe_app, plan=False), probe_cycle(probe_app, plan=True)

    analyse = get(client, f"/o/{SLUG}/cycles/{analysed}/analyse").get_data(as_text=True)
    plan = get(client, f"/o/{SLUG}/cycles/{planned}/plan").get_data(as_text=True)
    review = get(client, f"/o/{SLUG}/cycles/{planned}/review").get_data(as_text=True)

    assert analyse.count(ASKED_ONCE["analyse"].de) == 1
    assert "Reflexionsfragen zum ganzen Thema" in analyse
    assert analyse.count(ASKED_ONCE["plan"].de) == 0
    group = re.search(r'<details class="reflection-theme">(.*?)</details>', plan, re.S)
    assert group is not None
    listed = re.findall(r"<li>(.*?) <small>\((.*?)\)</small></li>", group.group(1))
    assert [question for question, _ in listed] == [
        ASKED_ONCE["plan"].de,
        PER_CRITERION.de,
        PER_CRITERION.de,
    ]
    assert listed[0][1] == "zum ganzen Thema"
    assert "(3 Fragen)" in group.group(1)
    assert ASKED_ONCE["plan"].de not in review


def test_schema_level_errors_reach_their_field_on_the_page_and_nothing_is_written(
    probe_app: Flask,
) -> None:
    client = signed_in(probe_app, COORDINATOR, DEMO_PASSWORD)
    cycle_id = probe_cycle(probe_app, plan=True)
    engine: Qualizyklus = probe_app.extensions["qualizyklus"]
    version = engine.cycle(UUID(cycle_id))["version"]
    page = f"/o/{SLUG}/cycles/{cycle_id}/plan"

    def new_measure(attrs: dict[str, str]) -> str:
        data = {
            "new-measure-title": "Gemeinsame Fortbildung",
            "new-measure-theme_id": THEME_ID,
            "new-measure-attrs_theme": THEME_ID,
            **{f"new-measure-{key}": "" for key in ("goal_id", "responsible_member_id", "due")},
            **{f"attrs-{key}": value for key, value in attrs.items()},
        }
        response = submit(client, page, f"{page}/measures", "new-measure", data)
        assert response.status_code == 400, response.status_code
        return response.get_data(as_text=True)

    named = new_measure({"professions": "hebammen\njugendamt", "participants": "1"})
    unnamed = new_measure({"professions": "hebammen", "online": "y", "place": "Rathaus"})

    assert error_next_to(named, "new-measure-attrs-participants") == TOO_FEW
    assert NOT_BOTH in unnamed
    assert engine.cycle(UUID(cycle_id))["version"] == version
    assert engine.cycle(UUID(cycle_id))["measures"] == {}


def test_schema_level_errors_name_their_field_in_the_api_and_nothing_is_written(
    probe_app: Flask,
) -> None:
    cycle_id = probe_cycle(probe_app, plan=True)
    api = Api(probe_app, new_token(probe_app, SLUG, "coordinator"))
    engine: Qualizyklus = probe_app.extensions["qualizyklus"]
    version = engine.cycle(UUID(cycle_id))["version"]

    def new_measure(attrs: dict[str, Any]) -> dict[str, Any]:
        body = {"title": "Gemeinsame Fortbildung", "theme_id": THEME_ID, "attrs": attrs}
        path = f"/api/v1/cycles/{cycle_id}"
        response = api.post(f"{path}/measures", json=body, headers={"If-Match": api.version(path)})
        assert response.status_code == 422, response.get_data(as_text=True)
        problem: dict[str, Any] = response.get_json()
        return problem

    named = new_measure({"professions": ["hebammen", "jugendamt"], "participants": 1})
    unnamed = new_measure({"professions": ["hebammen"], "online": True, "place": "Rathaus"})

    assert "attrs.participants" in named["errors"]
    assert TOO_FEW in named["detail_de"]
    assert "attrs._schema" in unnamed["errors"]
    assert NOT_BOTH in unnamed["detail_de"]
    assert engine.cycle(UUID(cycle_id))["version"] == version


def test_theme_wide_questions_are_optional_and_only_for_the_phases_that_ask() -> None:
    bare = Theme("bare", "1", Text("Ohne Fragen"), Text("Nichts"), 6, CRITERIA)
    assert bare.reflection_questions == {}
    with pytest.raises(CatalogueError, match="theme wrong: reflection questions for unknown"):
        Theme(
            "wrong",
            "1",
            Text("Falsch"),
            Text("Falsch"),
            6,
            CRITERIA,
            reflection_questions={"closed": (Text("Und nun?"),)},
        )
