"""The Qualizyklus engine: event-sourced cycles, workflows, audit; no Flask, no theme by name.

This module is the public API for plugin authors, and the only part of the engine a theme
imports (the built-in ones included): ``hookimpl`` to mark hook implementations, the
catalogue types a theme is made of, the contribution types its insights and reports return,
the errors it may meet in its tests, what its own web pages need of the application
(``PageHost``, found with ``page_host``), the statistics of a criterion's ratings, and the wording
of numbers, counted words (``Text.counted``) and dates in both languages. Tests of a theme use
the fixtures of :mod:`engine.testing` besides.
"""

from engine.domain.assessment import summarise_criterion
from engine.domain.catalogue import (
    Criterion,
    Level,
    Scale,
    Template,
    Text,
    Theme,
    field_labels,
    numeric_scale,
    two_level_standard,
)
from engine.domain.contributions import (
    Chart,
    Drawing,
    FieldProblem,
    Figure,
    Insight,
    ReportSection,
    Series,
    Table,
)
from engine.domain.disagreement import agreement, disagreement, most_disagreed
from engine.domain.errors import Conflict, GateRefused, InvalidInput, Reason
from engine.domain.formatting import (
    PERCENTAGE_POINTS,
    as_date,
    between,
    change,
    date_text,
    day,
    month_year,
    number,
    out_of,
    percent,
    points,
    rounded,
    share,
    signed,
    span,
    status_label,
    uses_theme,
)
from engine.domain.limits import MAX_REASON, MAX_RECORD_TEXT
from engine.domain.question_sets import QuestionSet
from engine.domain.surveys import MIN_ANSWERS_FOR_RESULTS, survey_results
from engine.extensions.manager import hookimpl
from engine.extensions.pages import PAGE_HOST, MemberCycle, PageHost, page_host

__all__ = [
    "MAX_REASON",
    "MAX_RECORD_TEXT",
    "MIN_ANSWERS_FOR_RESULTS",
    "PAGE_HOST",
    "PERCENTAGE_POINTS",
    "Chart",
    "Conflict",
    "Criterion",
    "Drawing",
    "FieldProblem",
    "Figure",
    "GateRefused",
    "Insight",
    "InvalidInput",
    "Level",
    "MemberCycle",
    "PageHost",
    "QuestionSet",
    "Reason",
    "ReportSection",
    "Scale",
    "Series",
    "Table",
    "Template",
    "Text",
    "Theme",
    "agreement",
    "as_date",
    "between",
    "change",
    "date_text",
    "day",
    "disagreement",
    "field_labels",
    "hookimpl",
    "month_year",
    "most_disagreed",
    "number",
    "numeric_scale",
    "out_of",
    "page_host",
    "percent",
    "points",
    "rounded",
    "share",
    "signed",
    "span",
    "status_label",
    "summarise_criterion",
    "survey_results",
    "two_level_standard",
    "uses_theme",
]
