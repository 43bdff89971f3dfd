"""Replay is faithful: however a cycle got where it is, every way of loading it agrees.

Hypothesis draws sequences of intents; a driver turns each into a command that is valid for
the cycle's current phase and state (ratings on the scales by several raters, findings,
priorities, goals, measures and their status, indicator values, reviews, lessons, comments,
phase advances once the gates pass, and reopening). The cycle's state must then be the same
(a) in the running application, (b) replayed from all its events without snapshots, (c)
loaded by a fresh application from a snapshot, and (d) after export and import into an
empty store. Each example uses a new organisation in the test's store.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from engine.application.audit import verify
from engine.application.service import Qualizyklus
from engine.application.transfer import export_organisation, import_history
from engine.infrastructure.settings import Settings
from tests.engine.sample_theme import SAMPLE_THEMES
from tests.engine.test_transfer import empty_store_like

MEMBERS = ("coord", "anna", "ben")
CRITERIA: dict[tuple[str, str], tuple[Any, ...]] = {
    ("network", "partners-known"): (1, 2, 3, 4, 5),
    ("network", "binding-structures"): ("not-met", "minimum", "more"),
    ("families", "low-threshold"): (1, 2, 3, 4, 5),
}
STATUSES = ("planned", "running", "done", "blocked", "dropped", "carried-over")
VERDICTS = ("reached", "partly", "not")
REOPEN_TO = {"plan": "analyse", "implement": "plan", "review": "implement", "closed": "review"}
OPS = (
    "rate", "rate", "finding", "withdraw", "priorities", "goal", "revise_goal", "measure",
    "revise_measure", "status", "status", "indicator", "review_goal", "lesson", "comment",
    "advance", "advance", "advance", "advance", "advance", "reopen",
)  # fmt: skip
"""Intents; advancing is the most frequent, so that many examples get past the analysis."""
BASE_DAY = date(2025, 1, 1)

accepted_characters = st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from("\t\n\r")
"""What a text may hold as input (control characters but tab and line breaks are refused)."""
texts = st.text(accepted_characters, min_size=1, max_size=24).filter(
    lambda text: bool(text.strip())
)
numbers = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
intents = st.tuples(
    st.sampled_from(OPS), st.integers(0, 10_000), st.integers(0, 10_000), texts, numbers
)
sequences = st.one_of(
    st.lists(intents, min_size=1, max_size=15), st.lists(intents, min_size=45, max_size=100)
)
"""Short sequences, and long ones that pass the snapshot interval (50 events) now and then."""


class Driver:
    """Turns an intent into a command that is valid for the cycle as it stands."""

    def __init__(self, app: Qualizyklus, cycle_id: UUID) -> None:
        self.app = app
        self.cycle_id = cycle_id

    def state(self) -> dict[str, Any]:
        """The cycle now."""
        return self.app.cycle(self.cycle_id)

    def apply(self, intent: tuple[str, int, int, str, float]) -> None:
        """Run one command for the intent (a comment when nothing else fits)."""
        op, pick, other, text, number = intent
        state = self.state()
        allows = self.app.definition_of(self.cycle_id).phase(state["phase"]).allows  # type: ignore[union-attr]
        handler: Callable[..., bool] = getattr(self, f"_{op}")
        if not handler(state, allows, pick, other, text, number):
            self._comment(state, allows, pick, other, text, number)

    # Analysis ------------------------------------------------------------------------------

    def _rate(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
              number: float) -> bool:  # fmt: skip
        if "record_assessment" not in allows:
            return False
        theme_id, criterion_id = sorted(CRITERIA)[pick % len(CRITERIA)]
        self.rate(theme_id, criterion_id, pick, other, text)
        return True

    def rate(self, theme_id: str, criterion_id: str, pick: int, other: int, text: str) -> None:
        """One rater's rating; a coordinator may rate on behalf of others."""
        values = CRITERIA[(theme_id, criterion_id)]
        rater = MEMBERS[other % len(MEMBERS)]
        actor = "coord" if pick % 2 else rater
        self.app.record_assessment(
            self.cycle_id, actor_id=actor, rater_id=rater, theme_id=theme_id,
            criterion_id=criterion_id, value=values[(pick + other) % len(values)], note=text,
        )  # fmt: skip

    def _finding(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                 number: float) -> bool:  # fmt: skip
        if "record_finding" not in allows:
            return False
        theme_id, criterion_id = sorted(CRITERIA)[pick % len(CRITERIA)]
        tied = other % 3
        self.app.record_finding(
            self.cycle_id, actor_id="coord", finding_id=f"f{len(state['findings']) + 1}",
            kind=("need", "strength")[pick % 2], text=text,
            theme_id=theme_id if tied else None, criterion_id=criterion_id if tied == 2 else None,
        )  # fmt: skip
        return True

    def _withdraw(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                  number: float) -> bool:  # fmt: skip
        open_ = [f for f, finding in state["findings"].items() if not finding["withdrawn"]]
        if "withdraw_finding" not in allows or not open_:
            return False
        self.app.withdraw_finding(
            self.cycle_id, actor_id="coord", finding_id=open_[pick % len(open_)], reason=text
        )
        return True

    def _priorities(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                    number: float) -> bool:  # fmt: skip
        if "set_priorities" not in allows:
            return False
        needs = open_needs(state)
        chosen = [f for index, f in enumerate(needs) if (pick >> index) & 1]
        if other % 2:
            chosen.reverse()
        self.app.set_priorities(
            self.cycle_id, actor_id="coord", finding_ids=chosen, reason=text if other % 3 else ""
        )
        return True

    # Planning ------------------------------------------------------------------------------

    def goal_fields(self, pick: int, other: int, text: str, number: float) -> dict[str, Any]:
        """Fields of a goal; some without indicator, baseline or due date."""
        return {
            "title": text,
            "indicator": "" if other % 4 == 0 else f"Indikator {text}",
            "unit": ("", "Praxen", "%")[pick % 3],
            "baseline": None if pick % 5 == 0 else number,
            "target": None if other % 5 == 0 else number + pick,
            "due": None if pick % 3 == 0 else BASE_DAY + timedelta(days=other % 365),
            "theme_id": (None, "network", "families")[other % 3],
        }

    def _goal(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
              number: float) -> bool:  # fmt: skip
        if "set_goal" not in allows:
            return False
        self.app.set_goal(
            self.cycle_id, actor_id="coord", goal_id=f"g{len(state['goals']) + 1}",
            **self.goal_fields(pick, other, text, number),
        )  # fmt: skip
        return True

    def _revise_goal(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                     number: float) -> bool:  # fmt: skip
        goals = sorted(state["goals"])
        if "revise_goal" not in allows or not goals:
            return False
        self.app.revise_goal(
            self.cycle_id, actor_id="coord", goal_id=goals[pick % len(goals)],
            reason=text if pick % 2 else "", **self.goal_fields(other, pick, text, number),
        )  # fmt: skip
        return True

    def measure_fields(
        self, state: dict[str, Any], pick: int, other: int, text: str
    ) -> dict[str, Any]:
        """Fields of a measure; some without goal, owner, dates or theme."""
        goals = sorted(state["goals"])
        start = None if pick % 4 == 0 else BASE_DAY + timedelta(days=pick % 200)
        theme_id = (None, "network", "families")[other % 3]
        return {
            "title": text,
            "goal_id": goals[other % len(goals)] if goals and other % 2 else None,
            "theme_id": theme_id,
            "responsible_member_id": (None, *MEMBERS)[pick % 4],
            "start": start,
            "due": None if other % 3 == 0 else (start or BASE_DAY) + timedelta(days=other % 90),
            "resources": "" if pick % 2 else f"Mittel: {text}",
            "attrs": {"level": 1 + other % 9} if theme_id == "network" and pick % 2 else {},
        }

    def _measure(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                 number: float) -> bool:  # fmt: skip
        if "plan_measure" not in allows:
            return False
        self.app.plan_measure(
            self.cycle_id, actor_id="coord", measure_id=f"m{len(state['measures']) + 1}",
            **self.measure_fields(state, pick, other, text),
        )  # fmt: skip
        return True

    def _revise_measure(self, state: dict[str, Any], allows: Any, pick: int, other: int,
                        text: str, number: float) -> bool:  # fmt: skip
        measures = sorted(state["measures"])
        if "revise_measure" not in allows or not measures:
            return False
        self.app.revise_measure(
            self.cycle_id, actor_id="coord", measure_id=measures[pick % len(measures)],
            reason=text if other % 2 else "", **self.measure_fields(state, other, pick, text),
        )  # fmt: skip
        return True

    # Implementation and review -------------------------------------------------------------

    def _status(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                number: float) -> bool:  # fmt: skip
        measures = sorted(state["measures"])
        if "change_measure_status" not in allows or not measures:
            return False
        measure_id = measures[pick % len(measures)]
        measure = state["measures"][measure_id]
        choices = [s for s in STATUSES if s != measure["status"]]
        status = choices[other % len(choices)]
        owner = measure["responsible_member_id"]
        self.app.change_measure_status(
            self.cycle_id, actor_id=owner if owner and pick % 2 else "coord",
            measure_id=measure_id, status=status,
            reason=text if status in ("blocked", "dropped") or other % 2 else "",
        )  # fmt: skip
        return True

    def _indicator(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                   number: float) -> bool:  # fmt: skip
        goals = sorted(state["goals"])
        if "record_indicator_value" not in allows or not goals:
            return False
        self.app.record_indicator_value(
            self.cycle_id, actor_id=MEMBERS[other % 2], goal_id=goals[pick % len(goals)],
            value=number, measured_on=BASE_DAY + timedelta(days=other % 365),
            source=text if pick % 2 else "",
        )  # fmt: skip
        return True

    def _review_goal(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                     number: float) -> bool:  # fmt: skip
        goals = sorted(state["goals"])
        if "review_goal" not in allows or not goals:
            return False
        self.review(goals[pick % len(goals)], other, text)
        return True

    def review(self, goal_id: str, other: int, text: str) -> None:
        """Judge a goal."""
        self.app.review_goal(
            self.cycle_id, actor_id="coord", goal_id=goal_id,
            verdict=VERDICTS[other % len(VERDICTS)], evidence=text,
        )  # fmt: skip

    def _lesson(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                number: float) -> bool:  # fmt: skip
        if "record_lesson" not in allows:
            return False
        self.app.record_lesson(
            self.cycle_id, actor_id="coord", lesson_id=f"l{len(state['lessons']) + 1}",
            text=text, theme_id=(None, "network", "families")[pick % 3],
        )  # fmt: skip
        return True

    def _comment(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                 number: float) -> bool:  # fmt: skip
        subjects = ["cycle"]
        for kind, key in (("goal", "goals"), ("measure", "measures"), ("finding", "findings"),
                          ("lesson", "lessons"), ("criterion", "assessments")):  # fmt: skip
            subjects += [f"{kind}:{item}" for item in sorted(state[key])]
        self.app.add_comment(
            self.cycle_id, actor_id=MEMBERS[other % len(MEMBERS)],
            subject=subjects[pick % len(subjects)], text=text,
        )  # fmt: skip
        return True

    # Phases --------------------------------------------------------------------------------

    def _advance(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                 number: float) -> bool:  # fmt: skip
        step = self.app.next_step(self.cycle_id)
        if step["next"] is None:
            return False
        if step["reasons"]:
            self.fix(state, step["reasons"][0]["code"], pick, other, text, number)
        elif step["closes"]:
            self.app.close_cycle(self.cycle_id, actor_id="coord", summary=text, follow_up="")
        else:
            self.app.advance_phase(self.cycle_id, actor_id="coord")
        return True

    def fix(self, state: dict[str, Any], code: str, pick: int, other: int, text: str,
            number: float) -> None:  # fmt: skip
        """Do what the first gate reason asks for."""
        if code == "assessment-missing":
            assessed = {key.split("/", 1)[0] for key in state["assessments"]}
            theme_id = next(t for t in state["themes"] if t not in assessed)
            criterion_id = next(c for t, c in sorted(CRITERIA) if t == theme_id)
            self.rate(theme_id, criterion_id, pick, other, text)
        elif code == "need-missing":
            self.app.record_finding(
                self.cycle_id, actor_id="coord", finding_id=f"f{len(state['findings']) + 1}",
                kind="need", text=text,
            )  # fmt: skip
        elif code == "priorities-missing":
            self.app.set_priorities(
                self.cycle_id, actor_id="coord", finding_ids=open_needs(state)[:1]
            )
        elif code == "goal-missing":
            fields = {**self.goal_fields(pick, other, text, number), "indicator": "Anzahl"}
            self.app.set_goal(
                self.cycle_id, actor_id="coord", goal_id=f"g{len(state['goals']) + 1}", **fields
            )
        elif code == "indicator-missing":
            goal_id = next(g for g, goal in sorted(state["goals"].items()) if not goal["indicator"])
            fields = {**self.goal_fields(pick, other, text, number), "indicator": "Anzahl"}
            self.app.revise_goal(self.cycle_id, actor_id="coord", goal_id=goal_id, **fields)
        elif code == "measure-missing":
            fields = self.measure_fields(state, pick, other, text)
            fields.update(responsible_member_id=MEMBERS[other % 3], start=None, due=BASE_DAY)
            self.app.plan_measure(
                self.cycle_id, actor_id="coord", measure_id=f"m{len(state['measures']) + 1}",
                **fields,
            )  # fmt: skip
        elif code == "measure-open":
            measure_id = next(
                m for m, measure in sorted(state["measures"].items())
                if measure["status"] not in ("done", "dropped", "carried-over")
            )  # fmt: skip
            self.app.change_measure_status(
                self.cycle_id, actor_id="coord", measure_id=measure_id,
                status=("done", "dropped", "carried-over")[other % 3], reason=text,
            )  # fmt: skip
        elif code == "goal-unreviewed":
            goal_id = next(g for g, goal in sorted(state["goals"].items()) if not goal["review"])
            self.review(goal_id, other, text)
        else:
            pytest.fail(f"the driver does not know gate reason {code!r}")

    def _reopen(self, state: dict[str, Any], allows: Any, pick: int, other: int, text: str,
                number: float) -> bool:  # fmt: skip
        target = REOPEN_TO.get(state["phase"])
        if target is None or pick % 3:
            return False
        self.app.reopen_phase(self.cycle_id, actor_id="coord", to_phase=target, reason=text)
        return True


