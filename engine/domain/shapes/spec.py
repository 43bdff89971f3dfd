"""What a field and an item's shape are: a field's name, kind, whether it must be given, its limit
and its allowed values; an item's fields in the order the engine checks them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from marshmallow import Schema

from engine.domain import validation as check
from engine.domain.errors import InvalidInput, Problems
from engine.domain.limits import MAX_TEXT

Kind = Literal[
    "text",
    "item_id",
    "ref",
    "member",
    "choice",
    "date",
    "number",
    "attrs",
    "rating",
    "keys",
    "sha256",
    "size",
    "version",
    "uuid",
]
"""What a field holds.

- ``text``: a stripped text of at most ``limit`` characters (empty only when not required);
- ``item_id``: an item's own id, made up when left out;
- ``ref``: the key of something the application resolves (a theme, a criterion, a goal, a
  phase); the shape passes it on as given, the API limits its length;
- ``member``: a member's id (a text of at most ``limit`` characters, None when empty);
- ``choice``: one of ``choices``; ``date``, ``number``: a date, a finite number;
- ``attrs``: a theme's data, checked by the theme's schema;
- ``rating``: a number or a level's id (the criterion's scale checks it);
- ``keys``: a list of keys (the application checks them); ``version``: a version number;
- ``sha256``: a content hash; ``size``: a positive size in bytes; ``uuid``: an aggregate's id.
"""


class _Missing:
    """The marker of a field without a default of its own."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""No default: a required field must be given, an optional one defaults by its kind."""


@dataclass(frozen=True)
class FieldShape:
    """One field of an item, as the engine checks it and the API and forms describe it."""

    name: str
    kind: Kind = "text"
    required: bool = False
    limit: int | None = None
    choices: tuple[str, ...] = ()
    default: Any = MISSING
    description: str = ""

    @property
    def has_default(self) -> bool:
        """Whether the field has a default of its own (given when the field is left out)."""
        return self.default is not MISSING

    @property
    def max_length(self) -> int | None:
        """The most characters the field may hold (a text without a limit: a long text)."""
        return MAX_TEXT if self.kind == "text" and self.limit is None else self.limit

    def check(self, value: object, *, schema: type[Schema] | None = None) -> Any:
        """The checked value, or InvalidInput naming the field (as the engine's commands do)."""
        return _CHECKS[self.kind](self, value, schema)


def _text(spec: FieldShape, value: object, _: type[Schema] | None) -> str:
    return check.text(
        spec.name, value, required=spec.required, max_length=spec.max_length or MAX_TEXT
    )


def _member(spec: FieldShape, value: object, _: type[Schema] | None) -> str | None:
    if value in (None, "") and not spec.required:
        return None
    return check.text(spec.name, value, max_length=spec.max_length or MAX_TEXT)


def _date(spec: FieldShape, value: object, _: type[Schema] | None) -> Any:
    return (
        check.a_date(spec.name, value) if spec.required else check.optional_date(spec.name, value)
    )


def _number(spec: FieldShape, value: object, _: type[Schema] | None) -> float | None:
    if spec.required:
        return check.number(spec.name, value)
    return check.optional_number(spec.name, value)


def _uuid(spec: FieldShape, value: object, _: type[Schema] | None) -> Any:
    return None if value is None and not spec.required else check.a_uuid(spec.name, value)


def _as_given(spec: FieldShape, value: object, _: type[Schema] | None) -> Any:
    return value


_CHECKS: dict[str, Callable[[FieldShape, object, type[Schema] | None], Any]] = {
    "text": _text,
    "item_id": lambda spec, value, _: check.item_id(spec.name, value),
    "ref": _as_given,
    "member": _member,
    "choice": lambda spec, value, _: check.one_of(spec.name, value, spec.choices),
    "date": _date,
    "number": _number,
    "attrs": lambda spec, value, schema: check.attrs(value, schema, spec.name),
    "rating": _as_given,
    "keys": _as_given,
    "sha256": lambda spec, value, _: check.sha256(spec.name, value),
    "size": lambda spec, value, _: check.positive_size(spec.name, value),
    "version": _as_given,
    "uuid": _uuid,
}


@dataclass(frozen=True)
class Shape:
    """An item's fields (in the order the engine checks them), its own id (checked first, or
    after the field ``identity_after`` names), and pairs of dates whose second may not lie
    before the first."""

    name: str
    fields: tuple[FieldShape, ...]
    identity: FieldShape | None = None
    date_pairs: tuple[tuple[str, str], ...] = ()
    identity_after: str = ""
    _by_name: dict[str, FieldShape] = field(init=False, repr=False, compare=False)
    _checked: tuple[FieldShape, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        every = (*([self.identity] if self.identity else []), *self.fields)
        object.__setattr__(self, "_by_name", {spec.name: spec for spec in every})
        object.__setattr__(self, "_checked", self._with_identity())

    def _with_identity(self) -> tuple[FieldShape, ...]:
        """The fields in the order :meth:`check` takes them with the item's own id."""
        if self.identity is None:
            return self.fields
        names = [spec.name for spec in self.fields]
        at = names.index(self.identity_after) + 1 if self.identity_after else 0
        return (*self.fields[:at], self.identity, *self.fields[at:])

    def __getitem__(self, name: str) -> FieldShape:
        """The field of that name (the identity included)."""
        return self._by_name[name]

    @property
    def keys(self) -> frozenset[str]:
        """The names of the item's fields (without its own id)."""
        return frozenset(spec.name for spec in self.fields)

    def extended(self, name: str, *more: FieldShape) -> Shape:
        """This shape's fields and ``more`` after them, without its own id (a revision)."""
        return Shape(name, (*self.fields, *more), date_pairs=self.date_pairs)

    def check(
        self,
        values: Mapping[str, Any],
        *,
        schema: type[Schema] | None = None,
        identity: bool = False,
    ) -> dict[str, Any]:
        """Every field checked in order (a left-out field counts as its default, else None);
        with ``identity`` the item's own id too, in its place (made up when left out). Every
        problem is found: one InvalidInput names them all, with the engine's messages."""
        specs = self._checked if identity else self.fields
        checked: dict[str, Any] = {}
        problems = Problems()
        for spec in specs:
            given = values.get(spec.name, spec.default if spec.has_default else None)
            with problems.check():
                checked[spec.name] = spec.check(given, schema=schema)
            for first, second in self.date_pairs:
                if second == spec.name and first in checked and second in checked:
                    with problems.check():
                        check.date_order(second, checked[first], checked[second])
        problems.raise_any()
        return checked


def refuse_unknown(values: Mapping[str, Any], shape: Shape) -> None:
    """Refuse the fields the shape does not have, naming each of them (sorted)."""
    unknown = sorted(set(values) - shape.keys)
    if unknown:
        raise InvalidInput.combined(
            [InvalidInput(name, "unbekanntes Feld", "unknown field") for name in unknown]
        )
