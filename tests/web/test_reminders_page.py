"""The in-app reminders: /reminders lists the signed-in member's overdue and due-soon measures,
and the page header shows how many there are."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.reminders import today
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_ORGANISATIONS, DEMO_PASSWORD
from engine.domain.cycle import SETTLED_STATUSES
from engine.infrastructure.passwords import hash_password
from engine.infrastructure.settings import Settings
from tests.engine.stories import Network, register_network
from tests.engine.test_reminders import ON, PEOPLE, implementing, with_people
from tests.web.conftest import get, sign_in
from web.app import create_app

MIDWIFE = PEOPLE["hebamme"][1]
PAEDIATRICIAN = PEOPLE["kinderarzt"][1]
VIEWER = PEOPLE["ausschuss"][1]
HEADER_LINK = re.compile(r'<a href="/reminders" class="reminders-link"[^>]*>(.*?)</a>', re.S)

MakeSite = Callable[..., Flask]


@pytest.fixture
def net(app: Qualizyklus) -> Network:
    """Landkreis Beispiel; its people have profiles and can sign in."""
    network = with_people(app, register_network(app))
    for person_id in PEOPLE:
        app.profiles.set_password_hash(person_id, hash_password(DEMO_PASSWORD))
    return network


@pytest.fixture
def cycle_id(app: Qualizyklus, net: Network) -> UUID:
    """A running cycle with measures due relative to today: the midwife's 3 days late, today,
    in 5 and in 20 days; the paediatrician's a day late (nothing else is open)."""
    measures = {"late": -3, "today": 0, "soon": 5, "later": 20}
    shift = (today() - ON).days
    planned = {key: (days + shift, "") for key, days in measures.items()}
    cycle = implementing(app, net, {**planned, "his": (shift - 1, net.paediatrician)})
    # The story's own measure (due in September 2025) is done; only these are left.
    app.change_measure_status(cycle, actor_id=net.midwife, measure_id="measure-1", status="done")
    return cycle


