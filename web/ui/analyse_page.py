"""Building the analysis page: the themes' criteria with ratings, the findings, the priorities,
the forms on offer (fresh, or the one just submitted with its errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from engine.domain.catalogue import Theme
from engine.domain.organisation import ROLE_PERMISSIONS
from web.i18n import localised
from web.services import engine
from web.ui.analyse_forms import (
    FindingForm,
    PrioritiesForm,
    RatingForm,
    WithdrawForm,
    priorities_form,
    rating_form,
    theme_rating_form,
)
from web.ui.analyse_model import CriterionView, ThemeView
from web.ui.analyse_ratings import Parts, rating_attrs
from web.ui.attrs_form import AttrsForm
from web.ui.common import CyclePage, cycle_page, person
from web.ui.cycles import VersionForm
from web.ui.offers import offer


@dataclass
class AnalysePage:
    """Everything the analysis page shows, with the one form that was just submitted."""

    page: CyclePage
    rater: str
    submitted: tuple[str, FlaskForm] | None = None
    submitted_parts: Parts | None = None
    """The criteria's parts of the theme's rating form just submitted (with their errors)."""
    reveal: list[str] = field(default_factory=list)
    """The themes whose results the coordination chose to see before rating ("reveal")."""


def chosen_rater(page: CyclePage, wanted: str | None) -> str:
    """Whose ratings the page shows and records: coordinators may choose a member."""
    if (
        wanted
        and page.member.role == "coordinator"
        and wanted in page.member.organisation["members"]
    ):
        return wanted
    return person()


def render(view: AnalysePage, status: int = 200) -> tuple[str, int]:
    """The analysis page, with the submitted form (and its errors) in place of a fresh one."""
    app = engine()
    page = view.page
    rating = offer(page, "record_assessment", "rate")
    summaries = app.assessment_summary(page.id, actor_id=person(), reveal=view.reveal)
    themes = [
        _theme_view(view, summary, app.themes.get(summary["theme_id"]), rating.allowed)
        for summary in summaries
    ]
    members = page.member.organisation["members"]
    names = app.display_names([*members, *(r for s in themes for r in _raw_raters(s.summary))])
    offers = {
        "rating": rating,
        "finding": offer(page, "record_finding", "moderate"),
        "withdraw": offer(page, "withdraw_finding", "moderate"),
        "priorities": offer(page, "set_priorities", "moderate"),
    }
    findings = _findings(page)
    open_needs = open_need_ids(page)
    forms = {
        "finding": _finding_form(page, view),
        "withdraw": {
            finding_id: _submitted(view, f"withdraw:{finding_id}")
            or _fresh(WithdrawForm, page, prefix=f"withdraw-{finding_id}")
            for finding_id, finding in findings
            if not finding["withdrawn"]
        },
        "priorities": _priorities(page, view, open_needs),
    }
    return (
        render_template(
            "ui/analyse.html",
            page=page,
            definition=app.definition_of(page.id),
            themes=app.themes,
            theme_views=themes,
            offers=offers,
            forms=forms,
            findings=findings,
            open_needs=open_needs,
            names=names,
            rater=view.rater,
            raters=sorted(
                (
                    (member_id, names.get(member_id, member_id))
                    for member_id, role in members.items()
                    if "rate" in ROLE_PERMISSIONS.get(role, frozenset())
                ),
                key=lambda pair: pair[1].casefold(),
            ),
            criterion_title=_criterion_title,
        ),
        status,
    )


def _theme_view(
    view: AnalysePage, summary: dict[str, Any], theme: Theme | None, can_rate: bool
) -> ThemeView:
    page = view.page
    result = ThemeView(summary["theme_id"], theme, summary)
    if theme is None or not summary.get("installed"):
        return result
    submitted = _submitted(view, f"rate:{theme.id}") if can_rate else None
    parts = view.submitted_parts if submitted is not None else None
    if can_rate:
        result.form = submitted or theme_rating_form(page, theme, view.rater)
    by_id = {c["criterion_id"]: c for c in summary["criteria"]}
    for criterion in theme.criteria:
        own = page.cycle["assessments"].get(f"{theme.id}/{criterion.id}", {}).get(view.rater)
        form: RatingForm | None = None
        attrs: AttrsForm | None = None
        if parts is not None:
            form, attrs = parts[criterion.id]
        elif can_rate:
            form = rating_form(page, theme, criterion, view.rater)
            attrs = rating_attrs(theme, criterion, own["attrs"] if own else None)
        result.criteria.append(
            CriterionView(theme, criterion, by_id[criterion.id], own, form, attrs)
        )
    return result


def _raw_raters(summary: dict[str, Any]) -> list[str]:
    return [rater for ratings in summary.get("raw_ratings", {}).values() for rater in ratings]


def _submitted(view: AnalysePage, key: str) -> Any:
    if view.submitted is not None and view.submitted[0] == key:
        form = view.submitted[1]
        form.version.data = str(view.page.cycle["version"])
        return form
    return None


def _fresh(form_class: type[VersionForm], page: CyclePage, **kwargs: Any) -> VersionForm:
    form = form_class(formdata=None, **kwargs)
    form.version.data = str(page.cycle["version"])
    return form


def _findings(page: CyclePage) -> list[tuple[str, dict[str, Any]]]:
    return list(page.cycle["findings"].items())


def open_need_ids(page: CyclePage) -> list[str]:
    """The open needs, the chosen priorities first in their order."""
    findings = page.cycle["findings"]
    open_needs = [
        finding_id
        for finding_id, finding in findings.items()
        if finding["kind"] == "need" and not finding["withdrawn"]
    ]
    chosen = [f for f in page.cycle["priorities"] if f in open_needs]
    return chosen + [f for f in open_needs if f not in chosen]


def _theme_choices(page: CyclePage) -> list[tuple[str, str]]:
    installed = engine().themes
    return [
        (theme_id, localised(installed[theme_id].title))
        for theme_id in page.cycle["themes"]
        if theme_id in installed
    ]


def _criterion_choices(page: CyclePage) -> Any:
    """The criteria of the cycle's themes, grouped by theme (values are 'theme/criterion')."""
    installed = engine().themes
    groups: dict[str, Any] = {"": _("– ohne Kriterium –")}
    for theme_id in page.cycle["themes"]:
        theme = installed.get(theme_id)
        if theme is not None:
            groups[localised(theme.title)] = {
                f"{theme.id}/{c.id}": localised(c.title) for c in theme.criteria
            }
    return groups


