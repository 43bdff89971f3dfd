"""The store beneath the service: the eventsourcing Application, configuration, load and save.

Command and query mixins (organisations, cycles, plans, phases) build on this class; the
service (engine/application/service.py) combines them.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    RecordConflictError,
    Recording,
    Transcoding,
)
from eventsourcing.utils import Environment, EnvType

from engine.application.tokens import is_token_member, token_store
from engine.domain.catalogue import Theme
from engine.domain.cycle import Cycle
from engine.domain.errors import (
    Conflict,
    InvalidInput,
    NotAllowedInPhase,
    NotFound,
    Reason,
)
from engine.domain.organisation import TOKEN_MEMBER_PREFIX, Organisation
from engine.domain.sealing import QualizyklusSnapshot, SealedAggregate
from engine.domain.workflow import (
    Transition,
    WorkflowDefinition,
    WorkflowRegistry,
    builtin_definitions,
)
from engine.extensions.isolation import Extensions
from engine.extensions.manager import LoadedPlugins
from engine.infrastructure.profiles import ProfileStore
from engine.infrastructure.settings import SNAPSHOT_INTERVAL, Settings
from engine.infrastructure.side_tables import open_side_table

SYSTEM_ACTOR = "system"
"""The actor of installation-level commands (command line, administrators)."""

DEFAULT_WORKFLOW = "standard"

A = TypeVar("A", bound=SealedAggregate)


class DateAsISO(Transcoding):
    """Stores ``datetime.date`` values as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        """Encode a date."""
        return obj.isoformat()

    def decode(self, data: str) -> date:
        """Decode a date."""
        return date.fromisoformat(data)


