"""Data for scale: many organisations with years of cycles, for benchmarks and load tests.

``generate`` writes N Kommunen and Landkreise spread over the Länder, each with members, chosen
themes and a chain of yearly cycles (each following the one before), all closed except the
last, which is in implementation with measures overdue and due soon. The events are exactly
what the service's commands would write (same fields, actors, reasons and seal chain), but the
generator drives the aggregates directly and saves one organisation with all its cycles in one
transaction, so that two million events take minutes rather than hours.

Like the demo it knows no theme by name: it rates every criterion of the installed themes on
its own scale and plans from the themes' templates. It is deterministic for a seed (and a day):
ids, names, ratings and figures come from the seed. It is idempotent: an organisation that
exists already is left alone, so a second run with the same seed writes nothing and an
interrupted run can be resumed.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, RecordConflictError

from engine.application.cycle_commands import _carry_over_measures
from engine.application.service import Qualizyklus
from engine.application.store import DEFAULT_WORKFLOW, SYSTEM_ACTOR
from engine.demo.networks import STATUS_REASONS
from engine.domain import validation as check
from engine.domain.catalogue import Scale, Theme
from engine.domain.cycle import Cycle
from engine.domain.errors import InvalidInput
from engine.domain.organisation import LAENDER, Organisation, organisation_id_for
from engine.domain.sealing import SealedAggregate
from engine.domain.workflow import WorkflowDefinition

EVENTS_PER_CYCLE = 200
"""Events a closed cycle aims at (500 organisations x 20 cycles: about two million events)."""

ORGANISATIONS_PER_LAND = 25
"""Organisations go round-robin over the first max(1, N // this) Länder (at most all 16)."""

ID_NAMESPACE = "https://qualizyklus.de/demo-scale/"

KINDS = (
    ("Landkreis", "lk"),
    ("Stadt", "st"),
    ("Kreis", "kr"),
    ("Gemeinde", "gem"),
    ("Samtgemeinde", "sg"),
)
PLACES = (
    "Musterhausen",
    "Lindenau",
    "Birkenfelde",
    "Rosenbach",
    "Eichenried",
    "Talheim",
    "Waldstetten",
    "Auenrode",
    "Steinbrück",
    "Mühlental",
    "Hohenweide",
    "Kirchdorf",
    "Sonnenberg",
    "Wiesenau",
    "Bergstedt",
    "Seeburg",
)
FIRST_NAMES = ("Anna", "Jonas", "Fatma", "Lena", "Mehmet", "Sophie", "Paul", "Olga", "Tim", "Eva")
LAST_NAMES = ("Becker", "Schulz", "Yilmaz", "Hoffmann", "Krüger", "Novak", "Wagner", "Fischer")
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

Progress = Callable[[int], object]


@dataclass(frozen=True)
class ScaleSummary:
    """What one run wrote: organisations (new and already there), cycles, events, seconds."""

    organisations: int
    skipped: int
    cycles: int
    events: int
    elapsed: float

    @property
    def events_per_second(self) -> float:
        """Events written per second of the run."""
        return self.events / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True)
class ScaleOrganisation:
    """One generated organisation: its slug, name and Land."""

    index: int
    slug: str
    name: str
    land: str


