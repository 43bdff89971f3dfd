"""The analysis page's forms: a rating on a criterion's scale, a finding, its withdrawal, the
priorities; and reading a rated value from the scale.
"""

from __future__ import annotations

from typing import Any

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import NumberInput

from engine.domain import shapes
from engine.domain.catalogue import Criterion, Scale, Theme
from web.forms import Form, text_area
from web.i18n import localised
from web.ui.common import CyclePage
from web.ui.cycles import VersionForm

RADIO_UP_TO = 11
"""A numeric scale with at most this many values is offered as radio buttons, else a select."""


class RatingForm(Form):
    """One criterion's part of a theme's rating form: a value on its scale and a note.

    Left empty, the criterion stays unrated; the theme's form carries the CSRF token.
    """

    value: RadioField | SelectField = RadioField(
        _l("Einschätzung"), validate_choice=False, validators=[Optional()]
    )
    note = text_area(_l("Anmerkung (freiwillig)"), shapes.ASSESSMENT["note"])


class RatingSelectForm(RatingForm):
    """A rating on a long numeric scale: the value is chosen from a list."""

    value = SelectField(_l("Einschätzung"), validate_choice=False, validators=[Optional()])


class ThemeRatingForm(VersionForm):
    """A whole theme rated in one save: the version seen and whose ratings they are."""

    rater = HiddenField()


class FindingForm(VersionForm):
    """A strength or a need, optionally tied to a theme and a criterion."""

    kind = RadioField(
        _l("Art des Befunds"),
        validators=[InputRequired(message=_l("Wählen Sie Stärke oder Entwicklungsbedarf."))],
    )
    theme_id = SelectField(_l("Thema"))
    criterion_id = SelectField(_l("Kriterium (freiwillig)"))
    text = text_area(
        _l("Beschreibung"),
        shapes.FINDING["text"],
        _l("Beschreiben Sie die Stärke oder den Entwicklungsbedarf."),
    )


class WithdrawForm(VersionForm):
    """Withdraw a finding, for a stated reason."""

    reason = text_area(
        _l("Begründung für das Zurückziehen"),
        shapes.REASON,
        _l("Geben Sie an, warum der Befund zurückgezogen wird."),
    )


class PrioritiesForm(VersionForm):
    """The needs to work on: a rank per open need (fields are added per need)."""

    reason = text_area(_l("Begründung (freiwillig)"), shapes.PRIORITIES["reason"])


def priorities_form(needs: list[str], **kwargs: Any) -> PrioritiesForm:
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


def rating_prefix(theme: Theme, criterion: Criterion) -> str:
    """The prefix of a criterion's rating form (its inputs' names and ids)."""
    return f"rate-{theme.id}-{criterion.id}"


def theme_prefix(theme: Theme) -> str:
    """The prefix of a theme's rating form (its own inputs' names and ids)."""
    return f"rate-{theme.id}"


def theme_rating_form(
    page: CyclePage, theme: Theme, rater: str, formdata: Any = None
) -> ThemeRatingForm:
    """A theme's rating form (the criteria's parts come from :func:`rating_form`)."""
    form = ThemeRatingForm(formdata=formdata, prefix=f"{theme_prefix(theme)}-")
    if formdata is None:
        form.rater.data = rater
        form.version.data = str(page.cycle["version"])
    return form


def rating_form(
    page: CyclePage, theme: Theme, criterion: Criterion, rater: str, formdata: Any = None
) -> RatingForm:
    """A criterion's part of the theme's form, filled with the rater's rating unless
    ``formdata`` is given; its value's label is the criterion's title (for the error summary)."""
    choices = scale_choices(criterion.scale)
    form_class = RatingForm if len(choices) <= RADIO_UP_TO else RatingSelectForm
    form = form_class(
        formdata=formdata, prefix=f"{rating_prefix(theme, criterion)}-", meta={"csrf": False}
    )
    form.value.choices = choices
    form.value.label.text = localised(criterion.title)
    if formdata is None:
        own = page.cycle["assessments"].get(f"{theme.id}/{criterion.id}", {}).get(rater)
        if own:
            form.value.data = (
                own["value"] if criterion.scale.kind == "levels" else number_text(own["value"])
            )
            form.note.data = own["note"]
    return form


def scale_choices(scale: Scale) -> list[tuple[str, str]]:
    """The values a rater can choose, lowest first."""
    if scale.kind == "levels":
        return [(level.id, localised(level.label)) for level in scale.levels]
    count = round((scale.maximum - scale.minimum) / scale.step) + 1
    values = [scale.minimum + index * scale.step for index in range(count)]
    return [(number_text(value), str(format_decimal(value))) for value in values]


def number_text(value: float) -> str:
    """A scale value as the form submits it (``3``, ``2.5``)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def parse_value(scale: Scale, raw: str) -> float | str | None:
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
