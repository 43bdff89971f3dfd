"""API tokens of an organisation (coordinators): create one, see the secret once, revoke.

A token acts as its own member ``token:<id>`` with the role chosen here; creating and revoking
it is recorded in the organisation's history with the coordinator as actor.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import flash, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from engine.application.tokens import NewToken, create_token, revoke_token, tokens_of
from engine.domain.catalogue import Text
from engine.domain.limits import MAX_LABEL
from engine.domain.organisation import ROLES as ROLE_IDS
from web.auth import Membership, membership
from web.forms import Form, day, text
from web.i18n import ROLES, localised
from web.services import engine
from web.ui import blueprint
from web.ui.common import person, run


class NewTokenForm(Form):
    """What the token is for, its role, and (optionally) its last day."""

    name = StringField(validators=[DataRequired(), Length(max=MAX_LABEL)])
    role = SelectField(default="viewer")
    expires_on = DateField(validators=[Optional()])


class RevokeTokenForm(Form):
    """Revoke one token."""


LABELS = {
    "name": Text("Wofür (z. B. Name des Programms)", "For (e.g. the program's name)"),
    "role": Text("Rolle", "Role"),
    "expires_on": Text("Gültig bis (freiwillig)", "Valid until (optional)"),
}
"""The form's labels in German and English (inline, like the themes' catalogues)."""


def _form() -> NewTokenForm:
    form = NewTokenForm(prefix="token")
    form.role.choices = [(role, str(ROLES[role])) for role in ROLE_IDS]
    for name, label in LABELS.items():
        form[name].label.text = localised(label)
    return form


def _render(
    member: Membership, form: NewTokenForm, created: NewToken | None = None, status: int = 200
) -> tuple[str, int]:
    tokens: list[dict[str, Any]] = [
        t.as_dict() for t in tokens_of(engine(), UUID(member.organisation["id"]))
    ]
    tokens.reverse()  # newest first
    return (
        render_template(
            "ui/tokens.html",
            member=member,
            form=form,
            revoke_form=RevokeTokenForm(),
            tokens=tokens,
            created=created,
        ),
        status,
    )


@blueprint.get("/o/<slug>/tokens")
@login_required
def tokens(slug: str) -> tuple[str, int]:
    """The organisation's API tokens and the form for a new one."""
    return _render(membership(slug, "manage-members"), _form())


@blueprint.post("/o/<slug>/tokens")
@login_required
def tokens_create(slug: str) -> tuple[str, int]:
    """Create a token and show its secret, this once (the page is not kept anywhere)."""
    member = membership(slug, "manage-members")
    form = _form()
    created: list[NewToken] = []
    if form.validate_on_submit() and run(
        lambda: created.append(
            create_token(
                engine(),
                UUID(member.organisation["id"]),
                actor_id=person(),
                role=text(form.role),
                name=text(form.name),
                expires_on=day(form.expires_on),
            )
        ),
        form,
    ):
        return _render(member, _form(), created[0])
    return _render(member, form, status=400)


@blueprint.post("/o/<slug>/tokens/<token_id>/revoke")
@login_required
def tokens_revoke(slug: str, token_id: str) -> Response | tuple[str, int]:
    """Revoke a token of this organisation: it is refused from now on."""
    member = membership(slug, "manage-members")
    form = RevokeTokenForm()
    known = {t.token_id for t in tokens_of(engine(), UUID(member.organisation["id"]))}
    if token_id not in known:
        return _render(member, _form(), status=404)
    if form.validate_on_submit() and run(
        lambda: revoke_token(engine(), token_id, actor_id=person())
    ):
        flash(localised(Text("Der Token ist widerrufen.", "The token is revoked.")))
        return redirect(url_for("ui.tokens", slug=slug))
    return _render(member, _form(), status=400)
