"""The analysis (Bestands- und Bedarfsanalyse): rate criteria, see where ratings differ, record
strengths and needs, and choose the needs to work on.

Several people rate the same criteria; the spread between them is a result, not noise. Each
rater sees their own rating beside the group's: how many rated, the median, the range and
whether the criterion needs a talk (Dialogbedarf). Coordinators may record a rating on behalf
of another member (for instance from a workshop on paper).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import (
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import NumberInput

from engine.domain.catalogue import Criterion, Scale, Theme
from engine.domain.organisation import ROLE_PERMISSIONS
from web.forms import add_error, text
from web.i18n import PHASES, ROLES, localised
from web.services import engine
from web.ui import blueprint
from web.ui.attrs_form import AttrsForm, run_with_attrs
from web.ui.common import CyclePage, cycle_page, person, run
from web.ui.cycles import VersionForm

RADIO_UP_TO = 11
"""A numeric scale with at most this many values is offered as radio buttons, else a select."""


# Forms --------------------------------------------------------------------------------------


class RatingForm(VersionForm):
    """One rating of one criterion: a value on its scale and an optional note."""

    value: RadioField | SelectField = RadioField(
        _l("Einschätzung"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Bitte wählen Sie einen Wert."))],
    )
    note = TextAreaField(_l("Anmerkung (freiwillig)"), validators=[Length(max=20_000)])
    rater = HiddenField()


class RatingSelectForm(RatingForm):
    """A rating on a long numeric scale: the value is chosen from a list."""

    value = SelectField(
        _l("Einschätzung"),
        validate_choice=False,
        validators=[InputRequired(message=_l("Bitte wählen Sie einen Wert."))],
    )


class FindingForm(VersionForm):
    """A strength or a need, optionally tied to a theme and a criterion."""

    kind = RadioField(
        _l("Art des Befunds"),
        validators=[InputRequired(message=_l("Bitte wählen Sie Stärke oder Entwicklungsbedarf."))],
    )
    theme_id = SelectField(_l("Thema"))
    criterion_id = SelectField(_l("Kriterium (freiwillig)"))
    text = TextAreaField(_l("Beschreibung"), validators=[DataRequired(), Length(max=20_000)])


class WithdrawForm(VersionForm):
    """Withdraw a finding, for a stated reason."""

    reason = TextAreaField(
        _l("Begründung für das Zurückziehen"), validators=[DataRequired(), Length(max=2_000)]
    )


class PrioritiesForm(VersionForm):
    """The needs to work on: a rank per open need (fields are added per need)."""

    reason = TextAreaField(_l("Begründung (freiwillig)"), validators=[Length(max=2_000)])


def _priorities_form(needs: list[str], **kwargs: Any) -> PrioritiesForm:
    """A priorities form with one rank field per open need (``rank_<finding id>``)."""
    ranks = {
        f"rank_{finding_id}": IntegerField(
            _l("Rang"),
            validators=[Optional(), NumberRange(min=1, max=max(len(needs), 1))],
            widget=NumberInput(min=1, max=max(len(needs), 1), step=1),
        )
        for finding_id in needs
    }
    form_class = type("NeedRanksForm", (PrioritiesForm,), ranks)
    form: PrioritiesForm = form_class(prefix="priorities", **kwargs)
    return form


# What the page offers -----------------------------------------------------------------------


@dataclass(frozen=True)
class Offer:
    """Whether a form is offered, and if not, why (shown instead of the form)."""

    allowed: bool
    why: str = ""


def offer(page: CyclePage, command: str, permission: str) -> Offer:
    """A form for ``command`` only when the phase allows it and the role carries ``permission``."""
    phase = page.cycle["phase"]
    if not engine().definition_of(page.id).allows(phase, command):
        return Offer(
            False,
            _(
                "In der Phase „%(phase)s“ ist das nicht vorgesehen.",
                phase=PHASES.get(phase, phase),
            ),
        )
    if not page.member.can(permission):
        role = page.member.role
        return Offer(
            False, _("Ihre Rolle („%(role)s“) erlaubt das nicht.", role=ROLES.get(role, role))
        )
    return Offer(True)


# View models --------------------------------------------------------------------------------


@dataclass
class CriterionView:
    """A criterion with its texts, the viewed rater's rating and the group's spread."""

    theme: Theme
    criterion: Criterion
    summary: dict[str, Any]
    own: dict[str, Any] | None
    form: RatingForm | None
    attrs: AttrsForm | None

    @property
    def anchor(self) -> str:
        """The criterion's id on the page."""
        return f"criterion-{self.theme.id}-{self.criterion.id}"

    @property
    def questions(self) -> tuple[Any, ...]:
        """The reflection questions for the analysis."""
        return tuple(self.criterion.reflection_questions.get("analyse", ()))

    @property
    def own_label(self) -> str:
        """The viewed rater's current rating as the scale says it."""
        return value_label(self.criterion.scale, self.own["value"]) if self.own else ""

    @property
    def median_label(self) -> str:
        """The group's median as a level label or a number."""
        scale, position = self.criterion.scale, self.summary["median"]
        if position is None:
            return ""
        if scale.kind == "numeric":
            return str(format_decimal(position))
        if self.summary["median_value"] is not None:
            return value_label(scale, self.summary["median_value"])
        lower, upper = scale.levels[int(position)], scale.levels[int(position) + 1]
        return str(
            _(
                "zwischen „%(lower)s“ und „%(upper)s“",
                lower=localised(lower.label),
                upper=localised(upper.label),
            )
        )

    @property
    def range_label(self) -> str:
        """The lowest and highest rating (minimum – maximum)."""
        if self.summary["minimum"] is None:
            return ""
        low = position_label(self.criterion.scale, self.summary["minimum"])
        high = position_label(self.criterion.scale, self.summary["maximum"])
        return low if low == high else f"{low} – {high}"


