"""The impact-orientation theme's own page, the logic model (Wirkmodell): mounted through the
``web_blueprints`` hook, found from the cycle's navigation, edited with forms without JavaScript;
refused forms show every problem beside its input; viewers only read; other organisations' and
strangers' requests find nothing."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from tests.web.conftest import (
    BASE_URL,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    csrf_token,
    get,
    sign_in,
)
from tests.web.test_analyse_page import (
    engine_of,
    error_next_to,
    new_cycle,
    person_id,
    post_forms,
    state_of,
)
from tests.web.test_plan_page import cycle_in_plan

SLUG = "lk-musterland"
IMPACT = "impact-orientation"


def page_url(cycle_id: str, slug: str = SLUG) -> str:
    return f"/themes/{IMPACT}/o/{slug}/cycles/{cycle_id}/wirkmodell"


def post(client: FlaskClient, cycle_id: str, action: str, data: dict[str, Any]) -> TestResponse:
    """Post one of the page's forms as a browser does (its CSRF token, a same-site referrer)."""
    page = page_url(cycle_id)
    lists = {name: data.pop(name, []) for name in ("goal_ids", "record_ids")}
    form = MultiDict({"csrf_token": csrf_token(client, page), **data})
    for name, values in lists.items():
        form.setlist(name, list(values))
    return client.post(
        f"{page}/{action}", data=form, base_url=BASE_URL, headers={"Referer": f"{BASE_URL}{page}"}
    )


def model(web_app: Flask, cycle_id: str) -> dict[str, Any]:
    return dict(state_of(web_app, cycle_id)["records"].get(IMPACT, {}))


def element(column: str, title: str, **more: Any) -> dict[str, Any]:
    return {"column": column, "title": title, "description": "", "reason": "", **more}


def two_elements_and_an_arrow(client: FlaskClient, web_app: Flask, cycle_id: str) -> list[str]:
    assert (
        post(client, cycle_id, "elemente", element("activities", "Lotsendienst")).status_code == 302
    )
    assert (
        post(
            client, cycle_id, "elemente", element("results", "Familien kennen Angebote")
        ).status_code
        == 302
    )
    elements = model(web_app, cycle_id)["element"]
    by_title = {e["attrs"]["title"]: key for key, e in elements.items()}
    source, target = by_title["Lotsendienst"], by_title["Familien kennen Angebote"]
    answer = post(
        client, cycle_id, "pfeile",
        {"source": source, "target": target, "assumption": "Familien vertrauen dem Dienst",
         "reason": "Entwurf"},
    )  # fmt: skip
    assert answer.status_code == 302
    return [source, target]


