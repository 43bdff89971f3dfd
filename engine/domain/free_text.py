"""Free text that people type, kept outside the sealed content so that it can be erased.

An event's free-text fields (``FREE_TEXTS`` of its class, and ``reason`` on every event)
are not sealed as text. When a new event is sealed, each non-empty free text gets a
*reference*: ``"qzt1:"`` and the SHA-256 of a random salt (16 bytes, one per text) followed
by the text. The stored event keeps the references under ``text_refs`` (field name ->
reference) and no longer holds the text; the seal covers the references. The text and its
salt wait on the event (``PENDING``) until the application writes them to its free-text
table (engine/infrastructure/free_text_table.py) beside the event.

Erasing a text deletes its salt and text from that table: the reference stays in the
sealed event, reveals nothing (the salt is gone, so a guessed text cannot be confirmed),
and the seal chain, the Merkle log and every signed checkpoint stay valid. Reading an event
whose text is erased gives an :class:`ErasedText` in the field instead.

A field named in the class's ``FREE_TEXT_MAPS`` holds several texts, a dict of key -> text
(a survey answer's texts per question): each non-empty text gets its own reference, stored
under ``"field/key"``, and the field reads back as the dict of texts.

Events stored before references existed hold their texts inside the sealed content: they
have no ``text_refs`` and are read as stored (see docs/operations.md, threat model).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

REFERENCES = "text_refs"
"""The stored field that maps each referenced free-text field to its reference."""

PENDING = "_pending_texts"
"""The in-memory attribute of a newly sealed event: reference -> (salt, text). Never stored."""

REPLAY_NEEDED = "_replay_needed"
"""Set on an aggregate that applied an erasure: its in-memory state may still hold the text."""

PREFIX = "qzt1:"
REFERENCE_PATTERN = re.compile(r"qzt1:[0-9a-f]{64}")
ALWAYS_FREE = ("reason",)
"""Free-text fields of every event (besides its class's ``FREE_TEXTS``)."""
MAP_KEY = "/"
"""Between a ``FREE_TEXT_MAPS`` field's name and a key in its references (``texts/open``)."""


@dataclass(frozen=True)
class PendingText:
    """A text waiting to be written to the free-text table with its new event."""

    reference: str
    salt: str
    text: str
    field: str


class ErasedText(str):
    """What a field reads as once its text is erased: a note with the day, in both languages."""

    __slots__ = ("erased_on",)
    erased_on: date

    def __new__(cls, erased_on: date) -> ErasedText:
        """The note for a text erased on ``erased_on``."""
        note = super().__new__(
            cls,
            f"(gelöscht am {erased_on.strftime('%d.%m.%Y')} · erased on {erased_on.isoformat()})",
        )
        note.erased_on = erased_on
        return note


def digest(salt: str, text: str) -> str:
    """The reference of ``text`` under ``salt`` (hex)."""
    return PREFIX + hashlib.sha256(bytes.fromhex(salt) + text.encode("utf-8")).hexdigest()


def make_reference(text: str) -> tuple[str, str]:
    """A new (reference, salt) for ``text``; the salt is random, 16 bytes."""
    salt = secrets.token_hex(16)
    return digest(salt, text), salt


def is_reference(value: object) -> bool:
    """Whether ``value`` has the form of a free-text reference."""
    return isinstance(value, str) and REFERENCE_PATTERN.fullmatch(value) is not None


def free_text_fields(event_class: type[Any]) -> tuple[str, ...]:
    """The fields of an event class that hold free text."""
    return tuple(getattr(event_class, "FREE_TEXTS", ())) + ALWAYS_FREE


def detach(event: Any) -> None:
    """Give each non-empty free text of a new event a reference (kept on the event)."""
    references: dict[str, str] = {}
    pending: list[PendingText] = []
    for field in free_text_fields(type(event)):
        text = getattr(event, field, None)
        if isinstance(text, str) and text:
            reference, salt = make_reference(text)
            references[field] = reference
            pending.append(PendingText(reference, salt, text, field))
    for field in getattr(type(event), "FREE_TEXT_MAPS", ()):
        texts = getattr(event, field, None) or {}
        for key, text in texts.items():
            if isinstance(text, str) and text:
                reference, salt = make_reference(text)
                references[f"{field}{MAP_KEY}{key}"] = reference
                pending.append(PendingText(reference, salt, text, f"{field}{MAP_KEY}{key}"))
    if references:
        object.__setattr__(event, REFERENCES, references)
        object.__setattr__(event, PENDING, pending)


def pending_texts(event: object) -> list[PendingText]:
    """The texts a new event waits to have written (none for a stored one)."""
    return list(vars(event).get(PENDING, ()))


def stored_form(state: dict[str, Any]) -> dict[str, Any]:
    """An event's state as stored and sealed: referenced texts and pending texts left out."""
    references = state.get(REFERENCES) or {}
    fields = {field.partition(MAP_KEY)[0] for field in references}
    return {key: value for key, value in state.items() if key != PENDING and key not in fields}


def attach(state: dict[str, Any], resolve: Any) -> dict[str, Any]:
    """A stored state with each referenced field filled by ``resolve(reference)`` (the text).

    A field stored as plain text besides its reference (never written so; only a hand-edited
    record has it) is shown as stored: the audit pages then show what the broken record says.
    """
    references = state.get(REFERENCES)
    if references:
        stored = set(state)
        for field, reference in references.items():
            name, _, key = field.partition(MAP_KEY)
            if name in stored:
                continue
            if key:
                state.setdefault(name, {})[key] = resolve(reference)
            else:
                state[field] = resolve(reference)
    return state
