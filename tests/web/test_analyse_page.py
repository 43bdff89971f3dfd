"""The analysis page: rating criteria with the group's spread, findings and priorities."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine import hookimpl
from engine.application.service import Qualizyklus
from engine.demo.networks import DEMO_ORGANISATIONS
from engine.domain.catalogue import Theme
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.web.conftest import (
    BASE_URL,
    CONTRIBUTOR,
    COORDINATOR,
    VIEWER,
    csrf_token,
    cycle_ids,
    get,
    sign_in,
)
from web.app import create_app

SLUG = "lk-musterland"
LADDER_THEME = "parent-participation"
LADDER_CRITERION = "involved-in-analysis"  # rated on the nine-level participation ladder
NUMERIC_CRITERION = "shared-understanding"  # rated 1 to 5


# Helpers (also used by the plan page's tests) -------------------------------------------------


def engine_of(web_app: Flask) -> Qualizyklus:
    """The engine behind the web app."""
    found: Qualizyklus = web_app.extensions["qualizyklus"]
    return found


def person_id(email: str) -> str:
    """The demo person's id."""
    organisation = next(o for o in DEMO_ORGANISATIONS if o.slug == SLUG)
    person = next(p for p in organisation.people if p.email == email)
    return person.person_id(SLUG)


def new_cycle(web_app: Flask) -> str:
    """A new cycle of the demo organisation with every installed theme, in its analysis."""
    app = engine_of(web_app)
    organisation = app.organisation_by_slug(SLUG)
    cycle_id = app.start_cycle(
        UUID(organisation["id"]),
        actor_id=person_id(COORDINATOR),
        title="Qualitätszyklus 2027",
        themes=sorted(app.themes),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    return str(cycle_id)


def coordinator_rates(web_app: Flask, cycle_id: str, value: str, rater: str = COORDINATOR) -> None:
    """The coordinator records a ladder rating (their own, or on behalf of ``rater``)."""
    engine_of(web_app).record_assessment(
        UUID(cycle_id),
        actor_id=person_id(COORDINATOR),
        rater_id=person_id(rater),
        theme_id=LADDER_THEME,
        criterion_id=LADDER_CRITERION,
        value=value,
    )


def version_of(web_app: Flask, cycle_id: str) -> int:
    """The cycle's stored version."""
    version: int = engine_of(web_app).cycle(UUID(cycle_id))["version"]
    return version


def state_of(web_app: Flask, cycle_id: str) -> dict[str, Any]:
    """The cycle's stored state."""
    return engine_of(web_app).cycle(UUID(cycle_id))


def submit(
    client: FlaskClient, page: str, action: str, prefix: str, data: dict[str, Any]
) -> TestResponse:
    """Submit one form of ``page`` as a browser does (its prefixed CSRF token, a referrer)."""
    token = csrf_token(client, page)
    return client.post(
        action,
        data={"csrf_token": token, f"{prefix}-csrf_token": token, **data},
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}{page}"},
    )


def section(html: str, element_id: str, tag: str = "article") -> str:
    """The HTML of the element with this id (up to its closing tag)."""
    found = re.search(rf'<{tag}[^>]*id="{re.escape(element_id)}".*?</{tag}>', html, re.S)
    assert found is not None, f"no <{tag} id={element_id}>"
    return found.group(0)


def error_next_to(html: str, input_id: str) -> str:
    """The error shown next to an input (linked through aria-describedby)."""
    found = re.search(rf'<p class="error" id="{re.escape(input_id)}-error">([^<]*)</p>', html)
    assert found is not None, f"no error next to {input_id}"
    assert re.search(rf'aria-describedby="[^"]*{re.escape(input_id)}-error', html)
    return found.group(1)


def post_forms(html: str) -> list[str]:
    """The actions of the page's POST forms, without the header's language and sign-out."""
    tags = [tag for tag in re.findall(r"<form\b[^>]*>", html) if 'method="post"' in tag]
    actions = [re.search(r'action="([^"]*)"', tag) for tag in tags]
    found = [action.group(1) for action in actions if action is not None]
    assert len(found) == len(tags), "every form names its action"
    return [a for a in found if a not in ("/language", "/logout")]