def test_the_cycle_links_to_the_theme_page_and_the_page_lists_the_model(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    overview = get(client, f"/o/{SLUG}/cycles/{cycle_id}/").get_data(as_text=True)
    assert f'href="{page_url(cycle_id)}"' in overview

    source, target = two_elements_and_an_arrow(client, web_app, cycle_id)
    html = get(client, page_url(cycle_id)).get_data(as_text=True)

    assert "<h1>Wirkmodell</h1>" in html
    headings = re.findall(r"<h[1-3][^>]*>([^<]+)</h[1-3]>", html)
    assert headings.count("Wirkmodell") == 1  # the drawn model's section is named otherwise
    assert "Das Modell im Überblick" in headings
    assert "Lotsendienst → Familien kennen Angebote" in html
    assert "unter der Annahme, dass Familien vertrauen dem Dienst" in html
    arrows = model(web_app, cycle_id)["arrow"]
    assert [a["attrs"] for a in arrows.values()] == [{"source": source, "target": target}]
    assert "Das Element ist gespeichert." not in html  # the banner was shown once, after the change


def test_a_result_links_goals_of_the_theme_with_step_and_level(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    engine_of(web_app).set_goal(
        UUID(cycle_id), actor_id=person_id(COORDINATOR), goal_id="erreichen",
        title="Mehr Familien erreichen", indicator="Anteil", unit="%", baseline=10, target=30,
        theme_id=IMPACT, attrs={"impact_step": 2, "iooi_level": "output"},
    )  # fmt: skip
    sign_in(client, COORDINATOR)
    html = get(client, page_url(cycle_id)).get_data(as_text=True)
    assert 'name="goal_ids" value="erreichen"' in html

    answer = post(
        client, cycle_id, "elemente",
        element("results", "Erreichte Familien", step="2", level="output", goal_ids=["erreichen"]),
    )  # fmt: skip

    assert answer.status_code == 302
    saved = next(iter(model(web_app, cycle_id)["element"].values()))
    assert saved["attrs"] == {
        "column": "results", "title": "Erreichte Familien", "step": 2, "level": "output",
        "goal_ids": ["erreichen"],
    }  # fmt: skip
    assert "Ziele: Mehr Familien erreichen" in get(client, page_url(cycle_id)).get_data(
        as_text=True
    )


def test_every_problem_of_a_refused_form_is_shown_beside_its_input_and_nothing_is_written(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    version = state_of(web_app, cycle_id)["version"]

    answer = post(
        client, cycle_id, "elemente",
        element("activities", "", step="5", level="impact", reason="x" * 2001),
    )  # fmt: skip

    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "Bitte geben Sie einen Titel ein." in error_next_to(html, "element-title")
    assert "Nur Resultate" in error_next_to(html, "element-column")
    assert "gehört zur Ebene Outcome" in error_next_to(html, "element-level")
    assert "höchstens 2000 Zeichen" in error_next_to(html, "element-reason")
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary is not None
    assert len(re.findall(r'<li><a href="#element-', summary.group(0))) == 4
    assert state_of(web_app, cycle_id)["version"] == version


def test_an_arrow_to_itself_and_a_second_arrow_between_the_same_elements_are_refused(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    source, target = two_elements_and_an_arrow(client, web_app, cycle_id)
    version = state_of(web_app, cycle_id)["version"]

    itself = post(client, cycle_id, "pfeile", {"source": source, "target": source})
    again = post(client, cycle_id, "pfeile", {"source": source, "target": target})

    assert "zu einem anderen Element" in error_next_to(
        itself.get_data(as_text=True), "arrow-target"
    )
    assert "gibt es schon" in error_next_to(again.get_data(as_text=True), "arrow-target")
    assert state_of(web_app, cycle_id)["version"] == version


def test_removing_an_element_removes_its_arrows_in_the_same_change(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    source, target = two_elements_and_an_arrow(client, web_app, cycle_id)
    version = state_of(web_app, cycle_id)["version"]

    answer = post(
        client, cycle_id, "elemente/entfernen", {"record_ids": [source], "reason": "doppelt"}
    )

    assert answer.status_code == 302
    assert list(model(web_app, cycle_id)["element"]) == [target]
    assert "arrow" not in model(web_app, cycle_id)
    assert state_of(web_app, cycle_id)["version"] == version + 2


def test_an_element_is_edited_through_its_prefilled_form(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    source, _ = two_elements_and_an_arrow(client, web_app, cycle_id)
    html = get(client, f"{page_url(cycle_id)}?edit={source}").get_data(as_text=True)
    assert 'value="Lotsendienst"' in html
    assert f'name="record_id" value="{source}"' in html

    answer = post(
        client, cycle_id, "elemente", {**element("activities", "Babylotsen"), "record_id": source}
    )

    assert answer.status_code == 302
    assert model(web_app, cycle_id)["element"][source]["attrs"]["title"] == "Babylotsen"


def test_the_gate_choice_is_saved_as_the_theme_setting(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)

    answer = post(
        client, cycle_id, "pruefung", {"check": "cycles", "reason": "Kreisläufe vermeiden"}
    )
    refused = post(client, cycle_id, "pruefung", {"check": "whatever"})

    assert answer.status_code == 302
    assert model(web_app, cycle_id)["setting"] == {
        "gate": {"attrs": {"check": "cycles"}, "text": ""}
    }
    assert "eine der Prüfungen" in error_next_to(refused.get_data(as_text=True), "gate-check")


def test_a_viewer_reads_the_model_without_forms_and_may_not_post(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    two_elements_and_an_arrow(client, web_app, cycle_id)
    assert 'name="record_ids"' in get(client, page_url(cycle_id)).get_data(as_text=True)
    client.post("/logout", base_url=BASE_URL)
    viewer = web_app.test_client()
    sign_in(viewer, VIEWER)

    html = get(viewer, page_url(cycle_id)).get_data(as_text=True)
    refused = post(viewer, cycle_id, "elemente", element("concept", "Leitbild"))

    assert "Lotsendienst → Familien kennen Angebote" in html
    assert post_forms(html) == []
    assert 'name="record_ids"' not in html
    assert refused.status_code == 403
    assert len(model(web_app, cycle_id)["element"]) == 2


def test_other_organisations_and_strangers_find_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, OTHER_COORDINATOR)

    assert get(client, page_url(cycle_id)).status_code == 404
    assert get(client, page_url(cycle_id, slug="lk-beispiel")).status_code == 404
    assert get(client, page_url("not-a-uuid")).status_code == 404
    anonymous = web_app.test_client()
    assert get(anonymous, page_url(cycle_id)).status_code == 302  # to the sign-in page


def test_the_history_tells_each_change_of_the_model_in_words(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    source, _ = two_elements_and_an_arrow(client, web_app, cycle_id)
    post(client, cycle_id, "elemente/entfernen", {"record_ids": [source], "reason": "doppelt"})

    html = get(client, f"/o/{SLUG}/cycles/{cycle_id}/history").get_data(as_text=True)

    assert "Eintrag eines Themas gespeichert (z. B. im Wirkmodell)" in html
    assert "Eintrag eines Themas entfernt (z. B. aus dem Wirkmodell)" in html
    assert "„Familien kennen Angebote“" in html
    assert "doppelt" in html
    # the arrow's fields by the labels of the theme's schema, not by a core field's name
    assert "Von Element" in html
    assert "Führt zu" in html
    assert "Zielwert" not in html


def test_the_model_as_it_stood_is_shown_for_an_earlier_version(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    source, _ = two_elements_and_an_arrow(client, web_app, cycle_id)
    drawn = state_of(web_app, cycle_id)["version"]
    post(client, cycle_id, "elemente/entfernen", {"record_ids": [source], "reason": "doppelt"})

    then = get(client, f"/o/{SLUG}/cycles/{cycle_id}/as-of?version={drawn}").get_data(as_text=True)
    now = get(client, f"/o/{SLUG}/cycles/{cycle_id}/as-of?version={drawn + 2}")

    assert "Einträge des Themas Wirkungsorientierung" in then
    assert "„Lotsendienst“" in then
    assert "„Lotsendienst“ → „Familien kennen Angebote“: Familien vertrauen dem Dienst" in then
    assert "„Lotsendienst“" not in now.get_data(as_text=True)


def test_removing_what_someone_else_removed_meanwhile_says_so(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    source, target = two_elements_and_an_arrow(client, web_app, cycle_id)
    version = state_of(web_app, cycle_id)["version"]

    arrow = next(iter(model(web_app, cycle_id)["arrow"]))
    answer = post(
        client, cycle_id, "pfeile/entfernen", {"record_ids": ["a-gone", arrow], "reason": ""}
    )
    stale = post(
        client, cycle_id, "elemente/entfernen",
        {"record_ids": [source], "reason": "doppelt", "version": str(version - 1)},
    )  # fmt: skip

    assert answer.status_code == 400
    assert "Einen der gewählten Pfeile gibt es nicht mehr." in error_next_to(
        answer.get_data(as_text=True), "remove-arrows-record_ids"
    )
    # the refused form comes back with its box still ticked (the lists rendered afresh)
    assert f'value="{arrow}" checked>' in answer.get_data(as_text=True)
    assert f'value="{arrow}" checked>' not in get(client, page_url(cycle_id)).get_data(as_text=True)
    assert stale.status_code == 409
    assert "Jemand anderes hat den Zyklus gerade geändert." in stale.get_data(as_text=True)
    assert state_of(web_app, cycle_id)["version"] == version
    assert set(model(web_app, cycle_id)["element"]) == {source, target}


def test_one_form_per_list_removes_the_ticked_arrows_in_one_change(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    source, target = two_elements_and_an_arrow(client, web_app, cycle_id)
    post(client, cycle_id, "elemente", element("concept", "Leitbild"))
    third = next(k for k in model(web_app, cycle_id)["element"] if k not in (source, target))
    assert post(client, cycle_id, "pfeile", {"source": third, "target": source}).status_code == 302
    html = get(client, page_url(cycle_id)).get_data(as_text=True)
    assert len(post_forms(html)) == 5
    # five forms of the page and the header's two (language, sign-out), each with its token;
    # a box per element and per arrow
    assert html.count('name="csrf_token"') == 5 + 2
    assert html.count('name="record_ids"') == 3 + 2
    assert 'id="remove-elements"' in html
    assert 'id="remove-arrows"' in html
    assert f'href="{page_url(cycle_id)}?edit={source}#element-form"' in html
    arrows = list(model(web_app, cycle_id)["arrow"])
    version = state_of(web_app, cycle_id)["version"]

    answer = post(client, cycle_id, "pfeile/entfernen", {"record_ids": arrows, "reason": "neu"})

    assert answer.status_code == 302
    assert "arrow" not in model(web_app, cycle_id)
    assert len(model(web_app, cycle_id)["element"]) == 3
    assert state_of(web_app, cycle_id)["version"] == version + 2
    after = get(client, page_url(cycle_id)).get_data(as_text=True)  # the kept lists are not reused
    assert 'id="remove-arrow-' not in after
    assert "Noch keine Pfeile." in after


def test_a_removal_without_a_ticked_box_is_refused_beside_the_boxes_and_keeps_the_reason(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    two_elements_and_an_arrow(client, web_app, cycle_id)
    version = state_of(web_app, cycle_id)["version"]

    none = post(client, cycle_id, "elemente/entfernen", {"reason": "aufräumen"})
    html = none.get_data(as_text=True)

    assert none.status_code == 400
    assert "mindestens ein Element" in error_next_to(html, "remove-elements-record_ids")
    assert '<a href="#remove-elements-record_ids">' in html
    assert 'id="remove-elements-reason" name="reason" value="aufräumen"' in html
    assert state_of(web_app, cycle_id)["version"] == version


def test_the_page_speaks_the_readers_language(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    two_elements_and_an_arrow(client, web_app, cycle_id)
    german = get(client, page_url(cycle_id)).get_data(as_text=True)
    english = client.get(
        page_url(cycle_id), base_url=BASE_URL, headers={"Accept-Language": "en-GB,en"}
    ).get_data(as_text=True)

    assert "Elemente entfernen" in german
    assert "Remove elements" in english
    assert "Remove arrows" in english
    assert "<h1>Logic model</h1>" in english
    assert "The model at a glance</h2>" in english
    assert "assuming that Familien vertrauen dem Dienst" in english
    assert "Elemente entfernen" not in english
