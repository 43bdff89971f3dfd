"""What a measure of this theme records in its ``attrs``: the format and who learns together.

Only plain, countable facts about the network: a format, professions, a number of
participants. Never names, e-mail addresses or anything about a family.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

FORMATS = ("training", "job-shadowing", "quality-circle")
"""Joint training (Fortbildung), job shadowing (Hospitation), quality circle (Qualitätszirkel)."""

PROFESSIONS = (
    "midwifery",
    "paediatrics",
    "youth-welfare",
    "health-office",
    "counselling",
    "childcare",
)
"""The professions of a Frühe Hilfen network, as stable ids."""


class MeasureAttrs(Schema):
    """Measure attrs: the format, the professions that learn together, how many take part."""

    format = fields.String(required=True, validate=validate.OneOf(FORMATS))
    professions = fields.List(
        fields.String(validate=validate.OneOf(PROFESSIONS)),
        required=True,
        validate=validate.Length(min=1),
    )
    participants = fields.Integer(strict=True, validate=validate.Range(min=0))
