"""How much raters disagree on an ordinal scale, and which criteria to talk about first.

The measure is van der Eijk's agreement *A* (van der Eijk 2001, "Measuring agreement in ordered
rating scales", Quality & Quantity 35: 325-341). It works on the counts of each level of an
ordered scale of any length: *A* is 1 when everybody chose the same level, 0 for an even
spread over all levels, and -1 when the raters split evenly between the two ends. Qualizyklus
shows its complement as a share, the **disagreement** ``(1 - A) / 2`` (0 = one voice, 1 = two
camps at the ends), so that "higher means more to talk about".

Which criteria to discuss (:func:`most_disagreed`): among the criteria of one theme rated by at
least two raters who do not all agree, at most ``bound(n)`` of them (a fifth of the rated
criteria, rounded up, at least one and at most five), those with the highest disagreement.
Equal figures get equal flags: criteria are taken in groups of equal disagreement, a group only
when it fits in whole; the group with the highest disagreement is flagged even when it alone is
larger than the bound, because there is no fair way to choose among equals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)

MOST_FLAGGED = 5
"""No theme flags more criteria than this for discussion (ties of the top group aside)."""

SHARE_FLAGGED = 0.2
"""At most this share of a theme's rated criteria is flagged (rounded up, at least one)."""

_EQUAL = 1e-9


def agreement(counts: Sequence[int]) -> float | None:
    """Van der Eijk's agreement A of the counts of an ordered scale's levels, from -1 to 1.

    ``counts[i]`` is how many raters chose the i-th level (lowest first); the scale needs at
    least two levels. None without any rating.
    """
    if len(counts) < 2:
        msg = "agreement needs the counts of a scale with at least two levels"
        raise ValueError(msg)
    if any(count < 0 for count in counts):
        msg = "counts cannot be negative"
        raise ValueError(msg)
    total = sum(counts)
    if total == 0:
        return None
    weighted = sum(weight * _pattern_agreement(pattern) for pattern, weight in _layers(counts))
    return weighted / total


def disagreement(counts: Sequence[int]) -> float | None:
    """The disagreement ``(1 - A) / 2`` of the counts, from 0 (one voice) to 1 (two camps)."""
    value = agreement(counts)
    return None if value is None else (1 - value) / 2


def level_counts(positions: Iterable[float], levels: int) -> list[int]:
    """How many of the rating positions (0 to ``levels - 1``) fall on each level."""
    counts = [0] * levels
    for position in positions:
        index = round(position)
        if not 0 <= index < levels:
            msg = f"position {position} lies outside a scale of {levels} levels"
            raise ValueError(msg)
        counts[index] += 1
    return counts


def bound(rated: int) -> int:
    """The most criteria of a theme with ``rated`` rated criteria that are flagged."""
    if rated <= 0:
        return 0
    return max(1, min(MOST_FLAGGED, math.ceil(rated * SHARE_FLAGGED - _EQUAL)))


def most_disagreed(
    items: Iterable[Key], figure: Callable[[Key], float | None], rated: int | None = None
) -> list[Key]:
    """The items to discuss first, highest disagreement first, by the module's documented rule.

    ``figure`` gives each item's disagreement (None or 0 when it is not rated by two raters
    who differ; such items are never flagged). ``rated`` is the number of rated criteria the
    bound is taken from (defaults to the number of items with a figure). The order among equal
    figures follows ``items``.
    """
    listed = list(items)
    figures = {item: figure(item) for item in listed}
    candidates = [item for item in listed if (figures[item] or 0) > _EQUAL]
    limit = bound(rated if rated is not None else sum(f is not None for f in figures.values()))
    ordered = sorted(candidates, key=lambda item: -(figures[item] or 0))
    flagged: list[Key] = []
    for group in _equal_groups(ordered, figures):
        if flagged and len(flagged) + len(group) > limit:
            break
        flagged.extend(group)
        if len(flagged) >= limit:
            break
    return flagged


def _equal_groups(ordered: list[Key], figures: dict[Key, float | None]) -> list[list[Key]]:
    groups: list[list[Key]] = []
    for item in ordered:
        if groups and abs((figures[groups[-1][0]] or 0) - (figures[item] or 0)) <= _EQUAL:
            groups[-1].append(item)
        else:
            groups.append([item])
    return groups


def _layers(counts: Sequence[int]) -> list[tuple[tuple[bool, ...], int]]:
    """Split the distribution into layers of equal height (van der Eijk's step 1)."""
    remaining = list(counts)
    layers: list[tuple[tuple[bool, ...], int]] = []
    while any(remaining):
        height = min(count for count in remaining if count)
        pattern = tuple(count > 0 for count in remaining)
        layers.append((pattern, height * sum(pattern)))
        remaining = [count - height if count else 0 for count in remaining]
    return layers


def _pattern_agreement(pattern: tuple[bool, ...]) -> float:
    """The agreement of one layer: unimodality times the share of empty levels."""
    levels = len(pattern)
    chosen = sum(pattern)
    if chosen == 1:
        return 1.0
    if chosen == levels:
        return 0.0
    unimodal, bimodal = _triples(pattern)
    if unimodal + bimodal == 0:
        return 0.0
    unimodality = ((levels - 2) * unimodal - (levels - 1) * bimodal) / (
        (levels - 2) * (unimodal + bimodal)
    )
    return unimodality * (1 - (chosen - 1) / (levels - 1))


def _triples(pattern: tuple[bool, ...]) -> tuple[int, int]:
    """How many triples of levels (in order) are unimodal (chosen, chosen, empty or empty,
    chosen, chosen) and bimodal (chosen, empty, chosen): counted per middle level from the
    chosen and empty levels on each side, so long numeric scales stay cheap."""
    chosen_after = sum(pattern)
    empty_after = len(pattern) - chosen_after
    chosen_before = empty_before = unimodal = bimodal = 0
    for middle in pattern:
        if middle:
            chosen_after -= 1
            unimodal += chosen_before * empty_after + empty_before * chosen_after
            chosen_before += 1
        else:
            empty_after -= 1
            bimodal += chosen_before * chosen_after
            empty_before += 1
    return unimodal, bimodal
