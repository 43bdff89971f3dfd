"""One-time links to set a password, through the pages and a real SMTP server (aiosmtpd).

An invitation's link sets the password once; afterwards, and after it has run out or a newer
link was sent, it leads to a page that says it no longer works. A password the rules refuse
changes nothing. "Passwort vergessen" answers every address alike and mails only the known
ones, within the limits per address and per client.
"""

from __future__ import annotations

import re
import time
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from engine.application.service import Qualizyklus
from engine.infrastructure.password_links import INVITATION, RESET
from engine.infrastructure.passwords import check_password
from engine.infrastructure.request_limits import RESET_ADDRESS, RESET_CLIENT
from tests.engine.test_reminders import MailServer, body
from tests.web.conftest import CONTRIBUTOR, COORDINATOR, get, post_form, sign_in
from tests.web.mailing import BASE_URL, link_path, mail_server, mailing, mails_to, set_password
from web.ui.members_forms import row_key

__all__ = ["mail_server", "mailing"]  # fixtures

NEW_PASSWORD = "drei lange Wörter genügen"
FORGOT = "/password/forgot"
SAME_ANSWER = "Wenn die Adresse zu einem Zugang gehört, ist eine E-Mail mit einem Link unterwegs."
DEAD = "Dieser Link gilt nicht mehr"


@pytest.fixture
def app(web_app: Flask) -> Qualizyklus:
    engine: Qualizyklus = web_app.extensions["qualizyklus"]
    return engine


def person_id(app: Qualizyklus, email: str) -> str:
    profile = app.profiles.by_email(email)
    assert profile is not None
    return str(profile["person_id"])


def invited(app: Qualizyklus, email: str = "n.neumann@musterland.example") -> str:
    """A person without a password yet (as right after being added)."""
    app.profiles.put("person-neumann", display_name="Nina Neumann", email=email)
    return "person-neumann"


def add_nina(client: FlaskClient) -> TestResponse:
    """A coordinator adds Nina Neumann as a new person (invited by mail)."""
    return post_form(
        client,
        "/o/lk-musterland/members",
        "/o/lk-musterland/members/new",
        {"new-name": "Nina Neumann", "new-email": "n.neumann@musterland.example"}
        | {"new-role": "contributor", "new-language": "de"},
    )


def forgot(client: FlaskClient, email: str, remote: str = "192.0.2.1") -> TestResponse:
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', get(client, FORGOT).get_data(True))
    assert token is not None
    return client.post(
        FORGOT,
        data={"csrf_token": token.group(1), "email": email},
        base_url="https://localhost",
        headers={"Referer": f"https://localhost{FORGOT}"},
        environ_overrides={"REMOTE_ADDR": remote},
    )


