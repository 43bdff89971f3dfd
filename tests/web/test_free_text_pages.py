"""Coordinators erase a free text from a cycle's page; the overview and report then show the
erasure note, contributors cannot reach the page, and the seal chains still verify."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from engine.application.audit import verify
from tests.web.conftest import CONTRIBUTOR, COORDINATOR, get, post_form
from tests.web.test_comments_and_attachments import SLUG, overview, signed_in
from web.services import ENGINE_KEY

SECRET = "Herr Zeugnisname-Qwv rief an"


def test_a_coordinator_erases_a_comment_and_the_pages_show_only_the_note(
    web_app: Flask, client: FlaskClient
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    post_form(
        client,
        overview(cycle_id),
        f"/o/{SLUG}/cycles/{cycle_id}/comments",
        {"comment-subject": "cycle", "comment-text": SECRET},
        prefix="comment",
    )
    texts_page = f"/o/{SLUG}/cycles/{cycle_id}/texts"
    listed = get(client, texts_page).get_data(as_text=True)
    assert SECRET in listed
    reference = re.search(r'name="reference" value="(qzt1:[0-9a-f]{64})"', listed)
    assert reference is not None
    refused = post_form(
        client, texts_page, f"{texts_page}/erase", {"reference": reference.group(1), "reason": ""}
    )
    assert refused.status_code == 400
    assert SECRET in get(client, overview(cycle_id)).get_data(as_text=True)

    erased = post_form(
        client,
        texts_page,
        f"{texts_page}/erase",
        {"reference": reference.group(1), "reason": "DSGVO-Antrag 12/2026"},
    )

    assert erased.status_code == 302
    page = get(client, overview(cycle_id)).get_data(as_text=True)
    assert SECRET not in page
    assert "(gelöscht am " in page
    assert SECRET not in get(client, f"/o/{SLUG}/cycles/{cycle_id}/history").get_data(as_text=True)
    assert SECRET not in get(client, f"/o/{SLUG}/cycles/{cycle_id}/report").get_data(as_text=True)
    again = post_form(
        client, texts_page, f"{texts_page}/erase", {"reference": reference.group(1), "reason": "x"}
    )
    assert again.status_code == 400
    assert verify(web_app.extensions[ENGINE_KEY]).ok


def test_a_contributor_cannot_open_the_free_texts_page(client: FlaskClient) -> None:
    cycle_id = signed_in(client, CONTRIBUTOR)

    assert get(client, f"/o/{SLUG}/cycles/{cycle_id}/texts").status_code == 403
