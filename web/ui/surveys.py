"""The coordinator's survey pages: create a survey from a question set, see its link and QR
code, close it, read its results, erase free texts, type in paper answers, export the answers.

The parents' own pages are web/parents/; the engine keeps the rules (engine/application/surveys.py).
"""

from __future__ import annotations

import io
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.domain.errors import NotFound
from engine.domain.surveys import LANGUAGES, MIN_ANSWERS_FOR_RESULTS
from web.i18n import language
from web.parents.texts import chrome
from web.services import engine
from web.ui import blueprint
from web.ui.common import CyclePage, cycle_page, person, run
from web.ui.survey_files import answers_csv, answers_xlsx, export_name

TEXTS_PER_PAGE = 50
"""Free-text answers shown at once (newest first), so a large survey's page stays quick."""
MANAGE = "moderate"
"""What a member's role must allow to run surveys (coordinators)."""


def text_of(texts: dict[str, str]) -> str:
    """A question's or option's text in the reader's language (German where English lacks)."""
    return texts.get(language()) or texts.get("de", "")


def language_names() -> dict[str, str]:
    """Each survey language named in itself."""
    return {code: words["language_name"] for code, words in chrome().items()}


def public_url(cycle_id: str, survey_id: str) -> str:
    """The parents' link to a survey."""
    return url_for("parents.start", cycle_id=cycle_id, survey_id=survey_id, _external=True)


def _survey(page: CyclePage, survey_id: str) -> dict[str, Any]:
    try:
        return engine().survey(page.id, survey_id, actor_id=person())
    except NotFound:
        abort(404)


@blueprint.get("/o/<slug>/cycles/<cycle_id>/surveys")
@login_required
def surveys(slug: str, cycle_id: str) -> str:
    """The cycle's surveys and, for coordinators, the form to create one."""
    page = cycle_page(slug, cycle_id)
    gathered = engine().question_sets()
    return render_template(
        "ui/surveys.html",
        page=page,
        surveys=engine().surveys(page.id, actor_id=person()),
        question_sets=gathered.items,
        notices=gathered.notices,
        definition=engine().definition_of(page.id),
        themes=engine().themes,
        text_of=text_of,
        languages=LANGUAGES,
        language_names=language_names(),
        can_manage=page.member.can(MANAGE),
    )


def _own_question(form: Any) -> list[dict[str, Any]]:
    """The coordinator's own question from the form (none when its German text is empty)."""
    kind = form.get("own_kind", "")
    texts = {lang: form.get(f"own_text_{lang}", "").strip() for lang in LANGUAGES}
    if not kind or not texts["de"]:
        return []
    question: dict[str, Any] = {"kind": kind, "text": {k: v for k, v in texts.items() if v}}
    if kind in ("single", "multi"):
        lines = {
            lang: [
                line.strip()
                for line in form.get(f"own_options_{lang}", "").splitlines()
                if line.strip()
            ]
            for lang in LANGUAGES
        }
        question["options"] = [
            {
                "id": f"o{number + 1}",
                "text": {
                    lang: lines[lang][number] for lang in LANGUAGES if len(lines[lang]) > number
                },
            }
            for number in range(len(lines["de"]))
        ]
    return [question]


@blueprint.post("/o/<slug>/cycles/<cycle_id>/surveys")
@login_required
def create_survey(slug: str, cycle_id: str) -> Response:
    """Create a survey from a question set, with questions left out and an own one."""
    page = cycle_page(slug, cycle_id, MANAGE)
    form = request.form
    chosen = set(form.getlist("questions"))
    set_id = form.get("question_set_id", "")
    known = {q.id for s in engine().question_sets().items if s.id == set_id for q in s.questions}
    created: list[str] = []
    maximum = form.get("max_answers", "").strip()
    if maximum and not maximum.isdigit():
        flash(_("Höchstzahl der Antworten: bitte eine ganze Zahl."), "error")
    elif run(
        lambda: created.append(
            engine().create_survey(
                page.id,
                actor_id=person(),
                title=form.get("title", ""),
                question_set_id=set_id,
                closes_on=form.get("closes_on", ""),
                left_out=sorted(known - chosen),
                own_questions=_own_question(form),
                max_answers=int(maximum) if maximum else None,
            )
        )
    ):
        flash(_("Die Befragung ist angelegt. Teilen Sie den Link oder den QR-Code mit den Eltern."))
        return redirect(
            url_for("ui.survey", slug=slug, cycle_id=cycle_id, survey_id=created[0]), 303
        )
    return redirect(url_for("ui.surveys", slug=slug, cycle_id=cycle_id), 303)


