"""Multi-rater assessment: per criterion and per theme, the raters, median, range, spread and
how much the raters disagree.

The practice material asks where the ratings differ most: the disagreement between raters is a
result, not noise. Each criterion gets van der Eijk's agreement *A* and the disagreement
``(1 - A) / 2`` from how many raters chose each step of its scale (its ``distribution``; see
engine/domain/disagreement.py). Per theme, the criteria with the highest disagreement are
flagged for the talk (``most_disagreed``, by the bounded rule documented there).

On a numeric scale each step counts as a level: a scale from 1 to 5 in steps of 1 has the five
levels 1, 2, 3, 4, 5, and the distribution counts how many raters chose each of them.

Before the group's result of a criterion is shown to a rater who has not rated it (the blind
first round), :func:`blind_theme` removes it from a theme's summary.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import median
from typing import Any

from engine.domain.catalogue import Criterion, Scale, Theme
from engine.domain.disagreement import agreement, level_counts, most_disagreed

RESULT_KEYS = (
    "median",
    "minimum",
    "maximum",
    "range",
    "median_value",
    "agreement",
    "disagreement",
    "distribution",
)
"""The figures of a criterion's summary that are the group's result (hidden when blind)."""


def summarise_cycle(cycle: Mapping[str, Any], themes: Mapping[str, Theme]) -> list[dict[str, Any]]:
    """One summary per theme of the cycle (plain data, as ``Qualizyklus.cycle()`` returns)."""
    return [summarise_theme(cycle, theme_id, themes.get(theme_id)) for theme_id in cycle["themes"]]


def summarise_theme(cycle: Mapping[str, Any], theme_id: str, theme: Theme | None) -> dict[str, Any]:
    """A theme's criteria with their figures, the criteria to discuss, and the overall picture.

    ``most_disagreed`` lists the flagged criteria, highest disagreement first; each criterion's
    ``dialogue`` says whether it is among them. A theme that is not installed any more shows
    its raw ratings without statistics.
    """
    if theme is None:
        raw = {
            key.split("/", 1)[1]: dict(ratings)
            for key, ratings in cycle["assessments"].items()
            if key.split("/", 1)[0] == theme_id
        }
        return {"theme_id": theme_id, "installed": False, "raw_ratings": raw}
    criteria = [
        summarise_criterion(criterion, cycle["assessments"].get(f"{theme_id}/{criterion.id}", {}))
        for criterion in theme.criteria
    ]
    rated = [c for c in criteria if c["raters"]]
    flagged = most_disagreed(
        [c["criterion_id"] for c in rated],
        {c["criterion_id"]: c["disagreement"] for c in rated}.get,
        rated=len(rated),
    )
    for summary in criteria:
        summary["dialogue"] = summary["criterion_id"] in flagged
    return {
        "theme_id": theme_id,
        "installed": True,
        "title": {"de": theme.title.de, "en": theme.title.get("en")},
        "criteria": criteria,
        "rated": len(rated),
        "most_disagreed": flagged,
        "overall": _overall(theme, cycle["assessments"]),
    }


def summarise_criterion(criterion: Criterion, ratings: Mapping[str, Any]) -> dict[str, Any]:
    """The ratings of one criterion with median, range, spread and disagreement.

    Public for themes (``from engine import summarise_criterion``). ``ratings`` maps each rater
    to their rating (``{"value": ...}``), as a cycle's ``assessments`` hold them. The summary is
    plain data: ``criterion_id``, ``title`` (``de``, ``en``), ``scale``, ``ratings`` (rater to
    value), ``raters``; the positions on the scale ``median``, ``minimum``, ``maximum`` and
    ``range`` (None without ratings); ``spread`` (range over the scale's span, 0 to 1);
    ``distribution`` (how many raters chose each level or step, lowest first), ``agreement``
    (van der Eijk's A, -1 to 1) and ``disagreement`` (``(1 - A) / 2``, 0 to 1; both None
    without ratings); ``median_value`` (the scale value at the median, None between two
    levels); ``dialogue`` (False here: only a theme's summary flags criteria) and ``hidden``
    (False: the result is shown).
    """
    scale = criterion.scale
    values = {rater: rating["value"] for rater, rating in ratings.items()}
    positions = sorted(scale.position(value) for value in values.values())
    summary: dict[str, Any] = {
        "criterion_id": criterion.id,
        "title": {"de": criterion.title.de, "en": criterion.title.get("en")},
        "scale": scale.id,
        "ratings": values,
        "raters": len(values),
    }
    summary.update(_statistics(positions, scale.span))
    summary["median_value"] = _value_at(criterion, summary["median"])
    summary.update(_disagreement(scale, positions))
    summary.update(dialogue=False, hidden=False)
    return summary


def distribution(scale: Scale, positions: list[float]) -> list[int]:
    """How many of the positions fall on each level of the scale (each step of a numeric one)."""
    if scale.kind == "levels":
        return level_counts(positions, len(scale.levels))
    steps = round(scale.span / scale.step) + 1
    return level_counts([(p - scale.minimum) / scale.step for p in positions], steps)


def _disagreement(scale: Scale, positions: list[float]) -> dict[str, Any]:
    try:
        counts = distribution(scale, positions)
    except ValueError:  # a rating off the scale (the theme changed it): no distribution
        return {"distribution": None, "agreement": None, "disagreement": None}
    value = agreement(counts)
    return {
        "distribution": counts,
        "agreement": None if value is None else round(value, 4),
        "disagreement": None if value is None else round((1 - value) / 2, 4),
    }


def _statistics(positions: list[float], span: float) -> dict[str, Any]:
    if not positions:
        return {"median": None, "minimum": None, "maximum": None, "range": None, "spread": 0.0}
    spread_range = positions[-1] - positions[0]
    spread = spread_range / span if span else 0.0
    return {
        "median": float(median(positions)),
        "minimum": positions[0],
        "maximum": positions[-1],
        "range": spread_range,
        "spread": round(spread, 4),
    }


def _value_at(criterion: Criterion, position: float | None) -> float | str | None:
    """The scale value at a median position (None between two levels)."""
    scale = criterion.scale
    if position is None:
        return None
    if scale.kind == "numeric":
        return position
    if position.is_integer():
        return scale.levels[int(position)].id
    return None


def _overall(theme: Theme, assessments: Mapping[str, Any]) -> dict[str, Any]:
    """Each rater's mean position (0 = lowest, 1 = highest) over the criteria they rated."""
    per_rater: dict[str, list[float]] = {}
    for criterion in theme.criteria:
        scale = criterion.scale
        lowest = scale.position(scale.levels[0].id) if scale.kind == "levels" else scale.minimum
        for rater, rating in assessments.get(f"{theme.id}/{criterion.id}", {}).items():
            share = (scale.position(rating["value"]) - lowest) / scale.span
            per_rater.setdefault(rater, []).append(share)
    means = {rater: round(sum(v) / len(v), 4) for rater, v in per_rater.items()}
    overall: dict[str, Any] = {"ratings": means, "raters": len(means), "hidden": False}
    overall.update(_statistics(sorted(means.values()), 1.0))
    return overall


def blind_theme(
    summary: dict[str, Any], viewer: str, revealed: Iterable[str] = ()
) -> dict[str, Any]:
    """A theme's summary as ``viewer`` may see it in the blind first round.

    The group's result of a criterion (its figures in ``RESULT_KEYS``, the spread, the flag and
    the other raters' values) stays hidden until ``viewer`` has rated it, or until it was
    revealed in a rating session (``revealed``: assessment keys); the criterion keeps how many
    rated it and gets ``hidden`` True. The flagged criteria are those the viewer may see; the
    overall picture is hidden while any rated criterion is.
    """
    if not summary.get("installed"):
        return summary
    shown_keys = {key for key in revealed if key.split("/", 1)[0] == summary["theme_id"]}
    criteria = [
        c
        if f"{summary['theme_id']}/{c['criterion_id']}" in shown_keys
        else _blind_criterion(c, viewer)
        for c in summary["criteria"]
    ]
    shown = {c["criterion_id"] for c in criteria if not c["hidden"]}
    overall = dict(summary["overall"])
    if any(c["hidden"] and c["raters"] for c in criteria):
        overall.update(ratings={}, hidden=True, spread=None)
        overall.update(dict.fromkeys(("median", "minimum", "maximum", "range")))
    return {
        **summary,
        "criteria": criteria,
        "most_disagreed": [c for c in summary["most_disagreed"] if c in shown],
        "overall": overall,
    }


@dataclass(frozen=True)
class BlindRound:
    """What one reader may not see of a cycle's ratings now (the blind first round).

    ``themes`` are the themes still blind for ``reader``; ``rated`` the assessment keys
    ('theme/criterion') the reader has rated in the cycle's current state, or whose results a
    facilitator revealed in a rating session. Every rating of
    another key of those themes is hidden, in any version of the cycle: a state leaves it
    out (:meth:`state`), a history or a comparison shows only that it was recorded, by whom
    and when (:meth:`masked`), never its level, note or theme data.
    """

    reader: str
    themes: frozenset[str]
    rated: frozenset[str]

    @classmethod
    def of(
        cls,
        assessments: Mapping[str, Mapping[str, Any]],
        reader: str,
        themes: Iterable[str],
        revealed: Iterable[str] = (),
    ) -> BlindRound:
        """The blind round of ``reader`` in ``themes``, given the cycle's current ratings and
        the criteria revealed in its rating sessions."""
        rated = {key for key, ratings in assessments.items() if reader in ratings}
        return cls(reader, frozenset(themes), frozenset(rated | set(revealed)))

    def hides(self, key: str) -> bool:
        """Whether the ratings of an assessment key are hidden from the reader."""
        return key.split("/", 1)[0] in self.themes and key not in self.rated

    def state(self, state: Mapping[str, Any]) -> dict[str, Any]:
        """A cycle's state without the hidden criteria's ratings (as ``GET /cycles/{id}``)."""
        if "assessments" not in state:
            return dict(state)
        shown = {k: v for k, v in state["assessments"].items() if not self.hides(k)}
        return {**state, "assessments": shown}

    def masked(self, state: Mapping[str, Any]) -> dict[str, Any]:
        """A cycle's state in which each hidden rating says only when it was recorded (and at
        which version), with ``hidden`` True: compared, two such states show who rated and
        when, not what."""
        if "assessments" not in state:
            return dict(state)
        masked = {
            key: (
                {rater: masked_rating(entry) for rater, entry in ratings.items()}
                if self.hides(key) and isinstance(ratings, Mapping)
                else ratings
            )
            for key, ratings in state["assessments"].items()
        }
        return {**state, "assessments": masked}


def masked_rating(entry: Any) -> dict[str, Any]:
    """A rating's entry as a reader in the blind round sees it: when, not what."""
    found = entry if isinstance(entry, Mapping) else {}
    when = found.get("recorded_at")
    return {"recorded_at": when, "version": found.get("version"), "hidden": True}


def _blind_criterion(summary: dict[str, Any], viewer: str) -> dict[str, Any]:
    if viewer in summary["ratings"] or not summary["raters"]:
        return summary
    hidden = {**summary, **dict.fromkeys(RESULT_KEYS)}
    hidden.update(ratings={}, spread=None, dialogue=False, hidden=True)
    return hidden
