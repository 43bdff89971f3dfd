"""A URL-encoded form that is not UTF-8 is a 400 page before any view runs; nothing is written."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import BASE_URL, CONTRIBUTOR, csrf_token, cycle_ids, sign_in
from tests.web.test_implement_page import state


def _form_post(client: FlaskClient, cycle_id: str, body: bytes) -> int:
    token = csrf_token(client, f"/o/lk-musterland/cycles/{cycle_id}/")
    response = client.post(
        f"/o/lk-musterland/cycles/{cycle_id}/comments",
        data=b"csrf_token=" + token.encode() + b"&comment-subject=cycle&" + body,
        content_type="application/x-www-form-urlencoded",
        base_url=BASE_URL,
        headers={"Referer": f"{BASE_URL}/o/lk-musterland/cycles/{cycle_id}/"},
    )
    assert response.mimetype == "text/html"
    return response.status_code


def test_a_form_with_undecodable_bytes_is_a_400_page_and_writes_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    sign_in(client, CONTRIBUTOR)
    cycle_id = cycle_ids(client, "lk-musterland")[0]
    before = state(web_app, cycle_id)
    for body in (b"comment-text=Gr%FC%DFe", b"comment-text=%ED%A0%80", b"comment-text=\xff\xfe"):
        assert _form_post(client, cycle_id, body) == 400, body
    assert state(web_app, cycle_id) == before
    assert _form_post(client, cycle_id, b"comment-text=Gr%C3%BC%C3%9Fe") == 302  # the control
    assert len(state(web_app, cycle_id)["comments"]) == len(before["comments"]) + 1
