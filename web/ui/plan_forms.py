"""The plan page's forms for goals and measures: made fresh (from an item or a template), or
read back from a submission with the theme data its theme asks for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import flash, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema
from wtforms import DateField, HiddenField, SelectField, StringField
from wtforms.validators import Optional
from wtforms.widgets import NumberInput

from engine.domain import shapes
from engine.domain.catalogue import Template, Theme
from engine.domain.cycle_revisions import may_act_on_measures
from web.forms import add_error, chosen, day, text, text_area, text_line
from web.i18n import localised
from web.services import engine
from web.ui.attrs_form import AttrsForm
from web.ui.common import CyclePage
from web.ui.cycles import VersionForm
from web.ui.organisations import CheckboxesField


class ThemedForm(VersionForm):
    """A goal or measure form: its theme decides which theme data (attrs) it asks for."""

    theme_id = SelectField(_l("Thema"))
    attrs_theme = HiddenField()


class GoalForm(ThemedForm):
    """A goal: title, the needs it answers, indicator with unit, baseline and target, due
    date, theme."""

    title = text_line(_l("Ziel"), shapes.GOAL["title"], _l("Geben Sie dem Ziel einen Titel."))
    indicator = text_area(_l("Indikator"), shapes.GOAL["indicator"])
    unit = text_line(_l("Einheit"), shapes.GOAL["unit"])
    baseline = StringField(_l("Ausgangswert"), widget=NumberInput(step="any"))
    target = StringField(_l("Zielwert"), widget=NumberInput(step="any"))
    due = DateField(_l("Zu erreichen bis"), validators=[Optional()])
    need_ids = CheckboxesField(_l("Antwortet auf die Entwicklungsbedarfe"), validate_choice=False)


class GoalRevisionForm(GoalForm):
    """A goal's fields, changed, with an optional reason."""

    reason = text_area(_l("Grund der Änderung (freiwillig)"), shapes.GOAL_REVISION["reason"])


class MeasureForm(ThemedForm):
    """A measure: title, goal, theme, responsible member, start, due date, resources."""

    title = text_line(
        _l("Maßnahme"), shapes.MEASURE["title"], _l("Geben Sie der Maßnahme einen Titel.")
    )
    goal_id = SelectField(_l("Trägt bei zum Ziel"))
    responsible_member_id = SelectField(_l("Verantwortlich"))
    start = DateField(_l("Beginn"), validators=[Optional()])
    due = DateField(_l("Fertig bis"), validators=[Optional()])
    resources = text_area(_l("Ressourcen"), shapes.MEASURE["resources"])


class MeasureRevisionForm(MeasureForm):
    """A measure's fields, changed, with an optional reason."""

    reason = text_area(_l("Grund der Änderung (freiwillig)"), shapes.MEASURE_REVISION["reason"])


@dataclass
class Editor:
    """A form for one goal or measure with its theme data."""

    form: ThemedForm
    attrs: AttrsForm
    template: Template | None = None


def cycle_themes(page: CyclePage) -> list[Theme]:
    """The cycle's themes that are installed."""
    installed = engine().themes
    return [installed[t] for t in page.cycle["themes"] if t in installed]


def theme_of(theme_id: str | None) -> Theme | None:
    """The installed theme with this id, if any."""
    return engine().themes.get(theme_id) if theme_id else None


def schema_of(theme: Theme | None, kind: str) -> type[Schema] | None:
    """The theme's schema for a goal's or a measure's data (``kind``), if any."""
    if theme is None:
        return None
    return theme.goal_schema if kind == "goal" else theme.measure_schema


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def member_choices(page: CyclePage) -> list[tuple[str, str]]:
    """The organisation's members as (id, name), by name."""
    members = page.member.organisation["members"]
    names = engine().display_names(members)
    return sorted(((m, names.get(m, m)) for m in members), key=lambda pair: pair[1].casefold())


def responsible_choices(page: CyclePage) -> list[tuple[str, str]]:
    """The members who may act on a measure (coordinators and contributors), by name."""
    roles = page.member.organisation["members"]
    return [(m, name) for m, name in member_choices(page) if may_act_on_measures(roles[m])]


def need_choices(page: CyclePage) -> list[tuple[str, str]]:
    """The prioritised needs (most important first) that a goal can answer."""
    findings = page.cycle["findings"]
    return [
        (finding_id, findings[finding_id]["text"])
        for finding_id in page.cycle["priorities"]
        if finding_id in findings and not findings[finding_id]["withdrawn"]
    ]


