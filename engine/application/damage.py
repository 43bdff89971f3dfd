"""Stored events that no longer fit the code reading them: :class:`StoreDamaged` where an
aggregate is loaded, instead of the library's own error, so that every caller (page, API,
command line) can say that the store failed verification rather than fail unexplained."""

from __future__ import annotations

from eventsourcing.domain import OriginatorIDError, OriginatorVersionError
from eventsourcing.persistence import MapperDeserialisationError, TranscodingNotRegisteredError
from eventsourcing.utils import TopicError

DAMAGE_FAULTS: tuple[type[Exception], ...] = (
    TopicError,
    MapperDeserialisationError,
    TranscodingNotRegisteredError,
    OriginatorIDError,
    OriginatorVersionError,
)
"""What loading an aggregate raises when a stored record was altered, removed or reordered:
a topic no code defines, a state that cannot be decoded, a version out of its place. Errors
of the database itself (``PersistenceError``) are not among them: they are outages."""
