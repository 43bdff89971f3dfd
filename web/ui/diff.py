"""The difference between two versions of a cycle, as a page."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms import StringField

from engine.application import audit, trail
from engine.domain.errors import StoreDamaged
from web.access import CyclePage, cycle_page
from web.audit_text import actor_name
from web.forms import Form
from web.services import engine
from web.ui import blueprint
from web.ui.audit import event_label, field_of, get_form, header_context, moment, parse_version
from web.ui.presenter import presenter


class DiffForm(Form):
    """Two versions to compare."""

    to = StringField(_l("Bis Version"))


setattr(DiffForm, "from", StringField(_l("Von Version")))


def _compare(
    page: CyclePage, first: int, second: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], bool]:
    """The readable changes between two versions, the two versions' stamps, and whether the
    store was too damaged to replay them."""
    app = engine()
    stamped = [trail.stamp_of(app, page.id, first), trail.stamp_of(app, page.id, second)]
    present = presenter(page, page.cycle, (s.actor_id for s in stamped if s))
    try:
        changes = present.changes(audit.diff_versions(app, page.id, first, second))
    except StoreDamaged:
        changes, damaged = [], True
    else:
        damaged = False
    versions = [
        {
            "version": stamp.version,
            "when": moment(stamp.timestamp),
            "actor": actor_name(stamp.actor_id, present.names),
            "event": event_label(stamp.name),
        }
        for stamp in stamped
        if stamp is not None
    ]
    return changes, versions, damaged


@blueprint.get("/o/<slug>/cycles/<cycle_id>/diff")
@login_required
def diff(slug: str, cycle_id: str) -> tuple[str, int]:
    """What differs between two versions of the cycle (defaults: the last change)."""
    page = cycle_page(slug, cycle_id)
    latest = int(page.cycle["version"])
    form = get_form(DiffForm)
    first_field, second_field = field_of(form, "from"), form.to
    if not request.args.get("from"):
        first_field.data = str(max(latest - 1, 1))
    if not request.args.get("to"):
        second_field.data = str(latest)
    first = parse_version(first_field, latest)
    second = parse_version(second_field, latest)
    changes: list[dict[str, Any]] = []
    versions: list[dict[str, Any]] = []
    damaged = False
    if first is not None and second is not None:
        changes, versions, damaged = _compare(page, first, second)
    return (
        render_template(
            "ui/audit_diff.html",
            **header_context(page),
            form=form,
            first=first,
            second=second,
            latest=latest,
            changes=changes,
            versions=versions,
            damaged=damaged,
            field_of=field_of,
        ),
        200 if first is not None and second is not None else 400,
    )
