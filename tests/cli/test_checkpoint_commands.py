"""`qualizyklus audit keygen | checkpoint | verify-checkpoint | verify --checkpoint`, real store,
with a witness folder and a real local SMTP server as the mail witness."""

from __future__ import annotations

import base64
import stat
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from engine.cli.main import main
from engine.domain.organisation import organisation_id_for
from engine.infrastructure.settings import Settings
from tests.conftest import FillWithDemo
from tests.engine.test_audit import RawStore
from tests.engine.test_reminders import MailServer, mail_server

__all__ = ["mail_server"]  # the local SMTP server fixture of the reminder tests


class Cli:
    """Runs `qualizyklus` commands with the test's environment."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        self.monkeypatch = monkeypatch
        self.tmp_path = tmp_path
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Result:
        return self.runner.invoke(main, list(args), catch_exceptions=False)

    def key(self) -> str:
        """Make a key with `audit keygen` and configure it; returns the public key line."""
        result = self("audit", "keygen", str(self.tmp_path / "key.pem"))
        assert result.exit_code == 0, result.output
        self.monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_KEY_FILE", str(self.tmp_path / "key.pem"))
        return result.output.strip()


@pytest.fixture
def cli(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fill_with_demo: FillWithDemo,
) -> Cli:
    """A demo store (as `qualizyklus init` and `demo` leave it: a copy of the demo dated from
    today, loaded once per run) and the command line on it."""
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", database_url)
    for name in ("KEY", "KEY_FILE", "DIR", "MAIL_TO", "PUBLIC_KEY", "INTERVAL"):
        monkeypatch.delenv(f"QUALIZYKLUS_CHECKPOINT_{name}", raising=False)
    run = Cli(monkeypatch, tmp_path)
    fill_with_demo(database_url, today=date.today())
    assert run("init").exit_code == 0
    return run


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(
    cli: Cli, tmp_path: Path
) -> None:
    line = cli.key()
    key_file = tmp_path / "key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "key.pem.pub").read_text().strip() == line
    assert line.startswith("qualizyklus+")
    before = key_file.read_bytes()
    again = cli("audit", "keygen", str(key_file))
    assert again.exit_code != 0
    assert "never overwritten" in again.output
    assert key_file.read_bytes() == before


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_checkpoint_without_a_key_is_refused_and_records_nothing(
    cli: Cli, settings: Settings
) -> None:
    refused = cli("audit", "checkpoint")
    assert refused.exit_code != 0
    assert "QUALIZYKLUS_CHECKPOINT_KEY_FILE" in refused.output
    raw = RawStore(settings)
    try:
        assert raw.query("SELECT COUNT(*) FROM qualizyklus_checkpoints") == [(0,)]
    finally:
        raw.close()


def test_a_checkpoint_goes_to_its_file_and_the_witness_folder_and_verifies_without_a_database(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = cli.key()
    monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_DIR", str(tmp_path / "witness"))
    made = cli("audit", "checkpoint", "--out", str(tmp_path / "cp.txt"))
    assert made.exit_code == 0, made.output
    size = made.output.split("checkpoint ", 1)[1].split(" ", 1)[0]
    witnessed = tmp_path / "witness" / f"checkpoint-{size}.txt"
    assert witnessed.read_text() == (tmp_path / "cp.txt").read_text()

    missing_store = tmp_path / "nowhere" / "none.db"
    monkeypatch.setenv("QUALIZYKLUS_DATABASE", f"sqlite:///{missing_store}")
    monkeypatch.delenv("QUALIZYKLUS_CHECKPOINT_KEY_FILE")
    checked = cli("audit", "verify-checkpoint", str(witnessed), "--public-key", line)
    assert checked.exit_code == 0, checked.output
    assert f"OK: qualizyklus, {size} " in checked.output
    assert not missing_store.parent.exists()

    tampered = tmp_path / "tampered.txt"
    tampered.write_text(witnessed.read_text().replace(f"\n{size}\n", f"\n{int(size) + 1}\n"))
    refused = cli("audit", "verify-checkpoint", str(tampered), "--public-key", line)
    assert refused.exit_code != 0
    assert "UNGÜLTIG / INVALID" in refused.output


def test_audit_verify_checks_recorded_checkpoints_and_a_file_and_names_a_truncated_cycle(
    cli: Cli, tmp_path: Path, settings: Settings
) -> None:
    line = cli.key()
    assert cli("audit", "checkpoint", "--out", str(tmp_path / "cp.txt")).exit_code == 0
    passed = cli("audit", "verify")
    assert passed.exit_code == 0, passed.output
    assert "store extends 1 checkpoints" in passed.output

    raw = RawStore(settings)
    try:
        organisation_id = organisation_id_for("beispielstadt")
        last = raw.rows(organisation_id)[-1][0]
        raw.delete(organisation_id, last)
    finally:
        raw.close()
    by_file = cli("audit", "verify", "--checkpoint", str(tmp_path / "cp.txt"), "--public-key", line)
    recorded = cli("audit", "verify")
    for result in (by_file, recorded):
        assert result.exit_code == 1
        assert f"aggregate {organisation_id} version {last}: missing" in result.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_private_key_is_nowhere_in_the_database_file(
    cli: Cli, tmp_path: Path, database_url: str
) -> None:
    cli.key()
    assert cli("audit", "checkpoint").exit_code == 0
    pem = (tmp_path / "key.pem").read_text()
    body = "".join(pem.splitlines()[1:-1])
    raw_key = base64.b64decode(body)[-32:]
    stored = Path(database_url.removeprefix("sqlite:///")).read_bytes()
    assert body.encode() not in stored
    assert raw_key not in stored
    assert base64.b64encode(raw_key) not in stored


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_checkpoint_is_mailed_to_the_witnesses_and_the_attachment_verifies(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mail_server: MailServer
) -> None:
    line = cli.key()
    for name, value in mail_server.environ().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_MAIL_TO", "lako@land.example, archiv@kreis.example")
    assert cli("audit", "checkpoint").exit_code == 0

    (message,) = mail_server.received
    assert "lako@land.example" in message["To"] and "archiv@kreis.example" in message["To"]
    (attachment,) = list(message.iter_attachments())
    note = tmp_path / str(attachment.get_filename())
    note.write_bytes(attachment.get_payload(decode=True))
    checked = cli("audit", "verify-checkpoint", str(note), "--public-key", line)
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_an_unreachable_mail_witness_is_reported_but_the_checkpoint_is_kept(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    cli.key()
    for name, value in MailServer().environ().items():  # a port nothing listens on
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("QUALIZYKLUS_CHECKPOINT_MAIL_TO", "lako@land.example")
    result = cli("audit", "checkpoint")
    assert result.exit_code == 2
    assert "witness missed: mail to lako@land.example" in result.output
    raw = RawStore(settings)
    try:
        assert raw.query("SELECT COUNT(*) FROM qualizyklus_checkpoints") == [(1,)]
    finally:
        raw.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_witness_checks_that_a_new_checkpoint_extends_its_old_one_without_a_database(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = cli.key()
    old, new, proof = tmp_path / "old.txt", tmp_path / "new.txt", tmp_path / "proof.json"
    assert cli("audit", "checkpoint", "--out", str(old)).exit_code == 0
    demo_more = cli("demo", "--scale", "1", "--cycles", "1", "--seed", "7")
    assert demo_more.exit_code == 0, demo_more.output
    assert cli("audit", "checkpoint", "--out", str(new)).exit_code == 0
    made = cli("audit", "prove-consistency", str(old), str(new), "--out", str(proof))
    assert made.exit_code == 0, made.output

    monkeypatch.setenv("QUALIZYKLUS_DATABASE", f"sqlite:///{tmp_path}/nowhere/none.db")
    monkeypatch.delenv("QUALIZYKLUS_CHECKPOINT_KEY_FILE")
    args = ["audit", "verify-checkpoint", str(new), "--public-key", line, "--previous", str(old)]
    checked = cli(*args, "--proof", str(proof))
    assert checked.exit_code == 0, checked.output
    assert "extends" in checked.output

    swapped = cli("audit", "verify-checkpoint", str(old), "--public-key", line, "--previous",
                  str(new), "--proof", str(proof))  # fmt: skip
    assert swapped.exit_code != 0
    assert "UNGÜLTIG / INVALID" in swapped.output
