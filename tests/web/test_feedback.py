"""Feedback where the person looks: a success banner after a change, an error summary above a
refused form (linked to each field, "Fehler:" in the title), a refused phase change explained
next to its button, specific messages for every field of every form, and the API's German
detail."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)

import web.ui.pages  # noqa: F401  (every page module, with its forms)
from tests.web.conftest import BASE_URL, COORDINATOR, csrf_token, sign_in
from tests.web.test_analyse_page import (
    LADDER_CRITERION,
    LADDER_THEME,
    SLUG,
    new_cycle,
    state_of,
    version_of,
)
from web import auth
from web.form_messages import WTFORMS_REQUIRED
from web.forms import Form

SUMMARY = re.compile(
    r'<div class="error-summary" role="alert" aria-labelledby="error-summary-title"'
    r' tabindex="-1" autofocus>\s*<h2 id="error-summary-title">(?P<heading>[^<]+)</h2>'
    r"(?P<body>.*?)</div>",
    re.S,
)
BANNER = re.compile(r'<div class="success-banner" role="status"[^>]*>(?P<body>.*?)</div>', re.S)


def summary_links(html: str) -> list[tuple[str, str]]:
    """The error summary's entries as (href, text); '' as href for an entry without a link."""
    found = SUMMARY.search(html)
    assert found, "the page has an error summary"
    entries = re.findall(r"<li>(.*?)</li>", found["body"], re.S)
    links = []
    for entry in entries:
        link = re.match(r'<a href="([^"]+)">(.*)</a>$', entry.strip(), re.S)
        links.append((link[1], unescape(link[2])) if link else ("", unescape(entry.strip())))
    return links


def title_of(html: str) -> str:
    """The page's title."""
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return unescape(found[1]).strip()


def banners(html: str) -> list[str]:
    """The texts of the success banners on the page."""
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", b["body"])).split())
        for b in BANNER.finditer(html)
    ]


def cycle_url(cycle_id: str) -> str:
    """A cycle's overview."""
    return f"/o/{SLUG}/cycles/{cycle_id}/"


def post(
    client: FlaskClient,
    page: str,
    action: str,
    data: dict[str, Any],
    prefix: str = "",
    language: str = "de",
) -> Any:
    """Submit a form of ``page`` as a browser does (see ``post_form``), in ``language``."""
    token = csrf_token(client, page)
    return client.post(
        action,
        data={f"{prefix}-csrf_token" if prefix else "csrf_token": token, **data},
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}{page}", "Accept-Language": language},
    )


# The error summary ----------------------------------------------------------------------------


def test_a_refused_form_has_an_error_summary_linking_each_field_and_the_title_says_so(
    client: FlaskClient,
) -> None:
    sign_in(client, COORDINATOR)
    page = f"/o/{SLUG}/cycles/new"

    refused = post(client, page, page, {"title": "", "period_start": "2027-13-45"})

    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert title_of(html).startswith("Fehler: ")
    assert SUMMARY.search(html)["heading"] == "Es gibt ein Problem"
    links = summary_links(html)
    assert ("#themes-0", "Wählen Sie mindestens ein Thema.") in links
    assert ("#title", "Geben Sie dem Zyklus einen Titel.") in links
    assert ("#period_start", "Geben Sie an, wann der Zyklus beginnt.") in links
    for href, _text in links:  # every link goes to an input on the page
        assert f'id="{href[1:]}"' in html
    assert html.index("error-summary") < html.index("<h1")  # at the top of the content


