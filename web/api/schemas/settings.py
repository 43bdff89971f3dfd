"""Schemas of an organisation's settings (its themes, sharing with the state office), its
invitations, its dashboard, the caller's reminders and the state office's Land view."""

from __future__ import annotations

from marshmallow import fields, validate

from engine.application.invitation_messages import LANGUAGES
from engine.domain import shapes
from engine.domain.limits import MAX_KEY, MAX_LABEL
from web.api.schemas.base import AnyJson, Schema
from web.api.schemas.shaped import api_field

MAX_EMAIL = 254
"""The longest e-mail address accepted (as on the members page)."""


class ThemeChoiceSchema(Schema):
    """The installed themes the organisation's new cycles may use."""

    theme_ids = fields.List(
        fields.String(validate=validate.Length(max=MAX_KEY)),
        required=True,
        validate=validate.Length(min=1),
    )
    reason = api_field(shapes.OPTIONAL_REASON)


class StateSharingSchema(Schema):
    """Whether the Land's state coordination office sees the organisation by name."""

    shares = fields.Boolean(required=True)
    reason = api_field(shapes.OPTIONAL_REASON)


class InvitationInputSchema(Schema):
    """A new person: added with a role and invited by mail to set their password."""

    name = fields.String(
        required=True, validate=[validate.Length(max=MAX_LABEL), validate.Regexp(r".*\S")]
    )
    email = fields.Email(required=True, validate=validate.Length(max=MAX_EMAIL))
    role = api_field(shapes.ROLE_GRANT["role"])
    language = fields.String(load_default="de", validate=validate.OneOf(LANGUAGES))


class ReinvitationSchema(Schema):
    """A member who has not set a password yet, invited again (the older link ends)."""

    language = fields.String(load_default="de", validate=validate.OneOf(LANGUAGES))


class InvitationSchema(Schema):
    """A pending invitation: the person, their role, when the link stops working."""

    member_id = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf(["pending", "none"]),
        metadata={"description": "pending: a link is live; none: it ran out or was revoked."},
    )
    expires_at = fields.DateTime(allow_none=True, required=True)
    sent = fields.Boolean(metadata={"description": "Whether the mail server took the mail."})
    version = fields.Integer(metadata={"description": "The organisation's version."})


class ReminderSchema(Schema):
    """A measure of the caller's that is overdue or due soon."""

    kind = fields.String(required=True, validate=validate.OneOf(["overdue", "due-soon"]))
    days = fields.Integer(
        required=True, metadata={"description": "Days until due (negative: overdue)."}
    )
    organisation_slug = fields.String(required=True)
    organisation_name = fields.String(required=True)
    cycle_id = fields.String(required=True)
    cycle_title = fields.String(required=True)
    measure_id = fields.String(required=True)
    title = fields.String(required=True)
    due = fields.Date(required=True)
    status = fields.String(required=True)


class DashboardSchema(Schema):
    """The dashboard's figures over the years, exactly those its page shows (read models)."""

    years = fields.List(AnyJson(), required=True, metadata={"description": "Cycles by year."})
    cycles = fields.List(AnyJson(), required=True)
    measures_due = fields.List(AnyJson(), required=True)
    indicators = fields.List(AnyJson(), required=True)
    theme_scores = AnyJson(
        required=True,
        metadata={"description": "Per theme id, its score in each cycle, oldest first."},
    )
    criterion_medians = AnyJson(required=True)
    verdicts = fields.List(AnyJson(), required=True)
    insights = AnyJson(required=True)
    days = fields.Integer(required=True, metadata={"description": "Days ahead for due soon."})
    lag = fields.Integer(
        required=True, metadata={"description": "Events not yet in the read models."}
    )


class LandSchema(Schema):
    """A Land's comparison as its state coordination office sees it: every figure rests on at
    least ``minimum`` organisations; names only of organisations that chose to share them."""

    land = fields.String(required=True)
    shown = fields.Boolean(required=True)
    minimum = fields.Integer(required=True)
    organisations = fields.Integer(allow_none=True, required=True)
    computed_at = fields.String(allow_none=True, required=True)
    lag = fields.Integer(required=True)
    themes = fields.List(AnyJson())
    goals = fields.List(AnyJson())
    measures = fields.List(AnyJson())
    phases = AnyJson(allow_none=True)
    shared = fields.List(AnyJson())


class LandCodeSchema(Schema):
    """A Land the caller may see, by its code (as in /lands/{code})."""

    code = fields.String(required=True)