def finding_choices(form: FindingForm, page: CyclePage) -> FindingForm:
    """The finding form with its choices: kind, the cycle's themes and their criteria."""
    form.kind.choices = [("strength", _("Stärke")), ("need", _("Entwicklungsbedarf"))]
    form.theme_id.choices = [("", _("– ohne Thema –")), *_theme_choices(page)]
    form.criterion_id.choices = _criterion_choices(page)
    return form


def _finding_form(page: CyclePage, view: AnalysePage) -> FindingForm:
    form: FindingForm = _submitted(view, "finding") or _fresh(FindingForm, page, prefix="finding")
    return finding_choices(form, page)


def _priorities(page: CyclePage, view: AnalysePage, open_needs: list[str]) -> PrioritiesForm:
    submitted: PrioritiesForm | None = _submitted(view, "priorities")
    if submitted is not None:
        return submitted
    form = priorities_form(open_needs, formdata=None)
    for rank, finding_id in enumerate(page.cycle["priorities"], start=1):
        if finding_id in open_needs:
            form[f"rank_{finding_id}"].data = rank
    form.version.data = str(page.cycle["version"])
    return form


def _criterion_title(theme_id: str | None, criterion_id: str | None) -> str:
    """A criterion's title for lists (its id when the theme is not installed)."""
    if not theme_id or not criterion_id:
        return ""
    theme = engine().themes.get(theme_id)
    criterion = theme.criterion(criterion_id) if theme else None
    return localised(criterion.title) if criterion else criterion_id


def back(page: CyclePage, rater: str | None = None, anchor: str = "") -> Response:
    """After a change: the analysis page again, for the rater shown, at ``anchor``."""
    url = url_for("ui.analyse", slug=page.slug, cycle_id=page.id)
    if rater and rater != person():
        url += "?" + urlencode({"rater": rater})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def again(view: AnalysePage, form: VersionForm) -> tuple[str, int]:
    """The page again after a refusal: 409 when the cycle changed meanwhile, else 400."""
    fresh = cycle_page(view.page.slug, str(view.page.id))
    expected = form.expected()
    changed = expected is not None and expected != fresh.cycle["version"]
    view.page = fresh
    view.reveal = request.args.getlist("reveal")
    return render(view, 409 if changed else 400)
