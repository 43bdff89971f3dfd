"""The review page (Evaluation und Weiterentwicklung): judging the goals, lessons learned, the
feedback gathered from parents, practitioners, partners and politics, and the way to close the
cycle and start the next one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import RadioField, SelectField

from engine.domain import shapes
from engine.domain.cycle import FEEDBACK_SOURCES, GOAL_VERDICTS
from web.forms import add_error, text, text_area
from web.i18n import VERDICTS, localised
from web.services import engine
from web.ui import blueprint
from web.ui.common import CyclePage, cycle_page, person
from web.ui.cycles import VersionForm
from web.ui.implement import attempt, goal_values, number_text, show_again, with_version

SOURCES = {
    "parents": _l("Eltern"),
    "practitioners": _l("Fachkräfte"),
    "partners": _l("Netzwerkpartner"),
    "politics": _l("Politik und Verwaltung"),
    "other": _l("Sonstige"),
}
"""The groups feedback comes from, as the page names them."""


class JudgementForm(VersionForm):
    """Judge one goal: reached, partly or not, with the evidence."""

    verdict = RadioField(_l("Bewertung"), validate_choice=False)
    evidence = text_area(_l("Belege"), shapes.GOAL_REVIEW["evidence"])
    reason = text_area(_l("Warum neu bewertet? (optional)"), shapes.GOAL_REVIEW["reason"])


class LessonForm(VersionForm):
    """Record a lesson learned."""

    text = text_area(_l("Was haben Sie gelernt?"), shapes.LESSON["text"])
    theme = SelectField(_l("Thema (optional)"), validate_choice=False)


class FeedbackForm(VersionForm):
    """Record feedback gathered from one group."""

    source = SelectField(_l("Von wem?"), validate_choice=False)
    theme = SelectField(_l("Thema (optional)"), validate_choice=False)
    text = text_area(_l("Rückmeldung"), shapes.FEEDBACK["text"])


@dataclass
class GoalReview:
    """One goal with its values, its current judgement and, where allowed, the form."""

    id: str
    goal: dict[str, Any]
    values: list[dict[str, Any]]
    form: JudgementForm | None


@dataclass
class Forms:
    """The page's forms; a submitted one replaces its fresh counterpart."""

    judgement: tuple[str, JudgementForm] | None = None
    lesson: LessonForm | None = None
    feedback: FeedbackForm | None = None


def _allows(page: CyclePage, command: str) -> bool:
    return engine().definition_of(page.id).allows(page.cycle["phase"], command)


def _theme_choices(page: CyclePage) -> list[tuple[str, str]]:
    themes = engine().themes
    return [("", _("kein bestimmtes Thema"))] + [
        (theme_id, localised(themes[theme_id].title))
        for theme_id in page.cycle["themes"]
        if theme_id in themes
    ]


def _judgement_form(goal_id: str, *, bound: bool = False) -> JudgementForm:
    form = JudgementForm(prefix=f"r-{goal_id}", **({} if bound else {"formdata": None}))
    form.verdict.choices = [(verdict, str(VERDICTS[verdict])) for verdict in GOAL_VERDICTS]
    return form


def _lesson_form(page: CyclePage, *, bound: bool = False) -> LessonForm:
    form = LessonForm(prefix="lesson", **({} if bound else {"formdata": None}))
    form.theme.choices = _theme_choices(page)
    return form


def _feedback_form(page: CyclePage, *, bound: bool = False) -> FeedbackForm:
    form = FeedbackForm(prefix="feedback", **({} if bound else {"formdata": None}))
    form.source.choices = [(source, str(label)) for source, label in SOURCES.items()]
    form.theme.choices = _theme_choices(page)
    return form


def _goal_reviews(page: CyclePage, submitted: tuple[str, JudgementForm] | None) -> list[GoalReview]:
    judgeable = page.member.can("moderate") and _allows(page, "review_goal")
    reviews = []
    for goal_id, goal in page.cycle["goals"].items():
        form: JudgementForm | None = None
        if judgeable:
            if submitted is not None and submitted[0] == goal_id:
                form = submitted[1]
            else:
                form = _judgement_form(goal_id)
            with_version(form, page)
        reviews.append(GoalReview(goal_id, goal, goal_values(goal), form))
    return reviews


def _feedback_by_source(page: CyclePage) -> list[tuple[str, list[dict[str, Any]]]]:
    items = sorted(page.cycle["feedback"].values(), key=lambda item: item["recorded_at"])
    return [
        (source, [item for item in items if item["source"] == source])
        for source in FEEDBACK_SOURCES
    ]