@pytest.fixture
def site(settings: Settings, tmp_path: Path) -> Iterator[MakeSite]:
    """Web apps on the test's store (SQLite or PostgreSQL), with config of the test's choice."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        web = create_app(
            {
                "QUALIZYKLUS_DATABASE": settings.database,
                "SECRET_KEY": "test-secret",
                "QUALIZYKLUS_ATTACHMENTS": tmp_path / "attachments",
                "QUALIZYKLUS_REMINDER_DAYS": 14,
                **config,
            }
        )
        made.append(web)
        return web

    yield make
    for web in made:
        web.extensions["qualizyklus"].close()


def signed_in(web: Flask, email: str) -> FlaskClient:
    """A client signed in as a person."""
    client = web.test_client()
    assert sign_in(client, email).status_code == 302
    return client


def section(html: str, heading_id: str) -> str:
    """The HTML of the section labelled by a heading ('' when there is none)."""
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    return found.group(1) if found else ""


def test_the_reminders_page_requires_sign_in(site: MakeSite) -> None:
    response = get(site().test_client(), "/reminders")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_page_lists_exactly_the_members_own_overdue_and_due_soon_measures(
    site: MakeSite, net: Network, cycle_id: UUID
) -> None:
    web = site()
    client = signed_in(web, MIDWIFE)

    html = get(client, "/reminders").get_data(as_text=True)

    overdue, due_soon = section(html, "overdue-heading"), section(html, "due-soon-heading")
    assert re.findall(r">Maßnahme (\w+)</a>", overdue) == ["late"]
    assert re.findall(r">Maßnahme (\w+)</a>", due_soon) == ["today", "soon"]
    assert "überfällig seit 3 Tagen" in overdue
    assert "heute fällig" in due_soon and "fällig in 5 Tagen" in due_soon
    assert "Maßnahme his" not in html and "Maßnahme later" not in html
    listed = re.findall(r'#measure-([^"]+)">', html)
    assert listed == ["late", "today", "soon"]
    assert "<caption>" in overdue and '<th scope="row">' in overdue
    assert "Qualitätszyklus 2025" in overdue and "Landkreis Beispiel" in overdue
    link = f"/o/lk-beispiel/cycles/{cycle_id}/implement#measure-late"
    assert f'href="{link}"' in overdue
    implement = get(client, link.split("#")[0])
    assert implement.status_code == 200
    assert 'id="measure-late"' in implement.get_data(as_text=True)


def test_the_page_header_counts_the_members_reminders_on_every_page(
    site: MakeSite, net: Network, cycle_id: UUID
) -> None:
    web = site()
    midwife, paediatrician, viewer = (signed_in(web, e) for e in (MIDWIFE, PAEDIATRICIAN, VIEWER))

    def header(client: FlaskClient, path: str = "/o/lk-beispiel/") -> str:
        page = get(client, path)
        found = HEADER_LINK.search(page.get_data(as_text=True))
        assert found is not None
        return " ".join(found.group(1).split())

    assert header(midwife) == 'Erinnerungen <span class="count">(3)</span>'
    assert header(midwife, "/reminders") == header(midwife)
    assert header(paediatrician) == 'Erinnerungen <span class="count">(1)</span>'
    assert header(viewer) == "Erinnerungen"
    assert "Keine Ihrer Maßnahmen ist überfällig" in get(viewer, "/reminders").get_data(
        as_text=True
    )
    signed_out = get(web.test_client(), "/login").get_data(as_text=True)
    assert "reminders-link" not in signed_out


def test_the_count_follows_a_measure_that_is_settled(
    app: Qualizyklus, site: MakeSite, cycle_id: UUID
) -> None:
    web = site()
    client = signed_in(web, PAEDIATRICIAN)
    assert '<span class="count">(1)</span>' in get(client, "/o/lk-beispiel/").get_data(as_text=True)

    app.change_measure_status(cycle_id, actor_id="kinderarzt", measure_id="his", status="done")

    html = get(client, "/reminders").get_data(as_text=True)
    assert "Maßnahme his" not in html
    assert 'class="reminders-link" aria-current="page">Erinnerungen</a>' in html


def test_the_installations_reminder_days_decide_what_is_due_soon(
    site: MakeSite, net: Network, cycle_id: UUID
) -> None:
    client = signed_in(site(QUALIZYKLUS_REMINDER_DAYS=20), MIDWIFE)

    html = get(client, "/reminders").get_data(as_text=True)

    assert re.findall(r">Maßnahme (\w+)</a>", section(html, "due-soon-heading")) == [
        "today",
        "soon",
        "later",
    ]
    assert "in den nächsten 20 Tagen" in html


def test_in_the_demo_a_member_sees_their_own_unsettled_measures_past_due(
    web_app: Flask, client: FlaskClient
) -> None:
    demo = DEMO_ORGANISATIONS[0]
    person = next(p for p in demo.people if p.key == "beratung")
    engine: Qualizyklus = web_app.extensions["qualizyklus"]
    organisation = engine.organisation_by_slug(demo.slug)
    expected = set()
    for summary in engine.cycles_of(UUID(organisation["id"])):
        cycle = engine.cycle(UUID(summary["id"]))
        if cycle["phase"] == "closed":
            continue
        for measure in cycle["measures"].values():
            mine = measure["responsible_member_id"] == person.person_id(demo.slug)
            unsettled = measure["status"] not in SETTLED_STATUSES
            if mine and unsettled and measure["due"] <= today() + timedelta(days=14):
                expected.add(measure["title"])
    assert expected  # the demo's measures of 2025 are long overdue

    sign_in(client, person.email)
    html = get(client, "/reminders").get_data(as_text=True)

    listed = set(re.findall(r'#measure-[^"]+">([^<]+)</a>', html))
    assert listed == expected
