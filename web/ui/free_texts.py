"""A cycle's free texts for its coordinators: erase what must go (data protection).

Erasing keeps every seal and signed checkpoint valid (engine/application/free_texts.py); the
history records who erased which reference and why, never the text.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from engine.application.free_texts import TextErasedAlready
from engine.domain.errors import NotFound
from web.services import engine
from web.ui import blueprint
from web.ui.common import cycle_page, person, run

FIELDS = {
    "text": _l("Text"),
    "note": _l("Anmerkung zur Bewertung"),
    "resources": _l("Ressourcen"),
    "evidence": _l("Nachweis"),
    "summary": _l("Zusammenfassung"),
    "follow_up": _l("Anschluss"),
    "reason": _l("Begründung"),
    "texts": _l("Antwort auf eine Elternbefragung"),
}
"""What each free-text field is called on the page (a field holding several texts, such as
``texts/<answer>:<question>``, by the part before the slash)."""


def _page(slug: str, cycle_id: str) -> str:
    page = cycle_page(slug, cycle_id, "moderate")
    texts = engine().free_texts_of(page.id, actor_id=person())
    for item in texts:
        item["label"] = FIELDS.get(item["field"].partition("/")[0], item["field"])
    return render_template(
        "ui/free_texts.html",
        page=page,
        texts=texts,
        definition=engine().definition_of(page.id),
        themes=engine().themes,
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/texts")
@login_required
def free_texts(slug: str, cycle_id: str) -> str:
    """The cycle's free texts, newest first, each with a form to erase it."""
    return _page(slug, cycle_id)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/texts/erase")
@login_required
def erase_free_text(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Erase one text for a reason; the page again with the outcome."""
    page = cycle_page(slug, cycle_id, "moderate")
    reference = request.form.get("reference", "")
    reason = request.form.get("reason", "").strip()
    if not reason:
        flash(_("Bitte geben Sie einen Grund für das Löschen an."), "error")
        return _page(slug, cycle_id), 400
    try:
        erased = run(
            lambda: engine().erase_text(reference, actor_id=person(), reason=reason, within=page.id)
        )
    except (NotFound, TextErasedAlready):
        flash(_("Diesen Text gibt es nicht (mehr)."), "error")
        return _page(slug, cycle_id), 400
    if not erased:
        return _page(slug, cycle_id), 400
    flash(_("Der Text ist gelöscht. Die Historie vermerkt wer, wann und warum."))
    return redirect(url_for("ui.free_texts", slug=slug, cycle_id=page.id))
