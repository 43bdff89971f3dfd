"""What a cycle says about parent participation: measures on the ladder, feedback, ratings.

Pure functions over the plain cycle dict; the insights, the report section and the gate are
built from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine import Criterion, Level, share, summarise_criterion
from plugins.parent_participation.catalogue import LADDER, PARTICIPATION_THRESHOLD, THEME
from plugins.parent_participation.ladder import LADDER_IDS

THEME_ID = THEME.id
THRESHOLD_INDEX = LADDER_IDS.index(PARTICIPATION_THRESHOLD)
NOT_COUNTED = ("dropped",)
"""Measure statuses left out of the ladder counts: a dropped measure involved no parents."""

INVOLVEMENT_CRITERIA: tuple[Criterion, ...] = tuple(
    criterion for criterion in THEME.criteria if criterion.scale.id == LADDER.id
)
"""The criteria rated on the ladder: parents involved in analysis, planning and evaluation."""


@dataclass(frozen=True)
class LadderPicture:
    """How the theme's measures spread over the ladder, and how many reach Mitbestimmung."""

    counts: tuple[int, ...]
    """Measures per ladder level, lowest level first."""

    @property
    def counted(self) -> int:
        """Measures placed on the ladder (dropped ones left out)."""
        return sum(self.counts)

    @property
    def participating(self) -> int:
        """Measures at Mitbestimmung or above."""
        return sum(self.counts[THRESHOLD_INDEX:])

    @property
    def share(self) -> float | None:
        """Share of measures at Mitbestimmung or above, in percent (None without measures)."""
        return share(self.participating, self.counted)


def theme_measures(cycle: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The measures of this theme (with their id), in the order they were planned."""
    return [
        {"id": measure_id, **measure}
        for measure_id, measure in cycle["measures"].items()
        if measure.get("theme_id") == THEME_ID
    ]


def level_of(measure: Mapping[str, Any]) -> Level | None:
    """The ladder level a measure names, or None."""
    level_id = (measure.get("attrs") or {}).get("participation_level")
    if level_id not in LADDER_IDS:
        return None
    return LADDER.levels[LADDER_IDS.index(level_id)]


def ladder_picture(cycle: Mapping[str, Any]) -> LadderPicture:
    """Counts per ladder level of the theme's measures that were not dropped."""
    counts = [0] * len(LADDER_IDS)
    for measure in theme_measures(cycle):
        level = level_of(measure)
        if level is not None and measure.get("status") not in NOT_COUNTED:
            counts[LADDER_IDS.index(level.id)] += 1
    return LadderPicture(tuple(counts))


def parents_feedback(cycle: Mapping[str, Any]) -> int:
    """How many pieces of feedback from parents the cycle holds."""
    return sum(1 for item in cycle["feedback"].values() if item.get("source") == "parents")


@dataclass(frozen=True)
class Involvement:
    """The ratings of one involvement criterion: how many raters and the median level."""

    criterion: Criterion
    raters: int
    median: float | None
    lowest: float | None
    highest: float | None


def involvement(cycle: Mapping[str, Any]) -> list[Involvement]:
    """The ladder ratings of the criteria on parents' involvement, median from the assessment."""
    rows = []
    for criterion in INVOLVEMENT_CRITERIA:
        ratings = cycle["assessments"].get(f"{THEME_ID}/{criterion.id}", {})
        summary = summarise_criterion(criterion, ratings)
        rows.append(
            Involvement(
                criterion,
                summary["raters"],
                summary["median"],
                summary["minimum"],
                summary["maximum"],
            )
        )
    return rows