@dataclass
class ThemeView:
    """A theme of the cycle: its criteria, overall picture and criteria to discuss."""

    theme_id: str
    theme: Theme | None
    summary: dict[str, Any]
    criteria: list[CriterionView] = field(default_factory=list)

    @property
    def to_discuss(self) -> list[CriterionView]:
        """The criteria flagged for dialogue, widest spread first."""
        by_id = {view.criterion.id: view for view in self.criteria}
        return [by_id[c] for c in self.summary.get("dialogue", []) if c in by_id]

    @property
    def overall(self) -> dict[str, str] | None:
        """The overall picture: raters, median and range as shares of the scale."""
        overall = self.summary.get("overall") or {}
        if not overall.get("raters"):
            return None
        return {
            "raters": str(overall["raters"]),
            "median": str(format_percent(overall["median"])),
            "range": f"{format_percent(overall['minimum'])} – {format_percent(overall['maximum'])}",
            "dialogue": "yes" if overall["dialogue"] else "",
        }


def value_label(scale: Scale, value: float | str) -> str:
    """A rated value as the scale says it: the level's label or the number."""
    if scale.kind == "levels":
        level = next((lv for lv in scale.levels if lv.id == value), None)
        return localised(level.label) if level else str(value)
    return str(format_decimal(value))


def position_label(scale: Scale, position: float) -> str:
    """A position on the scale (levels count from 0) as the scale says it."""
    if scale.kind == "levels":
        return localised(scale.levels[int(position)].label)
    return str(format_decimal(position))


def scale_choices(scale: Scale) -> list[tuple[str, str]]:
    """The values a rater can choose, lowest first."""
    if scale.kind == "levels":
        return [(level.id, localised(level.label)) for level in scale.levels]
    count = round((scale.maximum - scale.minimum) / scale.step) + 1
    values = [scale.minimum + index * scale.step for index in range(count)]
    return [(_number_text(value), str(format_decimal(value))) for value in values]


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _parse_value(scale: Scale, raw: str) -> float | str | None:
    """The submitted value on the scale, or None when it is not on it."""
    value: float | str = raw
    if scale.kind == "numeric":
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            return None
        value = int(number) if number.is_integer() else number
    try:
        return scale.validate(value)
    except ValueError:
        return None


# Building the page --------------------------------------------------------------------------


@dataclass
class AnalysePage:
    """Everything the analysis page shows, with the one form that was just submitted."""

    page: CyclePage
    rater: str
    submitted: tuple[str, FlaskForm] | None = None
    submitted_attrs: AttrsForm | None = None


