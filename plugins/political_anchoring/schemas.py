"""Attribute schemas of the political anchoring theme: evidence records on goals and measures.

Evidence is a document with a date and the body it comes from: a resolution of the
Jugendhilfeausschuss, a budget line passed by the Kreistag, an agenda item of the Rat.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

BODIES = ("rat", "kreistag", "jugendhilfeausschuss", "steuerungsgruppe", "verwaltung", "other")
"""The bodies (Gremien) a piece of evidence can come from."""


def _not_blank(value: str) -> None:
    if not value.strip():
        msg = "Must not be blank."
        raise ValidationError(msg)


class EvidenceSchema(Schema):
    """One piece of evidence: which document, from which body, of which date."""

    document = fields.String(required=True, validate=[validate.Length(1, 300), _not_blank])
    body = fields.String(required=True, validate=validate.OneOf(BODIES))
    date = fields.Date(required=True)


class EvidenceAttrs(Schema):
    """Goal and measure attrs of this theme: an optional list of evidence records."""

    evidence = fields.List(fields.Nested(EvidenceSchema))
