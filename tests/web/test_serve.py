"""`qualizyklus serve` runs gunicorn on the initialised store and lists the demo cycles."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CLI = shutil.which("qualizyklus", path=str(Path(sys.executable).parent))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_lists_the_demo_cycles_with_two_workers(database_url: str, tmp_path: Path) -> None:
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    env = {**os.environ, "QUALIZYKLUS_DATABASE": database_url}
    for command in ("init", "demo"):
        subprocess.run([CLI, command], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page = _get(f"http://127.0.0.1:{port}/")
        assert '<html lang="de">' in page
        assert "Qualitätszyklus 2024 – Landkreis Musterland" in page
        assert "Qualitätszyklus 2025/26 – Stadt Beispielstadt" in page
        assert _get(f"http://127.0.0.1:{port}/healthz") == '{"status":"ok"}\n'
    finally:
        server.terminate()
        server.wait(timeout=20)
