"""Catalogue types a theme plugin returns: themes, criteria, scales, levels, templates.

All types are frozen and validate themselves when constructed, so a faulty catalogue is
refused when it is loaded, not when a coordinator first opens it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from babel import Locale
from babel.numbers import format_decimal
from marshmallow import Schema, ValidationError

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
PHASES_WITH_QUESTIONS = ("analyse", "plan", "implement", "review")


class CatalogueError(ValueError):
    """A catalogue definition is malformed."""


class OffScale(ValueError):
    """A rating that does not lie on its scale; says why in German and English."""

    def __init__(self, de: str, en: str, ids: tuple[str, ...] = ()) -> None:
        super().__init__(en)
        self.de = de
        self.en = en
        self.ids = ids
        """On a scale of levels: the ids a client must send (the messages name the labels)."""


def check_id(kind: str, value: str) -> None:
    """Refuse ids that are not lower-case slugs (they end up in URLs and events)."""
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        msg = f"{kind} id {value!r} must be a lower-case slug (a-z, 0-9, '-')"
        raise CatalogueError(msg)


@dataclass(frozen=True)
class Text:
    """A text in German (the default) and English."""

    de: str
    en: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.de, str) or not self.de.strip():
            msg = "a text needs its German wording"
            raise CatalogueError(msg)

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to German."""
        return self.en if language == "en" and self.en else self.de

    @classmethod
    def counted(cls, count: int, one: Text, other: Text, none: Text | None = None) -> Text:
        """A text whose wording depends on ``count``, in the plural form each language needs.

        ``one`` and ``other`` are the singular and plural wording; ``{n}`` in them stands for
        the count in the language's number format. Each language picks its form by its own
        plural rule (Babel's, from the Unicode CLDR), never by ``count == 1``:
        ``Text.counted(n, one=Text("{n} Maßnahme", "{n} measure"),
        other=Text("{n} Maßnahmen", "{n} measures"))`` reads "1 Maßnahme" / "2 measures".
        ``none``, if given, is the wording for a count of 0 ("keine Maßnahmen", "no measures").
        """
        forms = {"one": one, "other": other}
        if count == 0 and none is not None:
            forms = {"one": none, "other": none}
        return cls(*(_counted(count, forms, language) for language in ("de", "en")))


def _counted(count: int, forms: Mapping[str, Text], language: str) -> str:
    """The form of ``forms`` that ``language``'s plural rule asks for, with ``{n}`` filled in."""
    form = forms.get(_plural_form(count, language), forms["other"])
    return form.get(language).replace("{n}", _count_text(count, language))


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def _plural_form(count: int, language: str) -> str:
    """The CLDR plural category of ``count`` in ``language`` ("one", "other", ...)."""
    return str(_locale(language).plural_form(abs(count)))


def _count_text(count: int, language: str = "de") -> str:
    """A count in the language's number format ("1.234" / "1,234")."""
    return str(format_decimal(count, locale=language))


def field_labels(
    label: Text, choices: Mapping[Any, Text] | None = None, hint: Text | None = None
) -> dict[str, Any]:
    """Metadata for a marshmallow field of a theme's attrs: its label, hint and choice labels.

    Use it as ``fields.String(..., metadata=field_labels(Text("Gremium", "Body"), {...}))``;
    the web forms show the texts in the reader's language.
    """
    metadata: dict[str, Any] = {"label_de": label.de, "label_en": label.get("en")}
    if hint is not None:
        metadata.update(description_de=hint.de, description_en=hint.get("en"))
    if choices:
        metadata["choices_de"] = {value: text.de for value, text in choices.items()}
        metadata["choices_en"] = {value: text.get("en") for value, text in choices.items()}
    return metadata


@dataclass(frozen=True)
class Level:
    """One step of an ordered scale (a ladder rung, a standard's level)."""

    id: str
    label: Text
    description: Text | None = None

    def __post_init__(self) -> None:
        check_id("level", self.id)


