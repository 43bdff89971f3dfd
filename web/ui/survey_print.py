"""A survey on paper: an A4 poster and a sheet of four flyers with the QR code in the chosen
languages, and the questionnaire itself in one language, printed by WeasyPrint as the report is.
"""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.domain.errors import NotFound
from web.parents.texts import chrome, direction, html_lang
from web.reports.files import PDF, download, file_name
from web.reports.pdf import print_page
from web.services import engine
from web.ui import blueprint
from web.ui.common import cycle_page, person
from web.ui.surveys import public_url, qr_svg

KINDS = {"poster": "Plakat", "flyer": "Flyer", "paper": "Fragebogen"}
"""What can be printed, and its German name (for the file)."""


@blueprint.get("/o/<slug>/cycles/<cycle_id>/surveys/<survey_id>/<kind>.pdf")
@login_required
def survey_print(slug: str, cycle_id: str, survey_id: str, kind: str) -> Response:
    """The poster, flyers or paper questionnaire as PDF (``?language=`` once or more)."""
    if kind not in KINDS:
        abort(404)
    page = cycle_page(slug, cycle_id)
    try:
        survey = engine().survey(page.id, survey_id, actor_id=person())
    except NotFound:
        abort(404)
    chosen = [lang for lang in request.args.getlist("language") if lang in survey["languages"]]
    languages = chosen or survey["languages"][:1]
    if kind == "paper":
        languages = languages[:1]
    link = public_url(cycle_id, survey_id)
    html = render_template(
        "ui/survey_print.html",
        kind=kind,
        survey=survey,
        languages=languages,
        words=chrome(),
        html_lang=html_lang,
        direction=direction,
        link=link,
        qr=qr_svg(link),
    )
    title = f"{KINDS[kind]}: {survey['title']}"
    body = print_page(html, title)
    return download(body, PDF, file_name((KINDS[kind], survey["title"]), "pdf"), inline=True)
