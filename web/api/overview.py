"""Figures to read: an organisation's dashboard over the years, the caller's reminders, and the
state coordination office's Land view (under the same anonymity rules as its page)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from engine.application.reminders import member_reminders, today
from engine.application.state_office import state_office
from engine.domain.errors import NotFound
from engine.domain.organisation import LAENDER
from engine.readmodels import current, queries
from web.api.auth import caller, organisation_access
from web.api.common import api_blueprint, reads
from web.api.schemas import (
    DashboardSchema,
    LandCodeSchema,
    LandSchema,
    ReminderSchema,
    json_value,
)
from web.problems import ApiProblem
from web.services import engine
from web.ui.reminders import reminder_days
from web.ui.state import state_data

blueprint = api_blueprint(
    "overview",
    __name__,
    "The dashboard's figures over the years, the caller's reminders, the state office's Land.",
)


@blueprint.get("/organisations/<string:slug>/dashboard")
@blueprint.response(200, DashboardSchema)
@reads(blueprint)
def dashboard(slug: str) -> Any:
    """The organisation's years at a glance, as its dashboard shows them (every member):
    cycles by year, measures due, indicator series, theme scores, verdicts, insights.
    ``lag`` counts events the read models have not caught up with yet. Blind first round: in
    a cycle whose phase still allows ratings, a caller who may rate gets a criterion's median
    only after rating it, and the theme's score as null (``hidden`` true) while any rated
    criterion of it is hidden."""
    access = organisation_access(slug)
    fresh = current(engine())
    days = reminder_days()
    data = queries.dashboard(fresh.view, access.organisation["id"], on=today(), days=days)
    data = engine().blind_dashboard(data, actor_id=caller().actor_id)  # the blind first round
    del data["current"], data["compared_cycles"]  # the newest of ``cycles`` and its tail
    return json_value({**data, "days": days, "lag": fresh.lag})


@blueprint.get("/reminders")
@blueprint.response(200, ReminderSchema(many=True))
@reads(blueprint)
def reminders() -> Any:
    """The caller's measures that are overdue or due soon, in all their organisations (a
    token: in its own), overdue first."""
    who = caller()
    found = member_reminders(engine(), who.actor_id, days=reminder_days(), on=today())
    rows = []
    for reminder in found:
        measure = reminder.measure
        if not who.may_see(measure.organisation_id):
            continue
        rows.append(
            {
                "kind": reminder.kind,
                "days": reminder.days,
                "organisation_slug": measure.organisation_slug,
                "organisation_name": measure.organisation_name,
                "cycle_id": measure.cycle_id,
                "cycle_title": measure.cycle_title,
                "measure_id": measure.measure_id,
                "title": measure.title,
                "due": measure.due,
                "status": measure.status,
            }
        )
    return sorted(rows, key=lambda row: (row["days"], row["title"], row["measure_id"]))


def readable_land(code: str) -> str:
    """``code`` if the caller may see that Land: an administrator any, a state coordinator
    their own (403 another); 404 for an unknown Land, a token, or anyone else."""
    who = caller()
    if code not in LAENDER or who.token is not None:
        raise NotFound()
    if getattr(current_user, "is_admin", False):
        return code
    land = state_office(engine()).land_of(who.actor_id)
    if land is None:
        raise NotFound()
    if land != code:
        raise ApiProblem(
            403,
            "forbidden",
            "A state coordination office sees its own Land only.",
            detail_de="Eine Landeskoordinierungsstelle sieht nur ihr eigenes Land.",
        )
    return code


@blueprint.get("/lands")
@blueprint.response(200, LandCodeSchema(many=True))
@reads(blueprint)
def lands() -> Any:
    """The Länder the caller may see: a state coordinator their own, an administrator every
    one, anyone else none."""
    who = caller()
    if who.token is not None:
        return []
    if getattr(current_user, "is_admin", False):
        return [{"code": code} for code in sorted(LAENDER)]
    land = state_office(engine()).land_of(who.actor_id)
    return [] if land is None else [{"code": land}]


@blueprint.get("/lands/<string:code>")
@blueprint.response(200, LandSchema)
@reads(blueprint)
def land(code: str) -> Any:
    """A Land's comparison for its state coordination office (administrators: any Land):
    every figure rests on at least ``minimum`` organisations, a Land with fewer shows none
    (``shown`` false), names appear only of organisations that chose to share them."""
    return json_value(state_data(readable_land(code)))
