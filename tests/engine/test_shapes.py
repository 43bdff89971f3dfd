"""The item shapes check input exactly as the engine's commands did with their own check calls:
the same values come out, the same refusals (field, German and English message) come first."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pytest
from marshmallow import Schema, fields

from engine.domain import shapes
from engine.domain import validation as check
from engine.domain.cycle import FEEDBACK_SOURCES, FINDING_KINDS, GOAL_VERDICTS, MEASURE_STATUSES
from engine.domain.errors import InvalidInput

LONG = "x" * 20_001
UNSAFE = "bad\x00text"


def outcome(run: Callable[[], Any]) -> Any:
    """What a check gives: its value, or the refusal as (field, German, English)."""
    try:
        return run()
    except InvalidInput as error:
        return ("refused", error.field, error.field_de, error.field_en)


# The check calls of the command modules before the shapes (engine/application/*_commands.py).


def goal_as_before(goal: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "theme_id": goal.get("theme_id"),
        "title": check.text("title", goal.get("title"), max_length=300),
        "indicator": check.optional_text("indicator", goal.get("indicator"), max_length=1_000),
        "unit": check.optional_text("unit", goal.get("unit"), max_length=50),
        "baseline": check.optional_number("baseline", goal.get("baseline")),
        "target": check.optional_number("target", goal.get("target")),
        "due": check.optional_date("due", goal.get("due")),
        "attrs": check.attrs(goal.get("attrs"), None),
        "need_ids": goal.get("need_ids"),  # added later: the needs the goal answers
    }


def measure_as_before(measure: Mapping[str, Any]) -> dict[str, Any]:
    start = check.optional_date("start", measure.get("start"))
    due = check.optional_date("due", measure.get("due"))
    check.date_order("due", start, due)
    responsible = measure.get("responsible_member_id")
    return {
        "start": start,
        "due": due,
        "title": check.text("title", measure.get("title"), max_length=300),
        "goal_id": measure.get("goal_id"),
        "theme_id": measure.get("theme_id"),
        "responsible_member_id": (
            None
            if responsible in (None, "")
            else check.text("responsible_member_id", responsible, max_length=100)
        ),
        "resources": check.optional_text("resources", measure.get("resources"), max_length=2_000),
        "attrs": check.attrs(measure.get("attrs"), None),
    }


def finding_as_before(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "kind": check.one_of("kind", values.get("kind"), FINDING_KINDS),
        "text": check.text("text", values.get("text")),
        "theme_id": values.get("theme_id"),
        "criterion_id": values.get("criterion_id"),
    }


def indicator_value_as_before(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "value": check.number("value", values.get("value")),
        "measured_on": check.a_date("measured_on", values.get("measured_on")),
        "source": check.optional_text("source", values.get("source"), max_length=1_000),
    }


def review_as_before(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "verdict": check.one_of("verdict", values.get("verdict"), GOAL_VERDICTS),
        "evidence": check.text("evidence", values.get("evidence")),
        "reason": check.optional_text("reason", values.get("reason"), max_length=2_000),
    }


def feedback_as_before(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "source": check.one_of("source", values.get("source"), FEEDBACK_SOURCES),
        "theme_id": values.get("theme_id"),
        "text": check.text("text", values.get("text")),
        "attrs": check.attrs(values.get("attrs"), None),
    }


def comment_as_before(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "subject": check.text("subject", values.get("subject", "cycle"), max_length=200),
        "text": check.text("text", values.get("text")),
    }


def closing_as_before(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "summary": check.text("summary", values.get("summary")),
        "follow_up": check.optional_text("follow_up", values.get("follow_up")),
    }


def status_as_before(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "status": check.one_of("status", values.get("status"), MEASURE_STATUSES),
        "reason": check.optional_text("reason", values.get("reason"), max_length=2_000),
    }


CASES: list[
    tuple[shapes.Shape, Callable[[Mapping[str, Any]], dict[str, Any]], list[dict[str, Any]]]
]
CASES = [
    (
        shapes.GOAL,
        goal_as_before,
        [
            {"title": " Ziel "},
            {"title": "x" * 300, "indicator": "i" * 1_000, "unit": "u" * 50, "due": "2025-01-31"},
            {"title": "x" * 301},
            {"title": ""},
            {},
            {"title": "t", "indicator": "i" * 1_001},
            {"title": "t", "unit": "u" * 51},
            {"title": "t", "baseline": "3"},
            {"title": "t", "target": float("nan")},
            {"title": "t", "due": "31.01.2025"},
            {"title": "t", "attrs": {"a": [1, "b"]}},
            {"title": "t", "attrs": "no"},
            {"title": UNSAFE},
            {"title": "x" * 301, "unit": "u" * 51},
        ],
    ),
    (
        shapes.MEASURE,
        measure_as_before,
        [
            {"title": "M", "start": "2025-01-01", "due": "2025-02-01", "resources": "r" * 2_000},
            {"title": "M", "start": "2025-02-01", "due": "2025-01-01"},
            {"title": "x" * 301, "start": "2025-02-01", "due": "2025-01-01"},
            {"title": "M", "responsible_member_id": ""},
            {"title": "M", "responsible_member_id": "m" * 101},
            {"title": "M", "responsible_member_id": "person-1", "goal_id": "g1"},
            {"title": "M", "resources": "r" * 2_001},
            {"title": "M", "due": "soon"},
        ],
    ),
    (
        shapes.FINDING,
        finding_as_before,
        [
            {"kind": "need", "text": "t", "theme_id": "th", "criterion_id": "c"},
            {"kind": "wish", "text": "t"},
            {"kind": "strength", "text": LONG},
            {"kind": "strength", "text": "   "},
        ],
    ),
    (
        shapes.INDICATOR_VALUE,
        indicator_value_as_before,
        [
            {"value": 3, "measured_on": date(2025, 1, 1), "source": "s"},
            {"value": True, "measured_on": "2025-01-01"},
            {"value": 1.5, "measured_on": None},
            {"value": 1.5, "measured_on": "2025-01-01", "source": "s" * 1_001},
        ],
    ),
    (
        shapes.GOAL_REVIEW,
        review_as_before,
        [
            {"verdict": "reached", "evidence": "e"},
            {"verdict": "maybe", "evidence": "e"},
            {"verdict": "not", "evidence": LONG},
            {"verdict": "partly", "evidence": "e", "reason": "r" * 2_001},
        ],
    ),
    (
        shapes.FEEDBACK,
        feedback_as_before,
        [
            {"source": "parents", "text": "t", "attrs": {"k": 1}},
            {"source": "press", "text": "t"},
            {"source": "other", "text": None},
        ],
    ),
    (
        shapes.COMMENT,
        comment_as_before,
        [
            {"text": "t"},
            {"text": "t", "subject": "goal:g1"},
            {"text": "t", "subject": "s" * 201},
            {"text": "t", "subject": ""},
            {"text": LONG},
        ],
    ),
    (
        shapes.CLOSING,
        closing_as_before,
        [{"summary": "s"}, {"summary": LONG}, {"summary": "s", "follow_up": LONG}, {}],
    ),
    (
        shapes.MEASURE_STATUS,
        status_as_before,
        [{"status": "done"}, {"status": "gone"}, {"status": "running", "reason": "r" * 2_001}],
    ),
]


@pytest.mark.parametrize(
    ("shape", "before", "values"),
    [(shape, before, values) for shape, before, examples in CASES for values in examples],
    ids=lambda value: getattr(value, "name", None),
)
def test_a_shape_checks_as_the_commands_did(
    shape: shapes.Shape,
    before: Callable[[Mapping[str, Any]], dict[str, Any]],
    values: dict[str, Any],
) -> None:
    assert outcome(lambda: shape.check(values)) == outcome(lambda: before(values))


def test_the_goal_and_measure_shapes_know_the_fields_the_commands_accept() -> None:
    assert shapes.GOAL.keys == {
        "theme_id", "title", "indicator", "unit", "baseline", "target", "due", "attrs", "need_ids"
    }  # fmt: skip
    assert shapes.MEASURE.keys == {
        "title", "goal_id", "theme_id", "responsible_member_id", "start", "due", "resources",
        "attrs",
    }  # fmt: skip


def test_a_new_item_gets_an_id_first_and_a_bad_id_is_refused_as_before() -> None:
    made = shapes.LESSON.check({"text": "t"}, identity=True)
    assert list(made) == ["lesson_id", "text", "theme_id"]
    assert check.ITEM_ID.match(made["lesson_id"])
    given = {"feedback_id": "bad id", "source": "press"}
    assert outcome(lambda: shapes.FEEDBACK.check(given, identity=True)) == outcome(
        lambda: check.item_id("feedback_id", "bad id")
    )
    assert outcome(lambda: check.item_id("goal_id", "g" * 65)) == (
        "refused",
        "goal_id",
        "nur Buchstaben, Ziffern, - und _ (höchstens 64 Zeichen)",
        "only letters, digits, - and _ (at most 64 characters)",
    )


def test_the_reasons_are_checked_as_check_reason_and_optional_reasons_were() -> None:
    for value in ("warum", "", None, "r" * 2_000, "r" * 2_001, UNSAFE, 3):
        assert outcome(lambda v=value: shapes.REASON.check(v)) == outcome(
            lambda v=value: check.reason(v)
        )
        assert outcome(lambda v=value: shapes.OPTIONAL_REASON.check(v)) == outcome(
            lambda v=value: check.optional_text("reason", v, max_length=2_000)
        )


def test_theme_data_is_checked_by_the_theme_schema_given() -> None:
    class Attrs(Schema):
        level = fields.Integer(required=True)

    assert shapes.ASSESSMENT.check(
        {"theme_id": "t", "criterion_id": "c", "value": 3, "attrs": {"level": "2"}}, schema=Attrs
    )["attrs"] == {"level": 2}
    assert outcome(lambda: shapes.GOAL.check({"title": "t", "attrs": {}}, schema=Attrs)) == outcome(
        lambda: check.attrs({}, Attrs)
    )


def test_an_attachment_is_checked_as_attach_evidence_did() -> None:
    good = {"sha256": "a" * 64, "size": 10, "filename": "f.pdf", "media_type": "application/pdf"}
    assert shapes.ATTACHMENT.check(good)["subject"] == "cycle"
    assert outcome(lambda: shapes.ATTACHMENT.check({**good, "sha256": "A" * 64})) == (
        "refused", "sha256", "ist kein SHA-256-Hash", "is not a SHA-256 hash"
    )  # fmt: skip
    for size in (0, True, 1.5, None):
        assert outcome(lambda s=size: shapes.ATTACHMENT.check({**good, "size": s})) == (
            "refused", "size", "muss eine positive Zahl sein", "must be positive"
        )  # fmt: skip
    assert outcome(lambda: shapes.ATTACHMENT.check({**good, "filename": "f" * 256}))[1] == (
        "filename"
    )


def test_a_cycle_cannot_end_before_it_starts() -> None:
    values = {
        "title": "Z",
        "themes": ["t"],
        "period_start": "2025-02-01",
        "period_end": "2025-01-01",
    }
    assert outcome(lambda: shapes.START_CYCLE.check(values)) == (
        "refused", "period_end", "liegt vor dem Beginn", "lies before the start"
    )  # fmt: skip


def test_an_unknown_field_is_refused_naming_it() -> None:
    given = {"title": "t", "zeta": 1, "alpha": 2}
    assert outcome(lambda: shapes.refuse_unknown(given, shapes.GOAL)) == (
        "refused", "alpha", "unbekanntes Feld", "unknown field"
    )  # fmt: skip


def test_every_text_field_has_a_named_limit() -> None:
    every = [value for value in vars(shapes).values() if isinstance(value, shapes.Shape)]
    for shape in every:
        for spec in shape.fields:
            if spec.kind in ("text", "ref", "member"):
                assert spec.max_length in shapes.__dict__.values(), (shape.name, spec.name)


def test_an_attachment_hash_and_size_are_checked_before_its_id_as_attach_evidence_did() -> None:
    good = {"sha256": "a" * 64, "size": 10, "filename": "f.pdf", "media_type": "application/pdf"}
    bad_id = {**good, "attachment_id": "bad id"}
    checked = shapes.ATTACHMENT.check({**good, "attachment_id": "a1"}, identity=True)
    assert list(checked) == ["sha256", "size", "attachment_id", "filename", "media_type", "subject"]
    assert outcome(lambda: shapes.ATTACHMENT.check({**bad_id, "size": 0}, identity=True))[1] == (
        "size"
    )
    assert outcome(lambda: shapes.ATTACHMENT.check({**bad_id, "filename": ""}, identity=True)) == (
        outcome(lambda: check.item_id("attachment_id", "bad id"))
    )


def test_a_blank_responsible_person_is_refused_as_empty_as_before() -> None:
    for blank in ("  ", "\t"):
        given = {"title": "M", "responsible_member_id": blank}
        assert outcome(lambda g=given: shapes.MEASURE.check(g)) == outcome(
            lambda g=given: measure_as_before(g)
        )
        assert outcome(lambda g=given: shapes.MEASURE.check(g))[2] == "darf nicht leer sein"
