"""Where a person lands after signing in (and at "/"): where they work.

The installation's administrator lands on the administration, a state coordinator on their
Land's view, a member of one organisation on its page, a member of several on a choice of
them. The choice stays at ``/organisations`` for everyone (an administrator who is also a
member finds their organisations there). A safe ``next`` at sign-in goes first (web/auth.py).
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from web.services import engine
from web.ui import blueprint
from web.ui.common import person
from web.ui.state import state_land


def workplace(memberships: list[dict[str, Any]]) -> str | None:
    """The address where the signed-in person works, or None for the choice of organisations."""
    if getattr(current_user, "is_admin", False):
        return url_for("ui.admin")
    if state_land() is not None:
        return url_for("ui.state")
    if len(memberships) == 1:
        return url_for("ui.organisation", slug=memberships[0]["slug"])
    return None


@blueprint.get("/")
@login_required
def home() -> str | Response:
    """Straight to where the person works; the choice of organisations when there are several."""
    memberships = engine().memberships(person())
    target = workplace(memberships)
    if target is not None:
        return redirect(target)
    return render_template("ui/home.html", memberships=memberships)


@blueprint.get("/organisations")
@login_required
def my_organisations() -> str:
    """The organisations the signed-in person belongs to, whatever else they do."""
    return render_template("ui/home.html", memberships=engine().memberships(person()))
