"""Installed themes and their catalogues (the same for every caller)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema

from engine.domain.catalogue import Criterion, Scale, Template, Text, Theme
from engine.domain.errors import NotFound
from web.api.common import api_blueprint, reads
from web.api.pagination import LIST_HEADERS, PageArgs, paginate
from web.api.schemas import ThemeSchema, ThemeSummarySchema
from web.api.theme_schemas import theme_attrs_schemas
from web.services import engine

blueprint = api_blueprint("themes", __name__, "Installed theme modules and their catalogues.")


def localised(text: Text | None) -> dict[str, str] | None:
    """A catalogue text as {de, en} (English falls back to German)."""
    return None if text is None else {"de": text.de, "en": text.get("en")}


def _scale(scale: Scale) -> dict[str, Any]:
    return {
        "id": scale.id,
        "kind": scale.kind,
        "label": localised(scale.label),
        "minimum": scale.minimum,
        "maximum": scale.maximum,
        "step": scale.step,
        "levels": [
            {"id": lv.id, "label": localised(lv.label), "description": localised(lv.description)}
            for lv in scale.levels
        ],
    }


def _criterion(criterion: Criterion) -> dict[str, Any]:
    return {
        "id": criterion.id,
        "title": localised(criterion.title),
        "scale": _scale(criterion.scale),
        "help": localised(criterion.help),
        "reflection_questions": {
            phase: [localised(q) for q in questions]
            for phase, questions in criterion.reflection_questions.items()
        },
        "minimum_requirements": localised(criterion.minimum_requirements),
        "aspiration": localised(criterion.aspiration),
    }


def _template(template: Template) -> dict[str, Any]:
    return {
        "id": template.id,
        "kind": template.kind,
        "title": localised(template.title),
        "description": localised(template.description),
        "attrs": dict(template.attrs),
        "indicator": localised(template.indicator),
        "unit": localised(template.unit),
        "baseline": template.baseline,
        "target": template.target,
        "resources": localised(template.resources),
    }


def _fields(schema: type[Schema] | None) -> list[str]:
    return sorted(schema().fields) if schema is not None else []


def summary(theme: Theme) -> dict[str, Any]:
    """A theme without its catalogue."""
    return {
        "id": theme.id,
        "version": theme.version,
        "title": localised(theme.title),
        "description": localised(theme.description),
        "quality_dimension": theme.quality_dimension,
    }


def catalogue(theme: Theme) -> dict[str, Any]:
    """A theme with its criteria, templates and the names of its data fields."""
    return {
        **summary(theme),
        "criteria": [_criterion(c) for c in theme.criteria],
        "templates": [_template(t) for t in theme.templates],
        "attrs": {
            "goal": _fields(theme.goal_schema),
            "measure": _fields(theme.measure_schema),
            "assessment": _fields(theme.assessment_schema),
            "feedback": _fields(theme.feedback_schema),
        },
        "attrs_schema": theme_attrs_schemas(theme),
        "reflection_questions": {
            phase: [localised(question) for question in questions]
            # theme-wide questions (asked once per theme): themes from before them have none
            for phase, questions in getattr(theme, "reflection_questions", {}).items()
        },
    }


@blueprint.get("/themes")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, ThemeSummarySchema(many=True), headers=LIST_HEADERS)
@reads(blueprint)
def list_themes(page: dict[str, int]) -> Any:
    """The installed themes, by id."""
    themes = sorted(engine().themes.values(), key=lambda theme: theme.id)
    items, headers = paginate(themes, page)
    return [summary(theme) for theme in items], headers


@blueprint.get("/themes/<string:theme_id>")
@blueprint.response(200, ThemeSchema)
@reads(blueprint)
def get_theme(theme_id: str) -> Any:
    """A theme with its catalogue: criteria with scales and reflection questions, templates,
    and the JSON Schema of the theme data (attrs) of goals, measures, assessments and
    feedback: types, required fields, limits, allowed values with labels in German and
    English (``x-labels``, ``x-choices``)."""
    theme = engine().themes.get(theme_id)
    if theme is None:
        raise NotFound()
    return catalogue(theme)