def open_needs(state: dict[str, Any]) -> list[str]:
    """The needs that are not withdrawn, in id order."""
    return sorted(
        f for f, finding in state["findings"].items()
        if finding["kind"] == "need" and not finding["withdrawn"]
    )  # fmt: skip


def replayed(app: Qualizyklus, aggregate_id: UUID) -> dict[str, Any]:
    """The aggregate rebuilt from every stored event, without snapshots or cache."""
    aggregate: Any = None
    for record in app.recorder.select_events(aggregate_id):
        aggregate = app.mapper.to_domain_event(record).mutate(aggregate)  # type: ignore[attr-defined]
    assert aggregate is not None
    return plain_state(aggregate)


def aggregate_state(app: Qualizyklus, aggregate_id: UUID) -> dict[str, Any]:
    """The aggregate's own state, loaded through the application's repository."""
    return plain_state(app.repository.get(aggregate_id))


def plain_state(aggregate: Any) -> dict[str, Any]:
    """The state as queries give it: a cycle's ``as_state()``, otherwise ``as_dict()``."""
    return dict(aggregate.as_state() if hasattr(aggregate, "as_state") else aggregate.as_dict())


@hypothesis_settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=sequences,
    snapshot_pick=st.integers(0, 10_000),
)
def test_every_way_of_loading_a_cycle_gives_the_same_state(
    app: Qualizyklus,
    settings: Settings,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    steps: list[tuple[str, int, int, str, float]],
    snapshot_pick: int,
) -> None:
    slug = f"replay-{secrets.token_hex(6)}"
    organisation_id = app.register_organisation(
        name="Netzwerk Frühe Hilfen", slug=slug, land="SN", coordinator_id="coord"
    )
    for member in MEMBERS[1:]:
        app.grant_role(organisation_id, actor_id="coord", member_id=member, role="contributor")
    cycle_id = app.start_cycle(
        organisation_id, actor_id="coord", title="Zyklus", themes=["network", "families"],
        period_start="2025-01-01", period_end="2025-12-31",
    )  # fmt: skip
    driver = Driver(app, cycle_id)
    for step in steps:
        driver.apply(step)

    # (a) the running application (its cache), as the aggregate and as the query shows it
    running = aggregate_state(app, cycle_id)
    assert app.cycle(cycle_id).items() >= running.items()
    assert running["version"] == len(steps) + 1

    # (b) every event replayed from scratch
    assert replayed(app, cycle_id) == running

    # (c) a fresh application loading from a snapshot (and the events after it)
    assert app.snapshots is not None
    taken = {snapshot.originator_version for snapshot in app.snapshots.get(cycle_id)}
    version = 1 + snapshot_pick % running["version"]
    if version not in taken:  # the automatic snapshot every 50 events may be there already
        app.take_snapshot(cycle_id, version=version)
    assert version in {snapshot.originator_version for snapshot in app.snapshots.get(cycle_id)}
    fresh = Qualizyklus(settings, themes=SAMPLE_THEMES)
    try:
        assert aggregate_state(fresh, cycle_id) == running
        assert fresh.organisation(organisation_id) == app.organisation(organisation_id)
        assert verify(fresh).ok
    finally:
        fresh.close()

    # (d) exported and imported into an empty store
    out = io.StringIO()
    export_organisation(app, slug, out)
    target = Qualizyklus(empty_store_like(settings, tmp_path, request), themes=SAMPLE_THEMES)
    try:
        out.seek(0)
        import_history(target, out)
        assert aggregate_state(target, cycle_id) == running
        assert target.organisation(organisation_id) == app.organisation(organisation_id)
    finally:
        target.close()