def plan_organisations(organisations: int, seed: int) -> list[ScaleOrganisation]:
    """The organisations a run with this size and seed writes (slugs are unique per seed)."""
    laender = LAENDER[: min(len(LAENDER), max(1, organisations // ORGANISATIONS_PER_LAND))]
    planned = []
    for index in range(organisations):
        kind, short = KINDS[index % len(KINDS)]
        place = PLACES[(index // len(KINDS) + seed) % len(PLACES)]
        number = index + 1
        slug = f"{short}-{_slug(place)}-{number}-s{seed}"
        name = f"{kind} {place} {number}"
        planned.append(ScaleOrganisation(index, slug, name, laender[index % len(laender)]))
    return planned


def generate(
    app: Qualizyklus,
    organisations: int,
    *,
    cycles_per_organisation: int = 20,
    seed: int = 1,
    progress: Progress | None = None,
    today: date | None = None,
) -> ScaleSummary:
    """Write ``organisations`` networks with ``cycles_per_organisation`` yearly cycles each.

    Organisations that exist already are skipped. ``progress`` is called with 1 after each
    organisation; ``today`` (default: today) places the running cycle's deadlines.
    """
    _check_size("organisations", organisations)
    _check_size("cycles_per_organisation", cycles_per_organisation)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInput("seed", "muss eine ganze Zahl ab 0 sein", "must be a whole number >= 0")
    catalogue = _Catalogue.of(app)
    today = today or date.today()
    started = time.perf_counter()
    written = skipped = cycles = events = 0
    for planned in plan_organisations(organisations, seed):
        network = _Network(app, catalogue, planned, random.Random(f"{seed}/{planned.slug}"))
        network.check_gates = written == 0
        counts = network.write(cycles_per_organisation, today)
        if counts is None:
            skipped += 1
        else:
            written += 1
            cycles += counts[0]
            events += counts[1]
        if progress is not None:
            progress(1)
    return ScaleSummary(written, skipped, cycles, events, time.perf_counter() - started)


def _save(app: Qualizyklus, aggregates: Sequence[SealedAggregate]) -> None:
    """Store the aggregates' new events in one transaction, then their snapshots.

    This is ``Application.save`` except that the snapshots (every ``snapshotting_intervals``
    events, as the commands leave them) are taken from the events in memory instead of each
    being loaded back from the database, which would double the work.
    """
    snapshots = [snapshot for aggregate in aggregates for snapshot in _snapshots(app, aggregate)]
    processing: ProcessingEvent[UUID] = ProcessingEvent()
    processing.collect_events(*aggregates)
    recordings = app.events.put(processing.events)
    if app.snapshots is not None and snapshots:
        app.snapshots.put(snapshots)
    app._notify(recordings)


def _snapshots(app: Qualizyklus, aggregate: SealedAggregate) -> list[Any]:
    """Snapshots at every interval's multiple among the aggregate's pending events."""
    interval = app.snapshotting_intervals.get(type(aggregate))
    if app.snapshots is None or not interval:
        return []
    snapshot_class = getattr(type(aggregate), "Snapshot", type(app).snapshot_class)
    assert snapshot_class is not None
    taken = []
    replayed: Any = None
    for event in aggregate.pending_events:
        replayed = event.mutate(replayed)
        if event.originator_version % interval == 0:
            taken.append(snapshot_class.take(copy.deepcopy(replayed)))
    return taken


def _check_size(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(field, "muss eine ganze Zahl ab 1 sein", "must be a whole number >= 1")


def _slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return text.lower().translate(table)


@dataclass(frozen=True)
class _Item:
    """A goal or measure to plan: its theme (or None), title and checked attrs."""

    theme_id: str | None
    title: str
    attrs: dict[str, Any]


@dataclass(frozen=True)
class _Catalogue:
    """The installed themes, the workflow and the goal and measure items they offer."""

    themes: tuple[Theme, ...]
    definition: WorkflowDefinition
    goals: dict[str, tuple[_Item, ...]]
    measures: dict[str, tuple[_Item, ...]]
    assessment_attrs: dict[str, dict[str, Any]]

    @classmethod
    def of(cls, app: Qualizyklus) -> _Catalogue:
        """Read the themes' templates once, their attrs checked as the commands check them."""
        themes = tuple(sorted(app.themes.values(), key=lambda theme: theme.id))
        if not themes:
            raise InvalidInput(
                "themes",
                "Es ist kein Thema installiert; die Daten brauchen mindestens ein Themen-Plugin.",
                "No theme is installed; the data needs at least one theme plugin.",
            )
        definition = app.workflows.latest(DEFAULT_WORKFLOW)
        if definition is None:
            msg = f"workflow {DEFAULT_WORKFLOW} is not installed"
            raise RuntimeError(msg)
        goals = {t.id: _items(t, "goal", t.goal_schema) for t in themes}
        measures = {t.id: _items(t, "measure", t.measure_schema) for t in themes}
        assessment_attrs = {t.id: check.attrs(None, t.assessment_schema) for t in themes}
        return cls(themes, definition, goals, measures, assessment_attrs)


def _items(theme: Theme, kind: str, schema: Any) -> tuple[_Item, ...]:
    items = [
        _Item(theme.id, template.title.de, check.attrs(dict(template.attrs), schema))
        for template in theme.templates
        if template.kind == kind
    ]
    if items:
        return tuple(items)
    title = f"{theme.title.de}: " + ("Ziel weiterentwickeln" if kind == "goal" else "Arbeitsgruppe")
    try:
        return (_Item(theme.id, title, check.attrs({}, schema)),)
    except InvalidInput:  # the theme's schema needs attrs that only its templates know
        return (_Item(None, title, {}),)


class _Network:
    """Builds one organisation and its cycles in memory, as the commands would."""

    def __init__(
        self,
        app: Qualizyklus,
        catalogue: _Catalogue,
        planned: ScaleOrganisation,
        rng: random.Random,
    ) -> None:
        self.app = app
        self.catalogue = catalogue
        self.planned = planned
        self.check_gates = True
        """Whether each transition checks its gates, core and plugins' (slow: the first
        organisation of a run checks them, the rest are made alike)."""
        self.rng = rng
        contributors = rng.randint(1, 2)
        keys = [("koordination", "coordinator")]
        keys += [(f"fachkraft-{n + 1}", "contributor") for n in range(contributors)]
        keys.append(("ausschuss", "viewer"))
        self.members = [(self._member_id(key), key, role) for key, role in keys]
        self.coordinator = self.members[0][0]
        self.raters = [member for member, _key, role in self.members if role != "viewer"]
        count = rng.randint(min(2, len(catalogue.themes)), len(catalogue.themes))
        chosen = rng.sample(catalogue.themes, count)
        self.themes = [theme for theme in catalogue.themes if theme in chosen]

    def _member_id(self, key: str) -> str:
        return str(uuid5(NAMESPACE_URL, f"{ID_NAMESPACE}{self.planned.slug}/{key}"))

    def new_id(self) -> str:
        """A twelve-character item id like the service's, but from the seed."""
        return f"{self.rng.getrandbits(48):012x}"

    def build(self, cycles: int, today: date) -> list[Organisation | Cycle]:
        """The organisation (registered, members, themes) and its chain of cycles."""
        planned = self.planned
        organisation = Organisation.register(
            actor_id=SYSTEM_ACTOR, name=planned.name, slug=planned.slug, land=planned.land
        )
        organisation.grant_role(
            actor_id=SYSTEM_ACTOR, member_id=self.coordinator, role="coordinator"
        )
        for member_id, _key, role in self.members[1:]:
            organisation.grant_role(actor_id=self.coordinator, member_id=member_id, role=role)
        organisation.choose_themes(
            actor_id=self.coordinator, theme_ids=[theme.id for theme in self.themes]
        )
        built: list[Cycle] = []
        first_year = today.year - cycles + 1
        for year in range(first_year, today.year + 1):
            previous = built[-1] if built else None
            running = year == today.year
            cycle = _CycleBuilder(self, organisation, year, today if running else None)
            built.append(cycle.build(previous))
        return [organisation, *built]

    def write(self, cycles: int, today: date) -> tuple[int, int] | None:
        """Build and store the organisation and its cycles; None if it exists already.

        Returns the number of cycles and of events written.
        """
        if self.app.recorder.select_events(organisation_id_for(self.planned.slug), limit=1):
            return None
        aggregates = self.build(cycles, today)
        try:
            _save(self.app, aggregates)
        except (IntegrityError, RecordConflictError):  # written meanwhile by another run
            return None
        self.create_profiles()
        return len(aggregates) - 1, sum(aggregate.version for aggregate in aggregates)

    def create_profiles(self) -> None:
        """Profiles with generated names (no password: these people cannot sign in)."""
        for member_id, key, _role in self.members:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            email = f"{key}@{self.planned.slug}.example"
            self.app.profiles.put(member_id, display_name=name, email=email)


class _CycleBuilder:
    """One yearly cycle: analyse, plan, implement and (unless running) review and close."""

    def __init__(
        self, network: _Network, organisation: Organisation, year: int, today: date | None
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
    rng: random.Random, per_theme: Sequence[tuple[_Item, ...]], low: int, high: int
) -> list[_Item]:
    """Between ``low`` and ``high`` items, taken in turn from each theme's offer."""
    wanted = rng.randint(low, high)
    shuffled = [rng.sample(items, len(items)) for items in per_theme]
    chosen: list[_Item] = []
    round_ = 0
    while len(chosen) < wanted:
        for items in shuffled:
            if len(chosen) < wanted:
                chosen.append(items[round_ % len(items)])
        round_ += 1
    return chosen
