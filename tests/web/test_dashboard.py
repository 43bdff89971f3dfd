"""The organisation's dashboard ("Übersicht über die Jahre"), read from the read models."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from engine.application.reminders import today
from engine.application.service import Qualizyklus
from engine.readmodels import Follower
from tests.web.conftest import CONTRIBUTOR, COORDINATOR, OTHER_COORDINATOR, VIEWER, get, sign_in

SLUG = "lk-musterland"
DASHBOARD = f"/o/{SLUG}/dashboard"


def engine_of(web_app: Flask) -> Qualizyklus:
    """The engine behind the web app."""
    found: Qualizyklus = web_app.extensions["qualizyklus"]
    return found


def section(html: str, heading_id: str) -> str:
    """The HTML of the section labelled by ``heading_id`` (up to the next top-level section)."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    following = html.find('<section aria-labelledby="', start + 1)
    return html[start : following if following != -1 else len(html)]


def test_a_viewer_sees_the_cycles_by_year_with_their_phases_and_links(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, VIEWER)

    page = get(client, DASHBOARD)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Übersicht über die Jahre</h1>" in html
    cycles = section(html, "cycles-heading")
    organisation = engine_of(web_app).organisation_by_slug(SLUG)
    for cycle_id in organisation["cycles"]:
        assert f"/o/{SLUG}/cycles/{cycle_id}/" in cycles
    assert cycles.index(">2025<") < cycles.index(">2024<")  # the newest year first
    assert "Umsetzung" in cycles and "Abgeschlossen" in cycles
    assert "Stand:" in html


def test_measures_due_tomorrow_and_overdue_appear_with_their_responsible_people(
    client: FlaskClient, web_app: Flask
) -> None:
    app = engine_of(web_app)
    organisation = app.organisation_by_slug(SLUG)
    running = next(c for c in app.cycles_of(UUID(organisation["id"])) if c["phase"] != "closed")
    members = organisation["members"]
    coordinator = next(m for m, role in members.items() if role == "coordinator")
    contributor = next(m for m, role in members.items() if role == "contributor")
    for title, due in (("Elternbrief morgen", 1), ("Runder Tisch nachholen", -3)):
        app.plan_measure(
            UUID(running["id"]),
            actor_id=coordinator,
            title=title,
            due=(today() + timedelta(days=due)).isoformat(),
            responsible_member_id=contributor,
        )
    sign_in(client, VIEWER)

    html = get(client, DASHBOARD).get_data(as_text=True)

    measures = section(html, "measures-heading")
    due_soon = measures[measures.index('id="due-soon-heading"') :]
    overdue = measures[
        measures.index('id="overdue-heading"') : measures.index('id="due-soon-heading"')
    ]
    assert "Elternbrief morgen" in due_soon and "fällig in 1 Tag" in due_soon
    assert "Runder Tisch nachholen" in overdue and "überfällig seit 3 Tagen" in overdue
    name = app.display_names([contributor])[contributor]
    row = re.search(r"Runder Tisch nachholen.*?</tr>", overdue, re.S)
    assert row is not None and name in row.group(0)


def test_indicators_show_their_values_against_target_and_baseline(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, CONTRIBUTOR)

    html = get(client, DASHBOARD).get_data(as_text=True)

    indicators = section(html, "indicators-heading")
    part = indicators[indicators.index("Mehr Familien mit Neugeborenen erreichen") :]
    part = part[: part.index("</section>")]
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", part))
    assert figures == {"Zuletzt": "5", "Ziel": "7", "Ausgangswert": "3"}
    assert "Ziel 7" in part and "Ausgangswert 3" in part  # the reference lines are labelled
    assert re.search(r"<desc [^>]*>4 Werte von 15\.05\.2024 bis 15\.09\.2025, zuletzt 5", part)
    assert "Tabelle anzeigen" in part and "<td>5</td>" in part


def test_every_chart_has_a_text_alternative_and_a_table(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, VIEWER)

    html = get(client, DASHBOARD).get_data(as_text=True)

    charts = re.findall(r'<svg role="img" aria-labelledby="([^" ]+) ([^" ]+)"', html)
    themes = engine_of(web_app).themes
    assert len(charts) == 3 + 2 * len(themes)  # three indicators; two charts per theme
    for title_id, desc_id in charts:
        assert re.search(rf'<title id="{title_id}">[^<]+</title>', html)
        assert re.search(rf'<desc id="{desc_id}">[^<]{{20,}}</desc>', html)
    assert html.count("<summary>Tabelle anzeigen") == len(charts)
    theme_part = section(html, "themes-heading")
    for theme in themes.values():
        assert f"{theme.title.de}: Bewertung je Kriterium" in theme_part
        assert f"{theme.title.de}: Punktwert über die Jahre" in theme_part
    assert "Durchschnitt über die Kriterien: 2025:" in theme_part  # the newest cycle first
    verdicts = section(html, "verdicts-heading")
    assert re.search(
        r"<th scope=\"row\">2024</th><td>1</td><td>1</td><td>1</td><td>0</td>", verdicts
    )


def test_members_of_other_organisations_and_strangers_are_refused(
    client: FlaskClient, web_app: Flask
) -> None:
    assert get(client, DASHBOARD).status_code == 302  # to the sign-in page

    sign_in(client, OTHER_COORDINATOR)

    assert get(client, DASHBOARD).status_code == 404
    assert get(client, "/o/no-such-place/dashboard").status_code == 404


def test_the_organisation_page_and_the_navigation_link_the_dashboard(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, COORDINATOR)

    html = get(client, f"/o/{SLUG}/").get_data(as_text=True)

    assert html.count(f'href="{DASHBOARD}"') == 2  # in the page and in the navigation


def test_the_themes_insights_into_closed_cycles_show_over_the_years(
    client: FlaskClient, web_app: Flask
) -> None:
    app = engine_of(web_app)
    follower = Follower(app)
    follower.catch_up()
    follower.refresh_insights()
    organisation = app.organisation_by_slug(SLUG)
    closed = next(c for c in app.cycles_of(UUID(organisation["id"])) if c["phase"] == "closed")
    figures = [
        (insight, figure)
        for insight in app.insights(UUID(closed["id"])).items
        for figure in insight.figures
        if isinstance(figure.value, int | float)
    ]
    sign_in(client, VIEWER)

    html = get(client, DASHBOARD).get_data(as_text=True)

    themes = section(html, "themes-heading")
    assert figures and "Erkenntnisse des Themas über die Jahre" in themes
    for insight, figure in figures:
        assert f"{insight.title.de}: {figure.label.de}" in themes
