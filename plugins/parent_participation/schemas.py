"""Attribute schemas of the parent participation theme: ladder level and phases involved.

A measure of this theme must say how far parents take part (a level of the participation
ladder) and may say in which phases of the cycle they are involved; a goal may name the
level it aims for.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from engine import Text, field_labels
from plugins.parent_participation.ladder import LADDER_IDS

PHASES = ("analyse", "plan", "implement", "review")
"""The cycle phases parents can be involved in."""

PHASE_LABELS = {
    "analyse": Text("Analyse", "Analysis"),
    "plan": Text("Planung", "Planning"),
    "implement": Text("Umsetzung", "Implementation"),
    "review": Text("Evaluation", "Review"),
}
LEVEL_LABELS = field_labels(Text("Beteiligungsstufe", "Participation level"))


def _no_duplicates(values: list[str]) -> None:
    if len(set(values)) != len(values):
        msg = "Jede Phase nur einmal nennen."
        raise ValidationError(msg)


class MeasureAttrs(Schema):
    """Measure attrs: the ladder level (required) and the phases parents are involved in."""

    participation_level = fields.String(
        required=True, validate=validate.OneOf(LADDER_IDS), metadata=LEVEL_LABELS
    )
    phase_involvement = fields.List(
        fields.String(validate=validate.OneOf(PHASES)),
        validate=_no_duplicates,
        metadata=field_labels(
            Text("Eltern beteiligt in den Phasen", "Parents involved in the phases"), PHASE_LABELS
        ),
    )


class GoalAttrs(Schema):
    """Goal attrs: an optional target level on the participation ladder."""

    participation_level = fields.String(
        validate=validate.OneOf(LADDER_IDS),
        metadata=field_labels(
            Text("Angestrebte Beteiligungsstufe", "Participation level aimed at")
        ),
    )
