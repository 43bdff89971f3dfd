"""Rating sessions' codes survive an organisation's export and import (SQLite and PostgreSQL):
an open session is joinable by its code as before, a closed one refuses by its code as before;
a code the importing installation already gives to another session is named by the import."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest

from engine.application.rating_session_codes import session_codes
from engine.application.service import Qualizyklus
from engine.application.transfer import import_history
from engine.domain.errors import NotFound
from engine.domain.rating_sessions import SessionRefused
from tests.engine.test_rating_sessions import CRITERIA, join, soon
from tests.engine.test_transfer import SLUG, build, export_lines, target  # noqa: F401


def _with_sessions(app: Qualizyklus) -> tuple[UUID, dict[str, str], dict[str, str]]:
    """``build``'s organisation, its running cycle with an open and a closed session."""
    _organisation, (_first, second) = build(app)
    app.add_theme(second, actor_id="coord", theme_id="network")
    sessions = [
        app.open_rating_session(
            second, actor_id="coord", title=title, criteria=CRITERIA, ends_at=soon()
        )
        for title in ("Netzwerktreffen", "Vorbesprechung")
    ]
    app.close_rating_session(second, sessions[1]["session_id"], actor_id="coord")
    return second, sessions[0], sessions[1]


def test_an_imported_organisation_keeps_its_sessions_joinable_and_closed_by_code(
    app: Qualizyklus,
    target: Qualizyklus,  # noqa: F811
) -> None:
    cycle_id, open_session, closed_session = _with_sessions(app)
    with pytest.raises(NotFound):
        target.find_session(open_session["code"], client="198.51.100.7")

    report = import_history(target, export_lines(app, SLUG))

    assert report.session_codes == 2 and report.sessions_without_code == ()
    found = target.find_session(open_session["code"].lower(), client="198.51.100.7")
    assert found == (cycle_id, open_session["session_id"])
    joined = join(target, open_session["code"])
    assert joined.session_id == open_session["session_id"]
    assert target.find_session(closed_session["code"], client="198.51.100.7") == (
        cycle_id,
        closed_session["session_id"],
    )
    with pytest.raises(SessionRefused):
        join(target, closed_session["code"])


def test_a_code_the_importing_installation_already_uses_is_named_and_left_to_its_session(
    app: Qualizyklus,
    target: Qualizyklus,  # noqa: F811
) -> None:
    _cycle_id, open_session, closed_session = _with_sessions(app)
    elsewhere = uuid4()
    assert session_codes(target).restore(open_session["code"], elsewhere, "s-elsewhere")

    report = import_history(target, export_lines(app, SLUG))

    assert report.sessions_without_code == (open_session["session_id"],)
    assert report.session_codes == 1
    assert target.find_session(open_session["code"], client="198.51.100.7") == (
        elsewhere,
        "s-elsewhere",
    )
    assert (
        target.find_session(closed_session["code"], client="198.51.100.7")[1]
        == (closed_session["session_id"])
    )
