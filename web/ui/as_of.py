"""The cycle as it stood at the end of a day or at a version, as a read-only page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from engine.application import audit, trail
from engine.domain.errors import StoreDamaged
from web.access import cycle_page
from web.audit_text import actor_name
from web.forms import Form, text
from web.i18n import number
from web.services import engine
from web.ui import blueprint
from web.ui.audit import (
    blind_round,
    event_label,
    get_form,
    header_context,
    moment,
    parse_version,
)
from web.ui.entries import actors, entry_choices, version_on
from web.ui.presenter import presenter


class AsOfForm(Form):
    """A day, or an entry of the history, to show the cycle as it stood then."""

    date = DateField(_l("Tag"), validators=[Optional()])
    version = SelectField(_l("oder nach einem Eintrag aus dem Verlauf"), validate_choice=False)


@blueprint.get("/o/<slug>/cycles/<cycle_id>/as-of")
@login_required
def as_of(slug: str, cycle_id: str) -> tuple[str, int]:
    """The cycle as it stood at the end of a day (Berlin time) or after an entry; read-only.

    An entry (a version), if given, wins over a day. A date before the cycle began says so.
    """
    page = cycle_page(slug, cycle_id)
    latest = int(page.cycle["version"])
    form = get_form(AsOfForm)
    stamps = trail.stamps(engine(), page.id).found
    choices = entry_choices(stamps, engine().display_names(actors(stamps)))
    form.version.choices = [("", _("– kein Eintrag gewählt –")), *choices]
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
            version = version_on(page, form.date, asked)
        if version is not None:
            state = audit.state_at(engine(), page.id, version=version)
            blind = blind_round(page)  # hidden ratings still count, as recorded
            state = blind.masked(state) if blind is not None else state
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
