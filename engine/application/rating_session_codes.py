"""Where a session's short code leads: code to cycle and session, a side table.

Participants type a six-character code (or follow a link or QR code holding it). The code is in
the session's opening event too; this table only finds the cycle behind a code without reading
any history. Codes use no look-alike characters (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).

An organisation's export carries no table rows: an import finds the codes in the imported
cycles' events and enters them here again (:func:`restore_codes`), so that its sessions stay
joinable, or closed, as before. A code another session of the importing installation already
holds cannot be entered twice: the import names those sessions.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from engine.application.store import Store
from engine.domain.rating_sessions import sessions_of
from engine.infrastructure.settings import whole_number_setting
from engine.infrastructure.side_tables import SideTable, open_side_table

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
"""Letters and digits that are hard to confuse when read from a projector."""

CODE_LENGTH = 6

DEFAULT_MAX_PARTICIPANTS = 200


def new_code() -> str:
    """A random session code (about 2**28 possibilities)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """A code as typed (any case, spaces or dashes) in its stored form."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def max_participants_from_environ() -> int:
    """QUALIZYKLUS_SESSION_MAX_PARTICIPANTS: how many may join one session (default 200)."""
    return whole_number_setting("QUALIZYKLUS_SESSION_MAX_PARTICIPANTS", DEFAULT_MAX_PARTICIPANTS)


@dataclass(frozen=True)
class CodeTarget:
    """The cycle and session a code belongs to."""

    cycle_id: UUID
    session_id: str


class SessionCodes(SideTable):
    """Session codes by code, in the application's own database."""

    TABLE = "qualizyklus_session_codes"

    def create_table(self) -> None:
        """Create the table if missing (``qualizyklus init``)."""
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} ("
                "code TEXT PRIMARY KEY, cycle_id TEXT NOT NULL, session_id TEXT NOT NULL)"
            )

    def reserve(self, cycle_id: UUID, session_id: str) -> str:
        """A new code for the session, stored (a code that is taken is drawn again)."""
        p = self._p
        while True:
            code = new_code()
            touched = self._execute(
                f"INSERT INTO {self._table} (code, cycle_id, session_id) VALUES ({p}, {p}, {p}) "
                "ON CONFLICT (code) DO NOTHING",
                (code, str(cycle_id), session_id),
            )
            if touched:
                return code

    def restore(self, code: str, cycle_id: UUID, session_id: str) -> bool:
        """Enter a known session's code again (an import); False when another holds it."""
        self._execute(
            f"INSERT INTO {self._table} (code, cycle_id, session_id) VALUES ({self._p}, "
            f"{self._p}, {self._p}) ON CONFLICT (code) DO NOTHING",
            (code, str(cycle_id), session_id),
        )
        return self.find(code) == CodeTarget(cycle_id, session_id)

    def release(self, code: str) -> None:
        """Forget a code whose session was never opened."""
        self._execute(f"DELETE FROM {self._table} WHERE code = {self._p}", (code,))

    def find(self, typed: str) -> CodeTarget | None:
        """The cycle and session of a code as typed, or None."""
        rows = self._datastore.rows(
            f"SELECT cycle_id, session_id FROM {self._table} WHERE code = {self._p}",
            (normalise_code(typed),),
        )
        if not rows:
            return None
        return CodeTarget(UUID(rows[0]["cycle_id"]), rows[0]["session_id"])


@dataclass(frozen=True)
class RestoredCodes:
    """What an import did with its sessions' codes: entered again, or held by another."""

    restored: list[str] = field(default_factory=list)
    taken: list[str] = field(default_factory=list)
    """Session ids whose code another session of this installation holds (not joinable)."""


def restore_codes(
    app: Store, cycles: Iterable[Any], result: RestoredCodes | None = None
) -> RestoredCodes:
    """Enter the codes of the sessions of replayed ``cycles`` into the code table, noting
    each in ``result`` as it goes (so that a failure can release those entered so far)."""
    codes, result = session_codes(app), result if result is not None else RestoredCodes()
    for cycle in cycles:
        for session_id, session in sessions_of(cycle).items():
            if codes.restore(session["code"], cycle.id, session_id):
                result.restored.append(session["code"])
            else:
                result.taken.append(session_id)
    return result


def session_codes(app: Store) -> SessionCodes:
    """The session code table of the engine ``app``."""
    return open_side_table(app, SessionCodes)
