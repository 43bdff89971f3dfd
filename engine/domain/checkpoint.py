"""Signed checkpoints of the Merkle log, in the C2SP formats tlog-checkpoint and signed-note.

A checkpoint is a short text (the note's body)::

    <origin>
    <log size, decimal>
    <root hash, base64>
    time <UTC moment, ISO 8601>

followed by a blank line and one signature line, ``— <key name> <base64(key id || signature)>``.
The signature is Ed25519 over the body's bytes; the key id is the first four bytes of
SHA-256(key name || "\\n" || 0x01 || public key). The public key travels as a *verifier key*,
``<name>+<key id, hex>+<base64(0x01 || public key)>`` (one line), so that anyone can check a
checkpoint with nothing but that line and the file (``qualizyklus audit verify-checkpoint``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
SIGNATURE_PREFIX = "\u2014 "
TIME_PREFIX = "time "


class CheckpointError(ValueError):
    """A checkpoint or key that cannot be read, or whose signature does not verify."""


@dataclass(frozen=True)
class Checkpoint:
    """What a checkpoint commits to: the log's name, size and root, and when it was made."""

    origin: str
    size: int
    root: bytes
    time: datetime

    def body(self) -> str:
        """The signed text (ends with a newline)."""
        moment = self.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        root = base64.b64encode(self.root).decode("ascii")
        return f"{self.origin}\n{self.size}\n{root}\n{TIME_PREFIX}{moment}\n"


@dataclass(frozen=True)
class VerifierKey:
    """A public key with the name it signs under."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        """The four bytes that say which key made a signature."""
        return key_id(self.name, self.public_key)

    def line(self) -> str:
        """The one-line form, ``name+keyid+base64key``."""
        encoded = base64.b64encode(ED25519 + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the public key, hex: what a report names as the signer."""
        return hashlib.sha256(self.public_key).hexdigest()


def key_id(name: str, public_key: bytes) -> bytes:
    """The signed-note key id of an Ed25519 key."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def verifier_of(name: str, private_key: Ed25519PrivateKey) -> VerifierKey:
    """The verifier key that belongs to a private key."""
    raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return VerifierKey(name, raw)


def parse_verifier(line: str) -> VerifierKey:
    """Read a one-line verifier key; raise :class:`CheckpointError` if it is malformed."""
    parts = line.strip().split("+", 2)
    if len(parts) != 3 or not parts[0]:
        raise CheckpointError("a verifier key reads name+keyid+key")
    name, hex_id, encoded = parts
    try:
        raw = base64.b64decode(encoded, validate=True)
        expected_id = bytes.fromhex(hex_id)
    except (binascii.Error, ValueError):
        raise CheckpointError("the verifier key is not valid hex and base64") from None
    if len(raw) != 33 or raw[:1] != ED25519:
        raise CheckpointError("the verifier key is not an Ed25519 key")
    key = VerifierKey(name, raw[1:])
    if key.key_id != expected_id:
        raise CheckpointError("the verifier key's id does not match its key")
    return key


def sign(checkpoint: Checkpoint, private_key: Ed25519PrivateKey) -> str:
    """The whole signed note of a checkpoint (its origin is the key's name)."""
    body = checkpoint.body()
    verifier = verifier_of(checkpoint.origin, private_key)
    signature = private_key.sign(body.encode("utf-8"))
    encoded = base64.b64encode(verifier.key_id + signature).decode("ascii")
    return f"{body}\n{SIGNATURE_PREFIX}{checkpoint.origin} {encoded}\n"


def open_note(note: str, verifier: VerifierKey) -> Checkpoint:
    """Check a signed note with a verifier key and read its checkpoint.

    Raises :class:`CheckpointError` naming what is wrong: the form, no signature by that key,
    or a signature that does not verify (the text was changed).
    """
    body, signatures = _split(note)
    signature = _signature_by(signatures, verifier)
    public = Ed25519PublicKey.from_public_bytes(verifier.public_key)
    try:
        public.verify(signature, body.encode("utf-8"))
    except InvalidSignature:
        raise CheckpointError("the signature does not verify: the checkpoint was changed") from None
    checkpoint = parse_body(body)
    if checkpoint.origin != verifier.name:
        raise CheckpointError("the checkpoint names another log than the key")
    return checkpoint


def _split(note: str) -> tuple[str, list[str]]:
    if not note.endswith("\n") or "\n\n" not in note:
        raise CheckpointError("not a signed note: no blank line before the signatures")
    body, _, tail = note.rpartition("\n\n")
    return body + "\n", [line for line in tail.split("\n") if line]


def _signature_by(lines: list[str], verifier: VerifierKey) -> bytes:
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise CheckpointError("a signature line must start with an em dash")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            raise CheckpointError("a signature is not base64") from None
        if name == verifier.name and raw[:4] == verifier.key_id and len(raw) == 68:
            return raw[4:]
    raise CheckpointError("no signature by this key (another key, or it was removed)")


def parse_body(body: str) -> Checkpoint:
    """Read the checkpoint from a note's text (no signature check)."""
    lines = body.split("\n")
    if len(lines) < 5 or lines[-1] != "":
        raise CheckpointError("a checkpoint has an origin, a size, a root and a time")
    origin, size, root, moment = lines[:4]
    try:
        parsed_size = int(size)
        parsed_root = base64.b64decode(root, validate=True)
        if not moment.startswith(TIME_PREFIX):
            raise ValueError(moment)
        parsed_time = datetime.fromisoformat(moment[len(TIME_PREFIX) :])
    except (ValueError, binascii.Error):
        raise CheckpointError("the checkpoint's size, root or time cannot be read") from None
    if parsed_size < 0 or len(parsed_root) != 32 or not origin:
        raise CheckpointError("the checkpoint's size, root or origin is out of range")
    return Checkpoint(origin, parsed_size, parsed_root, parsed_time)
