"""The plan page: goals and measures with their themes' data, templates, refusals, phases."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient
from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from tests.web.conftest import CONTRIBUTOR, COORDINATOR, VIEWER, cycle_ids, get, sign_in
from tests.web.test_analyse_page import (
    engine_of,
    error_next_to,
    new_cycle,
    person_id,
    post_forms,
    section,
    state_of,
    submit,
    version_of,
)
from web.ui.attrs_form import AttrsForm

SLUG = "lk-musterland"
IMPACT = "impact-orientation"
PARTICIPATION = "parent-participation"
ANCHORING = "political-anchoring"


def cycle_in_plan(web_app: Flask) -> str:
    """A new cycle whose analysis is done (a rating per theme, a prioritised need)."""
    cycle_id = new_cycle(web_app)
    app = engine_of(web_app)
    coordinator = person_id(COORDINATOR)
    for theme in app.themes.values():
        criterion = theme.criteria[0]
        scale = criterion.scale
        app.record_assessment(
            UUID(cycle_id),
            actor_id=coordinator,
            theme_id=theme.id,
            criterion_id=criterion.id,
            value=scale.levels[0].id if scale.kind == "levels" else int(scale.minimum),
        )
    app.record_finding(
        UUID(cycle_id),
        actor_id=coordinator,
        kind="need",
        theme_id=PARTICIPATION,
        finding_id="bedarf-eltern",
        text="Eltern sind an der Planung kaum beteiligt",
    )
    app.set_priorities(UUID(cycle_id), actor_id=coordinator, finding_ids=["bedarf-eltern"])
    app.advance_phase(UUID(cycle_id), actor_id=coordinator)
    assert state_of(web_app, cycle_id)["phase"] == "plan"
    return cycle_id


def plan_url(cycle_id: str) -> str:
    """The plan page of a cycle."""
    return f"/o/{SLUG}/cycles/{cycle_id}/plan"


def new_goal(
    client: FlaskClient, cycle_id: str, fields: dict[str, Any], attrs: dict[str, Any] | None = None
) -> TestResponse:
    """Post the new-goal form (theme data named attrs-…)."""
    data = {
        "new-goal-title": "Ziel",
        "new-goal-theme_id": "",
        "new-goal-attrs_theme": fields.get("theme_id", ""),
        "new-goal-indicator": "",
        "new-goal-unit": "",
        "new-goal-baseline": "",
        "new-goal-target": "",
        "new-goal-due": "",
        **{f"new-goal-{key}": value for key, value in fields.items()},
        **{f"attrs-{key}": value for key, value in (attrs or {}).items()},
    }
    return submit(client, plan_url(cycle_id), f"{plan_url(cycle_id)}/goals", "new-goal", data)


def new_measure(
    client: FlaskClient, cycle_id: str, fields: dict[str, Any], attrs: dict[str, Any] | None = None
) -> TestResponse:
    """Post the new-measure form."""
    data = {
        "new-measure-title": "Maßnahme",
        "new-measure-theme_id": "",
        "new-measure-attrs_theme": "",
        "new-measure-goal_id": "",
        "new-measure-responsible_member_id": "",
        "new-measure-start": "",
        "new-measure-due": "",
        "new-measure-resources": "",
        **{f"new-measure-{key}": value for key, value in fields.items()},
        **{f"attrs-{key}": value for key, value in (attrs or {}).items()},
    }
    return submit(client, plan_url(cycle_id), f"{plan_url(cycle_id)}/measures", "new-measure", data)


def selected(html: str, select_id: str) -> list[str]:
    """The chosen option values of a select."""
    found = re.search(rf'<select[^>]*id="{re.escape(select_id)}"[^>]*>(.*?)</select>', html, re.S)
    assert found is not None, f"no select {select_id}"
    options = [tag for tag in re.findall(r"<option\b[^>]*>", found.group(1)) if " selected" in tag]
    return [re.findall(r'value="([^"]*)"', tag)[0] for tag in options]


def test_a_goal_from_a_template_is_prefilled_then_recorded_with_its_impact_step_and_shown(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    html = get(client, plan_url(cycle_id)).get_data(as_text=True)
    link = f"{plan_url(cycle_id)}?template={IMPACT}/goal-reach-families#new-goal"
    assert f'href="{link}"' in html
    assert "Eltern sind an der Planung kaum beteiligt" in html  # the priorities as context

    form = get(client, link.split("#")[0]).get_data(as_text=True)

    assert 'value="Mehr Familien mit Neugeborenen erreichen"' in form
    assert selected(form, "new-goal-theme_id") == [IMPACT]
    assert selected(form, "new-goal-attrs-impact_step") == ["2"]
    assert selected(form, "new-goal-attrs-iooi_level") == ["output"]
    assert "Der Anteil der Familien mit Neugeborenen" in form  # the template's description

    response = new_goal(
        client,
        cycle_id,
        {
            "title": "Mehr Familien mit Neugeborenen erreichen",
            "theme_id": IMPACT,
            "indicator": "Anteil der Familien mit Willkommensbesuch",
            "unit": "%",
            "baseline": "42,5",
            "target": "55",
            "due": "2027-11-30",
        },
        {"impact_step": "2", "iooi_level": "output"},
    )

    assert response.status_code == 302
    goals = state_of(web_app, cycle_id)["goals"]
    (goal_id, goal), *_ = goals.items()
    assert response.headers["Location"].endswith(f"#goal-{goal_id}")
    assert goal["attrs"] == {"impact_step": 2, "iooi_level": "output"}
    assert (goal["baseline"], goal["target"], goal["theme_id"]) == (42.5, 55.0, IMPACT)
    shown = section(get(client, plan_url(cycle_id)).get_data(as_text=True), f"goal-{goal_id}")
    assert "Anteil der Familien mit Willkommensbesuch" in shown
    assert "42,5 %" in shown and "55 %" in shown
    assert re.search(
        r"<dt>Stufe der Wirkungstreppe</dt><dd>2 – Zielgruppen werden erreicht</dd>", shown
    )
    assert re.search(r"<dt>IOOI-Ebene</dt><dd>Output \(Leistungen, Stufen 1–3\)</dd>", shown)


def test_a_measure_asks_for_its_themes_data_once_the_theme_is_chosen(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    before = version_of(web_app, cycle_id)
    fields = {
        "title": "Planungswerkstatt mit Eltern",
        "theme_id": PARTICIPATION,
        "responsible_member_id": person_id(CONTRIBUTOR),
        "start": "2027-03-01",
        "due": "2027-06-30",
        "resources": "Raum im Familienzentrum",
    }

    first = new_measure(client, cycle_id, fields)

    assert first.status_code == 200
    page = first.get_data(as_text=True)
    assert "fragt nach eigenen Angaben" in page
    assert "Mitbestimmung" in page  # the ladder's labels
    assert 'name="attrs-participation_level"' in page
    assert 'value="Planungswerkstatt mit Eltern"' in page  # what was typed stays
    assert version_of(web_app, cycle_id) == before

    second = new_measure(
        client,
        cycle_id,
        {**fields, "attrs_theme": PARTICIPATION},
        {"participation_level": "mitbestimmung", "phase_involvement": ["plan", "review"]},
    )

    assert second.status_code == 302
    (measure_id, measure), *_ = state_of(web_app, cycle_id)["measures"].items()
    assert measure["attrs"] == {
        "participation_level": "mitbestimmung",
        "phase_involvement": ["plan", "review"],
    }
    assert measure["responsible_member_id"] == person_id(CONTRIBUTOR)
    shown = section(get(client, plan_url(cycle_id)).get_data(as_text=True), f"measure-{measure_id}")
    assert re.search(r"<dt>Beteiligungsstufe</dt><dd>Mitbestimmung</dd>", shown)
    assert re.search(r"<dt>Verantwortlich</dt><dd>Jana Wolff</dd>", shown)
    assert "Raum im Familienzentrum" in shown
    # the revise form shows the stored level and phases again
    assert selected(shown, f"measure-{measure_id}-attrs-participation_level") == ["mitbestimmung"]
    assert (
        len(re.findall(r'name="attrs-phase_involvement" value="(plan|review)" checked', shown)) == 2
    )


def test_a_measure_template_fills_in_the_participation_level(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    html = get(
        client, f"{plan_url(cycle_id)}?template={PARTICIPATION}/measure-planning-workshop"
    ).get_data(as_text=True)
    assert selected(html, "new-measure-theme_id") == [PARTICIPATION]
    assert selected(html, "new-measure-attrs-participation_level") == ["mitbestimmung"]
    assert 'name="attrs-phase_involvement" value="plan" checked' in html
    assert selected(html, "new-goal-theme_id") == [""]  # the goal form stays empty


def test_invalid_theme_data_is_shown_next_to_its_field_and_nothing_is_written(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    before = version_of(web_app, cycle_id)

    bad_date = new_goal(
        client,
        cycle_id,
        {"title": "Beschluss zur Netzwerkkoordination", "theme_id": ANCHORING},
        {
            "evidence-0-document": "Beschluss JHA 12/2027",
            "evidence-0-body": "jugendhilfeausschuss",
            "evidence-0-date": "2027-02-30",
        },
    )
    wrong_level = new_goal(
        client,
        cycle_id,
        {"title": "Eltern handeln sicherer", "theme_id": IMPACT},
        {"impact_step": "5", "iooi_level": "output"},
    )
    missing_level = new_goal(
        client, cycle_id, {"title": "Ohne Ebene", "theme_id": IMPACT}, {"impact_step": "5"}
    )

    assert bad_date.status_code == wrong_level.status_code == missing_level.status_code == 400
    html = bad_date.get_data(as_text=True)
    assert (
        error_next_to(html, "new-goal-attrs-evidence-0-date") == "Bitte ein gültiges Datum angeben."
    )
    assert 'value="Beschluss JHA 12/2027"' in html  # the typed evidence is kept
    assert "outcome" in error_next_to(
        wrong_level.get_data(as_text=True), "new-goal-attrs-iooi_level"
    )
    assert (
        error_next_to(missing_level.get_data(as_text=True), "new-goal-attrs-iooi_level")
        == "Bitte ausfüllen."
    )
    assert version_of(web_app, cycle_id) == before
    assert state_of(web_app, cycle_id)["goals"] == {}


def test_plain_fields_are_checked_next_to_the_field_too(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    before = version_of(web_app, cycle_id)

    no_number = new_goal(client, cycle_id, {"title": "Ziel", "baseline": "viel"})
    no_title = new_goal(client, cycle_id, {"title": ""})
    due_first = new_measure(
        client, cycle_id, {"title": "Zu früh", "start": "2027-05-01", "due": "2027-04-01"}
    )

    assert no_number.status_code == no_title.status_code == due_first.status_code == 400
    assert "Geben Sie für „Ausgangswert“ eine Zahl an" in error_next_to(
        no_number.get_data(as_text=True), "new-goal-baseline"
    )
    error_next_to(no_title.get_data(as_text=True), "new-goal-title")
    assert (
        error_next_to(due_first.get_data(as_text=True), "new-measure-due") == "liegt vor dem Beginn"
    )
    assert version_of(web_app, cycle_id) == before


def test_evidence_items_are_added_kept_and_removed_in_a_repeating_group(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    created = new_goal(
        client,
        cycle_id,
        {"title": "Beschluss zur Netzwerkkoordination", "theme_id": ANCHORING},
        {
            "evidence-0-document": "Beschluss JHA 12/2027",
            "evidence-0-body": "jugendhilfeausschuss",
            "evidence-0-date": "2027-03-15",
        },
    )
    assert created.status_code == 302
    (goal_id, goal), *_ = state_of(web_app, cycle_id)["goals"].items()
    assert goal["attrs"] == {
        "evidence": [
            {
                "document": "Beschluss JHA 12/2027",
                "body": "jugendhilfeausschuss",
                "date": "2027-03-15",
            }
        ]
    }
    shown = section(get(client, plan_url(cycle_id)).get_data(as_text=True), f"goal-{goal_id}")
    # the body is shown by its id: the schema gives no labels for it
    assert re.search(r"<dt>Nachweise</dt><dd>Beschluss JHA 12/2027, Jugendhilfeausschuss, ", shown)
    assert f'id="goal-{goal_id}-attrs-evidence-0-document"' in shown
    assert f'id="goal-{goal_id}-attrs-evidence-1-document"' in shown  # one empty item to add

    revise_url = f"{plan_url(cycle_id)}/goals/{goal_id}"
    prefix = f"goal-{goal_id}"
    common = {
        f"{prefix}-title": "Beschluss zur Netzwerkkoordination",
        f"{prefix}-theme_id": ANCHORING,
        f"{prefix}-attrs_theme": ANCHORING,
        f"{prefix}-reason": "Haushaltsbeschluss ergänzt",
        "attrs-evidence-0-document": "Beschluss JHA 12/2027",
        "attrs-evidence-0-body": "jugendhilfeausschuss",
        "attrs-evidence-0-date": "2027-03-15",
    }
    added = submit(
        client,
        plan_url(cycle_id),
        revise_url,
        prefix,
        {
            **common,
            "attrs-evidence-1-document": "Haushalt 2028, Produkt 3.6",
            "attrs-evidence-1-body": "kreistag",
            "attrs-evidence-1-date": "2027-12-10",
        },
    )
    assert added.status_code == 302
    evidence = state_of(web_app, cycle_id)["goals"][goal_id]["attrs"]["evidence"]
    assert [e["body"] for e in evidence] == ["jugendhilfeausschuss", "kreistag"]

    removed = submit(
        client,
        plan_url(cycle_id),
        revise_url,
        prefix,
        {
            **common,
            "attrs-evidence-0-_remove": "y",
            "attrs-evidence-1-document": "Haushalt 2028, Produkt 3.6",
            "attrs-evidence-1-body": "kreistag",
            "attrs-evidence-1-date": "2027-12-10",
        },
    )
    assert removed.status_code == 302
    evidence = state_of(web_app, cycle_id)["goals"][goal_id]["attrs"]["evidence"]
    assert [e["document"] for e in evidence] == ["Haushalt 2028, Produkt 3.6"]


def test_a_goal_is_revised_with_a_reason(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    assert new_goal(client, cycle_id, {"title": "Elternbeirat", "target": "2"}).status_code == 302
    (goal_id, _goal), *_ = state_of(web_app, cycle_id)["goals"].items()
    prefix = f"goal-{goal_id}"

    revised = submit(
        client,
        plan_url(cycle_id),
        f"{plan_url(cycle_id)}/goals/{goal_id}",
        prefix,
        {
            f"{prefix}-title": "Elternbeirat mit Stimmrecht",
            f"{prefix}-theme_id": "",
            f"{prefix}-attrs_theme": "",
            f"{prefix}-target": "3",
            f"{prefix}-reason": "Beschluss der Steuerungsgruppe",
        },
    )

    assert revised.status_code == 302
    goal = state_of(web_app, cycle_id)["goals"][goal_id]
    assert (goal["title"], goal["target"]) == ("Elternbeirat mit Stimmrecht", 3.0)
    html = get(client, plan_url(cycle_id)).get_data(as_text=True)
    assert "Das Ziel ist geändert." in html


def test_a_stale_version_shows_the_conflict_and_writes_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    seen = version_of(web_app, cycle_id)
    engine_of(web_app).set_goal(
        UUID(cycle_id), actor_id=person_id(COORDINATOR), title="Jemand anderes war schneller"
    )

    response = new_goal(client, cycle_id, {"title": "Mein Ziel", "version": str(seen)})

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Jemand anderes hat inzwischen etwas geändert." in html
    assert 'value="Mein Ziel"' in html  # the input is kept for another try
    goals = state_of(web_app, cycle_id)["goals"]
    assert [g["title"] for g in goals.values()] == ["Jemand anderes war schneller"]
    assert version_of(web_app, cycle_id) == seen + 1


def test_the_phase_decides_which_plan_forms_are_offered(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, COORDINATOR)
    running = cycle_ids(client, SLUG)[0]  # the demo cycle is in its implementation
    analysing = new_cycle(web_app)
    planning = cycle_in_plan(web_app)

    in_analysis = post_forms(get(client, plan_url(analysing)).get_data(as_text=True))
    in_planning = post_forms(get(client, plan_url(planning)).get_data(as_text=True))
    running_html = get(client, plan_url(running)).get_data(as_text=True)
    in_implementation = post_forms(running_html)

    assert in_analysis == []
    assert f"{plan_url(planning)}/goals" in in_planning
    assert f"{plan_url(planning)}/measures" in in_planning
    assert f"{plan_url(running)}/goals" not in in_implementation
    assert not any("/plan/goals/" in action for action in in_implementation)
    assert f"{plan_url(running)}/measures" in in_implementation
    assert any("/plan/measures/" in action for action in in_implementation)
    assert "Neue Ziele: In der Phase „Umsetzung“ ist das nicht vorgesehen." in running_html
    assert "goal-templates" not in running_html
    before = version_of(web_app, running)
    refused = new_goal(client, running, {"title": "Zu spät"})
    assert refused.status_code == 400
    assert version_of(web_app, running) == before


def test_a_viewer_sees_the_plan_without_forms_and_cannot_post(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, VIEWER)
    running = cycle_ids(client, SLUG)[0]
    html = get(client, plan_url(running)).get_data(as_text=True)
    assert post_forms(html) == []
    assert "Ihre Rolle („Lesezugriff“) erlaubt das nicht." in html
    assert "Mehr Familien mit Neugeborenen erreichen" in html  # the demo's goals are shown
    before = version_of(web_app, running)

    assert new_measure(client, running, {"title": "Von außen"}).status_code == 403
    assert version_of(web_app, running) == before


def test_a_contributor_reads_the_plan_but_does_not_plan(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = cycle_in_plan(web_app)
    sign_in(client, CONTRIBUTOR)
    html = get(client, plan_url(cycle_id)).get_data(as_text=True)
    assert post_forms(html) == []
    before = version_of(web_app, cycle_id)
    assert new_goal(client, cycle_id, {"title": "Nicht meins"}).status_code == 403
    assert version_of(web_app, cycle_id) == before


# Theme data of any schema --------------------------------------------------------------------


class Item(Schema):
    """An item of a repeating group."""

    what = fields.String(required=True, metadata={"label_de": "Was", "label_en": "What"})
    when = fields.Date(required=True)


class EveryKind(Schema):
    """A third party's schema with one field of every kind the form knows."""

    level = fields.Integer(required=True, validate=validate.Range(1, 9))
    hours = fields.Float(validate=validate.Range(0, 1000))
    rung = fields.String(validate=validate.OneOf(["information", "mitbestimmung"]))
    phases = fields.List(fields.String(validate=validate.OneOf(["plan", "review"])))
    public = fields.Boolean(metadata={"label_de": "Öffentlich", "label_en": "Public"})
    items = fields.List(fields.Nested(Item))
    tags = fields.List(fields.String())
    remark = fields.String()


