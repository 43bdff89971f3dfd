"""The history page of a cycle: who changed what, when and why; filtered, paginated, newest
first, with the seal check of the cycle and its organisation."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from engine.application import audit, trail
from engine.application.trail import Stamp
from web.access import CyclePage, cycle_page
from web.audit_text import actor_name, cycle_chains
from web.forms import Form, add_error, text
from web.services import engine
from web.ui import blueprint
from web.ui.audit import blind_round, event_label, field_of, get_form, header_context
from web.ui.presenter import Presenter, history_rows, presenter

PER_PAGE = 50
"""Events per page of the history, newest first."""


class HistoryFilter(Form):
    """Which events to show: a kind, a person, a date range."""

    event = SelectField(_l("Art des Ereignisses"), default="")
    person = SelectField(_l("Person"), default="")
    to = DateField(_l("Bis (Datum)"), validators=[Optional()])


setattr(HistoryFilter, "from", DateField(_l("Von (Datum)"), validators=[Optional()]))


def _choices(stamps_found: Sequence[Stamp], names: Mapping[str, str]) -> dict[str, Any]:
    events = sorted({s.name for s in stamps_found}, key=lambda name: event_label(name).lower())
    actors = sorted({s.actor_id for s in stamps_found}, key=lambda a: actor_name(a, names).lower())
    return {
        "event": [("", _("alle"))] + [(name, event_label(name)) for name in events],
        "person": [("", _("alle"))] + [(a, actor_name(a, names)) for a in actors],
    }


def _matcher(form: FlaskForm) -> Callable[[Stamp], bool]:
    event, person = text(form.event), text(form.person)
    first: date | None = field_of(form, "from").data
    last: date | None = form.to.data
    start = datetime.combine(first, time.min, tzinfo=audit.LOCAL_TIME) if first else None
    end = datetime.combine(last, time.max, tzinfo=audit.LOCAL_TIME) if last else None

    def matches(stamp: Stamp) -> bool:
        return (
            (not event or stamp.name == event)
            and (not person or stamp.actor_id == person)
            and (start is None or stamp.timestamp >= start)
            and (end is None or stamp.timestamp <= end)
        )

    return matches


def page_numbers(current: int, pages: int) -> list[int | None]:
    """Page links to show: the first, the last, those around the current one; None is a gap."""
    shown = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    numbers: list[int | None] = []
    for number_ in shown:
        if numbers and number_ - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number_)
    return numbers


def _rows(page: CyclePage, shown: Sequence[Stamp], present: Presenter) -> list[dict[str, Any]]:
    """The shown events as table rows, with their changes (None where they cannot be replayed)."""
    versions = [s.version for s in shown]
    blind = blind_round(page) if shown else None
    entries = trail.history_entries(engine(), page.id, versions, blind=blind) if shown else {}
    return history_rows(shown, entries, present)


def _filter_form(found: Sequence[Stamp], names: Mapping[str, str]) -> tuple[FlaskForm, bool]:
    """The filter form read from the query, with its choices, and whether it is valid."""
    form = get_form(HistoryFilter)
    choices = _choices(found, names)
    form.event.choices = choices["event"]
    form.person.choices = choices["person"]
    valid = form.validate()
    first, last = field_of(form, "from").data, form.to.data
    if valid and first and last and first > last:
        add_error(form.to, _("Das Ende des Zeitraums liegt vor seinem Anfang."))
        valid = False
    return form, valid


@blueprint.get("/o/<slug>/cycles/<cycle_id>/history")
@login_required
def history(slug: str, cycle_id: str) -> tuple[str, int]:
    """Who changed what, when and why; filtered, newest first, with the seal check."""
    page = cycle_page(slug, cycle_id)
    stamps, chain = trail.trail(engine(), page.id)
    found = stamps.found
    present = presenter(page, page.cycle, {s.actor_id for s in found})
    form, valid = _filter_form(found, present.names)
    matches = _matcher(form)
    matched = [s for s in reversed(found) if matches(s)] if valid else []
    pages = max(1, math.ceil(len(matched) / PER_PAGE))
    current = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = matched[(current - 1) * PER_PAGE : current * PER_PAGE]
    arguments: dict[str, Any] = {
        k: request.args[k] for k in ("event", "person", "from", "to") if request.args.get(k)
    }
    return (
        render_template(
            "ui/audit_history.html",
            **header_context(page),
            form=form,
            rows=_rows(page, shown, present),
            total=len(found),
            matched=len(matched),
            filtered=bool(arguments),
            current=current,
            pages=pages,
            page_numbers=page_numbers(current, pages),
            page_url=lambda n: url_for(
                "ui.history", **{**arguments, "slug": slug, "cycle_id": page.id, "page": n}
            ),
            chains=cycle_chains(page, chain),
            unreadable=stamps.unreadable,
            field_of=field_of,
        ),
        200 if valid else 400,
    )
