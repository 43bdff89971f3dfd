"""Planning follows the analysis, in the pages: a template fills everything it knows, a goal
names the prioritised needs it answers, only members who may act are offered as responsible,
a measure outside the period is marked, a value is corrected or withdrawn on its own page,
a second value for a day asks first, and the theme choice has its own page. Bad input gets a
clear message next to its field and changes nothing."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import COORDINATOR, OTHER_COORDINATOR, VIEWER, get, post_form, sign_in
from tests.web.test_analyse_page import engine_of, person_id, section, state_of
from tests.web.test_implement_page import CONTRIBUTOR, page_of, running_cycle, value_data, value_url
from tests.web.test_implement_page import error_next_to as error_of
from tests.web.test_plan_page import IMPACT, cycle_in_plan, new_goal, new_measure, plan_url

SLUG = "lk-musterland"


def test_a_goal_template_fills_indicator_unit_and_suggested_figures(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    form = get(client, f"{plan_url(cycle_id)}?template={IMPACT}/goal-reach-families")
    html = form.get_data(as_text=True)
    template = next(
        t for t in engine_of(web_app).themes[IMPACT].templates if t.id == "goal-reach-families"
    )
    assert template.indicator is not None
    assert (
        f"\n{template.indicator.de}</textarea>" in html
    )  # WTForms starts a textarea with a newline
    assert re.search(r'id="new-goal-unit"[^>]*value="%"|value="%"[^>]*id="new-goal-unit"', html)
    assert re.search(
        r'id="new-goal-baseline"[^>]*value="40"|value="40"[^>]*id="new-goal-baseline"', html
    )
    assert re.search(
        r'id="new-goal-target"[^>]*value="60"|value="60"[^>]*id="new-goal-target"', html
    )


def test_a_goal_names_the_prioritised_needs_and_the_plan_shows_them(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    html = get(client, plan_url(cycle_id)).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="new-goal-need_ids"[^>]*value="bedarf-eltern"', html)
    before = state_of(web_app, cycle_id)
    refused = new_goal(client, cycle_id, {"title": "Eltern planen mit", "need_ids": ["erfunden"]})
    assert refused.status_code == 400
    assert "kein offener Entwicklungsbedarf" in error_of(
        refused.get_data(as_text=True), "new-goal-need_ids"
    )
    assert state_of(web_app, cycle_id) == before

    saved = new_goal(
        client, cycle_id, {"title": "Eltern planen mit", "need_ids": ["bedarf-eltern"]}
    )
    assert saved.status_code == 302
    goal_id, goal = next(
        (k, g)
        for k, g in state_of(web_app, cycle_id)["goals"].items()
        if g["title"] == "Eltern planen mit"
    )
    assert goal["need_ids"] == ["bedarf-eltern"]
    page = get(client, plan_url(cycle_id)).get_data(as_text=True)
    shown = section(page, f"goal-{goal_id}")
    assert "Antwortet auf die Entwicklungsbedarfe" in shown
    assert "Eltern sind an der Planung kaum beteiligt" in shown


def test_only_members_who_may_act_are_offered_as_responsible(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    html = get(client, plan_url(cycle_id)).get_data(as_text=True)
    options = re.search(
        r'<select[^>]*id="new-measure-responsible_member_id"[^>]*>(.*?)</select>', html, re.S
    )
    assert options is not None
    assert f'value="{person_id(CONTRIBUTOR)}"' in options.group(1)
    assert f'value="{person_id(VIEWER)}"' not in options.group(1)

    before = state_of(web_app, cycle_id)
    refused = new_measure(
        client, cycle_id, {"title": "X", "responsible_member_id": person_id(VIEWER)}
    )
    assert refused.status_code == 400
    assert error_of(refused.get_data(as_text=True), "new-measure-responsible_member_id")
    assert state_of(web_app, cycle_id) == before


def test_a_measure_outside_the_cycles_period_is_saved_and_marked(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)  # 2027
    sign_in(client, COORDINATOR)
    saved = new_measure(
        client, cycle_id, {"title": "Nachlauf", "start": "2027-11-01", "due": "2028-02-28"}
    )
    assert saved.status_code == 302
    measure_id, measure = next(
        (k, m)
        for k, m in state_of(web_app, cycle_id)["measures"].items()
        if m["title"] == "Nachlauf"
    )
    assert measure["outside_period"] is True
    shown = section(get(client, plan_url(cycle_id)).get_data(as_text=True), f"measure-{measure_id}")
    assert "außerhalb des Zeitraums des Zyklus" in shown


def _goal_with_values(web_app: Flask, cycle_id: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    goals = state_of(web_app, cycle_id)["goals"]
    return next((k, g) for k, g in goals.items() if g["values"])


def test_a_second_value_for_a_day_asks_first_and_replaces_once_confirmed(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    goal_id, goal = _goal_with_values(web_app, cycle_id)
    taken = goal["values"][-1]
    before = state_of(web_app, cycle_id)
    data = value_data(goal_id, "77", before["version"], on=taken["measured_on"].isoformat())
    asked = post_form(client, page_of(cycle_id), value_url(cycle_id, goal_id), data)
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    assert "schon ein Wert erfasst" in html
    assert f'name="g-{goal_id}-replace"' in html
    assert state_of(web_app, cycle_id) == before

    confirmed = {**data, f"g-{goal_id}-replace": "y", f"g-{goal_id}-reason": "nachgezählt"}
    replaced = post_form(client, page_of(cycle_id), value_url(cycle_id, goal_id), confirmed)
    assert replaced.status_code == 302
    values = state_of(web_app, cycle_id)["goals"][goal_id]["values"]
    assert len(values) == len(goal["values"])
    changed = next(v for v in values if v["position"] == taken["position"])
    assert (changed["value"], changed["corrected"]["reason"]) == (77.0, "nachgezählt")


def test_a_value_is_corrected_or_withdrawn_on_its_own_page_with_a_reason(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, COORDINATOR)
    goal_id, goal = _goal_with_values(web_app, cycle_id)
    first = goal["values"][0]
    value_page = f"{value_url(cycle_id, goal_id)}/{first['position']}"
    implement = get(client, page_of(cycle_id)).get_data(as_text=True)
    assert f'href="{value_page}"' in implement
    form = get(client, value_page)
    assert form.status_code == 200
    version = str(state_of(web_app, cycle_id)["version"])

    before = state_of(web_app, cycle_id)
    correction = {
        "correct-value": "abc",
        "correct-measured_on": first["measured_on"].isoformat(),
        "correct-source": "Liste",
        "correct-reason": "",
        "correct-version": version,
    }
    refused = post_form(client, value_page, f"{value_page}/correct", correction, prefix="correct")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "Zahl" in error_of(html, "correct-value")
    assert state_of(web_app, cycle_id) == before

    correction["correct-value"] = "3,5"
    refused = post_form(client, value_page, f"{value_page}/correct", correction, prefix="correct")
    assert refused.status_code == 400
    assert error_of(refused.get_data(as_text=True), "correct-reason")
    assert state_of(web_app, cycle_id) == before

    correction["correct-reason"] = "Tippfehler"
    done = post_form(client, value_page, f"{value_page}/correct", correction, prefix="correct")
    assert done.status_code == 302
    corrected = state_of(web_app, cycle_id)["goals"][goal_id]["values"][0]
    assert (corrected["value"], corrected["corrected"]["reason"]) == (3.5, "Tippfehler")
    assert "korrigiert, vorher" in get(client, page_of(cycle_id)).get_data(as_text=True)

    version = str(state_of(web_app, cycle_id)["version"])
    withdrawal = {"withdraw-reason": "", "withdraw-version": version}
    before = state_of(web_app, cycle_id)
    refused = post_form(client, value_page, f"{value_page}/withdraw", withdrawal, prefix="withdraw")
    assert refused.status_code == 400
    assert error_of(refused.get_data(as_text=True), "withdraw-reason")
    assert state_of(web_app, cycle_id) == before
    withdrawal["withdraw-reason"] = "falsche Liste"
    done = post_form(client, value_page, f"{value_page}/withdraw", withdrawal, prefix="withdraw")
    assert done.status_code == 302
    after = state_of(web_app, cycle_id)["goals"][goal_id]
    assert first["position"] not in [v["position"] for v in after["values"]]
    assert get(client, value_page).status_code == 404  # a withdrawn value has no page
    assert "falsche Liste" in get(client, page_of(cycle_id)).get_data(as_text=True)


def test_a_viewer_cannot_open_or_send_the_correction_forms(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = running_cycle(client, VIEWER)
    goal_id, goal = _goal_with_values(web_app, cycle_id)
    value_page = f"{value_url(cycle_id, goal_id)}/{goal['values'][0]['position']}"
    assert get(client, value_page).status_code == 403
    before = state_of(web_app, cycle_id)
    sent = post_form(client, page_of(cycle_id), f"{value_page}/withdraw", {"withdraw-reason": "x"})
    assert sent.status_code == 403
    assert state_of(web_app, cycle_id) == before


def test_the_theme_choice_is_in_the_organisations_navigation_and_for_coordinators_only(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, COORDINATOR)
    themes_page = f"/o/{SLUG}/themes"
    assert f'href="{themes_page}"' in get(client, f"/o/{SLUG}/").get_data(as_text=True)
    page = get(client, themes_page).get_data(as_text=True)
    for theme in engine_of(web_app).themes.values():
        assert theme.description.de in page
    client.post("/logout")
    sign_in(client, CONTRIBUTOR)
    assert f'href="{themes_page}"' not in get(client, f"/o/{SLUG}/").get_data(as_text=True)
    assert get(client, themes_page).status_code == 403
    organisation = engine_of(web_app).organisation_by_slug(SLUG)
    sent = post_form(client, f"/o/{SLUG}/", themes_page, {"themes": [IMPACT]})
    assert sent.status_code == 403
    assert engine_of(web_app).organisation_by_slug(SLUG) == organisation
    client.post("/logout")
    sign_in(client, OTHER_COORDINATOR)
    assert get(client, themes_page).status_code == 404
