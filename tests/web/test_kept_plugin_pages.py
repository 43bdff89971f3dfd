"""A plugin's cycle page kept per reader and version (``engine.PageHost.kept_page``): rendered once,
served again to the same reader, and never out of date once the cycle or the organisation
changed, the reader's role or language changed, or a message waits to be shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

import plugins.impact_orientation.blueprint as model_page
from engine.application.service import SYSTEM_ACTOR
from tests.web.conftest import BASE_URL, COORDINATOR, csrf_token, get, sign_in
from tests.web.test_analyse_page import engine_of, new_cycle, person_id
from tests.web.test_logic_model_page import element, page_url, post


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The statuses of the logic model page's renderings, one per rendering."""
    done: list[int] = []
    render = model_page._render

    def counted(*args: Any, **kwargs: Any) -> Any:
        html, status = render(*args, **kwargs)
        done.append(status)
        return html, status

    monkeypatch.setattr(model_page, "_render", counted)
    yield done


def _html(client: FlaskClient, cycle_id: str, query: str = "") -> str:
    answer = get(client, page_url(cycle_id) + query)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_the_same_reader_gets_the_page_rendered_once(
    client: FlaskClient, web_app: Flask, renders: list[int]
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)

    first = _html(client, cycle_id)
    again = _html(client, cycle_id)

    assert again == first
    assert renders == [200]


def test_a_change_by_someone_else_shows_at_once(
    client: FlaskClient, web_app: Flask, renders: list[int]
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    assert "Lotsendienst" not in _html(client, cycle_id)

    engine_of(web_app).change_records(
        UUID(cycle_id),
        actor_id=person_id(COORDINATOR),
        theme_id="impact-orientation",
        saves=[{"kind": "element", "record_id": None, "attrs": {"column": "activities",
                "title": "Lotsendienst"}, "text": ""}],
    )  # fmt: skip

    assert "Lotsendienst" in _html(client, cycle_id)
    assert len(renders) == 2


def test_a_changed_role_and_a_renamed_organisation_show_at_once(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    assert 'id="element-form"' in _html(client, cycle_id)

    app = engine_of(web_app)
    organisation = app.organisation_by_slug("lk-musterland")
    me = person_id(COORDINATOR)
    other = next(m for m, role in organisation["members"].items() if role == "contributor")
    for member, role in ((other, "coordinator"), (me, "viewer")):
        app.grant_role(
            UUID(organisation["id"]),
            actor_id=SYSTEM_ACTOR,
            member_id=member,
            role=role,
            as_administrator=True,
        )

    assert 'id="element-form"' not in _html(client, cycle_id)


def test_the_banner_after_a_change_is_shown_once_and_never_kept(
    client: FlaskClient, web_app: Flask, renders: list[int]
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    _html(client, cycle_id)

    saved = post(client, cycle_id, "elemente", element("activities", "Lotsendienst"))
    assert saved.status_code == 302
    with_banner = _html(client, cycle_id)
    without = _html(client, cycle_id)
    kept = _html(client, cycle_id)

    assert "Das Element ist gespeichert." in with_banner
    assert "Das Element ist gespeichert." not in without
    assert kept == without
    assert renders[-2:] == [200, 200]  # with the banner, then without it (and kept)


def test_language_and_query_are_part_of_what_is_kept(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    assert post(client, cycle_id, "elemente", element("concept", "Leitbild")).status_code == 302
    key = next(iter(engine_of(web_app).cycle(UUID(cycle_id))["records"]["impact-orientation"]
                    ["element"]))  # fmt: skip
    german = _html(client, cycle_id)

    editing = _html(client, cycle_id, f"?edit={key}")
    english = client.get(
        page_url(cycle_id), base_url=BASE_URL, headers={"Accept-Language": "en-GB,en"}
    ).get_data(as_text=True)

    assert "<h1>Wirkmodell</h1>" in german
    assert 'value="Leitbild"' in editing and 'value="Leitbild"' not in german
    assert "<h1>Logic model</h1>" in english


def test_a_refused_form_is_rendered_afresh_and_not_kept(
    client: FlaskClient, web_app: Flask, renders: list[int]
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    before = _html(client, cycle_id)
    renders.clear()

    refused = post(client, cycle_id, "elemente", element("activities", ""))
    again = _html(client, cycle_id)

    assert refused.status_code == 400
    assert 'aria-invalid="true"' in refused.get_data(as_text=True)
    assert again == before
    assert renders == [400]  # the refused form only: the page before and after it was kept


@pytest.mark.parametrize("page", ["model", "overview"])
def test_two_new_sessions_of_one_person_each_get_forms_that_their_session_accepts(
    web_app: Flask, page: str
) -> None:
    cycle_id = new_cycle(web_app)
    address = page_url(cycle_id) if page == "model" else f"/o/lk-musterland/cycles/{cycle_id}/"
    browsers = [web_app.test_client(), web_app.test_client()]
    for browser in browsers:
        sign_in(browser, COORDINATOR)
    tokens = [csrf_token(browser, address) for browser in browsers]

    answers = [
        browser.post(
            f"{page_url(cycle_id)}/elemente",
            data={"csrf_token": token, **element("activities", f"Angebot {n}")},
            base_url=BASE_URL,
            headers={"Referer": f"{BASE_URL}{address}"},
        )
        for n, (browser, token) in enumerate(zip(browsers, tokens, strict=True))
    ]

    assert [answer.status_code for answer in answers] == [302, 302]
