"""Free text is erasable while every seal, the Merkle log and signed checkpoints stay valid.

On SQLite and PostgreSQL: an erased text is gone from the database (the SQLite file and its
WAL read as raw bytes; every PostgreSQL table read as text), from the cycle's state, history
and diff, and from an export, while ``verify`` and the check against a signed checkpoint pass.
"""

from __future__ import annotations

import io
from pathlib import Path
from uuid import UUID

import psycopg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from engine.application import free_texts
from engine.application.audit import diff_versions, history, verify
from engine.application.evidence_check import check_recorded
from engine.application.evidence_log import make_checkpoint
from engine.application.evidence_settings import CheckpointSettings
from engine.application.service import SYSTEM_ACTOR, Qualizyklus
from engine.application.transfer import export_organisation, import_history
from engine.domain import free_text
from engine.domain.checkpoint import verifier_of
from engine.domain.errors import Forbidden, InvalidInput, NotFound
from engine.infrastructure.settings import Settings
from tests.engine.stories import register_network, start_cycle
from tests.engine.test_transfer import target
from tests.engine.test_upcasting import fixture_lines

__all__ = ["target"]  # the second, empty store of the transfer tests

SECRET = "Frau Beispielname-Zyxw hat angerufen"
"""A comment holding personal data (a name), to be erased."""
KEPT = "Der Elternabend war gut besucht"


def built(app: Qualizyklus) -> tuple[UUID, UUID, dict[str, str]]:
    """A cycle with two comments and a finding; the references by text."""
    network = register_network(app)
    cycle_id = start_cycle(app, network)
    actor = network.coordinator
    app.add_comment(cycle_id, actor_id=actor, text=SECRET)
    app.add_comment(cycle_id, actor_id=actor, text=KEPT)
    app.record_finding(cycle_id, actor_id=actor, kind="need", text="Bedarf: mehr Hausbesuche")
    rows = free_texts.table(app).of_aggregates([str(cycle_id)])
    return network.organisation_id, cycle_id, {row.text or "": row.reference for row in rows}


def keyed() -> CheckpointSettings:
    """Checkpoint settings with a fresh key."""
    key = Ed25519PrivateKey.generate()
    return CheckpointSettings(key=key, origin="test-log", public_key=verifier_of("test-log", key))


def exported(app: Qualizyklus) -> str:
    """The organisation's export."""
    out = io.StringIO()
    export_organisation(app, "lk-beispiel", out)
    return out.getvalue()


def database_holds(settings: Settings, needle: str) -> bool:
    """Whether any byte of the store (SQLite: file and WAL; PostgreSQL: every table) holds it."""
    if settings.is_sqlite:
        path = Path(settings.database.removeprefix("sqlite:///"))
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        return any(needle.encode() in p.read_bytes() for p in files)
    with psycopg.connect(settings.database.split("?")[0], autocommit=True) as connection:
        schema = settings.database.partition("schema=")[2] or "public"
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            (schema,),
        ).fetchall()
        for (name,) in tables:
            found = connection.execute(
                f'SELECT 1 FROM "{schema}"."{name}" t WHERE t::text LIKE %s LIMIT 1',
                (f"%{needle}%",),
            ).fetchall()
            if found:
                return True
    return False


def test_new_events_seal_references_and_the_texts_read_back(app: Qualizyklus) -> None:
    _, cycle_id, references = built(app)

    state = app.cycle(cycle_id, actor_id="koordination")
    stored = [r.state for r in app.recorder.select_events(cycle_id)]

    assert {c["text"] for c in state["comments"].values()} == {SECRET, KEPT}
    assert not any(SECRET.encode() in s for s in stored)
    assert any(references[SECRET].encode() in s for s in stored)
    assert verify(app).ok


def test_an_erased_text_is_gone_everywhere_while_verify_and_checkpoints_pass(
    app: Qualizyklus,
) -> None:
    _, cycle_id, references = built(app)
    settings = keyed()
    assert settings.public_key is not None
    make_checkpoint(app, settings)

    done = app.erase_text(references[SECRET], actor_id=SYSTEM_ACTOR, reason="DSGVO Art. 17")

    state = app.cycle(cycle_id, actor_id="koordination")
    texts = {c["text"] for c in state["comments"].values()}
    assert KEPT in texts
    assert SECRET not in str(state)
    erased = next(t for t in texts if t != KEPT)
    assert isinstance(erased, free_text.ErasedText)
    assert erased.startswith("(gelöscht am ")
    assert SECRET not in str(history(app, cycle_id))
    assert SECRET not in str(diff_versions(app, cycle_id, 1, done.version))
    assert SECRET not in exported(app)
    assert not database_holds(app.settings, "Beispielname-Zyxw")
    assert database_holds(app.settings, "Elternabend war gut")
    assert verify(app).ok
    assert not check_recorded(app, settings.public_key).problems
    make_checkpoint(app, settings)
    assert not check_recorded(app, settings.public_key).problems
    topics = [r.topic for r in app.recorder.select_events(cycle_id)]
    assert topics[-1] == "qualizyklus:Cycle.FreeTextErased"