def _rater(page: CyclePage, wanted: str | None) -> str:
    """Whose ratings the page shows and records: coordinators may choose a member."""
    if (
        wanted
        and page.member.role == "coordinator"
        and wanted in page.member.organisation["members"]
    ):
        return wanted
    return person()


def rating_prefix(theme: Theme, criterion: Criterion) -> str:
    """The prefix of a criterion's rating form (its inputs' names and ids)."""
    return f"rate-{theme.id}-{criterion.id}"


def _rating_form(
    page: CyclePage, theme: Theme, criterion: Criterion, rater: str, formdata: Any = None
) -> RatingForm:
    choices = scale_choices(criterion.scale)
    form_class = RatingForm if len(choices) <= RADIO_UP_TO else RatingSelectForm
    form = form_class(formdata=formdata, prefix=f"{rating_prefix(theme, criterion)}-")
    form.value.choices = choices
    if formdata is None:
        own = page.cycle["assessments"].get(f"{theme.id}/{criterion.id}", {}).get(rater)
        if own:
            form.value.data = (
                own["value"] if criterion.scale.kind == "levels" else _number_text(own["value"])
            )
            form.note.data = own["note"]
        form.rater.data = rater
        form.version.data = str(page.cycle["version"])
    return form


def _render(view: AnalysePage, status: int = 200) -> tuple[str, int]:
    app = engine()
    page = view.page
    rating = offer(page, "record_assessment", "rate")
    themes = [
        _theme_view(view, summary, app.themes.get(summary["theme_id"]), rating.allowed)
        for summary in app.assessment_summary(page.id, actor_id=person())
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
    open_needs = _open_needs(page)
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
    by_id = {c["criterion_id"]: c for c in summary["criteria"]}
    for criterion in theme.criteria:
        key = f"{theme.id}/{criterion.id}"
        own = page.cycle["assessments"].get(key, {}).get(view.rater)
        form: RatingForm | None = None
        attrs: AttrsForm | None = None
        if can_rate:
            submitted = _submitted(view, f"rate:{key}")
            form = submitted or _rating_form(page, theme, criterion, view.rater)
            if submitted is not None and view.submitted_attrs is not None:
                attrs = view.submitted_attrs
            else:
                attrs = AttrsForm(
                    theme.assessment_schema,
                    theme,
                    id_prefix=rating_prefix(theme, criterion),
                    values=own["attrs"] if own else None,
                )
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


def _open_needs(page: CyclePage) -> list[str]:
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


def _finding_choices(form: FindingForm, page: CyclePage) -> FindingForm:
    form.kind.choices = [("strength", _("Stärke")), ("need", _("Entwicklungsbedarf"))]
    form.theme_id.choices = [("", _("– ohne Thema –")), *_theme_choices(page)]
    form.criterion_id.choices = _criterion_choices(page)
    return form


def _finding_form(page: CyclePage, view: AnalysePage) -> FindingForm:
    form: FindingForm = _submitted(view, "finding") or _fresh(FindingForm, page, prefix="finding")
    return _finding_choices(form, page)


def _priorities(page: CyclePage, view: AnalysePage, open_needs: list[str]) -> PrioritiesForm:
    submitted: PrioritiesForm | None = _submitted(view, "priorities")
    if submitted is not None:
        return submitted
    form = _priorities_form(open_needs, formdata=None)
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


def _back(page: CyclePage, rater: str | None = None, anchor: str = "") -> Response:
    url = url_for("ui.analyse", slug=page.slug, cycle_id=page.id)
    if rater and rater != person():
        url += "?" + urlencode({"rater": rater})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _again(view: AnalysePage, form: VersionForm) -> tuple[str, int]:
    """The page again after a refusal: 409 when the cycle changed meanwhile, else 400."""
    fresh = cycle_page(view.page.slug, str(view.page.id))
    expected = form.expected()
    changed = expected is not None and expected != fresh.cycle["version"]
    view.page = fresh
    return _render(view, 409 if changed else 400)


# Pages --------------------------------------------------------------------------------------


@blueprint.get("/o/<slug>/cycles/<cycle_id>/analyse")
@login_required
def analyse(slug: str, cycle_id: str) -> tuple[str, int]:
    """The analysis: criteria with ratings and spread, strengths and needs, priorities."""
    page = cycle_page(slug, cycle_id)
    return _render(AnalysePage(page, _rater(page, request.args.get("rater"))))


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/rate/<theme_id>/<criterion_id>")
@login_required
def analyse_rate(
    slug: str, cycle_id: str, theme_id: str, criterion_id: str
) -> Response | tuple[str, int]:
    """Record a rating (a coordinator may record one on behalf of another member)."""
    page = cycle_page(slug, cycle_id, "rate")
    theme = engine().themes.get(theme_id)
    criterion = theme.criterion(criterion_id) if theme else None
    if theme is None or criterion is None or theme_id not in page.cycle["themes"]:
        abort(404)
    form = _rating_form(page, theme, criterion, person(), formdata=request.form)
    rater = text(form.rater) or person()
    attrs = AttrsForm(theme.assessment_schema, theme, id_prefix=rating_prefix(theme, criterion))
    values = attrs.parse(request.form) if attrs else None
    view = AnalysePage(page, _rater(page, rater), (f"rate:{theme.id}/{criterion.id}", form), attrs)
    if not form.validate_on_submit():
        return _again(view, form)
    value = _parse_value(criterion.scale, text(form.value))
    if value is None:
        add_error(
            form.value,
            _(
                "Dieser Wert liegt nicht auf der Skala „%(scale)s“.",
                scale=localised(criterion.scale.label),
            ),
        )
        return _again(view, form)
    done = run_with_attrs(
        lambda: engine().record_assessment(
            page.id,
            actor_id=person(),
            theme_id=theme.id,
            criterion_id=criterion.id,
            value=value,
            rater_id=rater,
            note=text(form.note),
            attrs=values,
            expected_version=form.expected(),
        ),
        form,
        attrs,
    )
    if not done:
        return _again(view, form)
    if rater == person():
        flash(_("Ihre Einschätzung ist gespeichert."))
    else:
        name = engine().display_names([rater]).get(rater, rater)
        flash(_("Die Einschätzung von %(name)s ist gespeichert.", name=name))
    return _back(page, rater, f"criterion-{theme.id}-{criterion.id}")


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/findings")
@login_required
def analyse_finding(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Record a strength or a need."""
    page = cycle_page(slug, cycle_id, "moderate")
    form = _finding_choices(FindingForm(prefix="finding"), page)
    view = AnalysePage(page, person(), ("finding", form))
    if not form.validate_on_submit():
        return _again(view, form)
    theme_id = text(form.theme_id) or None
    criterion_theme, _sep, criterion_id = text(form.criterion_id).partition("/")
    if criterion_id and theme_id and criterion_theme != theme_id:
        add_error(form.criterion_id, _("Das Kriterium gehört nicht zum gewählten Thema."))
        return _again(view, form)
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
        return _again(view, form)
    flash(
        _("Die Stärke ist festgehalten.")
        if text(form.kind) == "strength"
        else _("Der Entwicklungsbedarf ist festgehalten.")
    )
    return _back(page, anchor="findings")


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/findings/<finding_id>/withdraw")
@login_required
def analyse_withdraw(slug: str, cycle_id: str, finding_id: str) -> Response | tuple[str, int]:
    """Withdraw a strength or need, for a stated reason (it stays in the history)."""
    page = cycle_page(slug, cycle_id, "moderate")
    form = WithdrawForm(prefix=f"withdraw-{finding_id}")
    view = AnalysePage(page, person(), (f"withdraw:{finding_id}", form))
    if not form.validate_on_submit():
        return _again(view, form)
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
        return _again(view, form)
    flash(_("Der Befund ist zurückgezogen."))
    return _back(page, anchor="findings")


@blueprint.post("/o/<slug>/cycles/<cycle_id>/analyse/priorities")
@login_required
def analyse_priorities(slug: str, cycle_id: str) -> Response | tuple[str, int]:
    """Choose the needs to work on: a rank per need, empty for needs not chosen."""
    page = cycle_page(slug, cycle_id, "moderate")
    needs = _open_needs(page)
    form = _priorities_form(needs)
    view = AnalysePage(page, person(), ("priorities", form))
    if not form.validate_on_submit():
        return _again(view, form)
    ranked = _ranked(form, needs)
    if ranked is None:
        return _again(view, form)
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
        return _again(view, form)
    flash(_("Die Prioritäten sind gespeichert."))
    return _back(page, anchor="priorities")


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
