"""Where the checkpoint key comes from, how often checkpoints are made, where they are witnessed.

Read from the environment (docs/operations.md, "Signierte Prüfpunkte"):

- ``QUALIZYKLUS_CHECKPOINT_KEY_FILE``: a PEM file with the Ed25519 private key, or
  ``QUALIZYKLUS_CHECKPOINT_KEY``: the same PEM text, or the key's 32 bytes in base64.
  The key is never written to the database.
- ``QUALIZYKLUS_CHECKPOINT_ORIGIN``: the log's name in every checkpoint (``qualizyklus``).
- ``QUALIZYKLUS_CHECKPOINT_INTERVAL``: seconds between automatic checkpoints (3600; 0 = only
  when a cycle closes and by command).
- ``QUALIZYKLUS_CHECKPOINT_DIR``: a witness folder each checkpoint is written to.
- ``QUALIZYKLUS_CHECKPOINT_MAIL_TO``: witness addresses, comma-separated (mail goes through
  the ``QUALIZYKLUS_SMTP_*`` server of the reminders).
- ``QUALIZYKLUS_CHECKPOINT_PUBLIC_KEY``: the verifier key line (or a file holding it) that
  ``audit verify`` checks recorded checkpoints with; by default the private key's own.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from engine.domain.checkpoint import CheckpointError, VerifierKey, parse_verifier, verifier_of
from engine.infrastructure.settings import SettingsError

DEFAULT_ORIGIN = "qualizyklus"
DEFAULT_INTERVAL = 3600


@dataclass(frozen=True)
class CheckpointSettings:
    """The checkpoint key (if any), log name, interval and witnesses."""

    key: Ed25519PrivateKey | None = field(default=None, repr=False)
    origin: str = DEFAULT_ORIGIN
    interval: int = DEFAULT_INTERVAL
    directory: Path | None = None
    mail_to: tuple[str, ...] = ()
    public_key: VerifierKey | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> CheckpointSettings:
        """Read the ``QUALIZYKLUS_CHECKPOINT_*`` variables (SettingsError names a bad one)."""
        environ = os.environ if environ is None else environ
        origin = environ.get("QUALIZYKLUS_CHECKPOINT_ORIGIN", "").strip() or DEFAULT_ORIGIN
        if any(c in origin for c in " +\n\t") or not origin.isprintable():
            msg = f"QUALIZYKLUS_CHECKPOINT_ORIGIN must be one word without '+': {origin!r}"
            raise SettingsError(msg)
        key = _private_key(environ)
        public = _public_key(environ)
        if public is None and key is not None:
            public = verifier_of(origin, key)
        directory = environ.get("QUALIZYKLUS_CHECKPOINT_DIR", "").strip()
        return cls(
            key=key,
            origin=origin,
            interval=_interval(environ),
            directory=Path(directory) if directory else None,
            mail_to=_addresses(environ.get("QUALIZYKLUS_CHECKPOINT_MAIL_TO", "")),
            public_key=public,
        )

    def verifier(self) -> VerifierKey | None:
        """The key recorded checkpoints are checked with."""
        return self.public_key


def _private_key(environ: Mapping[str, str]) -> Ed25519PrivateKey | None:
    path = environ.get("QUALIZYKLUS_CHECKPOINT_KEY_FILE", "").strip()
    text = environ.get("QUALIZYKLUS_CHECKPOINT_KEY", "").strip()
    if path:
        try:
            text = Path(path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as error:
            msg = f"QUALIZYKLUS_CHECKPOINT_KEY_FILE cannot be read: {error}"
            raise SettingsError(msg) from None
    if not text:
        return None
    try:
        return load_private_key(text)
    except ValueError as error:
        msg = f"the checkpoint key is not an Ed25519 private key: {error}"
        raise SettingsError(msg) from None


def load_private_key(text: str) -> Ed25519PrivateKey:
    """An Ed25519 key from PEM (PKCS #8, unencrypted) or from 32 bytes in base64."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM file holds another kind of key")
        return key
    try:
        raw = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("neither PEM nor base64") from None
    if len(raw) != 32:
        raise ValueError("base64 of 32 bytes expected")
    return Ed25519PrivateKey.from_private_bytes(raw)


def private_key_pem(key: Ed25519PrivateKey) -> str:
    """The PEM text of a private key (what ``audit keygen`` writes)."""
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode("ascii")


def read_verifier(value: str) -> VerifierKey:
    """A verifier key given as its line or as a file holding the line."""
    candidate = Path(value)
    line = value
    if "+" not in value or candidate.is_file():
        try:
            line = candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CheckpointError(f"the public key cannot be read: {error}") from None
    return parse_verifier(line)


def _public_key(environ: Mapping[str, str]) -> VerifierKey | None:
    value = environ.get("QUALIZYKLUS_CHECKPOINT_PUBLIC_KEY", "").strip()
    if not value:
        return None
    try:
        return read_verifier(value)
    except CheckpointError as error:
        raise SettingsError(f"QUALIZYKLUS_CHECKPOINT_PUBLIC_KEY: {error}") from None


def _interval(environ: Mapping[str, str]) -> int:
    raw = environ.get("QUALIZYKLUS_CHECKPOINT_INTERVAL", "").strip()
    if not raw:
        return DEFAULT_INTERVAL
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        msg = f"QUALIZYKLUS_CHECKPOINT_INTERVAL must be whole seconds (0 = off): {raw!r}"
        raise SettingsError(msg)
    return value


def _addresses(raw: str) -> tuple[str, ...]:
    addresses = tuple(part.strip() for part in raw.split(",") if part.strip())
    for address in addresses:
        if "@" not in parseaddr(address)[1]:
            msg = f"QUALIZYKLUS_CHECKPOINT_MAIL_TO holds no e-mail address: {address!r}"
            raise SettingsError(msg)
    return addresses
