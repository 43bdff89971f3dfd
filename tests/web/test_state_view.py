"""The state view (Landesübersicht): figures over at least five organisations of one Land, names
only of organisations that chose to share; the state coordinator role and the sharing form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import mean

import pytest
from flask import Flask
from flask.testing import FlaskClient

from engine.application.service import Qualizyklus
from engine.application.state_office import land_of, state_office
from engine.demo.networks import DEMO_PASSWORD
from engine.infrastructure.passwords import hash_password
from tests.web.conftest import (
    ADMIN,
    CONTRIBUTOR,
    COORDINATOR,
    VIEWER,
    get,
    post_form,
    sign_in,
)

LAKO = "lako@bayern.example"
LAKO_NI = "lako@niedersachsen.example"
LAND = "BY"


@dataclass(frozen=True)
class Member:
    """An organisation built for the test, with the score its one rating gives."""

    slug: str
    name: str
    score: float


def engine_of(web_app: Flask) -> Qualizyklus:
    """The engine behind the web app."""
    found: Qualizyklus = web_app.extensions["qualizyklus"]
    return found


def person(app: Qualizyklus, email: str, name: str) -> str:
    """A person who can sign in with the demo password."""
    person_id = f"person-{re.sub(r'[^a-z]', '', email)[:20]}"
    app.profiles.put(person_id, display_name=name, email=email)
    app.profiles.set_password_hash(person_id, hash_password(DEMO_PASSWORD))
    return person_id


def add_organisation(app: Qualizyklus, index: int, *, shares: bool = False) -> Member:
    """A network in Bavaria with a 2025 cycle whose coordinator rated one criterion."""
    theme = sorted(app.themes.values(), key=lambda t: t.id)[0]
    criterion = theme.criteria[0]
    scale = criterion.scale
    slug, name, coordinator = f"by-netz-{index}", f"Netzwerk Oberbayern {index}", f"by-k-{index}"
    organisation_id = app.register_organisation(
        name=name, slug=slug, land=LAND, coordinator_id=coordinator
    )
    cycle_id = app.start_cycle(
        organisation_id,
        actor_id=coordinator,
        title=f"Zyklus {index}",
        themes=[theme.id],
        period_start="2025-01-01",
        period_end="2025-12-31",
    )
    if scale.kind == "levels":
        value: float | str = scale.levels[index % len(scale.levels)].id
        lowest = scale.position(scale.levels[0].id)
    else:
        steps = int((scale.maximum - scale.minimum) / scale.step)
        value = scale.minimum + (index % (steps + 1)) * scale.step
        lowest = scale.minimum
    app.record_assessment(
        cycle_id, actor_id=coordinator, theme_id=theme.id, criterion_id=criterion.id, value=value
    )
    if shares:
        app.set_state_sharing(
            organisation_id, actor_id=coordinator, shares=True, reason="Transparenz im Land"
        )
    return Member(slug, name, (scale.position(value) - lowest) / scale.span)


@pytest.fixture
def lako(web_app: Flask) -> str:
    """The state coordinator of Bavaria (granted directly in the store)."""
    app = engine_of(web_app)
    person_id = person(app, LAKO, "LaKo Bayern")
    state_office(app).grant(person_id, LAND)
    return person_id


def text_of(html: str) -> str:
    """The page's text without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_four_organisations_show_nothing_and_never_a_name(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    app = engine_of(web_app)
    members = [add_organisation(app, i, shares=(i == 0)) for i in range(4)]
    sign_in(client, LAKO)

    page = get(client, "/land")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "weniger als 5 Organisationen" in text_of(html)
    assert "Punktwerte je Thema" not in html
    for member in members:  # not even the one that chose to share
        assert member.name not in html
        assert member.slug not in html
    assert "<svg" not in html


