"""The report's PDF is kept once printed: a second request for the unchanged report is served
from the cache folder; a changed store gives a new PDF and the reader's old one is deleted; the
folder stays within its size limit; the cache can be switched off."""

from __future__ import annotations

import io
import os
from pathlib import Path
from uuid import UUID

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from engine.application.audit import history
from engine.infrastructure.settings import SettingsError
from tests.web.conftest import BASE_URL, VIEWER, cycle_ids, sign_in
from tests.web.test_report import _tamper, engine_of, pdf_text
from web.config import config_from_environ
from web.reports.pdf_cache import PdfCache

SLUG = "lk-musterland"


@pytest.fixture
def folder(web_app: Flask, tmp_path: Path) -> Path:
    """The app's own cache folder for this test."""
    cache = tmp_path / "pdf-cache"
    web_app.config["QUALIZYKLUS_PDF_CACHE"] = cache
    return cache


def pdf(client: FlaskClient, cycle_id: str) -> bytes:
    response = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL)
    assert response.status_code == 200
    return response.data


def kept(folder: Path) -> list[Path]:
    return sorted(folder.glob("*/*.pdf"))


def test_a_second_request_for_the_unchanged_report_is_served_from_the_cache(
    client: FlaskClient, folder: Path
) -> None:
    sign_in(client, VIEWER)
    running = cycle_ids(client, SLUG)[0]

    first = pdf(client, running)
    (file,) = kept(folder)
    assert file.read_bytes() == first and file.parent.name == running
    file.write_bytes(b"%PDF-1.7 kept")  # only the cache can answer with this

    assert pdf(client, running) == b"%PDF-1.7 kept"


def test_a_changed_store_is_printed_anew_and_the_old_pdf_deleted(
    client: FlaskClient, web_app: Flask, folder: Path
) -> None:
    sign_in(client, VIEWER)
    running = cycle_ids(client, SLUG)[0]
    pdf(client, running)
    (before,) = kept(folder)
    version = next(e["version"] for e in history(engine_of(web_app), UUID(running)) if e["reason"])

    _tamper(web_app, running, version)
    after = pdf(client, running)

    assert kept(folder) != [before] and len(kept(folder)) == 1
    assert f"Prüfkette gebrochen bei Version {version}." in pdf_text(PdfReader(io.BytesIO(after)))


def test_the_folder_stays_within_its_limit_dropping_the_least_recently_served(
    tmp_path: Path,
) -> None:
    cache = PdfCache(tmp_path, limit=350)
    for number, cycle in enumerate(("a", "b", "c")):
        cache.put(cycle, "de-x", f"{number:064x}", b"x" * 100)
        os.utime(cache.path(cycle, "de-x", f"{number:064x}"), (number, number))
    cache.get("a", "de-x", f"{0:064x}")  # served again: now the most recent

    cache.put("d", "de-x", f"{9:064x}", b"x" * 100)

    assert [path.parent.name for path in sorted(tmp_path.glob("*/*.pdf"))] == ["a", "c", "d"]


def test_a_reader_keeps_one_pdf_per_cycle_and_language(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path, limit=10_000)
    cache.put("a", "de-x", "1" * 64, b"old")
    cache.put("a", "en-x", "2" * 64, b"english")

    cache.put("a", "de-x", "3" * 64, b"new")

    assert cache.get("a", "de-x", "1" * 64) is None
    assert cache.get("a", "de-x", "3" * 64) == b"new"
    assert cache.get("a", "en-x", "2" * 64) == b"english"


def test_the_cache_is_switched_off_and_a_bad_limit_refused() -> None:
    environ = {"QUALIZYKLUS_SECRET_KEY": "s", "QUALIZYKLUS_PDF_CACHE": "off"}
    assert config_from_environ(environ)["QUALIZYKLUS_PDF_CACHE"] is None
    assert config_from_environ({"QUALIZYKLUS_SECRET_KEY": "s"})["QUALIZYKLUS_PDF_CACHE"].name == (
        "pdf-cache"
    )
    with pytest.raises(SettingsError, match="QUALIZYKLUS_PDF_CACHE_MB"):
        config_from_environ({**environ, "QUALIZYKLUS_PDF_CACHE_MB": "lots"})


def test_a_cache_folder_that_cannot_be_written_still_gives_the_pdf(
    client: FlaskClient, web_app: Flask, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    web_app.config["QUALIZYKLUS_PDF_CACHE"] = blocked
    sign_in(client, VIEWER)

    assert pdf(client, cycle_ids(client, SLUG)[0]).startswith(b"%PDF-")
    assert blocked.read_text() == "not a folder"
