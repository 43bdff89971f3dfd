"""`qualizyklus serve` runs gunicorn on the initialised store; a demo coordinator signs in."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from engine.demo import DEMO_PASSWORD

CLI = shutil.which("qualizyklus", path=str(Path(sys.executable).parent))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_lets_a_demo_coordinator_sign_in_with_two_workers(
    database_url: str, tmp_path: Path
) -> None:
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    env = {**os.environ, "QUALIZYKLUS_DATABASE": database_url, "QUALIZYKLUS_SECURE_COOKIES": "0"}
    for command in ("init", "demo"):
        subprocess.run([CLI, command], env=env, check=True, capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"{base}/healthz")
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        form = browser.open(f"{base}/login").read().decode()
        assert '<html lang="de">' in form
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"csrf_token": token, "email": "a.becker@musterland.example", "password": DEMO_PASSWORD}
        ).encode()
        request = urllib.request.Request(
            f"{base}/login", data=data, headers={"Referer": f"{base}/login"}
        )
        page = browser.open(request).read().decode()  # follows the redirects
        assert "Qualitätszyklus 2024 – Landkreis Musterland" in page
        assert "Qualitätszyklus 2025/26 – Landkreis Musterland" in page
    finally:
        server.terminate()
        server.wait(timeout=20)