@blueprint.get("/o/<slug>/cycles/<cycle_id>/surveys/<survey_id>")
@login_required
def survey(slug: str, cycle_id: str, survey_id: str) -> str:
    """A survey: link, QR code, state, results per question and per language, free texts."""
    page = cycle_page(slug, cycle_id)
    found = _survey(page, survey_id)
    wanted = request.args.get("language", "")
    by_language = found["results_by_language"].get(wanted) if wanted in LANGUAGES else None
    can_manage = page.member.can(MANAGE)
    number = request.args.get("texte", "1")
    text_page = int(number) if number.isdigit() and int(number) > 0 else 1
    texts = (
        engine().survey_free_texts(
            page.id,
            survey_id,
            actor_id=person(),
            start=(text_page - 1) * TEXTS_PER_PAGE,
            count=TEXTS_PER_PAGE,
        )
        if can_manage
        else []
    )
    return render_template(
        "ui/survey.html",
        page=page,
        survey=found,
        results=by_language if wanted else found["results"],
        chosen_language=wanted if wanted in LANGUAGES else "",
        questions={q["id"]: q for q in found["questions"]},
        free_texts=texts,
        text_page=text_page,
        text_pages=max(1, -(-found["texts"] // TEXTS_PER_PAGE)),
        link=public_url(cycle_id, survey_id),
        qr=qr_svg(public_url(cycle_id, survey_id)),
        minimum=MIN_ANSWERS_FOR_RESULTS,
        definition=engine().definition_of(page.id),
        themes=engine().themes,
        text_of=text_of,
        language_names=language_names(),
        can_manage=can_manage,
    )


def qr_svg(link: str) -> str:
    """The QR code of ``link`` as an SVG document."""
    import segno

    out = io.BytesIO()
    segno.make(link, error="m").save(
        out, kind="svg", scale=6, border=2, xmldecl=False, svgns=True, title="QR-Code"
    )
    return out.getvalue().decode("utf-8")


@blueprint.get("/o/<slug>/cycles/<cycle_id>/surveys/<survey_id>/qr.svg")
@login_required
def survey_qr(slug: str, cycle_id: str, survey_id: str) -> Response:
    """The survey's QR code as an SVG file (for posters and flyers)."""
    page = cycle_page(slug, cycle_id)
    _survey(page, survey_id)
    body = qr_svg(public_url(cycle_id, survey_id))
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Disposition"] = 'attachment; filename="befragung-qr.svg"'
    return response


@blueprint.post("/o/<slug>/cycles/<cycle_id>/surveys/<survey_id>/close")
@login_required
def close_survey(slug: str, cycle_id: str, survey_id: str) -> Response:
    """Close the survey: parents can no longer answer."""
    page = cycle_page(slug, cycle_id, MANAGE)
    if run(lambda: engine().close_survey(page.id, survey_id, actor_id=person())):
        flash(_("Die Befragung ist beendet."))
    return redirect(url_for("ui.survey", slug=slug, cycle_id=cycle_id, survey_id=survey_id), 303)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/surveys/<survey_id>/erase")
@login_required
def erase_survey_text(slug: str, cycle_id: str, survey_id: str) -> Response:
    """Erase one free-text answer for good."""
    page = cycle_page(slug, cycle_id, MANAGE)
    reason = request.form.get("reason", "").strip() or _("Enthält personenbezogene Daten")
    if run(
        lambda: engine().erase_survey_text(
            page.id, survey_id, request.form.get("reference", ""), actor_id=person(), reason=reason
        )
    ):
        flash(
            _(
                "Die Antwort ist gelöscht. Der Verlauf hält fest, dass gelöscht wurde, "
                "nicht den Text."
            )
        )
    return redirect(
        url_for("ui.survey", slug=slug, cycle_id=cycle_id, survey_id=survey_id, _anchor="texts"),
        303,
    )


@blueprint.route("/o/<slug>/cycles/<cycle_id>/surveys/<survey_id>/paper", methods=["GET", "POST"])
@login_required
def paper_answer(slug: str, cycle_id: str, survey_id: str) -> str | Response:
    """Type in an answer returned on paper (recorded as a paper answer)."""
    page = cycle_page(slug, cycle_id, MANAGE)
    found = _survey(page, survey_id)
    if request.method == "POST":
        choices: dict[str, list[str]] = {}
        texts: dict[str, str] = {}
        for question in found["questions"]:
            name = f"q-{question['id']}"
            if question["kind"] == "text":
                texts[question["id"]] = request.form.get(name, "")
            else:
                choices[question["id"]] = [v for v in request.form.getlist(name) if v]
        if run(
            lambda: engine().answer_survey(
                page.id,
                survey_id,
                language=request.form.get("language", "de"),
                choices=choices,
                texts=texts,
                actor_id=person(),
            )
        ):
            flash(_("Die Papier-Antwort ist gespeichert. Sie können die nächste eingeben."))
            return redirect(
                url_for("ui.paper_answer", slug=slug, cycle_id=cycle_id, survey_id=survey_id), 303
            )
    return render_template(
        "ui/survey_paper.html",
        page=page,
        survey=found,
        definition=engine().definition_of(page.id),
        themes=engine().themes,
        text_of=text_of,
        language_names=language_names(),
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/surveys/<survey_id>/answers.<kind>")
@login_required
def survey_export(slug: str, cycle_id: str, survey_id: str, kind: str) -> Response:
    """Every answer as CSV or XLSX (from five answers on; never who answered or when)."""
    if kind not in ("csv", "xlsx"):
        abort(404)
    page = cycle_page(slug, cycle_id, MANAGE)
    found = _survey(page, survey_id)
    answers = engine().survey_answers(page.id, survey_id, actor_id=person())
    if not answers:
        flash(_("Die Antworten lassen sich ab fünf Antworten herunterladen."), "error")
        return redirect(
            url_for("ui.survey", slug=slug, cycle_id=cycle_id, survey_id=survey_id), 303
        )
    name = export_name(page, found, kind)
    if kind == "csv":
        return answers_csv(found, answers, name)
    return answers_xlsx(found, answers, name)
