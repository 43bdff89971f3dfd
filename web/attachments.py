"""Evidence files: what kind of document an upload is (by its content), and storing it once
per organisation.

The type of a file is decided by its bytes, never by its name or by what the browser claims:
PDF, PNG, JPEG, GIF, Office Open XML (Word, Excel, PowerPoint), OpenDocument and the legacy
Office formats. Each organisation's content is stored once under its SHA-256 hash in a folder
of its own (``<folder>/<organisation id>/ab/abcdef…``): a file belongs to the organisation that
uploaded it, two organisations uploading the same bytes each hold a copy, and nothing is
reachable by its hash alone. Uploads are written to a temporary file first and renamed into
place, so that a reader never sees half a file and a refused upload leaves nothing behind.

Installations from before files belonged to an organisation kept all content in one shared
tree (``<folder>/ab/abcdef…``); :meth:`AttachmentStore.find` still serves such a file, but only
where the caller says the organisation's own history names it as uploaded by a person.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from flask import Response, current_app, send_file

from engine.application.tokens import is_token_member

CHUNK = 64 * 1024
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_FILENAME = 200

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
ODG = "application/vnd.oasis.opendocument.graphics"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
UNKNOWN = "application/octet-stream"
"""What a file is sent as when its content is none of the accepted kinds (legacy records)."""

EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    GIF: (".gif",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    ODT: (".odt",),
    ODS: (".ods",),
    ODP: (".odp",),
    ODG: (".odg",),
    DOC: (".doc",),
    XLS: (".xls",),
    PPT: (".ppt",),
}
"""Every accepted media type with the file name endings that fit it (the first is used)."""

_MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_OOXML = (
    # (main part, the content type [Content_Types].xml must declare for it, media type)
    ("word/document.xml", DOCX + ".main+xml", DOCX),
    ("xl/workbook.xml", XLSX + ".main+xml", XLSX),
    ("ppt/presentation.xml", PPTX + ".main+xml", PPTX),
)
_MAX_CONTENT_TYPES = 1024 * 1024
_ODF_TYPES = (ODT, ODS, ODP, ODG)

_OLE_STREAMS = (
    # (stream name in the compound file's directory, media type)
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
)


class Refused(Exception):
    """An upload that is not stored; ``reason`` says why ('type', 'empty' or 'size')."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredFile:
    """Content now in the store: its hash, size, media type, and whether this upload wrote it."""

    sha256: str
    size: int
    media_type: str
    created: bool


def media_type_of(path: Path) -> str | None:
    """The media type the file's content shows, or None when it is none of the accepted kinds."""
    with path.open("rb") as file:
        head = file.read(512)
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head.startswith(_ZIP):
        return _zip_document(path)
    if head.startswith(_OLE2):
        return _ole_document(path)
    return None


def _zip_document(path: Path) -> str | None:
    """An OpenDocument or Office Open XML file, told apart by the parts inside the ZIP."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if not entries:
                return None
            first = entries[0]
            if first.filename == "mimetype":
                if first.file_size > 100:
                    return None
                declared = archive.read(first).decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else None
            names = {entry.filename for entry in entries}
            content_types = next(
                (entry for entry in entries if entry.filename == "[Content_Types].xml"), None
            )
            if content_types is None or content_types.file_size > _MAX_CONTENT_TYPES:
                return None
            declared = archive.read(content_types).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return None
    for part, content_type, media_type in _OOXML:
        if part in names and content_type in declared:
            return media_type
    return None


def _ole_document(path: Path) -> str | None:
    """A legacy Word, Excel or PowerPoint file: a compound file holding the matching stream.

    Directory entries are 128 bytes long and sectors are multiples of 128 bytes, so each entry
    starts at a multiple of 128 after the 512-byte header; an entry names its stream in UTF-16,
    gives the name's length in bytes and its type (2 = stream).
    """
    data = path.read_bytes()
    if len(data) < 1024:
        return None
    for offset in range(512, len(data) - 127, 128):
        entry = data[offset : offset + 128]
        length, kind = struct.unpack_from("<HB", entry, 64)
        if kind != 2 or not 2 < length <= 64 or length % 2:
            continue
        name = entry[: length - 2].decode("utf-16-le", "replace")
        for stream, media_type in _OLE_STREAMS:
            if name == stream:
                return media_type
    return None


def safe_filename(original: str, media_type: str) -> str:
    """A file name safe to show and to send: no path, no control or reserved characters,
    not too long, and ending as its content is (``bericht.exe`` holding a PDF becomes
    ``bericht.exe.pdf``)."""
    name = unicodedata.normalize("NFC", original or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        "_" if char in '<>:"|?*' or unicodedata.category(char)[0] == "C" else char for char in name
    )
    name = " ".join(name.split()).strip(" .") or "Anhang"
    extensions = EXTENSIONS.get(media_type, ())
    if extensions and not name.lower().endswith(extensions):
        name = f"{name}{extensions[0]}"
    if len(name) > MAX_FILENAME:
        stem, dot, ending = name.rpartition(".")
        ending = f"{dot}{ending}" if dot and len(ending) <= 10 else ""
        name = (stem if ending else name)[: MAX_FILENAME - len(ending)] + ending
    return name


def _fan_out(sha256: str) -> Path:
    """``ab/abcdef…``: the hash's place below a folder (refusing anything but a hash)."""
    if not SHA256.match(sha256):
        msg = f"not a SHA-256 hash: {sha256!r}"
        raise ValueError(msg)
    return Path(sha256[:2]) / sha256