def test_any_schema_is_rendered_and_parsed_generically(web_app: Flask) -> None:
    theme = engine_of(web_app).themes[PARTICIPATION]  # its ladder names the rung levels
    with web_app.test_request_context("/"):
        form = AttrsForm(
            EveryKind,
            theme,
            id_prefix="x",
            values={"level": 3, "items": [{"what": "Beschluss", "when": "2027-03-01"}]},
        )
        widgets = {w.name: w for w in form.widgets()}

        assert widgets["attrs-level"].kind == "select"
        assert widgets["attrs-level"].choices[0] == ("1", "1")
        assert widgets["attrs-level"].value == "3"
        assert widgets["attrs-level"].id == "x-attrs-level"
        assert widgets["attrs-hours"].kind == "number"
        assert widgets["attrs-rung"].choices == [
            ("information", "Information"),
            ("mitbestimmung", "Mitbestimmung"),
        ]
        assert widgets["attrs-phases"].kind == "checkboxes"
        assert (widgets["attrs-public"].kind, widgets["attrs-public"].label) == (
            "checkbox",
            "Öffentlich",
        )
        assert widgets["attrs-tags"].kind == "lines"
        assert widgets["attrs-remark"].kind == "text"
        group = widgets["attrs-items"]
        assert group.kind == "group"
        assert [item.is_new for item in group.items] == [False, True]
        first = {w.name: w for w in group.items[0].widgets}
        assert first["attrs-items-0-what"].label == "Was"
        assert first["attrs-items-0-what"].value == "Beschluss"
        assert first["attrs-items-0-when"].kind == "date"

        parsed = form.parse(
            MultiDict(
                [
                    ("attrs-level", "4"),
                    ("attrs-hours", "2,5"),
                    ("attrs-rung", "mitbestimmung"),
                    ("attrs-phases", "plan"),
                    ("attrs-phases", "review"),
                    ("attrs-public", "y"),
                    ("attrs-items-0-what", "Beschluss"),
                    ("attrs-items-0-when", "2027-03-01"),
                    ("attrs-items-1-what", ""),
                    ("attrs-items-1-when", ""),
                    ("attrs-tags", "eins\nzwei\n"),
                    ("attrs-remark", ""),
                ]
            )
        )
        assert parsed == {
            "level": 4,
            "hours": 2.5,
            "rung": "mitbestimmung",
            "phases": ["plan", "review"],
            "public": True,
            "items": [{"what": "Beschluss", "when": "2027-03-01"}],
            "tags": ["eins", "zwei"],
        }
        EveryKind().load(parsed)  # what the form gives back passes the schema

        form.add_error("attrs.items.0.when", "Not a valid date.")
        form.add_error("attrs._schema", "Something is off.")
        widgets = {w.name: w for w in form.widgets()}
        first = {w.name: w for w in widgets["attrs-items"].items[0].widgets}
        assert first["attrs-items-0-when"].errors == ["Bitte ein gültiges Datum angeben."]
        assert "x-attrs-items-0-when-error" in first["attrs-items-0-when"].describedby
        assert form.general_errors == ["Something is off."]
        assert form.describe()[0] == ("Level", "4")
