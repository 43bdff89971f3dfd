"""The cycle as it stood at the end of a day or at a version, as a read-only page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Optional

from engine.application import audit, trail
from engine.domain.errors import StoreDamaged
from web.access import CyclePage, cycle_page
from web.audit_text import actor_name
from web.forms import Form, add_error, text
from web.i18n import number, short_date
from web.services import engine
from web.ui import blueprint
from web.ui.audit import event_label, get_form, header_context, moment, parse_version
from web.ui.presenter import presenter


class AsOfForm(Form):
    """A date, or a version, to show the cycle as it stood then."""

    date = DateField(_l("Datum"), validators=[Optional()])
    version = StringField(_l("oder Version"))


def _version_on(page: CyclePage, form: FlaskForm, asked: date) -> int | None:
    """The version at the end of the asked day; None (and an error) before the cycle began."""
    app = engine()
    version = audit.version_at(app, page.id, asked)
    if version > 0:
        return version
    created = trail.stamp_of(app, page.id, 1)
    started = short_date(created.timestamp.astimezone(audit.LOCAL_TIME).date()) if created else ""
    add_error(
        form.date,
        _(
            "Am %(date)s gab es diesen Zyklus noch nicht; er wurde am %(start)s begonnen.",
            date=short_date(asked),
            start=started,
        ),
    )
    return None


@blueprint.get("/o/<slug>/cycles/<cycle_id>/as-of")
@login_required
def as_of(slug: str, cycle_id: str) -> tuple[str, int]:
    """The cycle as it stood at the end of a day (Berlin time) or at a version; read-only.

    A version, if given, wins over a date. A date before the cycle began says so.
    """
    page = cycle_page(slug, cycle_id)
    latest = int(page.cycle["version"])
    form = get_form(AsOfForm)
    valid = form.validate()
    asked: date | None = form.date.data if valid else None
    version: int | None = None
    state: dict[str, Any] | None = None
    damaged = False
    try:
        if valid and text(form.version).strip():
            asked = None
            version = parse_version(form.version, latest)
            valid = version is not None
        elif asked is not None:
            version = _version_on(page, form, asked)
        if version is not None:
            state = audit.state_at(engine(), page.id, version=version)
    except StoreDamaged:
        damaged = True
    stamp = trail.stamp_of(engine(), page.id, version) if version is not None else None
    present = presenter(page, state or {}, [stamp.actor_id] if stamp else [])
    return (
        render_template(
            "ui/audit_as_of.html",
            **header_context(page),
            form=form,
            state=state,
            version=version,
            latest=latest,
            asked=asked,
            future=asked is not None and asked > datetime.now(audit.LOCAL_TIME).date(),
            stamp=stamp,
            when=moment(stamp.timestamp) if stamp else "",
            actor=actor_name(stamp.actor_id, present.names) if stamp else "",
            event=event_label(stamp.name) if stamp else "",
            present=present,
            number=number,
            damaged=damaged,
        ),
        200 if valid else 400,
    )
