"""Tamper-evident events: every stored event carries a seal chained to its predecessor.

A seal is the SHA-256 hash over the previous event's seal and the event's canonical
content (topic, aggregate id, version, and every stored field except the seal itself).
The chain is computed on the *stored* form of an event, so upcasting an old event when it
is read never changes what its seal covers.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import AggregateCreated, AggregateEvent, BaseAggregate, Snapshot
from eventsourcing.utils import get_topic, register_topic

from engine.domain import free_text
from engine.domain.validation import refuse_unsafe_content

GENESIS_SEAL = ""
"""The 'previous seal' of an aggregate's first event."""


def _canonical_default(value: object) -> object:
    if isinstance(value, UUID):
        return value.hex
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    msg = f"cannot seal a value of type {type(value).__name__}"
    raise TypeError(msg)


def canonical_bytes(content: dict[str, Any]) -> bytes:
    """Encode event content deterministically (sorted keys, no whitespace)."""
    return json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_canonical_default,
    ).encode("utf-8")


def compute_seal(
    previous_seal: str,
    *,
    topic: str,
    originator_id: UUID | str,
    originator_version: int,
    state: dict[str, Any],
) -> str:
    """Return the seal of one event, given its predecessor's seal and its stored state."""
    content = {key: value for key, value in state.items() if key != "seal"}
    digest = hashlib.sha256()
    digest.update(previous_seal.encode("ascii"))
    digest.update(b"\x00")
    digest.update(topic.encode("utf-8"))
    digest.update(b"\x00")
    digest.update(str(originator_id).encode("ascii"))
    digest.update(b"\x00")
    digest.update(str(originator_version).encode("ascii"))
    digest.update(b"\x00")
    digest.update(canonical_bytes(content))
    return digest.hexdigest()


def stored_state_of(event: object) -> dict[str, Any]:
    """The dict the application's mapper stores for an event (without id and version):
    referenced free texts are left out (engine/domain/free_text.py)."""
    state = free_text.stored_form(dict(vars(event)))
    state.pop("originator_id", None)
    state.pop("originator_version", None)
    class_version = getattr(type(event), "class_version", 1)
    if class_version > 1:
        state["class_version"] = class_version
    return state


class SealedAggregate(BaseAggregate[UUID]):
    """Base for Qualizyklus aggregates: every event carries actor, reason and seal.

    It derives from the library's ``BaseAggregate`` rather than ``Aggregate`` so that
    no event class without an explicit topic is inherited by the concrete aggregates.
    """

    _seal = GENESIS_SEAL

    @staticmethod
    def create_id(*_: Any, **__: Any) -> UUID:
        """Return a new random aggregate id (aggregates may override this)."""
        return uuid4()

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        """A copy for a command: nested dicts and lists are copied, immutable leaves shared.

        The repository copies a cached aggregate before every command, so that a refused
        command never leaves a half-changed aggregate in the cache. State holds only dicts,
        lists and immutable values (str, numbers, dates, UUIDs), which makes this exact and
        much cheaper than the generic ``copy.deepcopy``.
        """
        clone = object.__new__(type(self))
        clone.__dict__.update({key: copy_state(value) for key, value in vars(self).items()})
        return clone

    class Event(AggregateEvent):
        """Common fields of every Qualizyklus event.

        ``actor_id`` says who (a member id, never a name); ``reason`` says why, where a
        command changes meaning; ``seal`` chains the event to its predecessor.
        """

        actor_id: str
        _: dataclasses.KW_ONLY
        reason: str = ""
        seal: str = ""

        def mutate(self, aggregate: Any) -> Any:
            """Seal a new event on first application, then apply it.

            A new event holding a text no store can keep safely (NUL, other control
            characters, lone surrogates) is refused here, the last gate before the log,
            whichever command made it: InvalidInput names the field, nothing is applied.
            Its free texts are sealed by reference only (engine/domain/free_text.py).
            """
            if not self.seal:
                previous = aggregate._seal if aggregate is not None else GENESIS_SEAL
                refuse_unsafe_content(stored_state_of(self))
                free_text.detach(self)
                state = stored_state_of(self)
                object.__setattr__(
                    self,
                    "seal",
                    compute_seal(
                        previous,
                        topic=get_topic(type(self)),
                        originator_id=self.originator_id,
                        originator_version=self.originator_version,
                        state=state,
                    ),
                )
            result: Any = super().mutate(aggregate)
            result._seal = self.seal
            return result


def copy_state(value: Any) -> Any:
    """Copy nested dicts and lists; share everything else (immutable by convention)."""
    kind = type(value)
    if kind is dict:
        return {
            key: copy_state(item) if type(item) in _CONTAINERS else item
            for key, item in value.items()
        }
    if kind is list:
        return [copy_state(item) if type(item) in _CONTAINERS else item for item in value]
    return value


_CONTAINERS = (dict, list)


class SealedCreated(SealedAggregate.Event, AggregateCreated):
    """Base of the events that start an aggregate (defined outside the class on purpose)."""


class QualizyklusSnapshot(Snapshot):
    """Snapshot class with a stable topic (snapshots are a cache, never evidence)."""

    TOPIC = "qualizyklus:Snapshot"


register_topic(QualizyklusSnapshot.TOPIC, QualizyklusSnapshot)