def plain(response: TestResponse) -> str:
    """The page's text without tags, tokens and whitespace runs."""
    html = re.sub(r'value="[^"]*"', "", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_coordinators_invitation_link_sets_the_password_once(
    client: FlaskClient, app: Qualizyklus, mailing: MailServer
) -> None:
    sign_in(client, COORDINATOR)
    added = add_nina(client)
    assert added.status_code == 302
    page = get(client, "/o/lk-musterland/members").get_data(as_text=True)
    assert "Die Einladung an Nina Neumann ist gesendet." in page
    assert "eingeladen, noch kein Passwort" in page
    [mail] = mails_to(mailing, "n.neumann@musterland.example")
    text = body(mail)
    assert "Sie sind zu Qualizyklus eingeladen zur Organisation „Landkreis Musterland“" in text
    assert f"{BASE_URL}/password/" in text
    assert "Der Link gilt bis" in text and "und nur einmal" in text
    path = link_path(mail)
    stored = app.profiles.links._datastore.rows(
        "SELECT secret_hash FROM qualizyklus_password_links"
    )
    assert path.rsplit("/", 1)[1] not in {row["secret_hash"] for row in stored}  # hash only

    other = client.application.test_client()
    form = get(other, path)
    assert form.status_code == 200
    assert "Willkommen, Nina Neumann!" in form.get_data(as_text=True)
    done = set_password(other, path, NEW_PASSWORD)
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert sign_in(other, "n.neumann@musterland.example", NEW_PASSWORD).status_code == 302
    assert get(other, "/").headers["Location"].endswith("/o/lk-musterland/")

    again = get(client.application.test_client(), path)
    assert again.status_code == 410
    assert DEAD in again.get_data(as_text=True)
    reuse = set_password(client.application.test_client(), path, "ein anderes langes Passwort")
    assert reuse.status_code == 410
    profile = app.profiles.by_email("n.neumann@musterland.example")
    assert profile is not None and check_password(profile["password_hash"], NEW_PASSWORD)


def test_a_newer_invitation_ends_the_older_link(
    client: FlaskClient, app: Qualizyklus, mailing: MailServer
) -> None:
    nina = invited(app)
    app.grant_role(
        UUID(app.organisation_by_slug("lk-musterland")["id"]),
        actor_id=person_id(app, COORDINATOR),
        member_id=nina,
        role="viewer",
    )
    sign_in(client, COORDINATOR)
    key = row_key(nina)
    for language in ("de", "en"):
        sent = post_form(
            client,
            "/o/lk-musterland/members",
            f"/o/lk-musterland/members/{nina}/invite",
            {f"invite-{key}-language": language},
        )
        assert sent.status_code == 302
    first, second = mails_to(mailing, "n.neumann@musterland.example", count=2)
    assert first["Subject"].startswith("Qualizyklus: Ihre Einladung")
    assert second["Subject"] == "Qualizyklus: your invitation – set your password"

    visitor = client.application.test_client()
    assert get(visitor, link_path(first)).status_code == 410
    assert set_password(visitor, link_path(second), NEW_PASSWORD).status_code == 302


def test_a_link_that_has_run_out_is_refused_with_a_clear_page(
    client: FlaskClient, app: Qualizyklus
) -> None:
    nina = invited(app)
    secret = app.profiles.links.issue(nina, INVITATION, 60, now=time.time() - 61)

    shown = get(client, f"/password/{secret}")
    tried = set_password(client, f"/password/{secret}", NEW_PASSWORD)

    assert shown.status_code == tried.status_code == 410
    assert DEAD in shown.get_data(as_text=True)
    assert "Neuen Link anfordern" in shown.get_data(as_text=True)
    assert app.profiles.get(nina)["password_hash"] == ""  # type: ignore[index]
    assert get(client, "/password/nichts-dergleichen").status_code == 410


@pytest.mark.parametrize(
    ("password", "confirm", "field", "message"),
    [
        ("zu-kurz", "zu-kurz", "password", "mindestens 12 Zeichen"),
        (NEW_PASSWORD, "etwas ganz anderes", "confirm", "stimmen nicht überein"),
        ("", "", "password", "Bitte geben Sie ein Passwort an."),
    ],
)
def test_a_refused_password_changes_nothing_and_the_link_still_works(
    client: FlaskClient, app: Qualizyklus, password: str, confirm: str, field: str, message: str
) -> None:
    anna = person_id(app, COORDINATOR)
    before = app.profiles.get(anna)
    secret = app.profiles.links.issue(anna, RESET, 600)
    path = f"/password/{secret}"

    refused = set_password(client, path, password, confirm)

    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', html)
    assert found is not None and message in found.group(1)
    assert app.profiles.get(anna) == before
    assert set_password(client, path, NEW_PASSWORD).status_code == 302


def test_forgotten_password_answers_known_and_unknown_addresses_alike(
    client: FlaskClient, app: Qualizyklus, mailing: MailServer
) -> None:
    known = forgot(client, CONTRIBUTOR.upper())
    unknown = forgot(client, "niemand@musterland.example")

    assert known.status_code == unknown.status_code == 200
    assert plain(known) == plain(unknown)
    assert SAME_ANSWER in plain(known)
    [mail] = mails_to(mailing, CONTRIBUTOR)
    assert mail["Subject"] == "Qualizyklus: neues Passwort festlegen"
    assert "Haben Sie nichts angefordert" in body(mail)
    time.sleep(0.2)
    assert len(mailing.received) == 1  # nothing for the unknown address

    assert set_password(client, link_path(mail), NEW_PASSWORD).status_code == 302
    assert sign_in(client, CONTRIBUTOR, NEW_PASSWORD).status_code == 302


def test_the_sign_in_page_leads_to_the_forgotten_password_form(client: FlaskClient) -> None:
    page = get(client, "/login").get_data(as_text=True)

    assert f'href="{FORGOT}"' in page and "Passwort vergessen?" in page


def test_requests_beyond_the_address_limit_are_answered_alike_and_send_nothing(
    client: FlaskClient, mailing: MailServer
) -> None:
    answers = [forgot(client, CONTRIBUTOR, remote=f"192.0.2.{n}") for n in range(5)]

    assert {answer.status_code for answer in answers} == {200}
    assert len({plain(answer) for answer in answers}) == 1
    time.sleep(0.3)
    assert len(mails_to(mailing, CONTRIBUTOR, count=RESET_ADDRESS.most)) == RESET_ADDRESS.most


def test_a_client_asking_too_often_is_told_to_wait(
    client: FlaskClient, mailing: MailServer
) -> None:
    for n in range(RESET_CLIENT.most):
        assert forgot(client, f"jemand{n}@example.org").status_code == 200

    refused = forgot(client, CONTRIBUTOR)

    assert refused.status_code == 429
    assert "Zu viele Anfragen" in refused.get_data(as_text=True)
    assert forgot(client, CONTRIBUTOR, remote="198.51.100.7").status_code == 200
    assert len(mails_to(mailing, CONTRIBUTOR)) == 1


def test_without_mail_set_up_the_form_says_so_for_every_address(client: FlaskClient) -> None:
    known, unknown = forgot(client, CONTRIBUTOR), forgot(client, "niemand@example.org")

    assert known.status_code == unknown.status_code == 503
    assert "nicht eingerichtet" in known.get_data(as_text=True)


def test_a_new_person_without_mail_set_up_is_refused_and_nothing_is_written(
    client: FlaskClient, app: Qualizyklus
) -> None:
    sign_in(client, COORDINATOR)
    before = app.organisation_by_slug("lk-musterland")
    people = len(app.profiles.everyone())

    refused = add_nina(client)

    assert refused.status_code == 400
    assert "E-Mail-Versand ist in dieser Installation nicht eingerichtet" in refused.get_data(
        as_text=True
    )
    assert app.organisation_by_slug("lk-musterland") == before
    assert len(app.profiles.everyone()) == people


def test_erasing_a_person_ends_their_link(client: FlaskClient, app: Qualizyklus) -> None:
    nina = invited(app)
    secret = app.profiles.links.issue(nina, INVITATION, 600)

    app.profiles.erase(nina)

    assert app.profiles.links.find(secret) is None
    assert get(client, f"/password/{secret}").status_code == 410
