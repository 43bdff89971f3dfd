"""Van der Eijk's agreement A and the rule that picks the criteria to discuss."""

from __future__ import annotations

import pytest

from engine.domain.disagreement import agreement, bound, disagreement, level_counts, most_disagreed


def test_the_published_example_of_the_agrmt_package() -> None:
    """agrmt's documentation gives 0.6113333 for this seven-level distribution."""
    assert agreement([30, 40, 210, 130, 530, 50, 10]) == pytest.approx(0.6113333, abs=1e-7)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([10, 0, 0, 0, 0, 0, 0], 1.0),
        ([10, 10, 10, 10, 10, 10, 10], 0.0),
        ([1, 0, 1], -1.0),
        ([5, 0, 0, 0, 5], -1.0),
        ([1, 1, 0], 0.5),
        ([3, 1], 0.5),
        ([2, 2], 0.0),
    ],
)
def test_the_ends_of_the_measure(counts: list[int], expected: float) -> None:
    """One voice is 1, an even spread is 0, two camps at the ends are -1."""
    assert agreement(counts) == pytest.approx(expected)


def test_disagreement_is_the_complement_as_a_share() -> None:
    """(1 - A) / 2: 0 for one voice, 1 for two camps, None without ratings."""
    assert disagreement([4, 0, 0]) == 0
    assert disagreement([2, 0, 2]) == 1
    assert disagreement([0, 0, 0]) is None


def test_a_scale_needs_two_levels_and_counts_cannot_be_negative() -> None:
    """Nonsense input is refused with a clear message."""
    with pytest.raises(ValueError, match="two levels"):
        agreement([3])
    with pytest.raises(ValueError, match="negative"):
        agreement([1, -1, 2])


def test_level_counts_refuses_a_position_off_the_scale() -> None:
    """Positions are counted per level; one outside the scale is an error."""
    assert level_counts([0, 2, 2, 1], 3) == [1, 1, 2]
    with pytest.raises(ValueError, match="outside"):
        level_counts([3], 3)


def test_the_bound_is_a_fifth_rounded_up_between_one_and_five() -> None:
    """1 to 5 rated criteria flag one, 6 to 10 two, and never more than five."""
    assert [bound(n) for n in (0, 1, 5, 6, 10, 11, 30, 100)] == [0, 1, 1, 2, 2, 3, 5, 5]


def test_most_disagreed_takes_the_highest_up_to_the_bound() -> None:
    """Nine rated criteria allow two flags; unrated and unanimous ones are never flagged."""
    figures = {"a": 0.2, "b": 0.6, "c": 0.4, "d": 0.0, "e": None}
    figures |= {f"x{i}": 0.1 for i in range(5)}
    assert most_disagreed(figures, figures.get) == ["b", "c"]


def test_equal_figures_get_equal_flags() -> None:
    """A tied group that does not fit in whole is left out; the top group always counts."""
    tied_below = {"a": 0.5, "b": 0.3, "c": 0.3, "d": 0.1, "e": 0.1}
    assert most_disagreed(tied_below, tied_below.get, rated=10) == ["a"]
    tied_top = {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.1}
    assert most_disagreed(tied_top, tied_top.get, rated=5) == ["a", "b", "c"]
