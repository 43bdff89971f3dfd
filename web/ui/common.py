"""What every cycle page needs: the signed-in person, the cycle within its organisation (both
from :mod:`web.access`, shared with the reports), and a way to run an engine command that turns
refusals into messages next to the right field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field

from engine.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    GateRefused,
    InvalidInput,
    NotFound,
    RatingChanged,
)
from web.access import CyclePage as CyclePage
from web.access import cycle_page as cycle_page
from web.access import person as person
from web.forms import add_error
from web.i18n import language


def put_next_to_field(problem: InvalidInput, detail: str, form: FlaskForm | None) -> None:
    """Show ``detail`` next to the form's field the problem names (its first part), or, when
    the form has none, on the page with the field's name."""
    name = problem.field.split(".", 1)[0]
    field: Field | None = getattr(form, name, None) if form else None
    if isinstance(field, Field):
        add_error(field, detail)
    else:
        flash(f"{problem.field}: {detail}", "error")


def refusal_text(error: DomainError) -> str:
    """An engine refusal in the reader's language."""
    return error.en if language() == "en" else error.de


Placer = Callable[[InvalidInput, str], bool]
"""Puts one refused field's message (in the reader's language) where it belongs; False when
it has no place for it (then it goes next to the form's field of that name, or on the page)."""


def run(
    command: Callable[[], Any], form: FlaskForm | None = None, place: Placer | None = None
) -> bool:
    """Run a command; on refusal put every message next to its field (or on the page), False.

    A refusal of input names every field the command found wrong (``InvalidInput.problems``):
    each goes next to its field, tried first with ``place``, so that the person sees all of
    them at once. Nothing is written when a command is refused, so the page can simply be
    shown again.
    """
    try:
        command()
    except InvalidInput as error:
        for problem in error.problems:
            detail = problem.field_en if language() == "en" else problem.field_de
            if place is None or not place(problem, detail):
                put_next_to_field(problem, detail, form)
        return False
    except GateRefused as error:
        reasons = " ".join(r.en if language() == "en" else r.de for r in error.reasons)
        flash(_("Der Schritt ist noch nicht möglich: %(reasons)s", reasons=reasons), "error")
        return False
    except RatingChanged:
        message = _(
            "Eine Einschätzung in diesem Formular wurde inzwischen schon geändert (etwa in einem "
            "anderen Fenster "
            "oder durch die Netzwerkkoordination). Nichts wurde gespeichert: Bitte prüfen Sie "
            "den aktuellen Stand und speichern Sie erneut."
        )
        flash(message, "error")
        return False
    except Conflict:
        message = _(
            "Jemand anderes hat inzwischen etwas geändert. Bitte prüfen Sie die aktuelle "
            "Fassung und versuchen Sie es erneut."
        )
        flash(message, "error")
        return False
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except DomainError as error:
        flash(refusal_text(error), "error")
        return False
    return True
