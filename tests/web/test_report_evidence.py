"""The report carries the checkpoint it was produced under; `audit verify-report` checks the PDF
later against the store: unchanged passes, a removed newest event of the cycle is named."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from uuid import UUID

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import Flask
from flask.testing import FlaskClient

from engine.application.evidence_log import make_checkpoint
from engine.application.evidence_settings import CheckpointSettings
from engine.application.service import Qualizyklus
from engine.cli.main import main
from engine.domain.checkpoint import verifier_of
from tests.web.conftest import BASE_URL, VIEWER, cycle_ids, sign_in
from tests.web.test_report import SLUG, plain

PDF_ENDS = b"%%EOF"


@pytest.fixture
def key_line(web_app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    """A checkpoint over the demo store, and its public key configured for the pages."""
    key = Ed25519PrivateKey.generate()
    public = verifier_of("qualizyklus", key)
    app: Qualizyklus = web_app.extensions["qualizyklus"]
    make_checkpoint(app, CheckpointSettings(key=key, public_key=public))
    monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_PUBLIC_KEY", public.line())
    return public.line()


def running_cycle(client: FlaskClient) -> str:
    sign_in(client, VIEWER)
    return cycle_ids(client, SLUG)[0]


def verify_report(
    web_app: Flask, pdf: Path, key: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    database = web_app.extensions["qualizyklus"].settings.database
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", database)
    result = CliRunner().invoke(
        main, ["audit", "verify-report", str(pdf), "--public-key", key], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_the_page_names_the_checkpoint_and_the_pdf_verifies_later(
    client: FlaskClient, web_app: Flask, key_line: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    cycle_id = running_cycle(client)
    page = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report", base_url=BASE_URL)
    text = plain(page.get_data(as_text=True))
    assert "Signierter Prüfpunkt" in text
    assert "audit verify-report" in text
    pdf = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL).get_data()
    assert pdf.rstrip().endswith(PDF_ENDS)
    report = tmp_path / "bericht.pdf"
    report.write_bytes(pdf)

    code, output = verify_report(web_app, report, key_line, monkeypatch)

    assert code == 0, output
    assert f"cycle {cycle_id} " in output and "unchanged in checkpoint" in output


def test_a_report_whose_cycle_lost_its_newest_event_fails_naming_it(
    client: FlaskClient, web_app: Flask, key_line: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    cycle_id = running_cycle(client)
    report = tmp_path / "bericht.pdf"
    report.write_bytes(
        client.get(f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL).get_data()
    )
    database = web_app.extensions["qualizyklus"].settings.sqlite_path()
    with sqlite3.connect(database) as connection:
        (last,) = connection.execute(
            "SELECT MAX(originator_version) FROM stored_events WHERE originator_id = ?",
            (UUID(cycle_id).hex,),
        ).fetchone()
        connection.execute(
            "DELETE FROM stored_events WHERE originator_id = ? AND originator_version = ?",
            (UUID(cycle_id).hex, last),
        )

    code, output = verify_report(web_app, report, key_line, monkeypatch)

    assert code == 1
    assert f"aggregate {cycle_id} version {last}: missing" in output


def test_before_any_checkpoint_the_report_says_nothing_and_verify_report_refuses(
    client: FlaskClient, web_app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle_id = running_cycle(client)
    page = client.get(f"/o/{SLUG}/cycles/{cycle_id}/report", base_url=BASE_URL)
    assert "Signierter Prüfpunkt" not in plain(page.get_data(as_text=True))
    report = tmp_path / "bericht.pdf"
    report.write_bytes(
        client.get(f"/o/{SLUG}/cycles/{cycle_id}/report.pdf", base_url=BASE_URL).get_data()
    )
    key = verifier_of("qualizyklus", Ed25519PrivateKey.generate()).line()

    code, output = verify_report(web_app, report, key, monkeypatch)

    assert code != 0
    assert "holds no checkpoint" in output
