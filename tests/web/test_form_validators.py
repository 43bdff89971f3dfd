"""The forms' validators come from the engine's item shapes: the same limits, the same
required fields."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import DataRequired, Length

from engine.domain import shapes
from web.forms import length_of, text_area, text_line, validators_of


def test_length_of_a_shape_field_is_its_named_limit() -> None:
    assert length_of(shapes.REASON).max == shapes.MAX_REASON == 2_000
    assert length_of(shapes.CLOSING["summary"]).max == shapes.MAX_TEXT == 20_000
    assert length_of(shapes.GOAL["unit"]).max == shapes.MAX_UNIT


def test_a_required_field_gets_data_required_first_and_an_optional_one_only_its_length() -> None:
    required = validators_of(shapes.REASON)
    assert [type(v) for v in required] == [DataRequired, Length]
    assert [type(v) for v in validators_of(shapes.OPTIONAL_REASON)] == [Length]


def test_a_form_built_from_shapes_refuses_what_the_engine_refuses() -> None:
    class ReviewForm(Form):
        evidence = text_area("Belege", shapes.GOAL_REVIEW["evidence"])
        reason = text_line("Warum?", shapes.GOAL_REVIEW["reason"])

    ok = ReviewForm(MultiDict({"evidence": "e" * 20_000, "reason": ""}))
    assert ok.validate()
    too_long = ReviewForm(MultiDict({"evidence": "e" * 20_001, "reason": "r" * 2_001}))
    assert not too_long.validate()
    assert set(too_long.errors) == {"evidence", "reason"}
    assert not ReviewForm(MultiDict({"evidence": ""})).validate()
