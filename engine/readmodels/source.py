"""What the read models need of the application whose events they follow.

The read models sit below the service (engine/application/): they name what they use of it
here, as protocols, instead of importing it. The service's application satisfies them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, Mapper

from engine.domain.catalogue import Theme
from engine.domain.contributions import Insight


class StoreSettings(Protocol):
    """The one setting the read models look at: which kind of database holds the events."""

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite store, False for PostgreSQL."""


class Source(Protocol):
    """An event-sourced application whose log the read models follow."""

    @property
    def name(self) -> str:
        """The application's name (it names the tables and the tracking record)."""

    @property
    def factory(self) -> InfrastructureFactory[Any]:
        """The library's persistence factory (its ``datastore`` holds the read models too)."""

    @property
    def recorder(self) -> ApplicationRecorder:
        """The recorder of the events (the notification log is read from its table)."""

    @property
    def mapper(self) -> Mapper[UUID]:
        """Turns stored events back into domain events."""

    @property
    def themes(self) -> Mapping[str, Theme]:
        """The installed themes (some handlers read their catalogues)."""

    @property
    def settings(self) -> StoreSettings:
        """The installation's settings."""


class Contributed(Protocol):
    """What the themes contributed for a cycle (the plugin calls' result)."""

    @property
    def items(self) -> Sequence[Insight]:
        """The insights, one per contributing theme."""


@runtime_checkable
class InsightSource(Protocol):
    """An application that can ask the themes for their insights into a cycle."""

    def insights(self, cycle_id: UUID) -> Contributed:
        """The themes' insights into the cycle ``cycle_id``."""
