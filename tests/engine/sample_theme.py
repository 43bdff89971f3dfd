"""A small theme for engine tests, independent of the built-in theme plugins."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from engine.domain.catalogue import (
    Criterion,
    Template,
    Text,
    Theme,
    numeric_scale,
    two_level_standard,
)


class SampleOutcomeAttrs(Schema):
    """A record kind of the sample theme, as a third party's theory of change would have it:
    an outcome and the outcomes it is a precondition of (ids of other outcome records)."""

    title = fields.String(required=True, validate=validate.Length(1, 80))
    precondition_of = fields.List(fields.String(), load_default=list)


class SampleMeasureAttrs(Schema):
    """Measure attrs of the sample theme: an optional participation level 1..9."""

    level = fields.Integer(validate=validate.Range(1, 9))


NETWORK = Theme(
    id="network",
    version="1.0",
    title=Text("Netzwerk", "Network"),
    description=Text("Zusammenarbeit im Netzwerk", "Working together in the network"),
    quality_dimension=3,
    criteria=(
        Criterion(
            "partners-known",
            Text("Die Partner kennen einander", "Partners know each other"),
            numeric_scale("one-to-five", Text("1 bis 5", "1 to 5"), 1, 5),
            reflection_questions={"analyse": (Text("Wer fehlt?", "Who is missing?"),)},
        ),
        Criterion(
            "binding-structures",
            Text("Verbindliche Strukturen", "Binding structures"),
            two_level_standard(),
        ),
    ),
    templates=(Template("network-conference", "measure", Text("Netzwerkkonferenz")),),
    measure_schema=SampleMeasureAttrs,
    record_schemas={"outcome": SampleOutcomeAttrs},
)

FAMILIES = Theme(
    id="families",
    version="2.1",
    title=Text("Zusammenarbeit mit Familien", "Working with families"),
    description=Text("Zugang zu Familien", "Reaching families"),
    quality_dimension=7,
    criteria=(
        Criterion(
            "low-threshold",
            Text("Niedrigschwelliger Zugang", "Low-threshold access"),
            numeric_scale("one-to-five", Text("1 bis 5", "1 to 5"), 1, 5),
        ),
    ),
)

SAMPLE_THEMES = {theme.id: theme for theme in (NETWORK, FAMILIES)}