class AttachmentStore:
    """One organisation's files by content hash, under the installation's folder."""

    def __init__(self, folder: Path, organisation_id: UUID | str) -> None:
        self.folder = Path(folder)
        self.organisation_id = str(UUID(str(organisation_id)))

    def path_of(self, sha256: str) -> Path:
        """Where this organisation's content with this hash lives (whether or not it is there)."""
        return self.folder / self.organisation_id / _fan_out(sha256)

    def has(self, sha256: str) -> bool:
        """Whether this organisation uploaded the content (another's copy does not count)."""
        return self.path_of(sha256).is_file()

    def describe(self, sha256: str) -> StoredFile | None:
        """Size and media type (by content) of this organisation's content; None when it did
        not upload it, whether or not another organisation did."""
        if not SHA256.match(sha256) or not self.has(sha256):
            return None
        path = self.path_of(sha256)
        media_type = media_type_of(path)
        if media_type is None:
            return None
        return StoredFile(sha256, path.stat().st_size, media_type, created=False)

    def find(self, sha256: str, *, legacy: bool = False) -> Path | None:
        """The file to send for content this organisation's history names, or None.

        ``legacy`` allows the shared tree of installations from before files belonged to an
        organisation; pass it only when the organisation's own history shows the content was
        uploaded there (an attachment recorded by a person, not by an API token's metadata).
        """
        if not SHA256.match(sha256):
            return None
        own = self.path_of(sha256)
        if own.is_file():
            return own
        shared = self.folder / _fan_out(sha256)
        return shared if legacy and shared.is_file() else None

    def store(self, stream: IO[bytes], *, limit: int) -> StoredFile:
        """Store an upload whose content is one of the accepted kinds; else ``Refused``.

        Nothing remains in the folder when the upload is refused.
        """
        with self._staged(stream, limit) as (staged, sha256, size):
            media_type = media_type_of(staged)
            if media_type is None:
                raise Refused("type")
            final = self.path_of(sha256)
            if final.is_file():
                return StoredFile(sha256, size, media_type, created=False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
            return StoredFile(sha256, size, media_type, created=True)

    def discard(self, stored: StoredFile) -> None:
        """Remove content this upload wrote after all (when its record was refused).

        Content this organisation had stored already is left alone. (Two uploads of the same
        content by the same organisation in the same instant, one of them refused, could still
        remove the other's file; the history would then name content that is missing, which
        the download reports as not found and logs.)
        """
        if stored.created:
            self.path_of(stored.sha256).unlink(missing_ok=True)

    @contextmanager
    def _staged(self, stream: IO[bytes], limit: int) -> Iterator[tuple[Path, str, int]]:
        """Copy the upload to a temporary file in the store (hashing it); removed afterwards
        unless it was renamed into place."""
        staging = self.folder / "tmp"
        staging.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=staging, prefix="upload-")
        staged = Path(name)
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(descriptor, "wb") as file:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise Refused("size")
                    digest.update(chunk)
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            if size == 0:
                raise Refused("empty")
            yield staged, digest.hexdigest(), size
        finally:
            staged.unlink(missing_ok=True)


def organisation_files(config: Mapping[str, Any], organisation_id: UUID | str) -> AttachmentStore:
    """The files of one organisation in the app's store (``QUALIZYKLUS_ATTACHMENTS``)."""
    return AttachmentStore(Path(config["QUALIZYKLUS_ATTACHMENTS"]), organisation_id)


def uploaded_by_person(attachment: Mapping[str, Any]) -> bool:
    """Whether an attachment was recorded by a person (an upload through the pages) rather
    than as metadata by an API token: only then may its content come from the shared tree of
    installations from before files belonged to an organisation."""
    return not is_token_member(str(attachment.get("added_by", "")))


def send_attachment(
    store: AttachmentStore, attachment_id: str, attachment: Mapping[str, Any]
) -> Response | None:
    """An attachment's content as a download typed by its content, never sniffed or cached;
    None (logged) when the content is missing."""
    path = store.find(attachment["sha256"], legacy=uploaded_by_person(attachment))
    if path is None:
        current_app.logger.error(
            "attachment %s: content %s missing", attachment_id, attachment["sha256"]
        )
        return None
    response = send_file(
        path,
        mimetype=media_type_of(path) or UNKNOWN,
        as_attachment=True,
        download_name=attachment["filename"],
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
