"""The analysis (Bestands- und Bedarfsanalyse): rate criteria, see where ratings differ, record
strengths and needs, and choose the needs to work on.

Several people rate the same criteria; how much they disagree is a result, not noise. A member
rates a whole theme in one form. After rating a criterion (not before: the blind first round),
the rater sees their own rating beside the group's: how many rated, the median, the range, the
distribution, the disagreement and whether the criterion is among those to discuss first.
Coordinators may record ratings on behalf of another member (for instance from a workshop on
paper), and may show a theme's results before rating it ("Ergebnisse zeigen").
"""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import Field

from web.feedback import tell
from web.forms import add_error, text
from web.services import engine
from web.ui import blueprint
from web.ui.analyse_forms import (
    FindingForm,
    PrioritiesForm,
    WithdrawForm,
    priorities_form,
    theme_rating_form,
)
from web.ui.analyse_page import (
    AnalysePage,
    again,
    back,
    chosen_rater,
    finding_choices,
    open_need_ids,
    render,
)
from web.ui.analyse_ratings import changed_ratings, rating_anchor, submitted_parts
from web.ui.attrs_form import run_with_attrs
from web.ui.common import cycle_page, person, run


@blueprint.get("/o/<slug>/cycles/<cycle_id>/analyse")
@login_required
def analyse(slug: str, cycle_id: str) -> tuple[str, int]:
    """The analysis: criteria with ratings and spread, strengths and needs, priorities."""
    page = cycle_page(slug, cycle_id)
    view = AnalysePage(page, chosen_rater(page, request.args.get("rater")))
    view.reveal = request.args.getlist("reveal")
    return render(view)


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/rate/<theme_id>")
@login_required
def analyse_rate(slug: str, cycle_id: str, theme_id: str) -> Response | tuple[str, int]:
    """Record a theme's ratings in one save (a coordinator may record them for a member).

    Criteria left empty stay unrated; unchanged ratings are not recorded again. One bad value
    refuses the whole form: the error summary links to each bad criterion, nothing is saved.
    """
    page = cycle_page(slug, cycle_id, "rate")
    theme = engine().themes.get(theme_id)
    if theme is None or theme_id not in page.cycle["themes"]:
        abort(404)
    form = theme_rating_form(page, theme, person(), formdata=request.form)
    rater = text(form.rater) or person()
    parts = submitted_parts(page, theme, rater, request.form)
    view = AnalysePage(page, chosen_rater(page, rater), (f"rate:{theme.id}", form), parts)
    valid = form.validate_on_submit()
    ratings = changed_ratings(page, theme, rater, parts) if valid else None
    if ratings is None:
        return again(view, form)
    if ratings:
        done = run_with_attrs(
            lambda: engine().record_assessments(
                page.id,
                actor_id=person(),
                theme_id=theme.id,
                ratings=ratings,
                rater_id=rater,
                expected_version=form.expected(),
            ),
            form,
            [attrs for _part, attrs in parts.values() if attrs is not None],
        )
        if not done:
            return again(view, form)
    # No fragment: a page opened at a fragment skips autofocus; the banner takes the focus
    # and so scrolls into view where the theme's form begins.
    tell(saved_message(rater, len(ratings)), at=rating_anchor(theme))
    return back(page, rater)


def saved_message(rater: str, count: int) -> str:
    """What the banner says after a theme's form was saved."""
    if count == 0:
        return str(_("Es gab keine Änderung zu speichern."))
    if rater == person():
        return str(
            ngettext(
                "Ihre Einschätzung ist gespeichert.",
                "Ihre %(num)d Einschätzungen sind gespeichert.",
                count,
            )
        )
    name = engine().display_names([rater]).get(rater, rater)
    return str(
        ngettext(
            "Die Einschätzung von %(name)s ist gespeichert.",
            "%(num)d Einschätzungen von %(name)s sind gespeichert.",
            count,
            name=name,
        )
    )


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/findings")
@login_required
def analyse_finding(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Record a strength or a need."""
    page = cycle_page(slug, cycle_id, "moderate")
    form = finding_choices(FindingForm(prefix="finding"), page)
    view = AnalysePage(page, person(), ("finding", form))
    if not form.validate_on_submit():
        return again(view, form)
    theme_id = text(form.theme_id) or None
    criterion_theme, _sep, criterion_id = text(form.criterion_id).partition("/")
    if criterion_id and theme_id and criterion_theme != theme_id:
        add_error(form.criterion_id, _("Das Kriterium gehört nicht zum gewählten Thema."))
        return again(view, form)
    if criterion_id:
        theme_id = criterion_theme
    done = run(
        lambda: engine().record_finding(
            page.id,
            actor_id=person(),
            kind=text(form.kind),
            text=text(form.text),
            theme_id=theme_id,
            criterion_id=criterion_id or None,
            expected_version=form.expected(),
        ),
        form,
    )
    if not done:
        return again(view, form)
    tell(
        _("Die Stärke ist festgehalten.")
        if text(form.kind) == "strength"
        else _("Der Entwicklungsbedarf ist festgehalten."),
        at="findings",
    )
    return back(page, anchor="findings")


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/findings/<finding_id>/withdraw")
@login_required
def analyse_withdraw(slug: str, cycle_id: str, finding_id: str) -> Response | tuple[str, int]:
    """Withdraw a strength or need, for a stated reason (it stays in the history)."""
    page = cycle_page(slug, cycle_id, "moderate")
    form = WithdrawForm(prefix=f"withdraw-{finding_id}")
    view = AnalysePage(page, person(), (f"withdraw:{finding_id}", form))
    if not form.validate_on_submit():
        return again(view, form)
    done = run(
        lambda: engine().withdraw_finding(
            page.id,
            actor_id=person(),
            finding_id=finding_id,
            reason=text(form.reason),
            expected_version=form.expected(),
        ),
        form,
    )
    if not done:
        return again(view, form)
    tell(_("Der Befund ist zurückgezogen."), at="findings")
    return back(page, anchor="findings")


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/priorities")
@login_required
def analyse_priorities(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Choose the needs to work on: a rank per need, empty for needs not chosen."""
    page = cycle_page(slug, cycle_id, "moderate")
    needs = open_need_ids(page)
    form = priorities_form(needs)
    view = AnalysePage(page, person(), ("priorities", form))
    if not form.validate_on_submit():
        return again(view, form)
    ranked = _ranked(form, needs)
    if ranked is None:
        return again(view, form)
    done = run(
        lambda: engine().set_priorities(
            page.id,
            actor_id=person(),
            finding_ids=ranked,
            reason=text(form.reason),
            expected_version=form.expected(),
        ),
        form,
    )
    if not done:
        return again(view, form)
    tell(_("Die Prioritäten sind gespeichert."), at="priorities")
    return back(page, anchor="priorities")


def _ranked(form: PrioritiesForm, needs: list[str]) -> list[str] | None:
    """The needs with a rank, by rank; None (with errors on the fields) when ranks repeat."""
    ranks: dict[int, list[Field]] = {}
    chosen: list[tuple[int, str]] = []
    for finding_id in needs:
        rank_field = form[f"rank_{finding_id}"]
        if rank_field.data is not None:
            ranks.setdefault(rank_field.data, []).append(rank_field)
            chosen.append((rank_field.data, finding_id))
    repeated = [f for fields in ranks.values() if len(fields) > 1 for f in fields]
    for rank_field in repeated:
        add_error(rank_field, _("Jeder Rang darf nur einmal vorkommen."))
    if repeated:
        return None
    return [finding_id for _rank, finding_id in sorted(chosen)]
