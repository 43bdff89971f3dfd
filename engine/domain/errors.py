"""Domain errors: what a caller of the engine can get back instead of a new version.

Every error carries a stable ``code`` and a plain-language German message with an English
counterpart, so that the web and API layers can show them without knowing the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    """One reason why something was refused, in German and English."""

    code: str
    de: str
    en: str

    def as_dict(self) -> dict[str, str]:
        """Plain data for queries and API responses."""
        return {"code": self.code, "de": self.de, "en": self.en}


class DomainError(Exception):
    """Base of every refusal by the engine; nothing was written when one is raised."""

    code = "domain-error"

    def __init__(self, de: str, en: str | None = None) -> None:
        super().__init__(de)
        self.de = de
        self.en = en or de

    def as_dict(self) -> dict[str, object]:
        """Plain data for queries and API responses."""
        return {"code": self.code, "de": self.de, "en": self.en}


class NotFound(DomainError):
    """The cycle, organisation or item does not exist (or is not visible to the caller).

    Without arguments the message is the same whether a thing is missing or hidden from a
    non-member, so that a refusal never tells anyone that something exists.
    """

    code = "not-found"

    def __init__(self, de: str = "Nicht gefunden.", en: str = "Not found.") -> None:
        super().__init__(de, en)


class Forbidden(DomainError):
    """The caller's role in the organisation does not allow this command."""

    code = "forbidden"


class NotAllowedInPhase(DomainError):
    """The cycle's current phase does not allow this command."""

    code = "not-allowed-in-phase"

    def __init__(self, command: str, phase: str) -> None:
        super().__init__(
            f"„{command}“ ist in der Phase „{phase}“ nicht möglich.",
            f"'{command}' is not allowed in phase '{phase}'.",
        )
        self.command = command
        self.phase = phase


class GateRefused(DomainError):
    """A phase transition was refused; ``reasons`` lists every unmet condition."""

    code = "gate-refused"

    def __init__(self, reasons: list[Reason]) -> None:
        super().__init__(
            "Der Phasenwechsel ist noch nicht möglich: " + " ".join(r.de for r in reasons),
            "The phase change is not possible yet: " + " ".join(r.en for r in reasons),
        )
        self.reasons = reasons

    def as_dict(self) -> dict[str, object]:
        """Plain data including every reason."""
        return {**super().as_dict(), "reasons": [r.as_dict() for r in self.reasons]}


class InvalidInput(DomainError):
    """A command's input is invalid; ``field`` names the offending field."""

    code = "invalid-input"

    def __init__(
        self, field: str, de: str, en: str | None = None, *, allowed: Sequence[str] = ()
    ) -> None:
        super().__init__(f"{field}: {de}", f"{field}: {en or de}")
        self.field = field
        self.field_de = de
        self.field_en = en or de
        self.allowed = tuple(allowed)
        """The values a client must send, where the messages name them otherwise (labels)."""
        self.problems: tuple[InvalidInput, ...] = (self,)
        """Every field's problem, the first one (``field``) included, in the order found."""

    @classmethod
    def combined(cls, problems: Sequence[InvalidInput]) -> InvalidInput:
        """One refusal for several problems found together: the first names ``field`` (what a
        form shows), ``problems`` holds them all, the messages list them all."""
        every = tuple(found for problem in problems for found in problem.problems)
        first = every[0]
        error = cls(first.field, first.field_de, first.field_en, allowed=first.allowed)
        error.problems = every
        error.de = "; ".join(f"{found.field}: {found.field_de}" for found in every)
        error.en = "; ".join(f"{found.field}: {found.field_en}" for found in every)
        error.args = (error.de,)
        return error

    def renamed(self, rename: Callable[[str], str]) -> InvalidInput:
        """The same problems, each field renamed (say, prefixed with the item it concerns)."""
        return InvalidInput.combined(
            [
                InvalidInput(rename(p.field), p.field_de, p.field_en, allowed=p.allowed)
                for p in self.problems
            ]
        )

    def as_dict(self) -> dict[str, object]:
        """Plain data including the field."""
        return {**super().as_dict(), "field": self.field}