class Store(Application[UUID]):
    """The application's persistence: sealed events, snapshots, cache, profiles, definitions."""

    name = "Qualizyklus"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Keep the application name (it names the tables) in every subclass and mixin."""
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__ or cls.name == cls.__name__:
            cls.name = Store.name

    snapshotting_intervals = {Cycle: SNAPSHOT_INTERVAL, Organisation: SNAPSHOT_INTERVAL}  # noqa: RUF012
    snapshot_class = QualizyklusSnapshot

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        create_tables: bool = False,
        themes: Mapping[str, Theme] | None = None,
        workflows: WorkflowRegistry | None = None,
        plugins: LoadedPlugins | None = None,
    ) -> None:
        self.settings = settings or Settings.from_environ()
        super().__init__(self.settings.eventsourcing_env(create_tables=create_tables))
        self.themes: dict[str, Theme] = dict(themes or {})
        self.workflows = workflows or WorkflowRegistry(builtin_definitions())
        self.profiles = self._construct_profile_store()
        self.plugins = plugins
        self.extensions = Extensions(plugins.manager if plugins else None)
        self._states: Recent[tuple[UUID, int], dict[str, Any]] = Recent(PLAIN_STATES)
        self.computed: Recent[tuple[Any, ...], Any] = Recent(PLAIN_STATES)
        if create_tables:
            self.profiles.create_table()
            # Sign-in sessions and failed sign-ins (engine/infrastructure/login_sessions.py,
            # engine/infrastructure/sign_in_throttle.py), shared by every worker and host.
            self.profiles.sessions.create_table()
            self.profiles.throttle.create_table()
            # API tokens (engine/application/tokens.py) keep their hashed secrets in a table of
            # their own
            # in the same database; like the profiles, it is created only by `qualizyklus init`.
            token_store(self).create_table()
            # What reminders were mailed to whom (engine/application/reminders.py), so none goes
            # out twice.
            from engine.application.reminders import sent_reminders  # it imports this module

            sent_reminders(self).create_table()
            from engine.application.state_office import state_office  # state coordinators (LaKo)

            state_office(self).create_table()
            # The read models (engine/readmodels/) and their tracking record.
            from engine.readmodels import create_tables as create_read_model_tables

            create_read_model_tables(self)

    # Infrastructure ------------------------------------------------------------------------

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Configure from the given settings only, never from stray environment variables."""
        return Environment(name, dict(env or {}))

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add dates to the library's UUID, Decimal and datetime transcodings."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def _construct_profile_store(self) -> ProfileStore:
        return open_side_table(self, ProfileStore)

    def _save(self, *aggregates: SealedAggregate) -> None:
        try:
            self.save(*aggregates)
        except (IntegrityError, RecordConflictError):
            raise Conflict() from None

    def _load(self, aggregate_class: type[A], aggregate_id: UUID, *, for_change: bool) -> A:
        aggregate: object
        try:
            aggregate = self.repository.get(aggregate_id, deepcopy_from_cache=for_change)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, aggregate_class):
            raise NotFound()
        return aggregate

    def _peek(self, aggregate_class: type[A], aggregate_id: UUID) -> A:
        """The cached aggregate as it is (no query for newer events), else a fresh load.

        Only for pre-checks that the real query or command repeats with fresh data.
        """
        cache = self.repository.cache
        if cache is not None:
            try:
                aggregate = cache.get(aggregate_id)
            except KeyError:
                aggregate = None
            if isinstance(aggregate, aggregate_class):
                return aggregate
        return self._load(aggregate_class, aggregate_id, for_change=False)

    def _notifications(self, topics: list[str]) -> Iterable[Any]:
        start = 1
        while True:
            page = self.recorder.select_notifications(start, 500, topics=topics)
            yield from page
            if len(page) < 500:
                return
            start = page[-1].id + 1

    def _theme(self, theme_id: object, field: str) -> Theme:
        theme = self.themes.get(theme_id) if isinstance(theme_id, str) else None
        if theme is None:
            raise InvalidInput(
                field, f"Das Thema {theme_id!r} ist nicht installiert.", f"No theme {theme_id!r}."
            )
        return theme

    def _plain(self, cycle: Cycle) -> dict[str, Any]:
        """The cycle's state as plain data, computed once per version (read-only: share it).

        Pages ask for the same version many times (the state, the next step, the insights);
        a version never changes, so its plain form is kept for the most recent ones.
        """
        return self._states.get((cycle.id, cycle.version), cycle.as_dict)

    def display_names(self, actor_ids: Iterable[str]) -> dict[str, str]:
        """What to call each actor: a person's name (a pseudonym once erased), an API token's
        name, or "System" for the installation's own commands."""
        wanted = set(actor_ids)
        tokens = token_store(self)
        names = self.profiles.display_names(
            i for i in wanted if i != SYSTEM_ACTOR and not is_token_member(i)
        )
        for actor in wanted:
            if actor == SYSTEM_ACTOR:
                names[actor] = "System"
            elif is_token_member(actor):
                token = tokens.get(actor.removeprefix(TOKEN_MEMBER_PREFIX))
                names[actor] = f"API-Token „{token.name}“" if token else "API-Token"
        return names

    def _organisation_of(self, cycle: Cycle) -> Organisation:
        return self._load(Organisation, cycle.organisation_id, for_change=False)

    def _definition(self, cycle: Cycle) -> WorkflowDefinition:
        definition = self.workflows.get(cycle.workflow_id, cycle.workflow_version)
        if definition is None:
            msg = f"workflow {cycle.workflow_id} v{cycle.workflow_version} is not installed"
            raise NotFound(f"Ablauf fehlt: {msg}", msg)
        return definition

    def _gate_reasons(
        self, definition: WorkflowDefinition, transition: Transition, cycle: Cycle
    ) -> list[Reason]:
        """The core gates the definition names, then every plugin's gate."""
        titles = {theme_id: theme.title for theme_id, theme in self.themes.items()}
        reasons = definition.gate_reasons(transition, cycle, titles)
        reasons += self.extensions.gate_reasons(
            self._plain(cycle), transition.source, transition.target, self.themes
        )
        return reasons

    def _validate_item(self, kind: str, item: Mapping[str, Any], phase: str) -> None:
        """Let the plugins object to a goal, measure or assessment (the first objection wins)."""
        problems = self.extensions.field_problems(kind, item, phase, self.themes)
        if problems:
            first = problems[0]
            raise InvalidInput(first.field, first.message.de, first.message.get("en"))

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        """After each commit, tell the plugins' event subscribers."""
        self.extensions.event_committed(_event_as_data(r.domain_event) for r in recordings)

    def _change_cycle(
        self,
        cycle_id: UUID,
        *,
        actor_id: str,
        permission: str,
        command: str | None,
        expected_version: int | None,
        change: Callable[[Cycle, Organisation], None],
        item: tuple[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Load, authorise, check version and phase, let plugins vet ``item``, change, save."""
        cycle = self._load(Cycle, cycle_id, for_change=True)
        organisation = self._organisation_of(cycle)
        organisation.require(actor_id, permission)
        check_version(cycle, expected_version)
        if command is not None and not self._definition(cycle).allows(cycle.phase, command):
            raise NotAllowedInPhase(command, cycle.phase)
        if item is not None:
            self._validate_item(item[0], item[1], cycle.phase)
        change(cycle, organisation)
        self._save(cycle)
        return cycle.version

    @staticmethod
    def _refuse_unknown(given: Mapping[str, Any], known: frozenset[str]) -> None:
        unknown = sorted(set(given) - known)
        if unknown:
            raise InvalidInput(unknown[0], "unbekanntes Feld", "unknown field")


def _event_as_data(event: Any) -> dict[str, Any]:
    data = {
        key: value
        for key, value in vars(event).items()
        if key
        not in ("originator_id", "originator_version", "timestamp", "actor_id", "reason", "seal")
    }
    return {
        "name": type(event).__name__,
        "topic": type(event).TOPIC,
        "aggregate_id": event.originator_id,
        "version": event.originator_version,
        "timestamp": event.timestamp,
        "actor_id": event.actor_id,
        "reason": event.reason,
        "data": data,
    }


K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """The most recently used results of pure computations, by key (thread-safe).

    With ``max_age`` (seconds), an entry older than that is computed afresh.
    """

    def __init__(self, size: int, *, max_age: float | None = None) -> None:
        self._size = size
        self._max_age = max_age
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V], *, keep: Callable[[V], bool] = bool) -> V:
        """The value for ``key``, computed (outside the lock) when missing; kept if ``keep``."""
        now = time.monotonic()
        with self._lock:
            found = self._items.get(key)
            if found is not None and (self._max_age is None or now - found[0] < self._max_age):
                self._items.move_to_end(key)
                return found[1]
        value = compute()
        if keep(value):
            with self._lock:
                self._items[key] = (now, value)
                self._items.move_to_end(key)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return value


def check_version(aggregate: SealedAggregate, expected_version: int | None) -> None:
    """Refuse when the caller saw another version than the stored one."""
    if expected_version is not None and expected_version != aggregate.version:
        raise Conflict(expected_version, aggregate.version)


MAX_NAME = 300
PLAIN_STATES = 64
