"""A theme's rating form, read back: each criterion's part (value, note, theme data), checked
together, and the ratings that changed (those to record in one save)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from engine.domain.catalogue import Criterion, Theme
from web.forms import add_error, text
from web.i18n import localised
from web.ui.analyse_forms import RatingForm, parse_value, rating_form, rating_prefix
from web.ui.attrs_form import AttrsForm
from web.ui.common import CyclePage

Parts = dict[str, tuple[RatingForm, AttrsForm | None]]
"""Each criterion's part of a theme's form, by criterion id: its fields and its theme data."""


def rating_anchor(theme: Theme) -> str:
    """The id of a theme's rating form on the page (where its success banner shows)."""
    return f"rate-{theme.id}"


def rating_attrs(
    theme: Theme, criterion: Criterion, values: dict[str, Any] | None = None
) -> AttrsForm:
    """A criterion's theme data inside the theme's form (its inputs named after the criterion)."""
    return AttrsForm(
        theme.assessment_schema, theme, values=values, name_prefix=rating_prefix(theme, criterion)
    )


def submitted_parts(page: CyclePage, theme: Theme, rater: str, formdata: Any) -> Parts:
    """Each criterion's part of the submitted form."""
    parts: Parts = {}
    for criterion in theme.criteria:
        form = rating_form(page, theme, criterion, rater, formdata=formdata)
        attrs = rating_attrs(theme, criterion)
        if attrs:
            attrs.parse(formdata)
        parts[criterion.id] = (form, attrs if attrs else None)
    return parts


def changed_ratings(
    page: CyclePage, theme: Theme, rater: str, parts: Parts
) -> list[dict[str, Any]] | None:
    """The ratings that differ from the rater's current ones; None (errors placed at each
    criterion) when any part is wrong or nothing was rated."""
    ratings: list[dict[str, Any]] = []
    valid = True
    current = page.cycle["assessments"]
    for criterion in theme.criteria:
        form, attrs = parts[criterion.id]
        rating = _rating(criterion, form, attrs)
        if rating is None:
            valid = False
            continue
        own = current.get(f"{theme.id}/{criterion.id}", {}).get(rater)
        if rating and not _same(rating, own):
            ratings.append({"criterion_id": criterion.id, **rating})
    if valid and not ratings and not _any_value(parts):
        first = next(iter(parts.values()))[0]
        add_error(first.value, _("Wählen Sie bei mindestens einem Kriterium einen Wert."))
        return None
    return ratings if valid else None


def _rating(
    criterion: Criterion, form: RatingForm, attrs: AttrsForm | None
) -> dict[str, Any] | None:
    """One part as a rating ({} when left empty); None (with its error) when it is wrong."""
    valid = form.validate()
    values = attrs.values if attrs else None
    raw, note = text(form.value), text(form.note)
    if not valid:
        return None
    if not raw:
        if note:
            add_error(
                form.value,
                _(
                    "%(criterion)s: Wählen Sie einen Wert, damit die Anmerkung gespeichert wird.",
                    criterion=localised(criterion.title),
                ),
            )
            return None
        return {}
    value = parse_value(criterion.scale, raw)
    if value is None:
        add_error(
            form.value,
            _(
                "%(criterion)s: Dieser Wert liegt nicht auf der Skala „%(scale)s“.",
                criterion=localised(criterion.title),
                scale=localised(criterion.scale.label),
            ),
        )
        return None
    return {"value": value, "note": note, "attrs": values}


def _same(rating: dict[str, Any], own: dict[str, Any] | None) -> bool:
    if own is None:
        return False
    return (
        own["value"] == rating["value"]
        and own["note"] == rating["note"]
        and (own["attrs"] or {}) == (rating["attrs"] or {})
    )


def _any_value(parts: Parts) -> bool:
    return any(text(form.value) for form, _attrs in parts.values())
