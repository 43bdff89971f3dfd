"""`qualizyklus audit keygen | checkpoint | verify-checkpoint | verify-report`, and the
checkpoint part of `audit verify` (docs/operations.md, "Signed checkpoints and witnesses")."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO
from uuid import UUID

import click
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import PersistenceError

from engine.application.evidence_check import LogCheck, LogProblem, check_against, check_recorded
from engine.application.evidence_log import (
    NoCheckpointKey,
    checkpoints_table,
    consistency_between,
    create_log_tables,
    make_checkpoint,
)
from engine.application.evidence_settings import (
    CheckpointSettings,
    private_key_pem,
    read_verifier,
)
from engine.application.report_evidence import ReportEvidenceError, check_report, read_evidence
from engine.application.service import Qualizyklus
from engine.application.witnesses import witness as hand_to_witnesses
from engine.application.witnesses import write_checkpoint
from engine.domain.checkpoint import (
    Checkpoint,
    CheckpointError,
    VerifierKey,
    open_note,
    verifier_of,
)
from engine.domain.merkle import verify_consistency
from engine.infrastructure.settings import SettingsError

EngineOpener = Callable[[], AbstractContextManager[Qualizyklus]]


def checkpoint_settings() -> CheckpointSettings:
    """The checkpoint settings, or a usage error naming the bad variable."""
    try:
        return CheckpointSettings.from_environ()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None


def verifier_from(public_key: str | None) -> VerifierKey | None:
    """The key given on the command line, else the configured one (None if neither)."""
    if public_key:
        try:
            return read_verifier(public_key)
        except CheckpointError as error:
            raise click.ClickException(f"--public-key: {error}") from None
    return checkpoint_settings().verifier()


def read_checkpoint(path: Path, verifier: VerifierKey) -> Checkpoint:
    """Open a checkpoint file and check its signature (a ClickException says what is wrong)."""
    try:
        note = path.read_text(encoding="utf-8")
        return open_note(note, verifier)
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"{path}: {error}") from None
    except CheckpointError as error:
        raise click.ClickException(f"UNGÜLTIG / INVALID {path}: {error}") from None


def check_checkpoints(
    app: Qualizyklus, files: tuple[Path, ...], public_key: str | None
) -> LogCheck | None:
    """The checkpoint part of `audit verify`: the given files, else every recorded one.

    Without the log's tables (an installation where `qualizyklus init` has not run since the
    upgrade, or tables dropped) a check that needs them fails, saying so.
    """
    verifier = verifier_from(public_key)
    if files and verifier is None:
        raise click.UsageError("--checkpoint needs --public-key (or a configured key)")
    try:
        if files:
            assert verifier is not None
            return check_against(app, [read_checkpoint(path, verifier) for path in files])
        if verifier is not None:
            return check_recorded(app, verifier)
        if checkpoints_table(app).latest() is not None:
            click.echo(
                "HINWEIS / NOTE: Prüfpunkte nicht geprüft, kein Schlüssel konfiguriert / "
                "checkpoints not checked: set QUALIZYKLUS_CHECKPOINT_PUBLIC_KEY",
                err=True,
            )
    except PersistenceError:
        if files or verifier is not None:
            missing = LogProblem("log-missing", MISSING_LOG)
            return LogCheck(checkpoints=len(files), problems=[missing])
    return None


MISSING_LOG = "the log's tables are missing (run `qualizyklus init`; if it ran, they were dropped)"


def register_evidence(audit: click.Group, engine: EngineOpener) -> None:
    """Add the checkpoint commands to the `audit` group (``engine`` opens the store)."""

    @audit.command("keygen")
    @click.argument("key_file", type=click.Path(dir_okay=False, path_type=Path))
    def keygen(key_file: Path) -> None:
        """Write a new Ed25519 checkpoint key to KEY_FILE (mode 600) and print its public key.

        The public key line also goes to KEY_FILE.pub; give it to the witnesses.
        """
        if key_file.exists():
            raise click.ClickException(f"{key_file} exists; a key is never overwritten")
        settings = checkpoint_settings()
        key = Ed25519PrivateKey.generate()
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(private_key_pem(key))
        line = verifier_of(settings.origin, key).line()
        key_file.with_name(key_file.name + ".pub").write_text(line + "\n", encoding="utf-8")
        click.echo(line)

    @audit.command("checkpoint")
    @click.option(
        "--out", type=click.Path(dir_okay=False, path_type=Path), help="also write it here"
    )
    def checkpoint(out: Path | None) -> None:
        """Sign the log's current size and root, record it, hand it to the witnesses."""
        settings = checkpoint_settings()
        with engine() as app:
            create_log_tables(app)
            try:
                made = make_checkpoint(app, settings)
            except NoCheckpointKey:
                raise click.ClickException(
                    "kein Schlüssel / no key: set QUALIZYKLUS_CHECKPOINT_KEY_FILE "
                    "(qualizyklus audit keygen FILE)"
                ) from None
        recorded = made.checkpoint
        if out is not None:
            write_checkpoint(out, recorded)
        failures = hand_to_witnesses(recorded, settings) if made.new else []
        state = "neu / new" if made.new else "unverändert / unchanged"
        click.echo(
            f"Prüfpunkt / checkpoint {recorded.size} ({state}): root {recorded.root}, "
            f"{recorded.made_at}"
        )
        for failure in failures:
            click.echo(f"WARNUNG / WARNING: Zeuge nicht erreicht / witness missed: {failure}")
        if failures:
            raise SystemExit(2)

    @audit.command("verify-checkpoint")
    @click.argument("checkpoint_file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--public-key", required=True, help="the key line, or a file holding it")
    @click.option(
        "--previous",
        type=click.Path(dir_okay=False, path_type=Path),
        help="an earlier checkpoint this one must extend (with --proof)",
    )
    @click.option(
        "--proof",
        type=click.Path(dir_okay=False, path_type=Path),
        help="the consistency proof from `audit prove-consistency`",
    )
    def verify_checkpoint(
        checkpoint_file: Path, public_key: str, previous: Path | None, proof: Path | None
    ) -> None:
        """Check a checkpoint's signature with nothing but the file and the public key.

        With --previous and --proof, also that its log extends the earlier checkpoint's.
        """
        verifier = verifier_from(public_key)
        assert verifier is not None
        found = read_checkpoint(checkpoint_file, verifier)
        if (previous is None) != (proof is None):
            raise click.UsageError("--previous and --proof go together")
        extends = ""
        if previous is not None and proof is not None:
            earlier = read_checkpoint(previous, verifier)
            try:
                nodes = [bytes.fromhex(h) for h in json.loads(proof.read_text())["proof"]]
                verify_consistency(earlier.size, found.size, earlier.root, found.root, nodes)
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise click.ClickException(f"UNGÜLTIG / INVALID {proof}: {error}") from None
            extends = f", setzt {earlier.size} fort / extends {earlier.size}"
        click.echo(
            f"OK: {found.origin}, {found.size} Ereignisse / events, root {found.root.hex()}, "
            f"{found.time.isoformat()}, Schlüssel / key {verifier.fingerprint[:16]}{extends}"
        )

    @audit.command("prove-consistency")
    @click.argument("old_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.argument("new_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--public-key", default=None, help="the key line, or a file holding it")
    @click.option("--out", type=click.File("w", encoding="utf-8"), default="-")
    def prove_consistency(
        old_file: Path, new_file: Path, public_key: str | None, out: IO[str]
    ) -> None:
        """Write the proof (JSON) that NEW_FILE's log extends OLD_FILE's, for the witnesses."""
        with engine() as app:  # the store first: without it there is nothing to prove
            verifier = verifier_from(public_key)
            if verifier is None:
                raise click.UsageError("--public-key is needed (or a configured key)")
            old, new = read_checkpoint(old_file, verifier), read_checkpoint(new_file, verifier)
            try:
                nodes = consistency_between(app, old.size, new.size)
                verify_consistency(old.size, new.size, old.root, new.root, nodes)
            except ValueError as error:
                raise click.ClickException(f"keine Fortsetzung / no extension: {error}") from None
        body = {"old_size": old.size, "new_size": new.size, "proof": [n.hex() for n in nodes]}
        out.write(json.dumps(body, indent=1) + "\n")

    @audit.command("verify-report")
    @click.argument("report_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--public-key", default=None, help="the key line, or a file holding it")
    def verify_report(report_file: Path, public_key: str | None) -> None:
        """Confirm that the cycle's events a report PDF shows are still in the log, unchanged."""
        with engine() as app:  # the store first: the report is checked against it
            verifier = verifier_from(public_key)
            if verifier is None:
                raise click.UsageError("--public-key is needed (or a configured key)")
            try:
                evidence = read_evidence(report_file.read_bytes())
                checkpoint = open_note(evidence.note, verifier)
            except (ReportEvidenceError, CheckpointError) as error:
                raise click.ClickException(f"UNGÜLTIG / INVALID {report_file}: {error}") from None
            problems = check_report(app, evidence, verifier)
        for problem in problems:
            click.echo(f"FEHLER / FAULT: {problem}", err=True)
        if problems:
            raise SystemExit(1)
        click.echo(
            f"OK: Zyklus / cycle {UUID(evidence.leaf.originator_id)} Versionen / versions "
            f"1-{evidence.leaf.version} unverändert im Prüfpunkt / unchanged in checkpoint "
            f"{checkpoint.size} ({checkpoint.time.isoformat()})"
        )