class Problems:
    """Collects the InvalidInput of several checks, so that all of them are told at once.

    ``with problems.check():`` runs one check and keeps its refusal; ``raise_any()`` raises
    them together (:meth:`InvalidInput.combined`), or nothing when every check passed.
    """

    def __init__(self) -> None:
        self.found: list[InvalidInput] = []

    @contextmanager
    def check(self) -> Iterator[None]:
        """Run the block; an InvalidInput it raises is kept instead of ending the checks."""
        try:
            yield
        except InvalidInput as error:
            self.found.append(error)

    def raise_any(self) -> None:
        """Raise every problem kept, as one InvalidInput."""
        if self.found:
            raise InvalidInput.combined(self.found)


class Conflict(DomainError):
    """The caller saw an older version than the stored one, or lost a concurrent write."""

    code = "conflict"

    def __init__(self, expected: int | None = None, actual: int | None = None) -> None:
        if expected is None:
            super().__init__(
                "Jemand anderes hat den Datensatz gerade geändert. Bitte neu laden.",
                "Somebody else has just changed the record. Please reload.",
            )
        else:
            super().__init__(
                f"Der Datensatz wurde inzwischen geändert (erwartet Version {expected}, "
                f"aktuell {actual}). Bitte neu laden.",
                f"The record has changed meanwhile (expected version {expected}, "
                f"current {actual}). Please reload.",
            )
        self.expected = expected
        self.actual = actual


class RatingChanged(Conflict):
    """A rating form is stale: the rater's own rating of one of its criteria was recorded
    after the form was read (elsewhere, or by the coordination on their behalf)."""

    def __init__(self, expected: int, actual: int, criteria: list[str]) -> None:
        named = ", ".join(criteria)
        DomainError.__init__(
            self,
            f"Die eigene Einschätzung von {named} wurde geändert, nachdem das Formular geladen "
            f"wurde (Formular: Version {expected}, aktuell {actual}). Bitte neu laden und "
            "erneut speichern; nichts wurde gespeichert.",
            f"The rater's own rating of {named} changed after the form was loaded (form: "
            f"version {expected}, current {actual}). Please reload and save again; nothing "
            "was saved.",
        )
        self.expected = expected
        self.actual = actual
        self.criteria = criteria


class PluginFailed(DomainError):
    """A plugin that must approve an action failed; the action was refused (fail closed)."""

    code = "plugin-failed"

    def __init__(self, plugin: str, de: str, en: str) -> None:
        super().__init__(de, en)
        self.plugin = plugin


class DefinitionError(Exception):
    """A workflow definition file is malformed; the message names the file and the fault."""


class StoreUnavailable(Exception):
    """The database cannot be reached just now (stopped, restarted, renamed, unreadable file).

    Not a refusal of the request: the same request may succeed in ``retry_after`` seconds.
    A write that meets it was not saved (or, if the connection broke in its commit, the
    caller cannot know; reading again tells).
    """

    code = "store-unavailable"
    retry_after = 5
    de = (
        "Die Datenbank ist gerade nicht erreichbar. "
        "Bitte versuchen Sie es in einigen Sekunden erneut."
    )
    en = "The database cannot be reached just now. Please try again in a few seconds."

    def __init__(self) -> None:
        super().__init__(self.en)


class StoreDamaged(Exception):
    """Stored events cannot be read or replayed: a record was altered, removed or reordered.

    Not a :class:`DomainError`: it refuses nothing the caller sent and no other input would
    succeed; the store failed its own check. The audit pages show what is still readable;
    elsewhere the web answers 500 with :attr:`de` / :attr:`en` (a page, or an API problem
    ``store-damaged``) and logs :attr:`detail`, the command line prints one line and exits 1,
    and ``qualizyklus audit verify`` tells which record broke.
    """

    code = "store-damaged"
    de = (
        "Die gespeicherten Daten haben die Prüfung nicht bestanden: ein Eintrag ist nicht "
        "lesbar. Nichts wurde geändert. Bitte wenden Sie sich an den Betrieb "
        "(qualizyklus audit verify zeigt die Stelle)."
    )
    en = (
        "The stored data failed verification: a record cannot be read. Nothing was changed. "
        "Please contact the operators (qualizyklus audit verify shows where)."
    )

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{self.en} ({detail})" if detail else self.en)
        self.detail = detail
        """What the store's library said about the record (for the log, not for the page)."""
