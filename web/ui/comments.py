"""Comments on a cycle or one of its items, shown and written on the cycle's overview.

The overview's template includes ``ui/_comments.html``, which asks ``comments_of(page)`` for
what to show; after a refused comment the overview is shown again with the form and its
messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import SelectField

from engine.domain import shapes
from web.forms import Form, add_error, text, text_area
from web.services import engine
from web.ui import blueprint
from web.ui.common import CyclePage, cycle_page, person, run
from web.ui.cycles import cycle as overview
from web.ui.implement import show_again

SHORT = 60
ON_OVERVIEW = 10
"""The overview shows the newest comments; the comments page shows all, a page at a time."""
PER_PAGE = 50


class CommentForm(Form):
    """A comment and what it is about.

    Comments only add to a cycle, so they carry no version: two people commenting at the same
    time should not refuse each other.
    """

    subject = SelectField(_l("Bezug"), validate_choice=False)
    text = text_area(_l("Kommentar"), shapes.COMMENT["text"])


@dataclass
class CommentsView:
    """What the comments partial shows: some comments (oldest first), how many there are."""

    comments: list[dict[str, Any]]
    form: CommentForm | None
    total: int = 0
    page_number: int = 0
    pages: int = 0

    @property
    def partial(self) -> bool:
        """Whether only some of the comments are shown."""
        return len(self.comments) < self.total


def shorten(value: str, length: int = SHORT) -> str:
    """A long text cut to ``length`` characters at a word boundary, with an ellipsis."""
    value = " ".join(str(value).split())
    if len(value) <= length:
        return value
    return value[: length - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def subject_choices(cycle: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The cycle and its items, grouped, as choices of what a comment or file is about."""
    groups: dict[str, list[tuple[str, str]]] = {
        _("Zyklus"): [("cycle", _("Zyklus insgesamt"))],
        _("Ziele"): [(f"goal:{i}", shorten(goal["title"])) for i, goal in cycle["goals"].items()],
        _("Maßnahmen"): [
            (f"measure:{i}", shorten(measure["title"])) for i, measure in cycle["measures"].items()
        ],
        _("Stärken und Entwicklungsbedarfe"): [
            (f"finding:{i}", shorten(finding["text"]))
            for i, finding in cycle["findings"].items()
            if not finding["withdrawn"]
        ],
        _("Erkenntnisse"): [
            (f"lesson:{i}", shorten(lesson["text"])) for i, lesson in cycle["lessons"].items()
        ],
        _("Rückmeldungen"): [
            (f"feedback:{i}", shorten(item["text"])) for i, item in cycle["feedback"].items()
        ],
        _("Anhänge"): [
            (f"attachment:{i}", shorten(attachment["filename"]))
            for i, attachment in cycle["attachments"].items()
            if not attachment["removed"]
        ],
    }
    return {label: choices for label, choices in groups.items() if choices}


def subject_values(cycle: dict[str, Any]) -> set[str]:
    """Every subject a comment or file may name."""
    return {value for choices in subject_choices(cycle).values() for value, _label in choices}


def subject_label(cycle: dict[str, Any], subject: str) -> str:
    """What a subject ('cycle', 'goal:ID', ...) refers to, in words."""
    if subject == "cycle":
        return str(_("Zyklus insgesamt"))
    kind, _sep, item_id = subject.partition(":")
    kinds: dict[str, tuple[str, str, str]] = {
        "goal": (_("Ziel"), "goals", "title"),
        "measure": (_("Maßnahme"), "measures", "title"),
        "finding": (_("Befund"), "findings", "text"),
        "lesson": (_("Erkenntnis"), "lessons", "text"),
        "feedback": (_("Rückmeldung"), "feedback", "text"),
        "attachment": (_("Anhang"), "attachments", "filename"),
        "criterion": (_("Kriterium"), "", ""),
    }
    if kind not in kinds:
        return subject
    label, collection, key = kinds[kind]
    item = cycle.get(collection, {}).get(item_id) if collection else None
    return f"{label}: {shorten(item[key]) if item else item_id}"


def _comment_form(page: CyclePage, *, bound: bool = False) -> CommentForm:
    form = CommentForm(prefix="comment", **({} if bound else {"formdata": None}))
    form.subject.choices = subject_choices(page.cycle)
    if not bound:
        form.subject.data = "cycle"
    return form


def comments_of(page: CyclePage, page_number: int = 0) -> CommentsView:
    """Comments with author names, oldest first, and the form where allowed.

    ``page_number`` 0 means the newest few (the overview); 1, 2 … page through all of them.
    """
    comments = sorted(page.cycle["comments"].items(), key=lambda item: item[1]["written_at"])
    total = len(comments)
    pages = max(1, -(-total // PER_PAGE))
    if page_number:
        chosen = comments[(page_number - 1) * PER_PAGE : page_number * PER_PAGE]
    else:
        chosen = comments[-ON_OVERVIEW:]
    names = engine().display_names(comment["author_id"] for _i, comment in chosen)
    labels: dict[str, str] = {}
    shown = [
        {
            "id": comment_id,
            "text": comment["text"],
            "author": names.get(comment["author_id"], ""),
            "written_at": comment["written_at"],
            "subject": labels.get(comment["subject"])
            or labels.setdefault(comment["subject"], subject_label(page.cycle, comment["subject"])),
        }
        for comment_id, comment in chosen
    ]
    form: CommentForm | None = None
    definition = engine().definition_of(page.id)
    if page.member.can("comment") and definition.allows(page.cycle["phase"], "add_comment"):
        form = g.get("comment_form") or _comment_form(page)
    return CommentsView(shown, form, total, page_number, pages)


@blueprint.context_processor
def _comment_helpers() -> dict[str, Any]:
    return {"comments_of": comments_of}


@blueprint.get("/o/<slug>/cycles/<cycle_id>/comments")
@login_required
def comments(slug: str, cycle_id: str) -> str:
    """All comments of a cycle, a page at a time."""
    page = cycle_page(slug, cycle_id)
    number = request.args.get("page", "1")
    view = comments_of(page, int(number) if number.isdigit() and int(number) > 0 else 1)
    if view.page_number > view.pages:
        abort(404)
    return render_template(
        "ui/comments.html",
        page=page,
        view=view,
        definition=engine().definition_of(page.id),
        themes=engine().themes,
    )


@blueprint.post("/o/<slug>/cycles/<cycle_id>/comments")
@login_required
def add_comment(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Comment on the cycle or one of its items."""
    page = cycle_page(slug, cycle_id, "comment")
    form = _comment_form(page, bound=True)
    valid = form.validate_on_submit()
    if text(form.subject) not in subject_values(page.cycle):
        add_error(form.subject, _("Bitte wählen Sie aus, worauf sich der Kommentar bezieht."))
    elif valid and run(
        lambda: engine().add_comment(
            page.id, actor_id=person(), text=text(form.text), subject=text(form.subject)
        ),
        form,
    ):
        flash(_("Ihr Kommentar ist gespeichert."))
        return redirect(url_for("ui.cycle", slug=slug, cycle_id=page.id, _anchor="comments"))
    show_again(form, page, 400, _("Kommentar schreiben"))
    g.comment_form = form
    body, _status = overview(slug, cycle_id)
    return body, 400
