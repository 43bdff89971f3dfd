"""Comments on the overview, and evidence files: type by content, size limit, stored once by
hash, downloads for members only, withdrawal by coordinators."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.api.conftest import person_id
from tests.web.conftest import (
    CONTRIBUTOR,
    COORDINATOR,
    OTHER_COORDINATOR,
    VIEWER,
    cycle_ids,
    get,
    post_form,
    sign_in,
)
from tests.web.test_implement_page import error_next_to, state
from web.app import create_app
from web.attachments import (
    DOC,
    DOCX,
    ODT,
    PDF,
    PNG,
    XLSX,
    media_type_of,
    organisation_files,
    safe_filename,
)

SLUG = "lk-musterland"


def overview(cycle_id: str) -> str:
    return f"/o/{SLUG}/cycles/{cycle_id}/"


def signed_in(client: FlaskClient, email: str) -> str:
    sign_in(client, email)
    return cycle_ids(client, SLUG)[0]


# Files ------------------------------------------------------------------------------------


def small_pdf() -> bytes:
    """A valid one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def small_png() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 50 + b"This program cannot be run"
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def office_zip(main_part: str, content_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/{main_part}" ContentType="{content_type}"/>'
            "</Types>",
        )
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def open_document(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def compound_file(*streams: str) -> bytes:
    """A minimal OLE2 compound file whose directory names the given streams."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HH", header, 26, 3, 0xFFFE)
    struct.pack_into("<HH", header, 30, 9, 6)
    struct.pack_into("<I", header, 48, 0)
    directory = bytearray(512)
    for index, (name, kind) in enumerate([("Root Entry", 5), *((s, 2) for s in streams)]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        struct.pack_into("<HB", entry, 64, len(encoded), kind)
        directory[index * 128 : (index + 1) * 128] = entry
    return bytes(header + directory + bytes(512))


# Content checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (small_pdf(), PDF),
        (small_png(), PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32), "image/jpeg"),
        (b"GIF89a\x01\x00\x01\x00" + bytes(16), "image/gif"),
        (
            office_zip("word/document.xml", DOCX + ".main+xml"),
            DOCX,
        ),
        (office_zip("xl/workbook.xml", XLSX + ".main+xml"), XLSX),
        (open_document(ODT), ODT),
        (compound_file("WordDocument", "\x05SummaryInformation"), DOC),
    ],
)
def test_accepted_kinds_are_recognised_by_content(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "upload"
    path.write_bytes(content)
    assert media_type_of(path) == expected


@pytest.mark.parametrize(
    "content",
    [
        EXECUTABLE,
        HTML,
        b"  %PDF-1.4 but not at the start",
        b"",
        office_zip("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
        office_zip("word/other.xml", DOCX + ".main+xml"),
        open_document("application/x-msdownload"),
        b"PK\x03\x04 not really a zip",
        compound_file("MsiDatabase", "\x05SummaryInformation"),
    ],
)
def test_other_content_is_not_recognised(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "upload"
    path.write_bytes(content)
    assert media_type_of(path) is None


def test_file_names_are_made_safe_and_end_as_their_content_is() -> None:
    assert safe_filename("../../Beschluss März.pdf", PDF) == "Beschluss März.pdf"
    assert safe_filename("C:\\Users\\x\\bericht.exe", PDF) == "bericht.exe.pdf"
    assert safe_filename('a"b<c>\x00\r\n.png', PNG) == "a_b_c____.png"
    assert safe_filename("", PDF) == "Anhang.pdf"
    assert safe_filename("FOTO.JPG", "image/jpeg") == "FOTO.JPG"
    long = safe_filename("x" * 400 + ".docx", DOCX)
    assert len(long) == 200 and long.endswith(".docx")


# Comments ---------------------------------------------------------------------------------


def comment(client: FlaskClient, cycle_id: str, subject: str, text: str) -> TestResponse:
    return post_form(
        client,
        overview(cycle_id),
        f"/o/{SLUG}/cycles/{cycle_id}/comments",
        {"comment-subject": subject, "comment-text": text},
    )


def test_a_comment_on_a_measure_round_trips_with_author_time_and_subject(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, CONTRIBUTOR)
    before = state(web_app, cycle_id)
    measure_id, measure = next(iter(before["measures"].items()))
    response = comment(client, cycle_id, f"measure:{measure_id}", "Termin <b>verschoben</b>.")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#comments")
    after = state(web_app, cycle_id)
    assert len(after["comments"]) == len(before["comments"]) + 1
    html = get(client, overview(cycle_id)).get_data(as_text=True)
    section = html.split('<section class="comments"', 1)[1].split("</section>", 1)[0]
    assert "Termin &lt;b&gt;verschoben&lt;/b&gt;." in section  # shown as text, not markup
    assert "Jana Wolff" in section
    assert f"Maßnahme: {measure['title']}" in section
    assert "<time datetime=" in section
    assert "Die Elternbefragung startet nach den Sommerferien." in section  # the demo's


def test_an_empty_comment_or_unknown_subject_is_refused_next_to_the_field(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    before = state(web_app, cycle_id)
    empty = comment(client, cycle_id, "cycle", "   ")
    assert empty.status_code == 400
    assert error_next_to(empty.get_data(as_text=True), "comment-text")
    unknown = comment(client, cycle_id, "goal:gibt-es-nicht", "Text")
    assert unknown.status_code == 400
    assert "bezieht" in error_next_to(unknown.get_data(as_text=True), "comment-subject")
    assert state(web_app, cycle_id) == before


def test_a_viewer_sees_comments_but_cannot_write_any(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = signed_in(client, VIEWER)
    before = state(web_app, cycle_id)
    html = get(client, overview(cycle_id)).get_data(as_text=True)
    assert "Die Elternbefragung startet nach den Sommerferien." in html
    assert "Kommentar speichern" not in html and "Datei hochladen" not in html
    assert comment(client, cycle_id, "cycle", "Hallo").status_code == 403
    assert upload(client, cycle_id, small_pdf(), "x.pdf").status_code == 403
    assert state(web_app, cycle_id) == before


def test_a_closed_cycle_still_takes_comments(client: FlaskClient, web_app: Flask) -> None:
    sign_in(client, COORDINATOR)
    closed = cycle_ids(client, SLUG)[1]
    assert comment(client, closed, "cycle", "Für den Bericht 2025 nutzen.").status_code == 302
    html = get(client, overview(closed)).get_data(as_text=True)
    assert "Für den Bericht 2025 nutzen." in html
    assert "Datei hochladen" not in html  # no attachments after closing


# Attachments ------------------------------------------------------------------------------


def upload(
    client: FlaskClient,
    cycle_id: str,
    content: bytes,
    name: str,
    claimed: str = "application/pdf",
    subject: str = "cycle",
) -> TestResponse:
    return post_form(
        client,
        overview(cycle_id),
        f"/o/{SLUG}/cycles/{cycle_id}/attachments",
        {"upload-file": (io.BytesIO(content), name, claimed), "upload-subject": subject},
    )


def stored_files(web_app: Flask) -> list[Path]:
    folder = Path(web_app.config["QUALIZYKLUS_ATTACHMENTS"])
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def download_url(cycle_id: str, attachment_id: str, slug: str = SLUG) -> str:
    return f"/o/{slug}/cycles/{cycle_id}/attachments/{attachment_id}"


def test_a_pdf_and_a_png_upload_and_download_byte_identical(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, CONTRIBUTOR)
    goal_id = next(iter(state(web_app, cycle_id)["goals"]))
    pdf, png = small_pdf(), small_png()
    assert upload(client, cycle_id, pdf, "../Beschluss März.pdf").status_code == 302
    # the browser's claim does not matter, the content does
    response = upload(client, cycle_id, png, "foto.png", "text/html", f"goal:{goal_id}")
    assert response.status_code == 302
    attachments = state(web_app, cycle_id)["attachments"]
    by_name = {a["filename"]: (i, a) for i, a in attachments.items()}
    assert set(by_name) == {"Beschluss März.pdf", "foto.png"}
    pdf_id, pdf_record = by_name["Beschluss März.pdf"]
    png_id, png_record = by_name["foto.png"]
    assert (pdf_record["media_type"], pdf_record["size"]) == ("application/pdf", len(pdf))
    assert (png_record["media_type"], png_record["subject"]) == ("image/png", f"goal:{goal_id}")
    folder = Path(web_app.config["QUALIZYKLUS_ATTACHMENTS"])
    sha = pdf_record["sha256"]
    organisation_id = state(web_app, cycle_id)["organisation_id"]
    assert (folder / organisation_id / sha[:2] / sha).read_bytes() == pdf

    html = get(client, overview(cycle_id)).get_data(as_text=True)
    listing = html.split('<section class="attachments"', 1)[1].split("</section>", 1)[0]
    assert "Beschluss März.pdf" in listing and "PDF-Dokument" in listing
    assert "Bild (PNG)" in listing and "Jana Wolff" in listing and "Byte" in listing
    assert '<th scope="col">' in listing

    got = get(client, download_url(cycle_id, pdf_id))
    assert got.status_code == 200
    assert got.data == pdf
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Beschluss%20M%C3%A4rz.pdf" in disposition
    image = get(client, download_url(cycle_id, png_id))
    assert image.data == png and image.headers["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("content", "name", "claimed"),
    [
        (EXECUTABLE, "bericht.pdf", "application/pdf"),
        (HTML, "protokoll.pdf", "application/pdf"),
        (HTML, "bild.png", "image/png"),
    ],
)
def test_content_that_is_not_an_accepted_kind_is_refused_with_nothing_written(
    client: FlaskClient, web_app: Flask, content: bytes, name: str, claimed: str
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    before = state(web_app, cycle_id)
    response = upload(client, cycle_id, content, name, claimed)
    assert response.status_code == 400
    message = error_next_to(response.get_data(as_text=True), "upload-file")
    assert "nicht angenommen" in message and name in message
    assert state(web_app, cycle_id) == before
    assert stored_files(web_app) == []


def test_the_same_content_is_stored_once(client: FlaskClient, web_app: Flask) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    pdf = small_pdf()
    assert upload(client, cycle_id, pdf, "beschluss.pdf").status_code == 302
    assert upload(client, cycle_id, pdf, "beschluss-kopie.pdf").status_code == 302
    attachments = state(web_app, cycle_id)["attachments"].values()
    assert len(attachments) == 2
    assert len({a["sha256"] for a in attachments}) == 1
    assert len(stored_files(web_app)) == 1


def test_members_of_another_organisation_get_404_for_downloads(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    assert upload(client, cycle_id, small_pdf(), "intern.pdf").status_code == 302
    attachment_id = next(iter(state(web_app, cycle_id)["attachments"]))
    assert get(client, download_url(cycle_id, attachment_id)).status_code == 200

    stranger = web_app.test_client()
    sign_in(stranger, OTHER_COORDINATOR)
    own_cycle = cycle_ids(stranger, "beispielstadt")[0]
    for url in (
        download_url(cycle_id, attachment_id),
        download_url(cycle_id, attachment_id, "beispielstadt"),
        download_url(own_cycle, attachment_id, "beispielstadt"),
    ):
        response = get(stranger, url)
        assert response.status_code == 404, url
        assert response.data != small_pdf()
    anonymous = web_app.test_client()
    assert get(anonymous, download_url(cycle_id, attachment_id)).status_code == 302
    assert get(client, download_url(cycle_id, "gibt-es-nicht")).status_code == 404


UNKNOWN_HASH = "ab" * 32
OTHER_SLUG = "beispielstadt"


def record_attachment(
    web_app: Flask, cycle_id: str, attachment_id: str, sha256: str, actor_id: str, **claims: Any
) -> None:
    """Record an attachment naming content by its hash, past the pages and the API (as a
    history from before files belonged to an organisation could name it)."""
    engine = web_app.extensions["qualizyklus"]
    engine.attach_evidence(
        UUID(cycle_id),
        actor_id=actor_id,
        sha256=sha256,
        filename=claims.get("filename", "beleg.pdf"),
        media_type=claims.get("media_type", PDF),
        size=claims.get("size", 10),
        attachment_id=attachment_id,
    )


def _masked(page: bytes, asked_for: bytes) -> bytes:
    """The page with the id asked for and the CSRF token's value made alike."""
    page = re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', page)
    return page.replace(asked_for, b"ID")


def test_another_organisations_file_is_not_downloaded_by_its_hash(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    assert upload(client, cycle_id, small_pdf(), "intern.pdf").status_code == 302
    sha256 = next(iter(state(web_app, cycle_id)["attachments"].values()))["sha256"]
    stranger = web_app.test_client()
    sign_in(stranger, OTHER_COORDINATOR)
    own_cycle = cycle_ids(stranger, OTHER_SLUG)[0]
    coordinator_id = person_id(OTHER_SLUG, "coordinator")
    record_attachment(web_app, own_cycle, "elsewhere", sha256, coordinator_id)
    record_attachment(web_app, own_cycle, "nowhere", UNKNOWN_HASH, coordinator_id)
    elsewhere = get(stranger, download_url(own_cycle, "elsewhere", OTHER_SLUG))
    nowhere = get(stranger, download_url(own_cycle, "nowhere", OTHER_SLUG))
    assert elsewhere.status_code == nowhere.status_code == 404
    # the same page, but for the address asked for (which the language switch links back to)
    # and the CSRF token (signed with the second it was made in)
    assert _masked(elsewhere.data, b"elsewhere") == _masked(nowhere.data, b"nowhere")
    assert small_pdf() not in elsewhere.data


def test_the_same_bytes_uploaded_by_two_organisations_each_download_from_their_own(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    stranger = web_app.test_client()
    sign_in(stranger, OTHER_COORDINATOR)
    other_cycle = cycle_ids(stranger, OTHER_SLUG)[0]
    pdf = small_pdf()
    assert upload(client, cycle_id, pdf, "beschluss.pdf").status_code == 302
    response = post_form(
        stranger,
        f"/o/{OTHER_SLUG}/cycles/{other_cycle}/",
        f"/o/{OTHER_SLUG}/cycles/{other_cycle}/attachments",
        {"upload-file": (io.BytesIO(pdf), "auch.pdf", PDF), "upload-subject": "cycle"},
    )
    assert response.status_code == 302
    assert len(stored_files(web_app)) == 2  # one copy for each organisation
    for member, slug, cycle in ((client, SLUG, cycle_id), (stranger, OTHER_SLUG, other_cycle)):
        attachment_id = next(iter(state(web_app, cycle)["attachments"]))
        got = get(member, download_url(cycle, attachment_id, slug))
        assert got.status_code == 200 and got.data == pdf
    # one organisation's copy gone: the other's still downloads, its own answers 404
    organisation_files(web_app.config, state(web_app, cycle_id)["organisation_id"]).path_of(
        next(iter(state(web_app, cycle_id)["attachments"].values()))["sha256"]
    ).unlink()
    attachment_id = next(iter(state(web_app, cycle_id)["attachments"]))
    assert get(client, download_url(cycle_id, attachment_id)).status_code == 404
    other_id = next(iter(state(web_app, other_cycle)["attachments"]))
    assert get(stranger, download_url(other_cycle, other_id, OTHER_SLUG)).data == pdf


def test_the_download_is_typed_by_its_content_not_by_the_record(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    organisation_id = state(web_app, cycle_id)["organisation_id"]
    png = small_png()
    stored = organisation_files(web_app.config, organisation_id).store(
        io.BytesIO(png), limit=len(png)
    )
    coordinator_id = person_id(SLUG, "coordinator")
    record_attachment(
        web_app, cycle_id, "claimed", stored.sha256, coordinator_id, media_type="text/html"
    )
    got = get(client, download_url(cycle_id, "claimed"))
    assert got.status_code == 200 and got.data == png
    assert got.headers["Content-Type"] == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"


def test_files_of_an_installation_from_before_still_download_where_a_person_uploaded_them(
    client: FlaskClient, web_app: Flask
) -> None:
    """The shared tree of old installations serves content the organisation's own history
    names as uploaded by a person; a token's metadata naming it (the old hole) gets 404."""
    cycle_id = signed_in(client, COORDINATOR)
    pdf = small_pdf()
    sha256 = hashlib.sha256(pdf).hexdigest()
    legacy = Path(web_app.config["QUALIZYKLUS_ATTACHMENTS"]) / sha256[:2] / sha256
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(pdf)
    coordinator_id = person_id(SLUG, "coordinator")
    record_attachment(web_app, cycle_id, "uploaded", sha256, coordinator_id)
    got = get(client, download_url(cycle_id, "uploaded"))
    assert got.status_code == 200 and got.data == pdf
    token_member = f"token:{uuid4()}"
    engine = web_app.extensions["qualizyklus"]
    organisation = engine.organisation_by_slug(SLUG)
    engine.grant_role(
        UUID(organisation["id"]),
        actor_id=coordinator_id,
        member_id=token_member,
        role="contributor",
    )
    record_attachment(web_app, cycle_id, "by-token", sha256, token_member)
    assert get(client, download_url(cycle_id, "by-token")).status_code == 404


def test_a_coordinator_withdraws_an_attachment_for_a_reason_and_the_file_stays(
    client: FlaskClient, web_app: Flask
) -> None:
    cycle_id = signed_in(client, COORDINATOR)
    assert upload(client, cycle_id, small_pdf(), "falsch.pdf").status_code == 302
    attachment_id = next(iter(state(web_app, cycle_id)["attachments"]))
    action = f"{download_url(cycle_id, attachment_id)}/withdraw"
    prefix = f"w-{attachment_id}"
    version = state(web_app, cycle_id)["version"]
    missing = post_form(
        client,
        overview(cycle_id),
        action,
        {f"{prefix}-reason": "", f"{prefix}-version": str(version)},
    )
    assert missing.status_code == 400
    assert error_next_to(missing.get_data(as_text=True), f"{prefix}-reason")
    assert state(web_app, cycle_id)["version"] == version

    done = post_form(
        client,
        overview(cycle_id),
        action,
        {f"{prefix}-reason": "Enthielt Namen.", f"{prefix}-version": str(version)},
    )
    assert done.status_code == 302
    assert state(web_app, cycle_id)["attachments"][attachment_id]["removed"] is True
    assert len(stored_files(web_app)) == 1
    assert "zurückgezogen" in get(client, overview(cycle_id)).get_data(as_text=True)
    assert get(client, download_url(cycle_id, attachment_id)).status_code == 200

    contributor = web_app.test_client()
    sign_in(contributor, CONTRIBUTOR)
    assert get(contributor, download_url(cycle_id, attachment_id)).status_code == 404
    refused = post_form(
        contributor,
        overview(cycle_id),
        action,
        {f"{prefix}-reason": "x", f"{prefix}-version": str(version + 1)},
    )
    assert refused.status_code == 403


@pytest.fixture
def small_limit_app(demo_database: Path, tmp_path: Path) -> Iterator[Flask]:
    """The web app with an upload limit of 8 KB."""
    database = tmp_path / "limit.db"
    shutil.copyfile(demo_database, database)
    app = create_app(
        {
            "QUALIZYKLUS_DATABASE": f"sqlite:///{database}",
            "SECRET_KEY": "test-secret",
            "QUALIZYKLUS_ATTACHMENTS": tmp_path / "limited",
            "MAX_CONTENT_LENGTH": 8 * 1024,
        }
    )
    yield app
    app.extensions["qualizyklus"].close()


def test_a_file_over_the_limit_is_refused_with_nothing_written(small_limit_app: Flask) -> None:
    client = small_limit_app.test_client()
    cycle_id = signed_in(client, COORDINATOR)
    before = state(small_limit_app, cycle_id)
    html = get(client, overview(cycle_id)).get_data(as_text=True)
    assert "höchstens 8 KB" in html
    big = small_pdf() + b"%" + b"x" * (20 * 1024)
    response = upload(client, cycle_id, big, "gross.pdf")
    assert response.status_code == 413
    assert "Die Datei ist zu groß." in response.get_data(as_text=True)
    assert state(small_limit_app, cycle_id) == before
    assert stored_files(small_limit_app) == []
    assert upload(client, cycle_id, small_pdf(), "klein.pdf").status_code == 302
