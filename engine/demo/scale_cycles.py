"""One generated yearly cycle: analysed, planned, implemented and (unless running) closed.

The events are exactly what the service's commands would write (same fields, actors, reasons
and seal chain); the builder drives the aggregate directly (engine/demo/scale.py saves it).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Protocol
from uuid import NAMESPACE_URL, uuid5

from engine.application.commands.start import _carry_over_measures
from engine.application.service import Qualizyklus
from engine.demo.networks import STATUS_REASONS
from engine.demo.scale_plan import Item, ScaleCatalogue, ScaleOrganisation
from engine.domain.catalogue import Scale, Theme
from engine.domain.cycle import Cycle
from engine.domain.organisation import Organisation

EVENTS_PER_CYCLE = 200
"""Events a closed cycle aims at (500 organisations x 20 cycles: about two million events)."""
ID_NAMESPACE = "https://qualizyklus.de/demo-scale/"
INDICATOR_UNITS = ("Anzahl", "Prozent", "Termine")
PROGRESS_NOTES = (
    "Sachstand: Termine mit den Partnern sind vereinbart.",
    "Sachstand: Die Umsetzung läuft wie geplant.",
    "Sachstand: Rückmeldungen aus dem Netzwerk sind eingearbeitet.",
    "Sachstand: Verzögerung wegen Personalwechsel, Nachsteuerung besprochen.",
    "Sachstand: Zwischenergebnis in der Steuerungsgruppe vorgestellt.",
)
LESSONS = (
    "Frühzeitige Einbindung des Jugendhilfeausschusses beschleunigt Beschlüsse.",
    "Rückmeldungen von Eltern brauchen feste Termine und niedrigschwellige Formate.",
    "Kleine, klar verantwortete Maßnahmen kommen schneller voran als große Vorhaben.",
    "Indikatoren müssen mit den Partnern abgestimmt sein, bevor erhoben wird.",
)


class Network(Protocol):
    """What a cycle needs of its organisation's network (engine/demo/scale.py builds one)."""

    app: Qualizyklus
    rng: random.Random
    catalogue: ScaleCatalogue
    planned: ScaleOrganisation
    coordinator: str
    raters: list[str]
    themes: list[Theme]
    check_gates: bool

    def new_id(self) -> str:
        """A new item id, from the seed."""