def test_erasing_twice_or_an_unknown_reference_is_refused_and_changes_nothing(
    app: Qualizyklus,
) -> None:
    _, cycle_id, references = built(app)
    app.erase_text(references[SECRET], actor_id=SYSTEM_ACTOR, reason="DSGVO")
    version = app.version_of(cycle_id)
    rows = free_texts.table(app).of_aggregates([str(cycle_id)])

    with pytest.raises(free_texts.TextErasedAlready):
        app.erase_text(references[SECRET], actor_id=SYSTEM_ACTOR, reason="again")
    with pytest.raises(NotFound):
        app.erase_text("qzt1:" + "0" * 64, actor_id=SYSTEM_ACTOR, reason="unknown")
    with pytest.raises(NotFound):
        app.erase_text("no reference", actor_id=SYSTEM_ACTOR, reason="unknown")
    with pytest.raises(InvalidInput):
        app.erase_text(references[KEPT], actor_id=SYSTEM_ACTOR, reason="  ")

    assert app.version_of(cycle_id) == version
    assert free_texts.table(app).of_aggregates([str(cycle_id)]) == rows


def test_an_export_carries_texts_and_erasures_into_another_store(
    app: Qualizyklus, target: Qualizyklus
) -> None:
    _, cycle_id, references = built(app)
    app.erase_text(references[SECRET], actor_id=SYSTEM_ACTOR, reason="DSGVO")

    import_history(target, exported(app).splitlines(keepends=True))

    comments = target.cycle(cycle_id, actor_id="koordination")["comments"].values()
    texts = {c["text"] for c in comments}
    assert KEPT in texts
    assert any(isinstance(t, free_text.ErasedText) for t in texts)
    assert verify(target).ok


def test_a_text_changed_in_the_table_no_longer_matches_its_reference(app: Qualizyklus) -> None:
    _, cycle_id, references = built(app)
    texts = free_texts.table(app)
    with texts._datastore.transaction(commit=True) as cursor:
        cursor.execute(
            f"UPDATE {texts._table} SET text = {texts._p} WHERE reference = {texts._p}",
            ("geändert", references[KEPT]),
        )

    assert free_texts.check_texts(app, [cycle_id]) == [references[KEPT]]


def test_a_persons_erasure_leaves_verify_green(app: Qualizyklus) -> None:
    built(app)
    app.profiles.put("koordination", display_name="Eva Beispiel", email="eva@example.org")

    assert app.profiles.erase("koordination")
    assert verify(app).ok


def test_import_refuses_a_text_that_fails_its_reference(app: Qualizyklus) -> None:
    _, cycle_id, _ = built(app)
    rows = free_texts.texts_of(app, [cycle_id])
    forged = [{**rows[0], "reference": "qzt1:" + "1" * 64}]

    with pytest.raises(InvalidInput):
        free_texts.import_texts(app, forged)
    assert len(free_texts.texts_of(app, [cycle_id])) == len(rows)


def test_only_the_organisations_coordinator_may_list_and_erase_its_texts(
    app: Qualizyklus,
) -> None:
    _, cycle_id, references = built(app)

    listed = app.free_texts_of(cycle_id, actor_id="koordination")
    with pytest.raises(Forbidden):
        app.erase_text(references[SECRET], actor_id="hebamme", reason="x")
    with pytest.raises(NotFound):
        app.free_texts_of(cycle_id, actor_id="fremd")
    with pytest.raises(NotFound):
        app.erase_text(references[SECRET], actor_id="koordination", reason="x", within=UUID(int=1))
    app.erase_text(references[SECRET], actor_id="koordination", reason="DSGVO", within=cycle_id)

    assert {t["text"] for t in listed} >= {SECRET, KEPT}
    erased = [t for t in app.free_texts_of(cycle_id, actor_id="koordination") if t["erased_on"]]
    assert [t["reference"] for t in erased] == [references[SECRET]]


def test_texts_of_events_from_before_references_read_as_stored_and_are_not_erasable(
    app: Qualizyklus,
) -> None:
    import_history(app, fixture_lines())
    old = "Kinderarztpraxen ins Netzwerk holen"

    assert free_texts.table(app).search(old) == []
    assert any(old.encode() in r.state for r in app.recorder.select_notifications(1, 1000))
    with pytest.raises(NotFound):
        app.erase_text(old, actor_id=SYSTEM_ACTOR, reason="DSGVO")
    assert verify(app).ok