def test_an_english_reader_gets_the_summary_in_english_only(client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    page = f"/o/{SLUG}/cycles/new"

    html = post(client, page, page, {"title": ""}, language="en").get_data(as_text=True)

    assert title_of(html).startswith("Error: ")
    assert SUMMARY.search(html)["heading"] == "There is a problem"
    assert ("#themes-0", "Choose at least one theme.") in summary_links(html)


def test_a_page_without_a_refusal_has_no_summary_and_a_plain_title(client: FlaskClient) -> None:
    sign_in(client, COORDINATOR)
    html = client.get(f"/o/{SLUG}/cycles/new", base_url=BASE_URL).get_data(as_text=True)
    assert not SUMMARY.search(html)
    assert not title_of(html).startswith("Fehler")


# Success where the person is --------------------------------------------------------------------


def test_a_saved_rating_is_confirmed_at_the_top_of_the_themes_form_and_takes_the_focus(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    page = cycle_url(cycle_id) + "analyse"
    prefix = f"rate-{LADDER_THEME}-"

    saved = post(
        client,
        page,
        f"{page}/rate/{LADDER_THEME}",
        {
            f"{prefix}{LADDER_CRITERION}-value": "information",
            f"{prefix}version": version_of(web_app, cycle_id),
        },
        prefix=prefix.rstrip("-"),
    )

    assert saved.status_code == 302
    assert saved.headers["Location"].endswith("analyse")  # no fragment: autofocus is kept
    html = client.get(page, base_url=BASE_URL).get_data(as_text=True)
    form = html.split(f'id="rate-{LADDER_THEME}"')[1].split("<article")[0]
    assert banners(form) == ["Erledigt Ihre Einschätzung ist gespeichert."]
    assert "autofocus" in form.split("success-banner")[1].split(">")[0]
    assert banners(html) == banners(form)  # shown once, where the person lands
    again = client.get(page, base_url=BASE_URL).get_data(as_text=True)
    assert banners(again) == []  # and only once


def test_advancing_a_phase_is_confirmed_at_the_top_of_the_overview(
    client: FlaskClient, web_app: Flask
) -> None:
    from tests.web.test_plan_page import cycle_in_plan

    cycle_id = cycle_in_plan(web_app)
    sign_in(client, COORDINATOR)
    overview = cycle_url(cycle_id)
    state = state_of(web_app, cycle_id)
    assert state["phase"] == "plan"

    reopened = post(
        client,
        overview,
        overview + "reopen",
        {
            "reopen-version": state["version"],
            "reopen-to_phase": "analyse",
            "reopen-reason": "Eine Einschätzung fehlt noch.",
        },
        prefix="reopen",
    )
    assert reopened.status_code == 302
    html = client.get(overview, base_url=BASE_URL).get_data(as_text=True)
    assert banners(html) == [
        "Erledigt Die Phase „Bestands- und Bedarfsanalyse“ ist wieder geöffnet."
    ]
    assert html.index("success-banner") < html.index("<h1")

    advanced = post(
        client,
        overview,
        overview + "advance",
        {"advance-version": version_of(web_app, cycle_id)},
        prefix="advance",
    )
    assert advanced.status_code == 302
    html = client.get(overview, base_url=BASE_URL).get_data(as_text=True)
    assert banners(html) == [
        "Erledigt Die Phase „Zielbestimmung und Maßnahmenplanung“ hat begonnen."
    ]
    assert 'class="success-banner" role="status" tabindex="-1" autofocus' in html


# A refused phase change, in place -----------------------------------------------------------------


def test_a_refused_phase_change_is_explained_next_to_its_button_with_409(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    overview = cycle_url(cycle_id)
    before = version_of(web_app, cycle_id)

    refused = post(
        client, overview, overview + "advance", {"advance-version": before}, prefix="advance"
    )

    assert refused.status_code == 409
    html = refused.get_data(as_text=True)
    assert title_of(html).startswith("Fehler: ")
    assert summary_links(html) == [
        ("#advance-blocked", "Der Phasenwechsel ist noch nicht möglich.")
    ]
    blocked = html.split('id="advance-blocked"')[1].split("</div>")[0]
    assert "Der Wechsel zur Phase „Zielbestimmung und Maßnahmenplanung“" in blocked
    reasons = [unescape(r) for r in re.findall(r"<li>(.*?)</li>", blocked)]
    assert "Es sind noch keine Prioritäten gesetzt." in reasons
    assert 'aria-describedby="advance-blocked"' in html  # the button points to its reasons
    assert html.count("Es sind noch keine Prioritäten gesetzt.") == 1  # said once, in place
    assert version_of(web_app, cycle_id) == before


# Specific messages in every form ----------------------------------------------------------------


def every_form() -> list[type[Form]]:
    """Every form class of the web layer."""
    found: list[type[Form]] = []
    todo = list(Form.__subclasses__())
    while todo:
        form_class = todo.pop()
        found.append(form_class)
        todo.extend(form_class.__subclasses__())
    assert auth.SignInForm in found
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__name__}")


def bad_value(field: Field) -> str:
    """A value the field must refuse (or '' where only leaving it empty is wrong)."""
    if isinstance(field, DateField):
        return "31.02.2027"
    if isinstance(field, IntegerField):
        return "viele"
    if isinstance(field, SelectField | RadioField | SelectMultipleField):
        return "gibt-es-nicht"
    if isinstance(field, StringField):
        return "x" * 200_000
    return ""


def own_messages(field: Field) -> set[str]:
    """The messages the form gives the field itself."""
    return {str(v.message) for v in field.validators if getattr(v, "message", None)}


@pytest.mark.parametrize("form_class", every_form(), ids=lambda c: c.__name__)
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "invalid"])
def test_every_field_error_names_the_field_or_says_what_to_do(
    web_app: Flask, form_class: type[Form], filled: bool
) -> None:
    with web_app.test_request_context(base_url=BASE_URL, method="POST"):
        probe = form_class(formdata=MultiDict(), meta={"csrf": False})
        data = MultiDict(
            {field.name: bad_value(field) for field in probe if filled and bad_value(field)}
        )
        form = form_class(formdata=data, meta={"csrf": False})
        for field in form:
            if isinstance(field, SelectField | RadioField | SelectMultipleField):
                field.choices = field.choices or [("a", "A")]
        form.validate()
        for field in form:
            label = str(field.label.text)
            for message in field.errors:
                assert message != field.gettext(WTFORMS_REQUIRED), (field.name, message)
                assert (
                    f"„{label}“" in message
                    or message in own_messages(field)
                    or (isinstance(field, BooleanField) and label in message)
                ), (form_class.__name__, field.name, message)
