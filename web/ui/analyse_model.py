"""What the analysis page shows of a theme and its criteria: ratings, the group's spread (median,
range, criteria to discuss) and labels as each criterion's scale says them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from engine.domain.catalogue import Criterion, Scale, Theme
from web.i18n import localised
from web.ui.analyse_forms import RatingForm, ThemeRatingForm
from web.ui.attrs_form import AttrsForm


@dataclass
class CriterionView:
    """A criterion with its texts, the viewed rater's rating and the group's spread."""

    theme: Theme
    criterion: Criterion
    summary: dict[str, Any]
    own: dict[str, Any] | None
    form: RatingForm | None
    attrs: AttrsForm | None

    @property
    def anchor(self) -> str:
        """The criterion's id on the page."""
        return f"criterion-{self.theme.id}-{self.criterion.id}"

    @property
    def questions(self) -> tuple[Any, ...]:
        """The reflection questions for the analysis."""
        return tuple(self.criterion.reflection_questions.get("analyse", ()))

    @property
    def own_label(self) -> str:
        """The viewed rater's current rating as the scale says it."""
        return value_label(self.criterion.scale, self.own["value"]) if self.own else ""

    @property
    def median_label(self) -> str:
        """The group's median as a level label or a number."""
        scale, position = self.criterion.scale, self.summary["median"]
        if position is None:
            return ""
        if scale.kind == "numeric":
            return str(format_decimal(position))
        if self.summary["median_value"] is not None:
            return value_label(scale, self.summary["median_value"])
        lower, upper = scale.levels[int(position)], scale.levels[int(position) + 1]
        return str(
            _(
                "zwischen „%(lower)s“ und „%(upper)s“",
                lower=localised(lower.label),
                upper=localised(upper.label),
            )
        )

    @property
    def disagreement_label(self) -> str:
        """The disagreement as a percentage ('' without ratings)."""
        value = self.summary.get("disagreement")
        return "" if value is None else str(format_percent(value))

    @property
    def distribution(self) -> list[tuple[str, int]]:
        """How many raters chose each level (each step of a numeric scale), lowest first."""
        counts = self.summary.get("distribution") or []
        scale = self.criterion.scale
        if scale.kind == "levels":
            labels = [localised(level.label) for level in scale.levels]
        else:
            labels = [
                str(format_decimal(scale.minimum + index * scale.step))
                for index in range(len(counts))
            ]
        return list(zip(labels, counts, strict=False))

    @property
    def range_label(self) -> str:
        """The lowest and highest rating (minimum – maximum)."""
        if self.summary["minimum"] is None:
            return ""
        low = position_label(self.criterion.scale, self.summary["minimum"])
        high = position_label(self.criterion.scale, self.summary["maximum"])
        return low if low == high else f"{low} – {high}"


@dataclass
class ThemeView:
    """A theme of the cycle: its criteria, overall picture and criteria to discuss."""

    theme_id: str
    theme: Theme | None
    summary: dict[str, Any]
    criteria: list[CriterionView] = field(default_factory=list)
    form: ThemeRatingForm | None = None
    """The theme's rating form (one save for all its criteria), if the person may rate."""

    @property
    def to_discuss(self) -> list[CriterionView]:
        """The criteria flagged for the talk, highest disagreement first."""
        by_id = {view.criterion.id: view for view in self.criteria}
        return [by_id[c] for c in self.summary.get("most_disagreed", []) if c in by_id]

    @property
    def hidden(self) -> int:
        """How many rated criteria's results the person does not see yet (blind round)."""
        return sum(1 for view in self.criteria if view.summary.get("hidden"))

    @property
    def overall(self) -> dict[str, str] | None:
        """The overall picture: raters, median and range as shares of the scale."""
        overall = self.summary.get("overall") or {}
        if not overall.get("raters") or overall.get("hidden"):
            return None
        return {
            "raters": str(overall["raters"]),
            "median": str(format_percent(overall["median"])),
            "range": f"{format_percent(overall['minimum'])} – {format_percent(overall['maximum'])}",
        }


def value_label(scale: Scale, value: float | str) -> str:
    """A rated value as the scale says it: the level's label or the number."""
    if scale.kind == "levels":
        level = next((lv for lv in scale.levels if lv.id == value), None)
        return localised(level.label) if level else str(value)
    return str(format_decimal(value))


def position_label(scale: Scale, position: float) -> str:
    """A position on the scale (levels count from 0) as the scale says it."""
    if scale.kind == "levels":
        return localised(scale.levels[int(position)].label)
    return str(format_decimal(position))
