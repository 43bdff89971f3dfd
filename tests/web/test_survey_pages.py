"""The coordinator's survey pages: create from a question set (questions left out, an own
question), link and QR code, results only from five answers, per language, free texts with a
warning and an erase button, paper answers, CSV and XLSX export; roles and tenancy."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from uuid import UUID

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import (
    BASE_URL,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    get,
    post_form,
    sign_in,
)
from tests.web.test_analyse_page import SLUG, engine_of, new_cycle


def _create(client: FlaskClient, cycle_id: str, **extra: object) -> str:
    page = f"/o/{SLUG}/cycles/{cycle_id}/surveys"
    data = {
        "title": "Frühjahr",
        "closes_on": (date.today() + timedelta(days=20)).isoformat(),
        "question_set_id": "parents-good-practice",
        "questions": ["learned", "heard", "rating", "open"],
        "own_kind": "single",
        "own_text_de": "Kommen Sie wieder?",
        "own_options_de": "Ja\nNein",
        "own_text_en": "Will you come again?",
        "own_options_en": "Yes\nNo",
        **extra,
    }
    sent = post_form(client, page, page, data)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    found = re.search(r"/surveys/([0-9a-f]{32})$", sent.headers["Location"])
    assert found, sent.headers["Location"]
    return found.group(1)


def _answer(web_app: Flask, cycle_id: str, survey_id: str, text: str = "") -> None:
    engine_of(web_app).answer_survey(
        UUID(cycle_id),
        survey_id,
        language="de",
        choices={"heard": ["yes"], "own-1": ["o1"]},
        texts={"open": text} if text else {},
    )


def test_a_coordinator_creates_a_survey_with_questions_left_out_and_an_own_question(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    survey_id = _create(client, cycle_id)
    survey = engine_of(web_app).survey(UUID(cycle_id), survey_id)
    assert sorted(survey["left_out"]) == ["barriers", "missing"]
    assert survey["own"] == ["own-1"] and survey["languages"] == ["de", "en"]
    page = get(client, f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"/befragung/{cycle_id}/{survey_id}" in html
    assert "<svg" in html and "Ergebnisse erscheinen ab 5 Antworten" in html
    qr = get(client, f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and qr.get_data(as_text=True).lstrip().startswith("<svg")
    listing = get(client, f"/o/{SLUG}/cycles/{cycle_id}/surveys").get_data(as_text=True)
    assert "Frühjahr" in listing


def test_bad_survey_input_is_refused_with_a_message_and_nothing_is_written(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    page = f"/o/{SLUG}/cycles/{cycle_id}/surveys"
    sent = post_form(
        client,
        page,
        page,
        {"title": "X", "closes_on": "gestern", "question_set_id": "parents-good-practice"},
    )
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/surveys")
    assert engine_of(web_app).surveys(UUID(cycle_id)) == []
    assert "closes_on" in get(client, page).get_data(as_text=True)


def test_results_free_texts_erasure_and_exports_from_five_answers(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    survey_id = _create(client, cycle_id)
    base = f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}"
    assert get(client, f"{base}/answers.csv").status_code == 303
    _answer(web_app, cycle_id, survey_id, "Herr Muster hat geholfen")
    for _ in range(4):
        _answer(web_app, cycle_id, survey_id)
    html = get(client, base).get_data(as_text=True)
    report = get(client, f"/o/{SLUG}/cycles/{cycle_id}/report").get_data(as_text=True)
    overview = get(client, f"/o/{SLUG}/cycles/{cycle_id}/").get_data(as_text=True)
    assert "Elternbefragungen" in report and "Elternbefragungen" in overview
    assert "Herr Muster" not in report
    assert "personenbezogene Daten" in html and "Herr Muster hat geholfen" in html
    assert "5 Antworten" in html and '<meter min="0" max="5" value="5">' in html
    csv_text = get(client, f"{base}/answers.csv").get_data().decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert len(lines) == 6 and lines[0].startswith("Sprache;Papier;learned: ")
    assert "Herr Muster hat geholfen" in csv_text
    workbook = get(client, f"{base}/answers.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(workbook.get_data())).active
    assert sheet is not None and sheet.max_row == 6
    reference = re.search(r'name="reference" value="([^"]+)"', html)
    assert reference
    erased = post_form(client, base, f"{base}/erase", {"reference": reference.group(1)})
    assert erased.status_code == 303
    assert "Herr Muster" not in get(client, base).get_data(as_text=True)
    assert "Herr Muster" not in get(client, f"{base}/answers.csv").get_data().decode("utf-8-sig")


def test_paper_answers_and_closing_through_the_pages(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    survey_id = _create(client, cycle_id)
    base = f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}"
    sent = post_form(
        client,
        f"{base}/paper",
        f"{base}/paper",
        {"language": "en", "q-heard": "partly", "q-open": "Paper"},
    )
    assert sent.status_code == 303
    survey = engine_of(web_app).survey(UUID(cycle_id), survey_id)
    assert survey["on_paper"] == 1 and survey["by_language"] == {"en": 1}
    assert post_form(client, base, f"{base}/close", {}).status_code == 303
    assert engine_of(web_app).survey(UUID(cycle_id), survey_id)["closed"]


def test_viewers_see_no_form_and_may_not_create_and_other_organisations_see_nothing(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    survey_id = _create(client, cycle_id)
    _answer(web_app, cycle_id, survey_id, "vertraulich")
    client.get("/logout", base_url=BASE_URL)
    viewer = web_app.test_client()
    sign_in(viewer, VIEWER)
    page = get(viewer, f"/o/{SLUG}/cycles/{cycle_id}/surveys")
    assert page.status_code == 200 and "Neue Befragung" not in page.get_data(as_text=True)
    refused = viewer.post(
        f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}/close",
        data={},
        base_url=BASE_URL,
    )
    assert refused.status_code in (400, 403)
    assert (
        get(viewer, f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}/answers.csv").status_code
        == 403
    )
    stranger = web_app.test_client()
    sign_in(stranger, OTHER_COORDINATOR)
    assert get(stranger, f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}").status_code in (
        403,
        404,
    )
    assert not engine_of(web_app).survey(UUID(cycle_id), survey_id)["closed"]


def test_poster_flyers_and_paper_questionnaire_print_as_pdf(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    survey_id = _create(client, cycle_id)
    base = f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}"
    html = get(client, base).get_data(as_text=True)
    assert "poster.pdf" in html and "paper.pdf?language=en" in html
    for kind in ("poster.pdf?language=de&language=en", "flyer.pdf", "paper.pdf?language=en"):
        printed = get(client, f"{base}/{kind}")
        assert printed.status_code == 200 and printed.mimetype == "application/pdf"
        assert printed.get_data().startswith(b"%PDF")
    assert get(client, f"{base}/leaflet.pdf").status_code == 404


def test_free_texts_are_shown_fifty_at_a_time_newest_first(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = new_cycle(web_app)
    sign_in(client, COORDINATOR)
    survey_id = _create(client, cycle_id)
    for number in range(55):
        _answer(web_app, cycle_id, survey_id, f"Antwort Nummer {number:02d}")
    base = f"/o/{SLUG}/cycles/{cycle_id}/surveys/{survey_id}"
    first = get(client, base).get_data(as_text=True)
    second = get(client, f"{base}?texte=2").get_data(as_text=True)
    assert first.count("Diese Antwort löschen") == 50 and "Antwort Nummer 54" in first
    assert "Antwort Nummer 04" not in first and "Antwort Nummer 04" in second
    assert second.count("Diese Antwort löschen") == 5