@dataclass(frozen=True)
class Scale:
    """How a criterion is rated: a number range or an ordered list of levels."""

    id: str
    kind: Literal["numeric", "levels"]
    label: Text
    minimum: float = 0
    maximum: float = 0
    step: float = 1
    levels: tuple[Level, ...] = ()

    def __post_init__(self) -> None:
        check_id("scale", self.id)
        if self.kind == "numeric":
            if not self.minimum < self.maximum or self.step <= 0:
                msg = f"scale {self.id}: needs minimum < maximum and a positive step"
                raise CatalogueError(msg)
        elif self.kind == "levels":
            ids = [level.id for level in self.levels]
            if len(ids) < 2 or len(set(ids)) != len(ids):
                msg = f"scale {self.id}: needs at least two levels with distinct ids"
                raise CatalogueError(msg)
        else:
            msg = f"scale {self.id}: kind must be 'numeric' or 'levels'"
            raise CatalogueError(msg)

    def validate(self, value: object) -> float | str:
        """Return ``value`` if it lies on this scale, else raise ``OffScale``."""
        if self.kind == "levels":
            if value not in {level.id for level in self.levels}:
                allowed = ", ".join(level.label.de for level in self.levels)
                allowed_en = ", ".join(level.label.get("en") for level in self.levels)
                raise OffScale(
                    f"muss eine dieser Stufen sein: {allowed}",
                    f"must be one of: {allowed_en}",
                    tuple(level.id for level in self.levels),
                )
            return str(value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise OffScale("muss eine Zahl sein", "must be a number")
        low, high = f"{self.minimum:g}", f"{self.maximum:g}"
        if not math.isfinite(value) or not self.minimum <= value <= self.maximum:
            raise OffScale(
                f"muss zwischen {low} und {high} liegen", f"must lie between {low} and {high}"
            )
        offset = (value - self.minimum) / self.step
        if abs(offset - round(offset)) > 1e-9:
            step = f"{self.step:g}"
            raise OffScale(
                f"muss ein Vielfaches von {step} ab {low} sein",
                f"must be a multiple of {step} from {low}",
            )
        return value

    def position(self, value: float | str) -> float:
        """A rated value as a number, so ratings can be compared (levels count from 0)."""
        if self.kind == "levels":
            return float([level.id for level in self.levels].index(str(value)))
        return float(value)

    @property
    def span(self) -> float:
        """The distance between the lowest and the highest possible rating."""
        if self.kind == "levels":
            return float(len(self.levels) - 1)
        return float(self.maximum - self.minimum)


def numeric_scale(scale_id: str, label: Text, minimum: int, maximum: int) -> Scale:
    """A whole-number rating scale from ``minimum`` to ``maximum``."""
    return Scale(id=scale_id, kind="numeric", label=label, minimum=minimum, maximum=maximum)


def two_level_standard() -> Scale:
    """The Niedersachsen standard scale: not met / minimum met / 'das Mehr' met."""
    return Scale(
        id="standard-two-level",
        kind="levels",
        label=Text("Standard mit zwei Stufen", "Two-level standard"),
        levels=(
            Level("not-met", Text("nicht erfüllt", "not met")),
            Level("minimum", Text("Mindestvoraussetzungen erfüllt", "minimum requirements met")),
            Level("more", Text("das Mehr erfüllt", "the aspiration ('das Mehr') met")),
        ),
    )


@dataclass(frozen=True)
class Criterion:
    """A quality criterion that raters assess on a scale."""

    id: str
    title: Text
    scale: Scale
    help: Text | None = None
    reflection_questions: Mapping[str, tuple[Text, ...]] = field(default_factory=dict)
    minimum_requirements: Text | None = None
    aspiration: Text | None = None

    def __post_init__(self) -> None:
        check_id("criterion", self.id)
        check_question_phases(f"criterion {self.id}", self.reflection_questions)


def check_question_phases(owner: str, questions: Mapping[str, tuple[Text, ...]]) -> None:
    """Refuse reflection questions for a phase that asks none (``owner`` names where they are)."""
    unknown = set(questions) - set(PHASES_WITH_QUESTIONS)
    if unknown:
        msg = f"{owner}: reflection questions for unknown phases {sorted(unknown)}"
        raise CatalogueError(msg)


@dataclass(frozen=True)
class Template:
    """A goal or measure from good practice that a coordinator can start from.

    A goal template may suggest its indicator, unit, baseline and target (the network puts in
    its own figures); a measure template its resources. Choosing one fills in all it knows.
    """

    id: str
    kind: Literal["goal", "measure"]
    title: Text
    description: Text | None = None
    attrs: Mapping[str, Any] = field(default_factory=dict)
    indicator: Text | None = None
    unit: Text | None = None
    baseline: float | None = None
    target: float | None = None
    resources: Text | None = None

    def __post_init__(self) -> None:
        check_id("template", self.id)
        if self.kind not in ("goal", "measure"):
            msg = f"template {self.id}: kind must be 'goal' or 'measure'"
            raise CatalogueError(msg)
        goal_only = (self.indicator, self.unit, self.baseline, self.target)
        if self.kind == "measure" and any(part is not None for part in goal_only):
            msg = f"template {self.id}: only a goal template has indicator, unit and figures"
            raise CatalogueError(msg)
        if self.kind == "goal" and self.resources is not None:
            msg = f"template {self.id}: only a measure template has resources"
            raise CatalogueError(msg)


@dataclass(frozen=True)
class Theme:
    """A theme module's catalogue: what a network can assess, plan and review in it."""

    id: str
    version: str
    title: Text
    description: Text
    quality_dimension: int
    criteria: tuple[Criterion, ...]
    templates: tuple[Template, ...] = ()
    goal_schema: type[Schema] | None = None
    measure_schema: type[Schema] | None = None
    assessment_schema: type[Schema] | None = None
    feedback_schema: type[Schema] | None = None
    reflection_questions: Mapping[str, tuple[Text, ...]] = field(default_factory=dict)
    """Theme-wide questions per phase, asked once for the whole theme (not per criterion)."""
    record_schemas: Mapping[str, type[Schema]] = field(default_factory=dict)
    """The kinds of record the theme keeps on a cycle (a logic model's elements and arrows),
    each with the schema of its ``attrs`` (``Qualizyklus.change_records``, ``cycle["records"]``)."""
    cycle_pages: Mapping[str, Text] = field(default_factory=dict)
    """Pages of the theme's own blueprint shown in a cycle's navigation when the cycle has the
    theme: endpoint (``"blueprint.view"``, taking ``slug`` and ``cycle_id``) -> link text."""
    demo_records: Callable[[Sequence[str]], Sequence[Mapping[str, Any]]] | None = None
    """Records the demo (``qualizyklus demo``) gives a cycle of this theme: called with the ids
    of the theme's goals on that cycle, it returns saves as ``change_records`` takes them
    (``{"kind", "record_id", "attrs", "text"}``)."""

    def __post_init__(self) -> None:
        check_id("theme", self.id)
        for kind, schema in self.record_schemas.items():
            check_id(f"theme {self.id}: record kind", kind)
            if not (isinstance(schema, type) and issubclass(schema, Schema)):
                msg = f"theme {self.id}: record kind {kind}: schema must be a marshmallow Schema"
                raise CatalogueError(msg)
        check_question_phases(f"theme {self.id}", self.reflection_questions)
        if not 1 <= self.quality_dimension <= 11:
            msg = f"theme {self.id}: quality dimension must be 1 to 11"
            raise CatalogueError(msg)
        ids = [criterion.id for criterion in self.criteria]
        if not ids or len(set(ids)) != len(ids):
            msg = f"theme {self.id}: needs criteria with distinct ids"
            raise CatalogueError(msg)
        template_ids = [template.id for template in self.templates]
        if len(set(template_ids)) != len(template_ids):
            msg = f"theme {self.id}: template ids must be distinct"
            raise CatalogueError(msg)
        for template in self.templates:
            self._check_template(template)

    def _check_template(self, template: Template) -> None:
        """A template's attrs must pass the theme's schema for its kind."""
        schema = self.goal_schema if template.kind == "goal" else self.measure_schema
        if schema is None:
            return
        try:
            schema().load(dict(template.attrs))
        except ValidationError as error:
            msg = f"theme {self.id}: template {template.id}: attrs {error.messages}"
            raise CatalogueError(msg) from None

    def criterion(self, criterion_id: str) -> Criterion | None:
        """The criterion with this id, or None."""
        return next((c for c in self.criteria if c.id == criterion_id), None)
