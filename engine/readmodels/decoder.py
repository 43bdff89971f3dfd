"""Turning stored events into the handlers' events: plain JSON, upcast through the mapper if old.

The stored state is read as JSON as it is (decrypted and decompressed first where the store
does that); only an event stored by an older class version goes through the library's mapper,
which upcasts it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from eventsourcing.persistence import Notification

from engine.readmodels.batch import Event
from engine.readmodels.handlers import HANDLERS
from engine.readmodels.log import Entry

if TYPE_CHECKING:
    from eventsourcing.persistence import Mapper


def topic(event_class: type[Any]) -> str:
    """The explicit topic an event class is stored under."""
    return str(event_class.TOPIC)


CLASS_VERSIONS = {
    topic(event_class): getattr(event_class, "class_version", 1) for event_class in HANDLERS
}
"""The current class version of each handled event (older stored forms are upcast)."""


class Decoder:
    """Turns stored events into handler events: plain JSON, upcast through the mapper if old."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.mapper = mapper
        self._stored_as_is = not mapper.cipher and not mapper.compressor

    def event(self, entry: Entry) -> Event:
        """The entry's fields as the current event class would store them."""
        state = entry.state or b"{}"
        fields = orjson.loads(state if self._stored_as_is else self._plain(state))
        if fields.get("class_version", 1) != CLASS_VERSIONS.get(entry.topic, 1):
            fields = self._upcast(entry)
        return Event(entry.originator_id, entry.originator_version, fields)

    def _plain(self, state: bytes) -> bytes:
        if self.mapper.cipher:
            state = self.mapper.cipher.decrypt(state)
        if self.mapper.compressor:
            state = self.mapper.compressor.decompress(state)
        return state

    def _upcast(self, entry: Entry) -> dict[str, Any]:
        """An older stored form, read through the mapper (which upcasts) and stored anew."""
        stored = Notification(
            id=entry.id,
            originator_id=entry.originator_id,
            originator_version=entry.originator_version,
            topic=entry.topic,
            state=entry.state or b"",
        )
        current = self.mapper.to_stored_event(self.mapper.to_domain_event(stored))
        fields: dict[str, Any] = orjson.loads(self._plain(current.state))
        return fields
