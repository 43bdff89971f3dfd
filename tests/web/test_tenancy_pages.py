"""The tenancy rule for every page that reads, generated from the URL map: a member of one
organisation gets 404 for every GET route of another (downloads included), with real ids of
the other organisation's things. A route added later is covered without being listed here."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.web.conftest import COORDINATOR, OTHER_COORDINATOR, cycle_ids, get, post_form, sign_in
from tests.web.test_comments_and_attachments import small_pdf
from tests.web.test_implement_page import state

OWN, OTHER = "lk-musterland", "beispielstadt"
ITEM_KINDS = {
    "goal_id": "goals",
    "measure_id": "measures",
    "finding_id": "findings",
    "attachment_id": "attachments",
}


def page_rules(app: Flask) -> list[Rule]:
    """Every GET rule of an organisation's pages (the API has its own generated test)."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "slug" in rule.arguments
        and "GET" in (rule.methods or ())
        and not rule.rule.startswith("/api/")
    ]


def url_for_rule(rule: Rule, slug: str, cycle: dict[str, Any]) -> str:
    """The rule's URL with the organisation's slug, cycle and real item ids."""
    values: dict[str, Any] = {}
    for argument in rule.arguments:
        if argument == "slug":
            values[argument] = slug
        elif argument == "cycle_id":
            values[argument] = cycle["id"]
        elif argument in ITEM_KINDS:
            values[argument] = next(iter(cycle[ITEM_KINDS[argument]]), "x")
        elif argument == "name":
            values[argument] = "measures"
        elif argument == "position":  # a value's place in its goal's series
            values[argument] = 0
        elif argument == "session_id":  # a meeting's rating session (see with_session)
            values[argument] = cycle.get("test_session_id", "x")
        elif argument == "participant_id":
            values[argument] = "p-x"
        elif argument == "survey_id":
            values[argument] = next(iter(cycle.get("surveys") or ()), "x")
        elif argument == "kind":  # a survey's export or print
            values[argument] = "poster" if rule.endpoint == "ui.survey_print" else "csv"
        else:
            values[argument] = "x"
    return rule.build(values, append_unknown=False)[1]  # type: ignore[index]


def cycle_with_a_file(client: FlaskClient, app: Flask, slug: str) -> dict[str, Any]:
    """The organisation's newest cycle, with an evidence file uploaded on its overview."""
    cycle_id = cycle_ids(client, slug)[0]
    overview = f"/o/{slug}/cycles/{cycle_id}/"
    response = post_form(
        client,
        overview,
        f"{overview}attachments",
        {"upload-file": (io.BytesIO(small_pdf()), "intern.pdf"), "upload-subject": "cycle"},
    )
    assert response.status_code == 302
    with_survey(app, slug, cycle_id)
    return state(app, cycle_id)


def cycle_in_analysis_with_a_session(app: Flask, slug: str) -> dict[str, Any]:
    """A new cycle of the organisation in its analysis, with a meeting's rating session open
    (sessions are opened in the analysis only); its id under ``test_session_id``."""
    engine = app.extensions["qualizyklus"]
    organisation = engine.organisation_by_slug(slug)
    coordinator = next(m for m, role in organisation["members"].items() if role == "coordinator")
    cycle_id = engine.start_cycle(
        UUID(organisation["id"]),
        actor_id=coordinator,
        title="Zyklus mit Sitzung",
        themes=sorted(engine.themes),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    theme = engine.themes[sorted(engine.themes)[0]]
    session = engine.open_rating_session(
        cycle_id,
        actor_id=coordinator,
        title="Netzwerktreffen",
        criteria=[f"{theme.id}/{theme.criteria[0].id}"],
        ends_at=datetime.now(UTC) + timedelta(hours=2),
    )
    return {**state(app, str(cycle_id)), "test_session_id": session["session_id"]}


def cycle_for(
    rule: Rule, with_items: dict[str, Any], with_session: dict[str, Any]
) -> dict[str, Any]:
    """The cycle whose ids a rule's URL is built with."""
    return with_session if "session_id" in rule.arguments else with_items


def with_survey(app: Flask, slug: str, cycle_id: str) -> None:
    """A parents' survey with five answers on the cycle (its pages show results and texts)."""
    engine = app.extensions["qualizyklus"]
    organisation = engine.organisation_by_slug(slug)
    coordinator = next(m for m, role in organisation["members"].items() if role == "coordinator")
    survey_id = engine.create_survey(
        UUID(cycle_id),
        actor_id=coordinator,
        title="Befragung",
        question_set_id="parents-good-practice",
        closes_on=date.today() + timedelta(days=10),
    )
    for _ in range(5):
        engine.answer_survey(
            UUID(cycle_id), survey_id, language="de", choices={"heard": ["yes"]}, texts={}
        )


def test_every_page_of_another_organisation_answers_404(web_app: Flask) -> None:
    other = web_app.test_client()
    sign_in(other, OTHER_COORDINATOR)
    foreign = cycle_with_a_file(other, web_app, OTHER)
    foreign_session = cycle_in_analysis_with_a_session(web_app, OTHER)
    member = web_app.test_client()
    sign_in(member, COORDINATOR)
    rules = page_rules(web_app)
    assert "ui.download_attachment" in {rule.endpoint for rule in rules}
    assert len(rules) > 15
    for rule in rules:
        theirs = cycle_for(rule, foreign, foreign_session)
        urls = [url_for_rule(rule, OTHER, theirs)]
        if "cycle_id" in rule.arguments:  # the other's cycle under the member's organisation
            urls.append(url_for_rule(rule, OWN, theirs))
        for url in urls:
            response = get(member, url)
            assert response.status_code == 404, url
            assert small_pdf() not in response.data


def test_the_same_pages_answer_their_own_organisation(web_app: Flask) -> None:
    """The control: with its own ids every GET page is found, the download gives the file."""
    member = web_app.test_client()
    sign_in(member, COORDINATOR)
    own = cycle_with_a_file(member, web_app, OWN)
    own_session = cycle_in_analysis_with_a_session(web_app, OWN)
    for rule in page_rules(web_app):
        url = url_for_rule(rule, OWN, cycle_for(rule, own, own_session))
        response = get(member, url)
        assert response.status_code == 200, url
        if rule.endpoint == "ui.download_attachment":
            assert response.data == small_pdf()
