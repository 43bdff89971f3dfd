"""Witnesses: places outside the database administrator's reach that keep every checkpoint.

A witness folder (``QUALIZYKLUS_CHECKPOINT_DIR``, e.g. a share of the municipality's archive)
receives each checkpoint as a file; witness addresses (``QUALIZYKLUS_CHECKPOINT_MAIL_TO``, e.g.
the state coordination office) receive it by e-mail, through the reminders' mail server. A
witness checks a checkpoint with nothing but the file and the public key line
(``qualizyklus audit verify-checkpoint FILE --public-key KEY``).
"""

from __future__ import annotations

import logging
import os
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

from engine.application.evidence_settings import CheckpointSettings
from engine.application.log_tables import RecordedCheckpoint
from engine.application.mailer import Mailer, SmtpMailer
from engine.application.reminder_settings import SmtpSettings
from engine.infrastructure.settings import SettingsError

log = logging.getLogger(__name__)


def file_name(checkpoint: RecordedCheckpoint) -> str:
    """The checkpoint's file name: ``checkpoint-<size>.txt``."""
    return f"checkpoint-{checkpoint.size}.txt"


def write_checkpoint(path: Path, checkpoint: RecordedCheckpoint) -> Path:
    """Write the signed note to ``path`` (via a temporary file, so no witness sees half)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(checkpoint.note, encoding="utf-8")
    os.replace(partial, path)
    return path


def checkpoint_mail(
    checkpoint: RecordedCheckpoint, *, sender: str, recipients: tuple[str, ...], verifier: str
) -> EmailMessage:
    """The witness mail: a short explanation and the checkpoint attached."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = f"Qualizyklus: Prüfpunkt {checkpoint.size} / checkpoint {checkpoint.size}"
    message.set_content(
        "Im Anhang ein signierter Prüfpunkt des Qualizyklus-Protokolls. Bitte unverändert "
        "aufbewahren. Prüfen mit:\n\n"
        f"  qualizyklus audit verify-checkpoint {file_name(checkpoint)} --public-key KEY\n\n"
        f"Öffentlicher Schlüssel / public key:\n  {verifier}\n\n"
        f"Größe / size: {checkpoint.size}\nWurzel / root: {checkpoint.root}\n"
        f"Zeit / time: {checkpoint.made_at}\n"
    )
    message.add_attachment(
        checkpoint.note.encode("utf-8"),
        maintype="text",
        subtype="plain",
        filename=file_name(checkpoint),
    )
    return message


def witness(
    checkpoint: RecordedCheckpoint,
    settings: CheckpointSettings,
    *,
    mailer_factory: Callable[[SmtpSettings], Mailer] = SmtpMailer,
) -> list[str]:
    """Hand the checkpoint to every configured witness; returns what failed (empty: all went).

    A failing witness never stops the others nor the command that made the checkpoint.
    """
    failures = []
    if settings.directory is not None:
        try:
            write_checkpoint(settings.directory / file_name(checkpoint), checkpoint)
        except OSError as error:
            failures.append(f"{settings.directory}: {error}")
    if settings.mail_to:
        try:
            _mail(checkpoint, settings, mailer_factory)
        except (SettingsError, smtplib.SMTPException, OSError) as error:
            failures.append(f"mail to {', '.join(settings.mail_to)}: {error}")
    for failure in failures:
        log.warning("checkpoint %s not witnessed: %s", checkpoint.size, failure)
    return failures


def _mail(
    checkpoint: RecordedCheckpoint,
    settings: CheckpointSettings,
    mailer_factory: Callable[[SmtpSettings], Mailer],
) -> None:
    smtp = SmtpSettings.from_environ()
    verifier = settings.public_key.line() if settings.public_key else ""
    message = checkpoint_mail(
        checkpoint, sender=smtp.sender, recipients=settings.mail_to, verifier=verifier
    )
    mailer = mailer_factory(smtp)
    try:
        mailer.send(message)
    finally:
        close = getattr(mailer, "close", None)
        if close is not None:
            close()
