"""Parents' surveys: question sets, a cycle's surveys with their results, create and close.

Results are counts per question (and per language), shown only from five answers; single
parents' answers are not part of the API (the coordinator's export is the one way out).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from marshmallow import fields

from engine.domain.errors import Conflict
from engine.domain.question_sets import QuestionSet
from engine.domain.surveys import LANGUAGES, QUESTION_KINDS
from web.api.auth import caller, readable_cycle
from web.api.common import VERSIONED, api_blueprint, reads, result, writes
from web.api.concurrency import etag, expected_version
from web.api.schemas import CommandResultSchema
from web.api.schemas.base import Schema
from web.services import engine

blueprint = api_blueprint(
    "surveys", __name__, "Parents' surveys: question sets, surveys of a cycle and their results."
)

TEXTS = fields.Dict(
    keys=fields.String(validate=lambda lang: lang in LANGUAGES),
    values=fields.String(),
    metadata={
        "description": f"Texts by survey language ({', '.join(LANGUAGES)}; ls: Leichte Sprache)."
    },
)


class OptionSchema(Schema):
    """An answer a parent can choose."""

    id = fields.String(required=True)
    text = TEXTS


class QuestionSchema(Schema):
    """A survey question: its kind, texts and options."""

    id = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": list(QUESTION_KINDS)})
    text = TEXTS
    options = fields.List(fields.Nested(OptionSchema), dump_default=[])
    own = fields.Boolean(dump_default=False)


class OwnQuestionSchema(Schema):
    """A coordinator's own question (its id is given for it if missing)."""

    id = fields.String()
    kind = fields.String(required=True, metadata={"enum": list(QUESTION_KINDS)})
    text = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    options = fields.List(fields.Nested(OptionSchema), load_default=[])


class QuestionSetSchema(Schema):
    """A theme's question set."""

    id = fields.String(required=True)
    theme_id = fields.String(allow_none=True)
    title = TEXTS
    questions = fields.List(fields.Nested(QuestionSchema))


class OptionCountSchema(Schema):
    """How often an option was chosen."""

    id = fields.String()
    count = fields.Integer()


class QuestionResultSchema(Schema):
    """One question's result: answers and the count of each option."""

    id = fields.String()
    kind = fields.String()
    answers = fields.Integer()
    options = fields.List(fields.Nested(OptionCountSchema))


class ResultsSchema(Schema):
    """A survey's results (null below five answers)."""

    answers = fields.Integer()
    questions = fields.List(fields.Nested(QuestionResultSchema))


class SurveySchema(Schema):
    """A survey with its questions, counts and results."""

    id = fields.String()
    title = fields.String()
    question_set_id = fields.String()
    questions = fields.List(fields.Nested(QuestionSchema))
    chosen = fields.List(fields.String())
    left_out = fields.List(fields.String())
    own = fields.List(fields.String())
    languages = fields.List(fields.String())
    closes_on = fields.Date()
    max_answers = fields.Integer()
    created_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    closed = fields.Boolean()
    answers = fields.Integer()
    on_paper = fields.Integer()
    by_language = fields.Dict(keys=fields.String(), values=fields.Integer())
    results = fields.Nested(ResultsSchema, allow_none=True)
    results_by_language = fields.Dict(
        keys=fields.String(), values=fields.Nested(ResultsSchema, allow_none=True)
    )


class SurveyInputSchema(Schema):
    """A new survey: from a question set, questions left out, own questions, closing date."""

    title = fields.String(required=True)
    question_set_id = fields.String(required=True)
    closes_on = fields.Date(required=True)
    left_out = fields.List(fields.String(), load_default=[])
    own_questions = fields.List(fields.Nested(OwnQuestionSchema), load_default=[])
    max_answers = fields.Integer(load_default=None, allow_none=True)


class CloseSurveySchema(Schema):
    """Why the survey closes (optional)."""

    reason = fields.String(load_default="")


def _question_set(found: QuestionSet) -> dict[str, Any]:
    return {
        "id": found.id,
        "theme_id": found.theme_id,
        "title": dict(found.title),
        "questions": [q.as_data() for q in found.questions],
    }


@blueprint.get("/question-sets")
@blueprint.response(200, QuestionSetSchema(many=True))
@reads(blueprint)
def list_question_sets() -> Any:
    """Every installed question set for parents' surveys."""
    return [_question_set(found) for found in engine().question_sets().items]


@blueprint.get("/cycles/<uuid:cycle_id>/surveys")
@blueprint.response(200, SurveySchema(many=True), headers=VERSIONED)
@reads(blueprint)
def list_surveys(cycle_id: UUID) -> Any:
    """The cycle's surveys, newest first, with their results (from five answers)."""
    cycle = readable_cycle(cycle_id)
    return engine().surveys(cycle_id, actor_id=caller().actor_id), etag(cycle["version"])


@blueprint.get("/cycles/<uuid:cycle_id>/surveys/<string:survey_id>")
@blueprint.response(200, SurveySchema, headers=VERSIONED)
@reads(blueprint)
def get_survey(cycle_id: UUID, survey_id: str) -> Any:
    """One survey with its results overall and per language (each null below five answers)."""
    cycle = readable_cycle(cycle_id)
    return engine().survey(cycle_id, survey_id, actor_id=caller().actor_id), etag(cycle["version"])


@blueprint.post("/cycles/<uuid:cycle_id>/surveys")
@blueprint.arguments(SurveyInputSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def create_survey(data: dict[str, Any], cycle_id: UUID) -> Any:
    """Create a survey from a question set; ``item_id`` is the survey's id."""
    survey_id = engine().create_survey(
        cycle_id, actor_id=caller().actor_id, expected_version=expected_version(), **data
    )
    return result(cycle_id, engine().version_of(cycle_id), survey_id, 201)


@blueprint.post("/cycles/<uuid:cycle_id>/surveys/<string:survey_id>/close")
@blueprint.arguments(CloseSurveySchema)
@blueprint.response(200, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def close_survey(data: dict[str, Any], cycle_id: UUID, survey_id: str) -> Any:
    """Close a survey: parents can no longer answer."""
    version = engine().close_survey(
        cycle_id, survey_id, actor_id=caller().actor_id, expected_version=expected_version(), **data
    )
    return result(cycle_id, version, survey_id)


class PaperAnswerSchema(Schema):
    """An answer returned on paper, typed in: its language, the options chosen per question
    and the free texts per question (recorded as a paper answer by the caller)."""

    language = fields.String(required=True, metadata={"description": "A survey language."})
    choices = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), load_default={}
    )
    texts = fields.Dict(keys=fields.String(), values=fields.String(), load_default={})


@blueprint.post("/cycles/<uuid:cycle_id>/surveys/<string:survey_id>/paper-answers")
@blueprint.arguments(PaperAnswerSchema)
@blueprint.response(201, CommandResultSchema, headers=VERSIONED)
@writes(blueprint)
def paper_answer(data: dict[str, Any], cycle_id: UUID, survey_id: str) -> Any:
    """Type in an answer returned on paper (coordinators; ``item_id`` is the answer's id; also
    after the closing date; If-Match: the cycle's version)."""
    version = engine().version_of(cycle_id)
    if expected_version() != version:
        raise Conflict(expected_version(), version)
    answer_id = engine().answer_survey(cycle_id, survey_id, actor_id=caller().actor_id, **data)
    return result(cycle_id, engine().version_of(cycle_id), answer_id, 201)
