"""The parents' pages: language, layout, the questions (one per page or all on one), sending."""

from __future__ import annotations

import os
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from engine.application.survey_inbox import TooManyAnswers
from engine.domain.errors import InvalidInput, NotFound
from engine.infrastructure.request_limits import Window
from engine.infrastructure.sign_in_throttle import client_key
from web.parents import blueprint, drafts
from web.parents.texts import chrome, direction, html_lang, page_languages
from web.services import engine

HONEYPOT = "website"
"""A field people never see; a bot that fills it in is thanked and ignored."""
LIMIT_SETTING = "QUALIZYKLUS_SURVEY_ANSWERS_PER_CLIENT"
DEFAULT_ANSWERS_PER_CLIENT = 30
"""How many answers one client (IP address, counted by its hash only) may send per hour."""


def _survey(cycle_id: str, survey_id: str) -> dict[str, Any]:
    try:
        return engine().survey_to_answer(UUID(cycle_id), survey_id)
    except (ValueError, NotFound):
        abort(404)


def is_open(survey: dict[str, Any], today: date | None = None) -> bool:
    """Whether parents can still answer the survey online."""
    day = today or date.today()
    return (
        not survey["closed"]
        and survey["answers"] < survey["max_answers"]
        and day <= survey["closes_on"]
    )


def _language(survey: dict[str, Any], language: str) -> str:
    if language not in page_languages(survey["languages"]):
        abort(404)
    return language


def _render(template: str, survey: dict[str, Any], language: str, **context: Any) -> str:
    return render_template(
        f"parents/{template}",
        survey=survey,
        language=language,
        words=chrome()[language],
        lang=html_lang(language),
        dir=direction(language),
        **context,
    )


def _closed(survey: dict[str, Any], language: str = "de") -> tuple[str, int]:
    languages = page_languages(survey["languages"])
    return _render("closed.html", survey, language, languages=languages, names=chrome()), 410


def _path(survey: dict[str, Any]) -> str:
    return url_for("parents.start", cycle_id=survey["cycle_id"], survey_id=survey["id"]) + "/"


@blueprint.get("/<cycle_id>/<survey_id>")
def start(cycle_id: str, survey_id: str) -> str | tuple[str, int]:
    """The first page: the survey's languages, each named in itself."""
    survey = _survey(cycle_id, survey_id)
    if not is_open(survey):
        return _closed(survey)
    languages = page_languages(survey["languages"])
    return _render(
        "start.html", survey, "de", languages=languages, names=chrome(), html_lang=html_lang
    )


@blueprint.get("/<cycle_id>/<survey_id>/<language>")
def layout(cycle_id: str, survey_id: str, language: str) -> str | tuple[str, int]:
    """What the survey is, and the choice: one question per page or all on one page."""
    survey = _survey(cycle_id, survey_id)
    language = _language(survey, language)
    if not is_open(survey):
        return _closed(survey, language)
    return _render("layout.html", survey, language)


@blueprint.get("/<cycle_id>/<survey_id>/<language>/alle")
def all_questions(cycle_id: str, survey_id: str, language: str) -> str | tuple[str, int]:
    """Every question on one page."""
    survey = _survey(cycle_id, survey_id)
    language = _language(survey, language)
    if not is_open(survey):
        return _closed(survey, language)
    draft = drafts.load(survey_id)
    return _render("all.html", survey, language, draft=draft, honeypot=HONEYPOT)