def test_a_fifth_organisation_shows_the_mean_over_all_five(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    app = engine_of(web_app)
    members = [add_organisation(app, i) for i in range(5)]
    expected = mean(member.score for member in members) * 100
    sign_in(client, LAKO)

    html = get(client, "/land").get_data(as_text=True)

    text = text_of(html)
    assert "5 Organisationen nehmen teil" in text
    rows = re.findall(r"<tr><th scope=\"row\">2025</th><td>(\d+)</td><td>([^<]+)</td>", html)
    assert rows, "the theme table has a row for 2025"
    organisations, shown_mean = rows[0]
    assert organisations == "5"
    assert shown_mean == f"{round(expected, 1):g} %".replace(".", ",")
    assert 'role="img"' in html and "Mittelwert" in html


def test_a_sharing_organisation_appears_by_name_and_the_others_never(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    app = engine_of(web_app)
    members = [add_organisation(app, i, shares=(i == 2)) for i in range(6)]
    sign_in(client, LAKO)

    html = get(client, "/land").get_data(as_text=True)

    assert members[2].name in html
    for member in members[:2] + members[3:]:
        assert member.name not in html
        assert member.slug not in html
    for demo_name in ("Landkreis Musterland", "Stadt Beispielstadt", "lk-musterland"):
        assert demo_name not in html  # organisations of other Länder neither


def test_only_the_state_coordinator_of_the_land_and_administrators_may_look(
    client: FlaskClient, web_app: Flask, lako: str
) -> None:
    app = engine_of(web_app)
    state_office(app).grant(person(app, LAKO_NI, "LaKo Niedersachsen"), "NI")
    for i in range(5):
        add_organisation(app, i)

    sign_in(client, LAKO_NI)
    assert get(client, f"/land/{LAND}").status_code == 403
    assert "Niedersachsen" in get(client, "/land").get_data(as_text=True)
    client.post("/logout", base_url="https://localhost")

    for email in (COORDINATOR, VIEWER):
        with web_app.test_client() as other:
            sign_in(other, email)
            assert get(other, "/land").status_code == 404
            assert get(other, f"/land/{LAND}").status_code == 404
            assert "Landesübersicht" not in get(other, "/o/lk-musterland/").get_data(as_text=True)

    with web_app.test_client() as admin:
        sign_in(admin, ADMIN)
        assert get(admin, "/land").status_code == 200
        assert "5 Organisationen nehmen teil" in text_of(
            get(admin, f"/land/{LAND}").get_data(as_text=True)
        )
        assert get(admin, "/land/XX").status_code == 404

    assert get(web_app.test_client(), "/land").status_code in (302, 401)


def test_the_administration_grants_and_revokes_the_role(
    client: FlaskClient, web_app: Flask
) -> None:
    app = engine_of(web_app)
    person_id = person(app, LAKO, "LaKo Bayern")
    sign_in(client, ADMIN)

    unknown = post_form(
        client,
        "/admin/",
        "/admin/state-coordinators",
        {"lako-email": "niemand@x.example", "lako-land": LAND},
        prefix="lako",
    )
    no_land = post_form(
        client,
        "/admin/",
        "/admin/state-coordinators",
        {"lako-email": LAKO, "lako-land": ""},
        "lako",
    )
    assert unknown.status_code == 400 and "Niemand hat diese E-Mail-Adresse" in unknown.get_data(
        as_text=True
    )
    assert no_land.status_code == 400 and "Bitte ein Land wählen." in no_land.get_data(as_text=True)
    assert land_of(app, person_id) is None

    granted = post_form(
        client,
        "/admin/",
        "/admin/state-coordinators",
        {"lako-email": LAKO, "lako-land": LAND},
        "lako",
    )
    assert granted.status_code == 302
    assert land_of(app, person_id) == LAND
    assert "LaKo Bayern" in get(client, "/admin/").get_data(as_text=True)

    key = re.search(
        r'name="(lako-[0-9a-f]{10})-csrf_token"', get(client, "/admin/").get_data(as_text=True)
    )
    assert key is not None
    revoked = post_form(
        client, "/admin/", f"/admin/state-coordinators/{person_id}/revoke", {}, key.group(1)
    )
    assert revoked.status_code == 302
    assert land_of(app, person_id) is None


def test_the_coordinator_chooses_to_share_and_the_history_shows_it(
    client: FlaskClient, web_app: Flask
) -> None:
    app = engine_of(web_app)
    sign_in(client, COORDINATOR)
    page = "/o/lk-musterland/members"
    action = "/o/lk-musterland/members/state-sharing"

    without_reason = post_form(client, page, action, {"sharing-shares": "yes"}, "sharing")
    assert without_reason.status_code == 400
    assert app.organisation_by_slug("lk-musterland")["shares_with_state"] is False

    shared = post_form(
        client, page, action, {"sharing-shares": "yes", "sharing-reason": "Beschluss AG"}, "sharing"
    )
    assert shared.status_code == 302
    assert app.organisation_by_slug("lk-musterland")["shares_with_state"] is True
    members_page = get(client, page).get_data(as_text=True)
    assert "Teilen mit der Landeskoordinierungsstelle geändert" in members_page
    assert "Beschluss AG" in members_page

    same = post_form(
        client, page, action, {"sharing-shares": "yes", "sharing-reason": "nochmal"}, "sharing"
    )
    assert same.status_code == 400 and "Das ist schon so eingestellt." in same.get_data(
        as_text=True
    )


def test_a_contributor_may_not_change_the_sharing(client: FlaskClient, web_app: Flask) -> None:
    app = engine_of(web_app)
    sign_in(client, CONTRIBUTOR)
    token_page = "/o/lk-musterland/dashboard"

    refused = post_form(
        client,
        token_page,
        "/o/lk-musterland/members/state-sharing",
        {"sharing-shares": "yes", "sharing-reason": "x"},
    )

    assert refused.status_code == 403
    assert app.organisation_by_slug("lk-musterland")["shares_with_state"] is False
