"""Attribute schemas of the political anchoring theme: evidence records on goals and measures.

Evidence is a document with a date and the body it comes from: a resolution of the
Jugendhilfeausschuss, a budget line passed by the Kreistag, an agenda item of the Rat.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from engine import Text, field_labels

BODIES = ("rat", "kreistag", "jugendhilfeausschuss", "steuerungsgruppe", "verwaltung", "other")
"""The bodies (Gremien) a piece of evidence can come from."""

BODY_LABELS = {
    "rat": Text("Rat", "Council"),
    "kreistag": Text("Kreistag", "District council"),
    "jugendhilfeausschuss": Text("Jugendhilfeausschuss", "Youth welfare committee"),
    "steuerungsgruppe": Text("Steuerungsgruppe", "Steering group"),
    "verwaltung": Text("Verwaltung", "Administration"),
    "other": Text("Sonstiges Gremium", "Other body"),
}


def _not_blank(value: str) -> None:
    if not value.strip():
        msg = "Darf nicht leer sein."
        raise ValidationError(msg)


class EvidenceSchema(Schema):
    """One piece of evidence: which document, from which body, of which date."""

    document = fields.String(
        required=True,
        validate=[validate.Length(1, 300), _not_blank],
        metadata=field_labels(
            Text("Dokument", "Document"),
            hint=Text(
                "z. B. Beschluss, Haushaltsstelle, Tagesordnungspunkt",
                "e.g. resolution, budget line, agenda item",
            ),
        ),
    )
    body = fields.String(
        required=True,
        validate=validate.OneOf(BODIES),
        metadata=field_labels(Text("Gremium", "Body"), BODY_LABELS),
    )
    date = fields.Date(required=True, metadata=field_labels(Text("Datum", "Date")))


class EvidenceAttrs(Schema):
    """Goal and measure attrs of this theme: an optional list of evidence records."""

    evidence = fields.List(
        fields.Nested(EvidenceSchema), metadata=field_labels(Text("Nachweise", "Evidence"))
    )