@blueprint.route("/<cycle_id>/<survey_id>/<language>/<int:number>", methods=["GET", "POST"])
def one_question(
    cycle_id: str, survey_id: str, language: str, number: int
) -> str | tuple[str, int] | Response:
    """One question; sending it keeps the answer in the draft and goes on to the next."""
    survey = _survey(cycle_id, survey_id)
    language = _language(survey, language)
    if not is_open(survey):
        return _closed(survey, language)
    questions = survey["questions"]
    if not 1 <= number <= len(questions):
        abort(404)
    draft = drafts.load(survey_id)
    if request.method == "POST":
        _take_answers(draft, [questions[number - 1]])
        target = (
            url_for(
                ".one_question",
                cycle_id=cycle_id,
                survey_id=survey_id,
                language=language,
                number=number + 1,
            )
            if number < len(questions)
            else url_for(".review", cycle_id=cycle_id, survey_id=survey_id, language=language)
        )
        response = redirect(target, 303)
        drafts.save(response, survey_id, _path(survey), draft)
        return response
    return _render(
        "one.html",
        survey,
        language,
        draft=draft,
        number=number,
        question=questions[number - 1],
        total=len(questions),
    )


@blueprint.get("/<cycle_id>/<survey_id>/<language>/pruefen")
def review(cycle_id: str, survey_id: str, language: str) -> str | tuple[str, int]:
    """The last page of the one-per-page way: send the answers kept in the draft."""
    survey = _survey(cycle_id, survey_id)
    language = _language(survey, language)
    if not is_open(survey):
        return _closed(survey, language)
    return _render(
        "review.html", survey, language, honeypot=HONEYPOT, total=len(survey["questions"])
    )


@blueprint.post("/<cycle_id>/<survey_id>/<language>/senden")
def send(cycle_id: str, survey_id: str, language: str) -> str | tuple[str, int] | Response:
    """Record the answers (the draft's, overwritten by the form's), then thank the parent."""
    survey = _survey(cycle_id, survey_id)
    language = _language(survey, language)
    if not is_open(survey):
        return _closed(survey, language)
    thanks = url_for(".thanks", cycle_id=cycle_id, survey_id=survey_id, language=language)
    if request.form.get(HONEYPOT):
        return redirect(thanks, 303)
    draft = drafts.load(survey_id)
    if request.form.get("all"):
        draft = {"choices": {}, "texts": {}}
        _take_answers(draft, survey["questions"])
    try:
        engine().answer_survey(
            UUID(cycle_id),
            survey_id,
            language=language,
            choices=draft["choices"],
            texts=draft["texts"],
            limit=_limit(),
            just_read=True,
        )
    except TooManyAnswers:
        return _render("limit.html", survey, language), 429
    except InvalidInput as error:
        if error.code == "survey-closed":
            return _closed(survey, language)
        abort(400)
    response = redirect(thanks, 303)
    if drafts.sent():
        drafts.clear(response, _path(survey))
    return response


@blueprint.get("/<cycle_id>/<survey_id>/<language>/danke")
def thanks(cycle_id: str, survey_id: str, language: str) -> str:
    """Thank you."""
    survey = _survey(cycle_id, survey_id)
    return _render("thanks.html", survey, _language(survey, language))


def _take_answers(draft: dict[str, Any], questions: list[dict[str, Any]]) -> None:
    """Put the form's answers to ``questions`` into the draft (an empty answer removes one)."""
    for question in questions:
        name = f"q-{question['id']}"
        if question["kind"] == "text":
            value = request.form.get(name, "").strip()[:2000]
            draft["texts"].pop(question["id"], None)
            if value:
                draft["texts"][question["id"]] = value
            continue
        chosen = (
            request.form.getlist(name)
            if question["kind"] == "multi"
            else [request.form.get(name, "")]
        )
        known = {o["id"] for o in question["options"]}
        chosen = [c for c in dict.fromkeys(chosen) if c in known]
        draft["choices"].pop(question["id"], None)
        if chosen:
            draft["choices"][question["id"]] = chosen


def _limit() -> tuple[str, Window]:
    """This client's answer limit per hour (only a hash of its address is counted), counted
    in the transaction that keeps the answer."""
    most = int(
        current_app.config.get(LIMIT_SETTING)
        or os.environ.get(LIMIT_SETTING)
        or DEFAULT_ANSWERS_PER_CLIENT
    )
    window = Window(most=most, length=timedelta(hours=1))
    return f"survey-{client_key(request.remote_addr or '')}", window
