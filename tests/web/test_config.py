"""Configuration: every worker on a host signs sessions with the same key."""

from __future__ import annotations

import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from engine.infrastructure.settings import SettingsError
from web.config import config_from_environ, resolve_paths, shared_secret


def test_the_secret_key_is_created_once_and_shared(tmp_path: Path) -> None:
    path = tmp_path / "var" / "secret_key"
    first, second = shared_secret(path), shared_secret(path)
    assert first == second and len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_explicit_secret_key_wins_and_cookies_are_secure_by_default(tmp_path: Path) -> None:
    config = config_from_environ(
        {
            "QUALIZYKLUS_SECRET_KEY": "from-the-environment",
            "QUALIZYKLUS_SECRET_KEY_FILE": str(tmp_path / "unused"),
        }
    )
    assert config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "unused").exists()
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    insecure = config_from_environ(
        {"QUALIZYKLUS_SECURE_COOKIES": "0", "QUALIZYKLUS_SECRET_KEY": "x"}
    )
    assert insecure["SESSION_COOKIE_SECURE"] is False


def test_relative_paths_are_taken_from_the_working_directory_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = config_from_environ({"QUALIZYKLUS_SECURE_COOKIES": "0"})
    assert config["QUALIZYKLUS_ATTACHMENTS"] == tmp_path / "var" / "attachments"
    assert (tmp_path / "var" / "secret_key").is_file()  # the key file, from here too
    overridden = {"QUALIZYKLUS_ATTACHMENTS": "files"}
    resolve_paths(overridden)
    assert overridden["QUALIZYKLUS_ATTACHMENTS"] == tmp_path / "files"


def test_session_limits_come_from_the_environment_and_bad_values_are_refused() -> None:
    default = config_from_environ({"QUALIZYKLUS_SECRET_KEY": "x"})
    assert default["QUALIZYKLUS_SESSION_POLICY"].idle == timedelta(minutes=60)
    assert default["QUALIZYKLUS_SESSION_POLICY"].max_age == timedelta(hours=8)
    assert default["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    short = config_from_environ(
        {
            "QUALIZYKLUS_SECRET_KEY": "x",
            "QUALIZYKLUS_SESSION_IDLE_MINUTES": "15",
            "QUALIZYKLUS_SESSION_MAX_HOURS": "2.5",
        }
    )
    assert short["QUALIZYKLUS_SESSION_POLICY"].idle == timedelta(minutes=15)
    assert short["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=2, minutes=30)
    for name, value in (
        ("QUALIZYKLUS_SESSION_IDLE_MINUTES", "0"),
        ("QUALIZYKLUS_SESSION_MAX_HOURS", "acht"),
    ):
        with pytest.raises(SettingsError, match=name):
            config_from_environ({"QUALIZYKLUS_SECRET_KEY": "x", name: value})


def test_a_worker_reading_the_key_file_while_it_is_written_waits_for_the_key(
    tmp_path: Path,
) -> None:
    path = tmp_path / "secret_key"
    path.touch()  # created by the first worker, not yet written
    writer = threading.Timer(0.1, lambda: path.write_text("k" * 64, encoding="ascii"))
    writer.start()
    try:
        assert shared_secret(path) == "k" * 64
    finally:
        writer.join()
