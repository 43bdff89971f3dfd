"""What a measure of this theme records in its ``attrs``: the format and who learns together.

Only plain, countable facts about the network: a format, professions, a number of
participants. Never names, e-mail addresses or anything about a family.
"""

from __future__ import annotations

from typing import Any

from engine import Text, field_labels
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

FORMATS = {
    "training": Text("Gemeinsame Fortbildung", "Joint training"),
    "job-shadowing": Text("Hospitation", "Job shadowing"),
    "quality-circle": Text("Qualitätszirkel", "Quality circle"),
}
"""The learning formats, by their stable ids, with their labels."""

PROFESSIONS = {
    "midwifery": Text("Hebammenhilfe", "Midwifery"),
    "paediatrics": Text("Kinderheilkunde", "Paediatrics"),
    "youth-welfare": Text("Kinder- und Jugendhilfe", "Youth welfare"),
    "health-office": Text("Gesundheitsamt", "Health office"),
    "counselling": Text("Beratungsstellen", "Counselling services"),
    "childcare": Text("Kindertagesbetreuung", "Childcare"),
}
"""The professions of a Frühe Hilfen network, by their stable ids, with their labels."""


class MeasureAttrs(Schema):
    """Measure attrs: the format, the professions that learn together, how many take part."""

    format = fields.String(
        required=True,
        validate=validate.OneOf(list(FORMATS)),
        metadata=field_labels(Text("Format", "Format"), FORMATS),
    )
    professions = fields.List(
        fields.String(validate=validate.OneOf(list(PROFESSIONS))),
        required=True,
        validate=validate.Length(min=1),
        metadata=field_labels(Text("Berufsgruppen", "Professions"), PROFESSIONS),
    )
    participants = fields.Integer(
        strict=True,
        validate=validate.Range(min=0),
        metadata=field_labels(Text("Teilnehmende", "Participants")),
    )

    @validates_schema
    def _one_participant_per_profession(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Every profession that learns together sends someone: a rule across two fields."""
        professions = len(set(data["professions"]))
        if data.get("participants", professions) < professions:
            raise ValidationError(
                f"Mindestens {professions} Teilnehmende: eine Person je Berufsgruppe.",
                field_name="participants",
            )
