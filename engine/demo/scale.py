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
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError, RecordConflictError

from engine.application.service import Qualizyklus
from engine.application.store import SYSTEM_ACTOR
from engine.demo.scale_cycles import EVENTS_PER_CYCLE, ID_NAMESPACE, CycleBuilder
from engine.demo.scale_plan import ScaleCatalogue, ScaleOrganisation, plan_organisations
from engine.domain.cycle import Cycle
from engine.domain.errors import InvalidInput
from engine.domain.organisation import Organisation, organisation_id_for
from engine.domain.sealing import SealedAggregate

__all__ = [
    "EVENTS_PER_CYCLE",
    "ScaleOrganisation",
    "ScaleSummary",
    "generate",
    "plan_organisations",
]

FIRST_NAMES = ("Anna", "Jonas", "Fatma", "Lena", "Mehmet", "Sophie", "Paul", "Olga", "Tim", "Eva")
LAST_NAMES = ("Becker", "Schulz", "Yilmaz", "Hoffmann", "Krüger", "Novak", "Wagner", "Fischer")
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
    catalogue = ScaleCatalogue.of(app)
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
    recordings = app._record(processing)  # the events with their free texts beside them
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


class _Network:
    """Builds one organisation and its cycles in memory, as the commands would."""

    def __init__(
        self,
        app: Qualizyklus,
        catalogue: ScaleCatalogue,
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
            cycle = CycleBuilder(self, organisation, year, today if running else None)
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