def analyse_url(cycle_id: str) -> str:
    """The analysis page of a cycle."""
    return f"/o/{SLUG}/cycles/{cycle_id}/analyse"


def rate_url(cycle_id: str, theme: str = LADDER_THEME) -> str:
    """Where a theme's ratings are posted (one form per theme)."""
    return f"{analyse_url(cycle_id)}/rate/{theme}"


def rating(
    client: FlaskClient,
    cycle_id: str,
    value: str,
    *,
    criterion: str = LADDER_CRITERION,
    extra: dict[str, Any] | None = None,
    page: str | None = None,
) -> TestResponse:
    """Post a rating of one parent-participation criterion through the theme's form."""
    prefix = f"rate-{LADDER_THEME}-{criterion}"
    return submit(
        client,
        page or analyse_url(cycle_id),
        rate_url(cycle_id),
        f"rate-{LADDER_THEME}",
        {f"{prefix}-value": value, f"{prefix}-note": "", **(extra or {})},
    )


# Rating -----------------------------------------------------------------------------------------


def test_a_contributor_rates_and_sees_their_rating_beside_the_groups_median_and_spread(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    coordinator_rates(web_app, cycle_id, "information")
    sign_in(client, CONTRIBUTOR)

    response = rating(
        client,
        cycle_id,
        "selbstorganisation",
        extra={f"rate-{LADDER_THEME}-{LADDER_CRITERION}-note": "Eltern gründen ein Café."},
    )

    assert response.status_code == 302
    assert response.headers["Location"].endswith(analyse_url(cycle_id))  # the banner takes focus
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    banner = html.index("Ihre Einschätzung ist gespeichert.")
    assert (
        html.rindex(f'id="rate-{LADDER_THEME}"', 0, banner) > html.rindex("<form", 0, banner) - 200
    )
    criterion = section(html, f"criterion-{LADDER_THEME}-{LADDER_CRITERION}")
    assert re.search(r"<dt>Ihre Einschätzung</dt>\s*<dd>Selbstorganisation</dd>", criterion)
    assert re.search(r"<dt>Einschätzungen</dt><dd>2</dd>", criterion)
    assert re.search(r"<dt>Median</dt><dd>Mitbestimmung</dd>", criterion)
    assert "Information – Selbstorganisation" in criterion
    assert "Zuerst besprechen" in criterion  # the only criterion of the theme with two views
    assert "Eltern gründen ein Café." in criterion
    # the radio button of the person's own rating is chosen again
    assert re.search(
        r'value="selbstorganisation"[^>]*checked|checked[^>]*value="selbstorganisation"', criterion
    )
    # and the theme lists it among the criteria to discuss
    assert f'href="#criterion-{LADDER_THEME}-{LADDER_CRITERION}"' in html
    stored = state_of(web_app, cycle_id)["assessments"][f"{LADDER_THEME}/{LADDER_CRITERION}"]
    assert stored[person_id(CONTRIBUTOR)]["value"] == "selbstorganisation"
    assert stored[person_id(CONTRIBUTOR)]["note"] == "Eltern gründen ein Café."


def test_a_numeric_rating_is_shown_as_a_number(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)

    assert rating(client, cycle_id, "4", criterion=NUMERIC_CRITERION).status_code == 302

    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    criterion = section(html, f"criterion-{LADDER_THEME}-{NUMERIC_CRITERION}")
    assert re.search(r"<dt>Ihre Einschätzung</dt>\s*<dd>4</dd>", criterion)
    assert re.search(r"<dt>Median</dt><dd>4</dd>", criterion)
    assert "Zuerst besprechen" not in criterion
    stored = state_of(web_app, cycle_id)["assessments"][f"{LADDER_THEME}/{NUMERIC_CRITERION}"]
    assert stored[person_id(CONTRIBUTOR)]["value"] == 4


def test_a_coordinator_records_a_rating_on_behalf_of_a_member(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    member = person_id("m.yilmaz@musterland.example")
    sign_in(client, COORDINATOR)
    page = f"{analyse_url(cycle_id)}?rater={member}"
    html = get(client, page).get_data(as_text=True)
    assert '<select id="rater" name="rater"' in html
    assert re.search(rf'<option value="{member}" selected>Mehmet Yilmaz</option>', html)
    assert "Einschätzung für Mehmet Yilmaz" in html

    response = rating(
        client,
        cycle_id,
        "mitbestimmung",
        page=page,
        extra={f"rate-{LADDER_THEME}-rater": member},
    )

    assert response.status_code == 302
    assert f"rater={member}" in response.headers["Location"]
    ratings = state_of(web_app, cycle_id)["assessments"][f"{LADDER_THEME}/{LADDER_CRITERION}"]
    assert list(ratings) == [member]
    assert ratings[member]["value"] == "mitbestimmung"
    html = get(client, response.headers["Location"]).get_data(as_text=True)
    assert "Die Einschätzung von Mehmet Yilmaz ist gespeichert." in html
    criterion = section(html, f"criterion-{LADDER_THEME}-{LADDER_CRITERION}")
    assert re.search(r"<dt>Einschätzung von Mehmet Yilmaz</dt>\s*<dd>Mitbestimmung</dd>", criterion)


def test_a_contributor_cannot_rate_on_behalf_of_someone_else(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    assert 'name="rater"' not in html.replace('-rater" type="hidden"', "")  # no chooser
    before = version_of(web_app, cycle_id)

    response = rating(
        client,
        cycle_id,
        "mitbestimmung",
        extra={f"rate-{LADDER_THEME}-rater": person_id(COORDINATOR)},
    )

    assert response.status_code == 403
    assert version_of(web_app, cycle_id) == before


def test_a_viewer_sees_everything_without_forms_and_cannot_post(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    engine_of(web_app).record_finding(
        UUID(cycle_id), actor_id=person_id(COORDINATOR), kind="need", text="Mehr Elternbeteiligung"
    )
    sign_in(client, VIEWER)
    response = get(client, analyse_url(cycle_id))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert post_forms(html) == []
    assert "Einschätzung speichern" not in html
    assert "Ihre Rolle („Lesezugriff“) erlaubt das nicht." in html
    assert "Mehr Elternbeteiligung" in html
    before = version_of(web_app, cycle_id)

    assert rating(client, cycle_id, "mitbestimmung").status_code == 403
    finding = submit(
        client,
        analyse_url(cycle_id),
        f"{analyse_url(cycle_id)}/findings",
        "finding",
        {"finding-kind": "need", "finding-theme_id": "", "finding-text": "Von außen"},
    )
    assert finding.status_code == 403
    assert version_of(web_app, cycle_id) == before


def test_a_rating_off_the_scale_is_refused_next_to_the_field_and_nothing_is_written(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)
    before = version_of(web_app, cycle_id)

    forged_level = rating(client, cycle_id, "ganz-oben")
    forged_number = rating(client, cycle_id, "7", criterion=NUMERIC_CRITERION)
    missing = rating(client, cycle_id, "")

    assert forged_level.status_code == forged_number.status_code == missing.status_code == 400
    message = error_next_to(
        forged_level.get_data(as_text=True), f"rate-{LADDER_THEME}-{LADDER_CRITERION}-value"
    )
    assert "Dieser Wert liegt nicht auf der Skala „Stufenmodell der Partizipation" in message
    number_message = error_next_to(
        forged_number.get_data(as_text=True), f"rate-{LADDER_THEME}-{NUMERIC_CRITERION}-value"
    )
    assert "Dieser Wert liegt nicht auf der Skala „1 (trifft nicht zu)" in number_message
    assert "Wählen Sie bei mindestens einem Kriterium einen Wert." in missing.get_data(as_text=True)
    assert version_of(web_app, cycle_id) == before
    assert state_of(web_app, cycle_id)["assessments"] == {}


def test_a_rating_on_a_stale_version_shows_the_conflict_and_writes_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)
    seen = version_of(web_app, cycle_id)
    coordinator_rates(web_app, cycle_id, "anhoerung", CONTRIBUTOR)  # hers, meanwhile

    response = rating(
        client,
        cycle_id,
        "mitbestimmung",
        extra={f"rate-{LADDER_THEME}-version": str(seen)},
    )

    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Eine Einschätzung in diesem Formular wurde inzwischen schon geändert" in html
    assert version_of(web_app, cycle_id) == seen + 1
    ratings = state_of(web_app, cycle_id)["assessments"]
    assert ratings[f"{LADDER_THEME}/{LADDER_CRITERION}"][person_id(CONTRIBUTOR)]["value"] == (
        "anhoerung"
    )


def test_members_rating_at_the_same_time_from_forms_of_one_version_are_all_saved(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    seen = version_of(web_app, cycle_id)
    engine_of(web_app).record_finding(  # the meeting goes on: a finding, another rating
        UUID(cycle_id), actor_id=person_id(COORDINATOR), kind="strength", text="Gute Partner"
    )
    coordinator_rates(web_app, cycle_id, "anhoerung")
    sign_in(client, CONTRIBUTOR)

    response = rating(
        client,
        cycle_id,
        "mitbestimmung",
        extra={f"rate-{LADDER_THEME}-version": str(seen)},
    )

    assert response.status_code == 302
    ratings = state_of(web_app, cycle_id)["assessments"][f"{LADDER_THEME}/{LADDER_CRITERION}"]
    assert ratings[person_id(CONTRIBUTOR)]["value"] == "mitbestimmung"
    assert ratings[person_id(COORDINATOR)]["value"] == "anhoerung"


def test_commands_the_phase_does_not_allow_are_not_offered(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, COORDINATOR)
    running = cycle_ids(client, SLUG)[0]  # the demo cycle is in its implementation
    html = get(client, analyse_url(running)).get_data(as_text=True)

    assert post_forms(html) == []
    assert "Einschätzung speichern" not in html
    assert "In der Phase „Umsetzung“ ist das nicht vorgesehen." in html
    fresh = new_cycle(web_app)
    offered = post_forms(get(client, analyse_url(fresh)).get_data(as_text=True))
    assert rate_url(fresh) in offered
    assert f"{analyse_url(fresh)}/findings" in offered
    assert f"{analyse_url(fresh)}/priorities" not in offered  # no open need to rank yet
    assert "Median" in html  # the ratings are still shown
    before = version_of(web_app, running)
    refused = rating(client, running, "mitbestimmung")
    assert refused.status_code == 400
    assert "ist in der Phase „implement“ nicht möglich" in refused.get_data(as_text=True)
    assert version_of(web_app, running) == before


# Findings and priorities --------------------------------------------------------------------


def finding(client: FlaskClient, cycle_id: str, **data: str) -> TestResponse:
    """Post the form that records a finding."""
    fields = {"finding-kind": "need", "finding-theme_id": "", "finding-criterion_id": ""}
    fields.update({f"finding-{key}": value for key, value in data.items()})
    return submit(
        client, analyse_url(cycle_id), f"{analyse_url(cycle_id)}/findings", "finding", fields
    )


def test_findings_are_recorded_listed_and_withdrawn_with_a_reason(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)

    strength = finding(
        client, cycle_id, kind="strength", theme_id=LADDER_THEME, text="Elterncafé läuft"
    )
    need = finding(
        client,
        cycle_id,
        kind="need",
        criterion_id=f"{LADDER_THEME}/{LADDER_CRITERION}",
        text="Eltern fehlen in der Bedarfsanalyse",
    )

    assert strength.status_code == need.status_code == 302
    findings = state_of(web_app, cycle_id)["findings"]
    by_text = {f["text"]: (finding_id, f) for finding_id, f in findings.items()}
    need_id, stored_need = by_text["Eltern fehlen in der Bedarfsanalyse"]
    assert stored_need["theme_id"] == LADDER_THEME  # taken from the criterion
    assert stored_need["criterion_id"] == LADDER_CRITERION
    assert by_text["Elterncafé läuft"][1]["kind"] == "strength"
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    strengths = html.split('id="strengths"')[1].split('id="needs"')[0]
    needs = html.split('id="needs"')[1].split('id="new-finding"')[0]
    assert (
        "Elterncafé läuft" in strengths and "Beteiligung und Partizipation von Eltern" in strengths
    )
    assert "Eltern fehlen in der Bedarfsanalyse" in needs
    assert "Eltern sind an der Bestands- und Bedarfsanalyse beteiligt" in needs  # criterion

    withdraw_url = f"{analyse_url(cycle_id)}/findings/{need_id}/withdraw"
    before = version_of(web_app, cycle_id)
    no_reason = submit(
        client,
        analyse_url(cycle_id),
        withdraw_url,
        f"withdraw-{need_id}",
        {f"withdraw-{need_id}-reason": ""},
    )
    assert no_reason.status_code == 400
    error_next_to(no_reason.get_data(as_text=True), f"withdraw-{need_id}-reason")
    assert version_of(web_app, cycle_id) == before

    withdrawn = submit(
        client,
        analyse_url(cycle_id),
        withdraw_url,
        f"withdraw-{need_id}",
        {f"withdraw-{need_id}-reason": "Doppelt erfasst"},
    )
    assert withdrawn.status_code == 302
    assert state_of(web_app, cycle_id)["findings"][need_id]["withdrawn"] is True
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    assert "Zurückgezogene Befunde (1)" in html


def test_a_finding_whose_criterion_belongs_to_another_theme_is_refused(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    other_theme = next(t for t in sorted(engine_of(web_app).themes) if t != LADDER_THEME)
    sign_in(client, COORDINATOR)
    before = version_of(web_app, cycle_id)

    response = finding(
        client,
        cycle_id,
        theme_id=other_theme,
        criterion_id=f"{LADDER_THEME}/{LADDER_CRITERION}",
        text="Passt nicht zusammen",
    )

    assert response.status_code == 400
    assert error_next_to(response.get_data(as_text=True), "finding-criterion_id") == (
        "Das Kriterium gehört nicht zum gewählten Thema."
    )
    assert version_of(web_app, cycle_id) == before


def test_a_contributor_sees_findings_but_no_form_to_record_them(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    assert f"{analyse_url(cycle_id)}/findings" not in html
    assert f"{analyse_url(cycle_id)}/priorities" not in html
    assert "Ihre Rolle („Fachkraft / Netzwerkpartner“) erlaubt das nicht." in html
    assert "Einschätzungen speichern" in html  # but rating is theirs to do


def test_priorities_are_chosen_by_rank_and_shown_in_order(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    app = engine_of(web_app)
    coordinator = person_id(COORDINATOR)
    for finding_id, text in (
        ("bedarf-a", "Bedarf A"),
        ("bedarf-b", "Bedarf B"),
        ("bedarf-c", "Bedarf C"),
    ):
        app.record_finding(
            UUID(cycle_id), actor_id=coordinator, kind="need", text=text, finding_id=finding_id
        )
    sign_in(client, COORDINATOR)
    action = f"{analyse_url(cycle_id)}/priorities"

    chosen = submit(
        client,
        analyse_url(cycle_id),
        action,
        "priorities",
        {
            "priorities-rank_bedarf-a": "2",
            "priorities-rank_bedarf-b": "1",
            "priorities-rank_bedarf-c": "",
            "priorities-reason": "Im Workshop abgestimmt",
        },
    )

    assert chosen.status_code == 302
    assert state_of(web_app, cycle_id)["priorities"] == ["bedarf-b", "bedarf-a"]
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    current = html.split('id="current-priorities"')[1].split('id="choose-priorities"')[0]
    assert current.index("Bedarf B") < current.index("Bedarf A")
    assert "Bedarf C" not in current
    assert re.search(
        r'id="priorities-rank_bedarf-b"[^>]*value="1"|value="1"[^>]*id="priorities-rank_bedarf-b"',
        html,
    )
    assert "Priorität 1" in html.split('id="needs"')[1]

    before = version_of(web_app, cycle_id)
    repeated = submit(
        client,
        analyse_url(cycle_id),
        action,
        "priorities",
        {"priorities-rank_bedarf-a": "1", "priorities-rank_bedarf-b": "1"},
    )
    assert repeated.status_code == 400
    page = repeated.get_data(as_text=True)
    assert (
        error_next_to(page, "priorities-rank_bedarf-a") == "Jeder Rang darf nur einmal vorkommen."
    )
    assert (
        error_next_to(page, "priorities-rank_bedarf-b") == "Jeder Rang darf nur einmal vorkommen."
    )
    assert version_of(web_app, cycle_id) == before
    assert state_of(web_app, cycle_id)["priorities"] == ["bedarf-b", "bedarf-a"]


def test_the_page_is_for_members_only(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, "l.schmidt@beispiel.example")
    assert get(client, analyse_url(cycle_id)).status_code == 404
    assert get(client, f"/o/beispielstadt/cycles/{cycle_id}/analyse").status_code == 404


# A third party's theme, installed and then uninstalled ---------------------------------------


class SampleThemes:
    """A third party's plugin with the engine tests' sample themes."""

    name = "sample-themes"

    @hookimpl
    def register_themes(self) -> list[Theme]:
        return list(SAMPLE_THEMES.values())


def with_sample_themes(web_app: Flask) -> Flask:
    """A second app on the same store with the sample themes installed."""
    return create_app(
        {
            "QUALIZYKLUS_DATABASE": web_app.config["QUALIZYKLUS_DATABASE"],
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_EXTRA_PLUGINS": (SampleThemes(),),
        }
    )


def test_ratings_of_an_uninstalled_theme_are_shown_read_only(
    client: FlaskClient, web_app: Flask
) -> None:
    installed = with_sample_themes(web_app)
    app = engine_of(installed)
    try:
        organisation = app.organisation_by_slug(SLUG)
        cycle_id = str(
            app.start_cycle(
                UUID(organisation["id"]),
                actor_id=person_id(COORDINATOR),
                title="Zyklus mit Fremdthema",
                themes=["network", LADDER_THEME],
                period_start=date(2028, 1, 1),
                period_end=date(2028, 12, 31),
            )
        )
        app.record_assessment(
            UUID(cycle_id),
            actor_id=person_id(COORDINATOR),
            rater_id=person_id(CONTRIBUTOR),
            theme_id="network",
            criterion_id="partners-known",
            value=4,
            note="Die Kita fehlt noch.",
        )
    finally:
        app.close()
    sign_in(client, COORDINATOR)  # the app without the sample themes

    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)

    theme = html.split('id="theme-network"')[1].split('<section class="theme-ratings"')[0]
    assert "Das Plugin dieses Themas ist nicht mehr installiert." in theme
    assert re.search(r"partners-known</th>\s*<td>Jana Wolff</td>\s*<td>4</td>", theme)
    assert "Die Kita fehlt noch." in theme
    assert "/analyse/rate/network/" not in html
    assert rate_url(cycle_id) in post_forms(html)  # the installed theme can still be rated


# One form per theme, the blind first round, how we calculate ----------------------------------


def theme_form(
    client: FlaskClient, cycle_id: str, values: dict[str, str], notes: dict[str, str] | None = None
) -> TestResponse:
    """Post the parent-participation theme's form with a value per criterion (others empty)."""
    data = {f"rate-{LADDER_THEME}-{c}-value": v for c, v in values.items()}
    data.update({f"rate-{LADDER_THEME}-{c}-note": n for c, n in (notes or {}).items()})
    return submit(client, analyse_url(cycle_id), rate_url(cycle_id), f"rate-{LADDER_THEME}", data)


def test_a_whole_theme_is_rated_in_one_save_and_criteria_left_empty_stay_unrated(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)
    before = version_of(web_app, cycle_id)
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    form = section(html, f"rate-{LADDER_THEME}", "form")
    assert form.count("<fieldset") >= 2  # one radio group per criterion, in one form
    assert form.count('type="submit"') == 1

    response = theme_form(
        client, cycle_id, {LADDER_CRITERION: "mitbestimmung", NUMERIC_CRITERION: "4"}
    )

    assert response.status_code == 302
    assert version_of(web_app, cycle_id) == before + 2  # one event per criterion
    assessments = state_of(web_app, cycle_id)["assessments"]
    me = person_id(CONTRIBUTOR)
    assert assessments[f"{LADDER_THEME}/{LADDER_CRITERION}"][me]["value"] == "mitbestimmung"
    assert assessments[f"{LADDER_THEME}/{NUMERIC_CRITERION}"][me]["value"] == 4
    assert len(assessments) == 2  # the criteria left empty stay unrated
    page = get(client, response.headers["Location"]).get_data(as_text=True)
    form = section(page, f"rate-{LADDER_THEME}", "form")
    banner = re.search(r'<div class="success-banner"[^>]*autofocus[^>]*>.*?</div>', form, re.S)
    assert banner is not None and "Ihre 2 Einschätzungen sind gespeichert." in banner.group(0)
    assert form.index("success-banner") < form.index("<article")  # at the top of the form

    again = theme_form(
        client, cycle_id, {LADDER_CRITERION: "mitbestimmung", NUMERIC_CRITERION: "4"}
    )
    assert again.status_code == 302
    assert version_of(web_app, cycle_id) == before + 2  # unchanged ratings are not recorded again


def test_bad_values_refuse_the_whole_form_with_a_summary_linking_each_bad_criterion(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)
    before = version_of(web_app, cycle_id)

    response = theme_form(
        client,
        cycle_id,
        {LADDER_CRITERION: "ganz-oben", NUMERIC_CRITERION: "7"},
        notes={"parents-in-committees": "Nur eine Anmerkung"},
    )

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    errors = html[
        html.index('class="error-summary"') : html.index(
            "</ul>", html.index('class="error-summary"')
        )
    ]
    for criterion in (LADDER_CRITERION, NUMERIC_CRITERION):
        assert f'href="#rate-{LADDER_THEME}-{criterion}-value-0"' in errors
    assert "Dieser Wert liegt nicht auf der Skala" in errors
    assert f'href="#rate-{LADDER_THEME}-parents-in-committees-value-0"' in errors  # a note alone
    assert "damit die Anmerkung gespeichert wird" in errors
    assert version_of(web_app, cycle_id) == before
    assert state_of(web_app, cycle_id)["assessments"] == {}


def test_the_group_result_stays_hidden_until_the_member_rated_the_criterion(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    engine_of(web_app).record_assessment(
        UUID(cycle_id),
        actor_id=person_id(COORDINATOR),
        theme_id=LADDER_THEME,
        criterion_id=NUMERIC_CRITERION,
        value=1,
    )
    sign_in(client, CONTRIBUTOR)
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    criterion = section(html, f"criterion-{LADDER_THEME}-{NUMERIC_CRITERION}")
    assert re.search(r"<dt>Einschätzungen</dt><dd>1</dd>", criterion)
    assert "<dt>Median</dt>" not in criterion and "Verteilung" not in criterion
    assert "sobald Sie dieses Kriterium eingeschätzt haben" in criterion
    assert "Ergebnisse zeigen" not in html  # only the coordination may reveal

    theme_form(client, cycle_id, {NUMERIC_CRITERION: "5"})

    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    criterion = section(html, f"criterion-{LADDER_THEME}-{NUMERIC_CRITERION}")
    assert re.search(r"<dt>Median</dt><dd>3</dd>", criterion)
    assert re.search(r"<dt>Uneinigkeit</dt><dd>100\s*%</dd>", criterion)  # two camps at the ends
    assert "Zuerst besprechen" in criterion


def test_a_coordinator_who_did_not_rate_sees_a_themes_results_only_by_choice(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    engine_of(web_app).record_assessment(
        UUID(cycle_id),
        actor_id=person_id(CONTRIBUTOR),
        theme_id=LADDER_THEME,
        criterion_id=NUMERIC_CRITERION,
        value=2,
    )
    sign_in(client, COORDINATOR)
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    assert "<dt>Median</dt>" not in section(html, f"criterion-{LADDER_THEME}-{NUMERIC_CRITERION}")
    link = re.search(r'<a href="([^"]*reveal=' + LADDER_THEME + r'[^"]*)">Ergebnisse zeigen', html)
    assert link is not None

    shown = get(client, link.group(1).replace("&amp;", "&")).get_data(as_text=True)

    assert re.search(
        r"<dt>Median</dt><dd>2</dd>",
        section(shown, f"criterion-{LADDER_THEME}-{NUMERIC_CRITERION}"),
    )


def test_how_we_calculate_is_served_and_linked_from_the_analysis(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, CONTRIBUTOR)
    html = get(client, analyse_url(cycle_id)).get_data(as_text=True)
    assert 'href="/hilfe/so-rechnet-qualizyklus"' in html

    page = get(client, "/hilfe/so-rechnet-qualizyklus")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<h1>So rechnet Qualizyklus</h1>" in text
    assert "Uneinigkeit = (1 − A) / 2" in text