def fill_choices(form: ThemedForm, page: CyclePage) -> None:
    """Give the form its choices: the cycle's themes; for a goal the prioritised needs; for a
    measure the goals and the members who may act."""
    form.theme_id.choices = [("", _("– ohne Thema –"))] + [
        (theme.id, localised(theme.title)) for theme in cycle_themes(page)
    ]
    if isinstance(form, GoalForm):
        form.need_ids.choices = need_choices(page)
    if isinstance(form, MeasureForm):
        form.goal_id.choices = [("", _("– kein Ziel –"))] + [
            (goal_id, goal["title"]) for goal_id, goal in page.cycle["goals"].items()
        ]
        form.responsible_member_id.choices = [
            ("", _("– noch offen –")),
            *responsible_choices(page),
        ]


def fresh_editor(
    kind: str,
    page: CyclePage,
    form_class: type[ThemedForm],
    prefix: str,
    values: dict[str, Any] | None = None,
    template: Template | None = None,
) -> Editor:
    """A fresh form, filled with an item's values (or a template's) when given."""
    form = form_class(formdata=None, prefix=prefix)
    fill_choices(form, page)
    values = values or {}
    for name in ("title", "indicator", "unit", "resources", "goal_id", "responsible_member_id"):
        if name in form:
            form[name].data = values.get(name) or ""
    for name in ("baseline", "target"):
        if name in form:
            form[name].data = _number_text(values.get(name))
    for name in ("due", "start"):
        if name in form:
            form[name].data = values.get(name)
    if "need_ids" in form:
        form["need_ids"].data = list(values.get("need_ids") or [])
    theme_id = values.get("theme_id") or ""
    form.theme_id.data = theme_id
    form.attrs_theme.data = theme_id
    form.version.data = str(page.cycle["version"])
    theme = theme_of(theme_id)
    attrs = AttrsForm(
        schema_of(theme, kind), theme, id_prefix=prefix, values=values.get("attrs") or {}
    )
    return Editor(form, attrs, template)


def read_editor(kind: str, page: CyclePage, form_class: type[ThemedForm], prefix: str) -> Editor:
    """The submitted form with its theme data as shown (the theme the inputs were made for)."""
    form = form_class(prefix=prefix)
    fill_choices(form, page)
    shown = theme_of(text(form.attrs_theme))
    attrs = AttrsForm(schema_of(shown, kind), shown, id_prefix=prefix)
    attrs.parse(request.form)
    return Editor(form, attrs)


def theme_switched(kind: str, editor: Editor, prefix: str) -> bool:
    """If another theme was chosen than the inputs were made for, show that theme's inputs."""
    chosen = text(editor.form.theme_id)
    if chosen == text(editor.form.attrs_theme):
        return False
    theme = theme_of(chosen)
    attrs = AttrsForm(schema_of(theme, kind), theme, id_prefix=prefix)
    editor.form.attrs_theme.data = chosen
    editor.attrs = attrs
    if not attrs:
        return False
    flash(
        _(
            "Das Thema „%(theme)s“ fragt nach eigenen Angaben. Bitte ergänzen Sie sie und "
            "speichern Sie dann erneut.",
            theme=localised(theme.title) if theme else chosen,
        )
    )
    return True


def _number(form_field: Any) -> tuple[bool, float | None]:
    """A number field's value (decimal comma accepted); False with an error if it is none."""
    raw = text(form_field).strip()
    if not raw:
        return True, None
    try:
        return True, float(raw.replace(",", "."))
    except ValueError:
        add_error(
            form_field,
            _(
                "Geben Sie für „%(label)s“ eine Zahl an, zum Beispiel 12,5.",
                label=form_field.label.text,
            ),
        )
        return False, None


def goal_fields(editor: Editor) -> dict[str, Any] | None:
    """A goal's fields from the form; None (with errors on the fields) for an invalid number."""
    form = editor.form
    assert isinstance(form, GoalForm)
    baseline_ok, baseline = _number(form.baseline)
    target_ok, target = _number(form.target)
    if not (baseline_ok and target_ok):
        return None
    return {
        "title": text(form.title),
        "theme_id": text(form.theme_id) or None,
        "indicator": text(form.indicator),
        "unit": text(form.unit),
        "baseline": baseline,
        "target": target,
        "due": day(form.due),
        "attrs": editor.attrs.values if editor.attrs else {},
        "need_ids": chosen(form.need_ids),
    }


def measure_fields(editor: Editor) -> dict[str, Any]:
    """A measure's fields from the form."""
    form = editor.form
    assert isinstance(form, MeasureForm)
    start: date | None = day(form.start)
    return {
        "title": text(form.title),
        "theme_id": text(form.theme_id) or None,
        "goal_id": text(form.goal_id) or None,
        "responsible_member_id": text(form.responsible_member_id) or None,
        "start": start,
        "due": day(form.due),
        "resources": text(form.resources),
        "attrs": editor.attrs.values if editor.attrs else {},
    }
