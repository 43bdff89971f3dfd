"""Attribute schemas of the impact orientation theme: impact step and IOOI level.

A goal of this theme names the step of the impact staircase it aims at and its IOOI level;
the two must agree (steps 1-3 are output, 4-6 outcome, 7 impact), except for input goals,
which secure resources for whatever step they serve. A measure may name a step.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from engine import Text, field_labels
from plugins.impact_orientation.models import (
    IMPACT_STEPS,
    IOOI_LABELS,
    IOOI_LEVELS,
    iooi_level_of_step,
)

_STEP = validate.Range(1, len(IMPACT_STEPS))
STEP_LABELS = field_labels(
    Text("Stufe der Wirkungstreppe", "Step of the impact staircase"),
    {
        number: Text(f"{number} – {step.de}", f"{number} – {step.get('en')}")
        for number, step in enumerate(IMPACT_STEPS, start=1)
    },
)


class GoalAttrs(Schema):
    """Goal attrs: the impact step (1-7) and the IOOI level, both required."""

    impact_step = fields.Integer(required=True, strict=True, validate=_STEP, metadata=STEP_LABELS)
    iooi_level = fields.String(
        required=True,
        validate=validate.OneOf(IOOI_LEVELS),
        metadata=field_labels(Text("IOOI-Ebene", "IOOI level"), IOOI_LABELS),
    )

    @validates_schema
    def _step_matches_level(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """Refuse a level that contradicts the step, e.g. step 5 tagged as output."""
        level = data["iooi_level"]
        expected = iooi_level_of_step(data["impact_step"])
        if level != "input" and level != expected:
            msg = (
                f"Stufe {data['impact_step']} der Wirkungstreppe gehört zur Ebene {expected}, "
                f"nicht {level}."
            )
            raise ValidationError(msg, field_name="iooi_level")


class MeasureAttrs(Schema):
    """Measure attrs: optionally the step of the impact staircase the measure works towards."""

    impact_step = fields.Integer(strict=True, validate=_STEP, metadata=STEP_LABELS)
