"""The built-in themes word counts by each language's plural rule: 0, 1 and 2 of a thing."""

from __future__ import annotations

from datetime import date

import pytest

from engine import Text
from plugins.impact_orientation.analysis import GoalProgress, Reading
from plugins.impact_orientation.report import summary
from plugins.political_anchoring.analysis import Evidence
from plugins.political_anchoring.dashboard import evidence_text


def goal(number: int, measured: bool) -> GoalProgress:
    return GoalProgress(
        goal_id=f"g{number}",
        title=f"Ziel {number}",
        unit="%",
        step=4,
        level="outcome",
        baseline=10,
        target=50,
        latest=Reading(30, date(2025, 9, 15)) if measured else None,
    )


@pytest.mark.parametrize(
    ("goals", "measured", "de", "en"),
    [
        (
            1,
            0,
            "Das Netzwerk verfolgt in diesem Zyklus 1 Wirkungsziel; für keines davon liegen "
            "bisher Messwerte des Indikators vor.",
            "The network pursues 1 impact goal in this cycle; none of them has measured values "
            "yet.",
        ),
        (
            2,
            1,
            "Das Netzwerk verfolgt in diesem Zyklus 2 Wirkungsziele; für 1 davon liegen "
            "Messwerte des Indikators vor.",
            "The network pursues 2 impact goals in this cycle; 1 of them has measured values.",
        ),
        (
            2,
            2,
            "Das Netzwerk verfolgt in diesem Zyklus 2 Wirkungsziele; für 2 davon liegen "
            "Messwerte des Indikators vor.",
            "The network pursues 2 impact goals in this cycle; 2 of them have measured values.",
        ),
    ],
)
def test_impact_goals_and_their_measured_values_are_counted(
    goals: int, measured: int, de: str, en: str
) -> None:
    wording = summary([goal(n, n < measured) for n in range(goals)])

    assert wording == Text(de, en)


def evidence(count: int, bodies: tuple[str, ...]) -> list[Evidence]:
    return [
        Evidence(f"Beschluss {n}", bodies[n % len(bodies)], date(2019 + n, 3, 14), ("g1",))
        for n in range(count)
    ]


@pytest.mark.parametrize(
    ("count", "bodies", "de", "en"),
    [
        (1, ("kreistag",), "1 Nachweis aus 1 Gremium;", "1 piece of evidence from 1 body;"),
        (
            2,
            ("kreistag", "rat"),
            "2 Nachweise aus 2 Gremien;",
            "2 pieces of evidence from 2 bodies;",
        ),
    ],
)
def test_evidence_and_bodies_are_counted(
    count: int, bodies: tuple[str, ...], de: str, en: str
) -> None:
    wording = evidence_text(evidence(count, bodies))

    assert wording.de.startswith(de)
    assert wording.en.startswith(en)


def test_no_evidence_is_worded_as_none() -> None:
    assert evidence_text([]).de.startswith("Zu den Zielen und Maßnahmen des Themas sind noch keine")
