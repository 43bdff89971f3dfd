"""The parents' survey pages: no account, no session, one signed cookie for a half-filled form,
every language of the survey with its direction, a honeypot, a per-client limit, and a clear
page once the survey takes no more answers."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import BASE_URL, COORDINATOR
from tests.web.test_analyse_page import engine_of, new_cycle, person_id


@pytest.fixture
def survey(web_app: Flask) -> tuple[str, str]:
    """An open survey (the good-practice set) on a new cycle of the demo organisation."""
    cycle_id = new_cycle(web_app)
    survey_id = engine_of(web_app).create_survey(
        UUID(cycle_id),
        actor_id=person_id(COORDINATOR),
        title="Elternbefragung",
        question_set_id="parents-good-practice",
        closes_on=date.today() + timedelta(days=30),
    )
    return cycle_id, survey_id


def _answers(web_app: Flask, cycle_id: str, survey_id: str) -> int:
    count: int = engine_of(web_app).survey(UUID(cycle_id), survey_id)["answers"]
    return count


def test_the_first_page_offers_the_seven_languages_and_sets_no_cookie(
    client: FlaskClient, survey: tuple[str, str]
) -> None:
    cycle_id, survey_id = survey
    page = client.get(f"/befragung/{cycle_id}/{survey_id}", base_url=BASE_URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for name in ("Deutsch", "Leichte Sprache", "English", "Türkçe", "العربية", "Русский"):
        assert name in html
    assert "Українська" in html
    assert page.headers.get("Set-Cookie") is None
    arabic = client.get(f"/befragung/{cycle_id}/{survey_id}/ar/alle", base_url=BASE_URL)
    assert 'dir="rtl"' in arabic.get_data(as_text=True)
    assert 'lang="ar"' in arabic.get_data(as_text=True)
    assert client.get(f"/befragung/{cycle_id}/{survey_id}/fr", base_url=BASE_URL).status_code == 404


def test_all_on_one_page_records_one_answer_without_a_session(
    client: FlaskClient, web_app: Flask, survey: tuple[str, str]
) -> None:
    cycle_id, survey_id = survey
    sent = client.post(
        f"/befragung/{cycle_id}/{survey_id}/tr/senden",
        data={
            "all": "1",
            "q-heard": "yes",
            "q-learned": ["family", "print"],
            "q-open": "Teşekkürler",
        },
        base_url=BASE_URL,
    )
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/tr/danke")
    assert sent.headers.get("Set-Cookie") is None  # no session, and no draft to forget
    found = engine_of(web_app).survey(UUID(cycle_id), survey_id)
    assert found["answers"] == 1 and found["by_language"] == {"tr": 1}
    thanks = client.get(sent.headers["Location"], base_url=BASE_URL)
    assert "Teşekkür ederiz!" in thanks.get_data(as_text=True)


def test_one_question_per_page_keeps_the_answers_in_a_signed_cookie_until_sent(
    client: FlaskClient, web_app: Flask, survey: tuple[str, str]
) -> None:
    cycle_id, survey_id = survey
    base = f"/befragung/{cycle_id}/{survey_id}/ls"
    first = client.get(f"{base}/1", base_url=BASE_URL).get_data(as_text=True)
    assert "Frage 1 von 6" in first
    step = client.post(f"{base}/1", data={"q-learned": ["event"]}, base_url=BASE_URL)
    assert step.status_code == 303 and step.headers["Location"].endswith("/ls/2")
    cookie = step.headers["Set-Cookie"]
    assert (
        cookie.startswith("survey_draft=") and f"Path=/befragung/{cycle_id}/{survey_id}/" in cookie
    )
    assert "HttpOnly" in cookie
    client.post(f"{base}/5", data={"q-rating": "5"}, base_url=BASE_URL)
    again = client.get(f"{base}/1", base_url=BASE_URL).get_data(as_text=True)
    assert 'value="event" checked' in again
    assert _answers(web_app, cycle_id, survey_id) == 0
    sent = client.post(f"{base}/senden", data={}, base_url=BASE_URL)
    assert sent.status_code == 303
    assert "survey_draft=;" in sent.headers["Set-Cookie"]
    found = engine_of(web_app).survey(UUID(cycle_id), survey_id)
    assert found["answers"] == 1 and found["by_language"] == {"ls": 1}


def test_a_forged_cookie_is_ignored(
    client: FlaskClient, web_app: Flask, survey: tuple[str, str]
) -> None:
    cycle_id, survey_id = survey
    client.set_cookie("survey_draft", "eyJzdXJ2ZXkiOiJ4In0.forged", domain="localhost")
    page = client.get(f"/befragung/{cycle_id}/{survey_id}/de/1", base_url=BASE_URL)
    assert page.status_code == 200 and " checked" not in page.get_data(as_text=True)


def test_a_filled_honeypot_is_thanked_and_ignored(
    client: FlaskClient, web_app: Flask, survey: tuple[str, str]
) -> None:
    cycle_id, survey_id = survey
    sent = client.post(
        f"/befragung/{cycle_id}/{survey_id}/de/senden",
        data={"all": "1", "q-heard": "yes", "website": "http://spam.example"},
        base_url=BASE_URL,
    )
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/danke")
    assert _answers(web_app, cycle_id, survey_id) == 0


def test_a_client_over_its_limit_is_refused_and_nothing_is_recorded(
    client: FlaskClient, web_app: Flask, survey: tuple[str, str]
) -> None:
    cycle_id, survey_id = survey
    web_app.config["QUALIZYKLUS_SURVEY_ANSWERS_PER_CLIENT"] = 2
    codes = [
        client.post(
            f"/befragung/{cycle_id}/{survey_id}/en/senden",
            data={"all": "1", "q-heard": "no"},
            base_url=BASE_URL,
        ).status_code
        for _ in range(3)
    ]
    assert codes == [303, 303, 429]
    assert _answers(web_app, cycle_id, survey_id) == 2


def test_a_closed_survey_shows_a_clear_page_in_its_languages(
    client: FlaskClient, web_app: Flask, survey: tuple[str, str]
) -> None:
    cycle_id, survey_id = survey
    engine_of(web_app).close_survey(UUID(cycle_id), survey_id, actor_id=person_id(COORDINATOR))
    page = client.get(f"/befragung/{cycle_id}/{survey_id}", base_url=BASE_URL)
    html = page.get_data(as_text=True)
    assert page.status_code == 410
    assert "Die Befragung ist beendet" in html and "انتهى الاستبيان" in html
    sent = client.post(
        f"/befragung/{cycle_id}/{survey_id}/de/senden", data={"all": "1"}, base_url=BASE_URL
    )
    assert sent.status_code == 410
    assert _answers(web_app, cycle_id, survey_id) == 0
    assert client.get(f"/befragung/{cycle_id}/nope", base_url=BASE_URL).status_code == 404


def test_parents_pages_and_answers_never_compute_results(
    client: FlaskClient, web_app: Flask, survey: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Results take longer the more answers a survey has; parents never see them, so their
    pages and answers must not compute them (they stay as quick for the thousandth parent)."""
    cycle_id, survey_id = survey
    import engine.application.survey_queries as queries
    import engine.domain.surveys as domain

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("results computed for a parents' page")

    for module in (queries, domain):
        monkeypatch.setattr(module, "survey_results", refuse)
    base = f"/befragung/{cycle_id}/{survey_id}/de"

    pages = [client.get(f"{base}{step}", base_url=BASE_URL) for step in ("", "/alle", "/1")]
    sent = client.post(f"{base}/senden", data={"all": "1", "q-heard": "yes"}, base_url=BASE_URL)

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert sent.status_code == 303
    monkeypatch.undo()
    assert _answers(web_app, cycle_id, survey_id) == 1
