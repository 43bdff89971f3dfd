"""The participation ladder's chart: a cycle without measures on the ladder shows its values
as not collected, not as a column of zeros ("0 / 0")."""

from __future__ import annotations

from plugins.parent_participation.analysis import LadderPicture
from plugins.parent_participation.dashboard import ladder_chart


def test_a_cycle_without_measures_on_the_ladder_has_no_values() -> None:
    placed = LadderPicture((0, 0, 0, 1, 0, 1, 0, 0, 0))
    none = LadderPicture((0,) * 9)

    chart = ladder_chart(none, placed)

    assert chart.series[0].values == (None,) * 9
    assert chart.series[1].values == (0, 0, 0, 1, 0, 1, 0, 0, 0)