def _render(page: CyclePage, forms: Forms, code: int = 200) -> tuple[str, int]:
    app = engine()
    lesson = forms.lesson
    if lesson is None and page.member.can("moderate") and _allows(page, "record_lesson"):
        lesson = _lesson_form(page)
    feedback = forms.feedback
    if feedback is None and page.member.can("report-progress") and _allows(page, "record_feedback"):
        feedback = _feedback_form(page)
    for form in (lesson, feedback):
        if form is not None:
            with_version(form, page)
    return (
        render_template(
            "ui/review.html",
            page=page,
            definition=app.definition_of(page.id),
            themes=app.themes,
            step=app.next_step(page.id, actor_id=person()),
            goals=_goal_reviews(page, forms.judgement),
            lessons=list(page.cycle["lessons"].items()),
            feedback=_feedback_by_source(page),
            sources=SOURCES,
            lesson_form=lesson,
            feedback_form=feedback,
            judging=_allows(page, "review_goal"),
            number=number_text,
        ),
        code,
    )


@blueprint.get("/o/<slug>/cycles/<cycle_id>/review")
@login_required
def review(slug: str, cycle_id: str) -> tuple[str, int]:
    """Goals to judge, lessons learned, feedback gathered, and what closing needs."""
    return _render(cycle_page(slug, cycle_id), Forms())


@blueprint.post("/o/<slug>/cycles/<cycle_id>/review/goals/<goal_id>")
@login_required
def review_judge(slug: str, cycle_id: str, goal_id: str) -> Response | tuple[str, int]:
    """Judge a goal (a newer judgement replaces the earlier one, which stays in the history)."""
    page = cycle_page(slug, cycle_id, "moderate")
    goal = page.cycle["goals"].get(goal_id)
    if goal is None:
        abort(404)
    form = _judgement_form(goal_id, bound=True)
    code = 400
    valid = form.validate_on_submit()
    if text(form.verdict) not in GOAL_VERDICTS:
        add_error(form.verdict, _("Bitte wählen Sie, ob das Ziel erreicht ist."))
    elif valid:
        found = attempt(
            lambda: engine().review_goal(
                page.id,
                actor_id=person(),
                goal_id=goal_id,
                verdict=text(form.verdict),
                evidence=text(form.evidence),
                reason=text(form.reason),
                expected_version=form.expected(),
            ),
            form,
        )
        if found is None:
            flash(
                _(
                    "Das Ziel „%(title)s“ ist bewertet: %(verdict)s.",
                    title=goal["title"],
                    verdict=VERDICTS[text(form.verdict)],
                )
            )
            return redirect(_anchor(page, f"goal-{goal_id}"))
        code = found
    page = cycle_page(slug, cycle_id)
    show_again(form, page, code, goal["title"])
    return _render(page, Forms(judgement=(goal_id, form)), code)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/review/lessons")
@login_required
def review_lesson(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Record a lesson learned."""
    page = cycle_page(slug, cycle_id, "moderate")
    form = _lesson_form(page, bound=True)
    code = 400
    valid = form.validate_on_submit()
    if _theme_ok(form.theme, page) and valid:
        found = attempt(
            lambda: engine().record_lesson(
                page.id,
                actor_id=person(),
                text=text(form.text),
                theme_id=text(form.theme) or None,
                expected_version=form.expected(),
            ),
            form,
        )
        if found is None:
            flash(_("Die Erkenntnis ist festgehalten."))
            return redirect(_anchor(page, "lessons"))
        code = found
    page = cycle_page(slug, cycle_id)
    show_again(form, page, code, _("Erkenntnis festhalten"))
    return _render(page, Forms(lesson=form), code)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/review/feedback")
@login_required
def review_feedback(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Record feedback gathered from parents, practitioners, partners or politics."""
    page = cycle_page(slug, cycle_id, "report-progress")
    form = _feedback_form(page, bound=True)
    code = 400
    valid = form.validate_on_submit()
    if text(form.source) not in FEEDBACK_SOURCES:
        add_error(form.source, _("Bitte wählen Sie, von wem die Rückmeldung kommt."))
    elif _theme_ok(form.theme, page) and valid:
        found = attempt(
            lambda: engine().record_feedback(
                page.id,
                actor_id=person(),
                source=text(form.source),
                text=text(form.text),
                theme_id=text(form.theme) or None,
                expected_version=form.expected(),
            ),
            form,
        )
        if found is None:
            flash(
                _(
                    "Die Rückmeldung (%(source)s) ist festgehalten.",
                    source=SOURCES[text(form.source)],
                )
            )
            return redirect(_anchor(page, "feedback"))
        code = found
    page = cycle_page(slug, cycle_id)
    show_again(form, page, code, _("Rückmeldung festhalten"))
    return _render(page, Forms(feedback=form), code)


def _theme_ok(field: SelectField, page: CyclePage) -> bool:
    """No theme, or one of the cycle's installed themes (else a message next to the field)."""
    if text(field) in {value for value, _label in _theme_choices(page)}:
        return True
    add_error(field, _("Bitte wählen Sie eines der Themen dieses Zyklus."))
    return False


def _anchor(page: CyclePage, fragment: str) -> str:
    return url_for("ui.review", slug=page.slug, cycle_id=page.id, _anchor=fragment)
