"""What every part of the application shares: the engine as its parts see it, and small tools.

The service (engine/application/service.py) is the one eventsourcing ``Application``. The
modules beneath it (commands, queries, tokens, reminders, the state office, the read models)
never import it; they name what they use of it through the Protocols here, so the arrows run
one way: service -> commands, queries, side tables -> store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    Mapper,
    Recording,
    Transcoding,
)

from engine.application.recent import Recent
from engine.domain.catalogue import Theme
from engine.domain.cycle import Cycle
from engine.domain.errors import Conflict, Reason
from engine.domain.organisation import Organisation
from engine.domain.sealing import SealedAggregate
from engine.domain.workflow import Transition, WorkflowDefinition, WorkflowRegistry
from engine.extensions.isolation import Extensions
from engine.infrastructure.profiles import ProfileStore
from engine.infrastructure.settings import Settings

SYSTEM_ACTOR = "system"
"""The actor of installation-level commands (command line, administrators)."""

DEFAULT_WORKFLOW = "standard"
PLAIN_STATES = 64
CURRENT_AGGREGATES = 256
"""Aggregates kept for reading, each with the log position it is current at."""

A = TypeVar("A", bound=SealedAggregate)


class Store(Protocol):
    """The engine as the side tables and read models beneath the service see it."""

    @property
    def name(self) -> str:
        """The application's name (it names the tables)."""

    @property
    def settings(self) -> Settings:
        """The installation's settings."""

    @property
    def factory(self) -> InfrastructureFactory[Any]:
        """The library's persistence factory (its datastore holds the side tables)."""

    @property
    def mapper(self) -> Mapper[UUID]:
        """Turns stored events back into domain events."""

    @property
    def recorder(self) -> ApplicationRecorder:
        """The event store's recorder (events and the notification log)."""

    @property
    def themes(self) -> dict[str, Theme]:
        """The installed themes by id."""


class Engine(Store, Protocol):
    """The service as its commands and queries use it: load, check, save, plain data."""

    @property
    def workflows(self) -> WorkflowRegistry:
        """The installed workflow definitions."""

    @property
    def extensions(self) -> Extensions:
        """The plugins' hooks, called in isolation."""

    @property
    def profiles(self) -> ProfileStore:
        """Names and addresses of people (never in events)."""

    @property
    def computed(self) -> Recent[tuple[Any, ...], Any]:
        """Results of pure computations on recent versions (insights)."""

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """The library's save: all aggregates' new events in one transaction."""

    def _save(self, *aggregates: SealedAggregate) -> None:
        """Save, turning a concurrent write into Conflict."""

    def _load(self, aggregate_class: type[A], aggregate_id: UUID, *, for_change: bool) -> A:
        """An aggregate (from the cache where it can); NotFound if missing or of another kind."""

    def _peek(self, aggregate_class: type[A], aggregate_id: UUID) -> A:
        """The cached aggregate as it is, for pre-checks that are repeated with fresh data."""

    def _log_position(self) -> int:
        """The newest notification of the store."""

    def _load_current(self, aggregate_class: type[A], aggregate_id: UUID, position: int) -> A:
        """An aggregate for reading, current as of the log ``position``."""

    def _organisation_of(self, cycle: Cycle) -> Organisation:
        """The organisation a cycle belongs to."""

    def _definition(self, cycle: Cycle) -> WorkflowDefinition:
        """The workflow definition (at its version) that governs a cycle."""

    def _gate_reasons(
        self, definition: WorkflowDefinition, transition: Transition, cycle: Cycle
    ) -> list[Reason]:
        """Why a transition may not happen yet (core gates, then the plugins')."""

    def _validate_item(self, kind: str, item: Mapping[str, Any], phase: str) -> None:
        """Let the plugins object to an item (fail closed)."""

    def _theme(self, theme_id: object, field: str) -> Theme:
        """An installed theme, or InvalidInput naming ``field``."""

    def _plain(self, cycle: Cycle) -> dict[str, Any]:
        """The cycle's state as plain data (shared: read only)."""

    def _notifications(self, topics: list[str]) -> Iterable[Any]:
        """Every notification of the given topics, in order."""


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


def check_version(aggregate: SealedAggregate, expected_version: int | None) -> None:
    """Refuse when the caller saw another version than the stored one."""
    if expected_version is not None and expected_version != aggregate.version:
        raise Conflict(expected_version, aggregate.version)


_NOT_DATA = ("text_refs", "_pending_texts")
"""An event's free-text references and pending texts (engine/domain/free_text.py)."""


def event_as_data(event: Any) -> dict[str, Any]:
    """A committed event as the plugins' subscribers get it (plain data)."""
    data = {
        key: value
        for key, value in vars(event).items()
        if key
        not in ("originator_id", "originator_version", "timestamp", "actor_id", "reason", "seal")
        and key not in _NOT_DATA
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
