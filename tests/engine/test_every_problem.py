"""Input is checked to the end: a shape, a theme's schema and the unknown fields report every
problem together (the first still names ``field``, as the pages show it)."""

from __future__ import annotations

import pytest
from marshmallow import Schema, fields, validate

from engine.domain import shapes
from engine.domain import validation as check
from engine.domain.errors import InvalidInput, Problems
from engine.domain.shapes import refuse_unknown


class Evidence(Schema):
    """A nested group, as a theme's schema may have."""

    document = fields.String(required=True)
    count = fields.Integer(validate=validate.Range(1, 3))


class Attrs(Schema):
    """A theme's schema with a list of groups."""

    level = fields.String(required=True, validate=validate.OneOf(["a", "b"]))
    evidence = fields.List(fields.Nested(Evidence))


def fields_of(error: InvalidInput) -> list[str]:
    return [problem.field for problem in error.problems]


def test_a_shape_reports_every_bad_field_in_its_order() -> None:
    with pytest.raises(InvalidInput) as refused:
        shapes.MEASURE.check({"start": "bald", "due": "2027-01-01", "title": " ", "attrs": 5})

    assert fields_of(refused.value) == ["start", "title", "attrs"]
    assert refused.value.field == "start"  # the first, for a form
    assert refused.value.de == (
        "start: muss ein Datum sein (JJJJ-MM-TT); title: darf nicht leer sein; "
        "attrs: muss ein Objekt sein"
    )


def test_a_themes_schema_reports_every_leaf_with_its_path() -> None:
    with pytest.raises(InvalidInput) as refused:
        check.attrs({"level": "c", "evidence": [{"count": 9}], "extra": 1}, Attrs)

    assert sorted(fields_of(refused.value)) == [
        "attrs.evidence.0.count",
        "attrs.evidence.0.document",
        "attrs.extra",
        "attrs.level",
    ]


def test_every_unknown_field_is_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        refuse_unknown({"title": "x", "colour": 1, "size": 2}, shapes.GOAL)

    assert fields_of(refused.value) == ["colour", "size"]


def test_problems_collect_and_rename_and_pass_when_there_are_none() -> None:
    problems = Problems()
    with problems.check():
        check.text("title", "")
    with problems.check():
        check.number("baseline", "viel")
    with problems.check():
        check.text("note", "fine")
    with pytest.raises(InvalidInput) as refused:
        problems.raise_any()
    renamed = refused.value.renamed(lambda field: f"goals.0.{field}")
    assert fields_of(renamed) == ["goals.0.title", "goals.0.baseline"]
    Problems().raise_any()  # nothing kept: nothing raised