class CycleBuilder:
    """One yearly cycle: analyse, plan, implement and (unless running) review and close."""

    def __init__(
        self, network: Network, organisation: Organisation, year: int, today: date | None
    ) -> None:
        self.network = network
        self.app = network.app
        self.rng = network.rng
        self.organisation = organisation
        self.year = year
        self.today = today
        self.coordinator = network.coordinator
        self.raters = network.raters
        self.cycle: Cycle

    @property
    def running(self) -> bool:
        """Whether this is the current year's cycle (it stays in implementation)."""
        return self.today is not None

    def build(self, previous: Cycle | None) -> Cycle:
        """Start the cycle and take it through its phases."""
        self._start(previous)
        self._analyse()
        self._advance()
        goals = self._plan()
        self._advance()
        self._implement(goals)
        if self.running:
            return self.cycle
        self._advance()
        self._review(goals)
        self._close()
        return self.cycle

    # Phases ------------------------------------------------------------------------------

    def _start(self, previous: Cycle | None) -> None:
        network = self.network
        definition = network.catalogue.definition
        slug = network.planned.slug
        themes = [theme.id for theme in network.themes]
        self.cycle = Cycle.start(
            actor_id=self.coordinator,
            id=uuid5(NAMESPACE_URL, f"{ID_NAMESPACE}{slug}/cycle/{self.year}"),
            organisation_id=self.organisation.id,
            title=f"Qualitätszyklus {self.year} – {network.planned.name}",
            themes=themes,
            workflow_id=definition.id,
            workflow_version=definition.version,
            first_phase=definition.first_phase,
            period_start=date(self.year, 1, 1),
            period_end=date(self.year, 12, 31),
            theme_versions={theme.id: theme.version for theme in network.themes},
            follows=previous.id if previous else None,
        )
        if previous is not None:
            _carry_over_measures(previous, self.cycle, self.organisation, self.coordinator)
        self.organisation.register_cycle(actor_id=self.coordinator, cycle_id=self.cycle.id)

    def _analyse(self) -> None:
        needs = []
        for theme in self.network.themes:
            bias = self.rng.randint(-1, 1)
            lowest: tuple[float, str] | None = None
            for criterion in theme.criteria:
                positions = []
                for rater in self.raters:
                    value = _rating(self.rng, criterion.scale, bias)
                    positions.append(criterion.scale.position(value))
                    self.cycle.record_assessment(
                        actor_id=rater,
                        theme_id=theme.id,
                        criterion_id=criterion.id,
                        rater_id=rater,
                        value=value,
                        note="",
                        attrs=dict(self.network.catalogue.assessment_attrs[theme.id]),
                    )
                mean = sum(positions) / len(positions) / max(criterion.scale.span, 1.0)
                if lowest is None or mean < lowest[0]:
                    lowest = (mean, criterion.id)
            self._finding("strength", theme, None, "Die Partner arbeiten verlässlich zusammen.")
            criterion_id = lowest[1] if lowest else None
            needs.append(self._finding("need", theme, criterion_id, "Hier besteht Bedarf."))
        self.cycle.set_priorities(actor_id=self.coordinator, finding_ids=needs)

    def _finding(self, kind: str, theme: Theme, criterion_id: str | None, text: str) -> str:
        finding_id = self.network.new_id()
        self.cycle.record_finding(
            actor_id=self.coordinator,
            finding_id=finding_id,
            kind=kind,
            text=f"{theme.title.de}: {text} ({self.year})",
            theme_id=theme.id,
            criterion_id=criterion_id,
        )
        return finding_id

    def _plan(self) -> list[str]:
        catalogue = self.network.catalogue
        themes = self.network.themes
        goal_items = _spread(self.rng, [catalogue.goals[t.id] for t in themes], 2, 4)
        goals = []
        fields: dict[str, Any]
        for item in goal_items:
            goal_id = self.network.new_id()
            baseline = float(self.rng.randint(2, 20))
            fields = {
                "goal_id": goal_id,
                "theme_id": item.theme_id,
                "title": item.title,
                "indicator": f"Kennzahl: {item.title}",
                "unit": self.rng.choice(INDICATOR_UNITS),
                "baseline": baseline,
                "target": baseline + self.rng.randint(3, 10),
                "due": date(self.year, 11, 30),
                "attrs": dict(item.attrs),
            }
            self.app._validate_item("goal", fields, self.cycle.phase)
            self.cycle.set_goal(actor_id=self.coordinator, **fields)
            goals.append(goal_id)
        measure_items = _spread(self.rng, [catalogue.measures[t.id] for t in themes], 3, 6)
        for index, item in enumerate(measure_items):
            start, due = self._measure_dates(index, len(measure_items))
            fields = {
                "measure_id": self.network.new_id(),
                "title": item.title,
                "goal_id": goals[index % len(goals)],
                "theme_id": item.theme_id,
                "responsible_member_id": self.raters[index % len(self.raters)],
                "start": start,
                "due": due,
                "resources": f"{self.rng.randint(4, 40)} Stunden Netzwerkkoordination",
                "attrs": dict(item.attrs),
            }
            self.app._validate_item("measure", fields, self.cycle.phase)
            self.cycle.plan_measure(actor_id=self.coordinator, **fields)
        return goals

    def _measure_dates(self, index: int, count: int) -> tuple[date, date]:
        """Spread over the year; the running cycle's are overdue, due soon or later."""
        if self.today is None:
            start = date(self.year, self.rng.randint(2, 5), self.rng.randint(1, 28))
            due = date(self.year, self.rng.randint(6, 11), self.rng.randint(1, 28))
            return start, due
        kind = index % 3
        if kind == 0:
            due = self.today - timedelta(days=self.rng.randint(1, 45))  # overdue
        elif kind == 1:
            due = self.today + timedelta(days=self.rng.randint(1, 14))  # due soon
        else:
            due = self.today + timedelta(days=self.rng.randint(30, 120))
        return due - timedelta(days=self.rng.randint(60, 150)), due

    def _implement(self, goals: list[str]) -> None:
        measures = list(self.cycle.measures)
        for measure_id in measures:
            start = self.cycle.measures[measure_id]["start"]
            if self.today is None or start is None or start <= self.today:
                self._move(measure_id, "running")
        self._progress(goals, measures)
        self._feedback("parents", "Elterncafé: Die Angebote sind bekannter geworden.")
        if self.today is None:
            self._settle(measures)
        else:
            self._finish_some(measures, self.today)

    def _progress(self, goals: list[str], measures: list[str]) -> None:
        """Indicator values and progress notes over the year, filling the cycle's budget.

        A closed cycle ends with exactly ``EVENTS_PER_CYCLE`` events (unless its assessments
        alone take more); the running cycle has the part of the year that has passed.
        """
        # still to come: feedback, statuses (one blocked and resumed), review and close
        to_come = 1 + len(measures) + 2 + 1 + len(goals) + 1 + 2 + 1
        budget = max(2 * len(goals), EVENTS_PER_CYCLE - self.cycle.version - to_come)
        months = 12
        if self.today is not None:
            months = self.today.month - (1 if self.today.day < 15 else 0)
            budget = budget * months // 12
        per_goal = min(months, budget // (2 * len(goals)))
        for goal_id in goals:
            self._indicator_values(goal_id, per_goal, months)
        notes = max(0, budget - per_goal * len(goals))
        for n in range(notes):
            measure_id = measures[n % len(measures)]
            responsible = self.cycle.measures[measure_id]["responsible_member_id"]
            self.cycle.add_comment(
                actor_id=responsible or self.coordinator,
                comment_id=self.network.new_id(),
                subject=f"measure:{measure_id}",
                text=PROGRESS_NOTES[n % len(PROGRESS_NOTES)],
            )

    def _indicator_values(self, goal_id: str, count: int, months: int) -> None:
        goal = self.cycle.goals[goal_id]
        baseline, target = goal["baseline"], goal["target"]
        reach = self.rng.uniform(0.3, 1.3)
        for n in range(count):
            month = 1 + (n * months) // count
            share = (n + 1) / count * reach
            value = round(baseline + (target - baseline) * share + self.rng.uniform(-1, 1), 1)
            self.cycle.record_indicator_value(
                actor_id=self.raters[-1],
                goal_id=goal_id,
                value=float(value),
                measured_on=date(self.year, month, 15),
                source="Netzwerkstatistik",
            )

    def _settle(self, measures: list[str]) -> None:
        finals = ["done", "done", "done", "dropped", "done", "carried-over"]
        for n, measure_id in enumerate(measures):
            status = finals[(n + self.rng.randint(0, 5)) % len(finals)]
            if n == 1:
                self._move(measure_id, "blocked")
                self._move(measure_id, "running")
            self._move(measure_id, status)

    def _finish_some(self, measures: list[str], today: date) -> None:
        """In the running cycle, some measures past their due date are done; the first is not."""
        overdue = [
            measure_id
            for measure_id in measures
            if self.cycle.measures[measure_id]["status"] == "running"
            and (self.cycle.measures[measure_id]["due"] or today) < today
        ]
        for measure_id in overdue[1:]:
            if self.rng.random() < 0.5:
                self._move(measure_id, "done")

    def _review(self, goals: list[str]) -> None:
        for goal_id in goals:
            goal = self.cycle.goals[goal_id]
            last = goal["values"][-1]["value"] if goal["values"] else goal["baseline"]
            halfway = goal["baseline"] + (goal["target"] - goal["baseline"]) / 2
            verdict = (
                "reached" if last >= goal["target"] else "partly" if last >= halfway else "not"
            )
            self.cycle.review_goal(
                actor_id=self.coordinator,
                goal_id=goal_id,
                verdict=verdict,
                evidence=f"Letzter Indikatorwert {last:g} (Ziel {goal['target']:g}).",
                reason="",
            )
        self._feedback("practitioners", "Die Fallberatung im Netzwerk wird als entlastend erlebt.")
        for text in self.rng.sample(LESSONS, 2):
            self.cycle.record_lesson(
                actor_id=self.coordinator, lesson_id=self.network.new_id(), text=text, theme_id=None
            )

    def _close(self) -> None:
        self.cycle.close(
            actor_id=self.coordinator,
            to_phase=self._transition().target,
            summary=f"Der Zyklus {self.year} ist ausgewertet; die Ergebnisse gehen in die "
            "Planung des Folgejahres ein.",
            follow_up="Übertragene Maßnahmen werden im nächsten Zyklus fortgesetzt.",
        )

    # Steps -------------------------------------------------------------------------------

    def _transition(self) -> Any:
        definition = self.network.catalogue.definition
        transition = definition.next_transition(self.cycle.phase)
        if transition is None:
            msg = f"the workflow has no step after {self.cycle.phase}"
            raise RuntimeError(msg)
        if not self.network.check_gates:
            return transition
        reasons = self.app._gate_reasons(definition, transition, self.cycle)
        if reasons:
            msg = f"generated cycle fails its gates: {[reason.en for reason in reasons]}"
            raise RuntimeError(msg)
        return transition

    def _advance(self) -> None:
        self.cycle.advance(actor_id=self.coordinator, to_phase=self._transition().target)

    def _move(self, measure_id: str, status: str) -> None:
        responsible = self.cycle.measures[measure_id]["responsible_member_id"]
        self.cycle.change_measure_status(
            actor_id=responsible or self.coordinator,
            measure_id=measure_id,
            status=status,
            reason=STATUS_REASONS.get(status, ""),
        )

    def _feedback(self, source: str, text: str) -> None:
        self.cycle.record_feedback(
            actor_id=self.raters[-1],
            feedback_id=self.network.new_id(),
            source=source,
            theme_id=None,
            text=text,
            attrs={},
        )


def _rating(rng: random.Random, scale: Scale, bias: int) -> float | str:
    """A value on the scale, as the demo rates (whole numbers stay whole)."""
    if scale.kind == "levels":
        top = len(scale.levels) - 1
        return scale.levels[min(top, max(0, rng.randint(0, top) + bias))].id
    steps = int((scale.maximum - scale.minimum) / scale.step)
    step = min(steps, max(0, rng.randint(steps // 3, steps) + bias))
    value = scale.minimum + step * scale.step
    return int(value) if float(value).is_integer() else value


def _spread(
    rng: random.Random, per_theme: Sequence[tuple[Item, ...]], low: int, high: int
) -> list[Item]:
    """Between ``low`` and ``high`` items, taken in turn from each theme's offer."""
    wanted = rng.randint(low, high)
    shuffled = [rng.sample(items, len(items)) for items in per_theme]
    chosen: list[Item] = []
    round_ = 0
    while len(chosen) < wanted:
        for items in shuffled:
            if len(chosen) < wanted:
                chosen.append(items[round_ % len(items)])
        round_ += 1
    return chosen
