"""An organisation with four closed years of parent participation and parents' surveys, for
the dashboard's survey figures over the years (web, API and browser tests).

2022 has no survey (the parents' feedback typed in); 2023 a survey of eight answers (two on
paper); 2024 only a survey of four answers (below five: it counts for nothing, the parents'
feedback typed in); 2025 two surveys of six and five answers, pooled. The read models are
caught up and the closed cycles' insight figures kept, as the follower leaves them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from uuid import UUID

from engine.application.service import Qualizyklus
from engine.infrastructure.passwords import hash_password
from engine.readmodels import Follower
from tests.plugins.parent_surveys import parents_survey
from tests.plugins.test_theme_hooks import participation_cycle_in_review
from tests.plugins.theme_cycles import COORDINATOR, Network

SLUG = "lk-elternstimmen"
EMAIL = "koordination@elternstimmen.example"
PASSWORD = "Elternstimmen-über-die-Jahre-2025"

HAPPY = {"heard": ["yes"], "rating": ["5"]}
CONTENT = {"heard": ["partly"], "rating": ["4"]}
SAD = {"heard": ["no"], "rating": ["2"]}
YEARS: dict[int, tuple[tuple[Sequence[Mapping[str, list[str]]], int], ...]] = {
    2022: (),
    2023: (([HAPPY, HAPPY, HAPPY, CONTENT, CONTENT, SAD, SAD, SAD], 2),),
    2024: (([HAPPY] * 4, 0),),
    2025: (([HAPPY, HAPPY, HAPPY, HAPPY, CONTENT, SAD], 0), ([HAPPY, CONTENT, SAD, SAD, SAD], 1)),
}
"""Per year its surveys: the answers, and how many of the first were returned on paper."""

EXPECTED = {  # the figures per year as the dashboard shows them in German (None: not shown)
    "Antworten": {2023: "8", 2025: "11"},
    "fühlten sich gehört (Antwort „Ja“)": {2023: "37,5 %", 2025: "45,5 %"},
    "zufrieden oder sehr zufrieden mit den Angeboten": {2023: "62,5 %", 2025: "63,6 %"},
    "davon auf Papier": {2023: "2", 2025: "1"},
    "Anteil auf Papier": {2023: "25 %", 2025: "9,1 %"},
}


@dataclass(frozen=True)
class SurveyYears:
    """The organisation's closed cycles by year."""

    organisation_id: UUID
    cycles: dict[int, UUID]


def build(engine: Qualizyklus) -> SurveyYears:
    """The organisation, its four closed years, and the read models caught up."""
    net = Network.register(engine, slug=SLUG)
    engine.profiles.put(COORDINATOR, display_name="Kim Koordination", email=EMAIL)
    engine.profiles.set_password_hash(COORDINATOR, hash_password(PASSWORD))
    cycles: dict[int, UUID] = {}
    previous = None
    for year, surveys in YEARS.items():
        previous = cycles[year] = closed_year(net, year, surveys, previous)
    follower = Follower(engine)
    follower.catch_up()
    follower.refresh_insights()
    return SurveyYears(net.organisation_id, cycles)


def closed_year(
    net: Network,
    year: int,
    surveys: Sequence[tuple[Sequence[Mapping[str, list[str]]], int]],
    follows: UUID | None,
) -> UUID:
    """A parent participation cycle of ``year`` with its closed surveys, closed."""
    cycle_id = participation_cycle_in_review(net, year=year, follows=follows)
    if not any(len(answers) >= 5 for answers, _ in surveys):
        net.feedback(cycle_id, "parents", "Im Elterncafé wünschten sich Eltern mehr Termine.")
    for answers, on_paper in surveys:
        parents_survey(net.engine, cycle_id, answers, on_paper=on_paper, year=year, close=True)
    net.close(cycle_id)
    return cycle_id
