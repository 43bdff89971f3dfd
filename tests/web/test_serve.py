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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from engine.demo.calendar import DemoCalendar
from engine.demo.networks import DEMO_PASSWORD

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


@contextmanager
def serving(env: dict[str, str], cwd: Path) -> Iterator[str]:
    """`qualizyklus serve` with two workers on a free port; its base URL until the block ends."""
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [CLI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(f"{base}/healthz")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def signed_in_browser(base: str, email: str) -> tuple[urllib.request.OpenerDirector, str]:
    """A cookie-keeping client signed in through the form (with its CSRF token), and the page
    the sign-in led to."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = browser.open(f"{base}/login").read().decode()
    assert '<html lang="de">' in form
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login", data=data, headers={"Referer": f"{base}/login"}
    )
    return browser, browser.open(request).read().decode()  # follows the redirects


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_serve_lets_a_demo_coordinator_sign_in_with_two_workers(
    database_url: str, tmp_path: Path
) -> None:
    assert CLI is not None, "the qualizyklus console script is installed with the package"
    env = {**os.environ, "QUALIZYKLUS_DATABASE": database_url, "QUALIZYKLUS_SECURE_COOKIES": "0"}
    for command in ("init", "demo"):
        subprocess.run([CLI, command], env=env, check=True, capture_output=True)
    with serving(env, tmp_path) as base:
        _, page = signed_in_browser(base, "a.becker@musterland.example")
        demo = DemoCalendar(date.today())  # the command dates the demo around today
        assert f"Qualitätszyklus {demo.closed_year} – Landkreis Musterland" in page
        assert f"Qualitätszyklus {demo.running_label} – Landkreis Musterland" in page


def _multipart(
    fields: dict[str, str], name: str, filename: str, content: bytes
) -> tuple[bytes, str]:
    boundary = "qualizyklus-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_an_uploaded_pdf_downloads_from_a_server_started_as_make_run_starts_it(
    tmp_path: Path,
) -> None:
    """Relative default paths (var/…), the working directory a fresh folder, gunicorn serving:
    the evidence file comes back byte for byte (a relative attachments folder once answered 500
    because Flask took it from the package's folder when sending)."""
    from tests.web.test_comments_and_attachments import small_pdf

    assert CLI is not None
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("QUALIZYKLUS_")  # the defaults, as with `make run`
    }
    env["QUALIZYKLUS_SECURE_COOKIES"] = "0"
    for command in ("init", "demo"):
        subprocess.run([CLI, command], env=env, cwd=tmp_path, check=True, capture_output=True)
    with serving(env, tmp_path) as base:
        browser, home = signed_in_browser(base, "a.becker@musterland.example")
        cycle_path = re.search(r'href="(/o/lk-musterland/cycles/[0-9a-f-]{36}/)"', home).group(1)
        overview = browser.open(base + cycle_path).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', overview).group(1)
        pdf = small_pdf()
        body, content_type = _multipart(
            {"csrf_token": token, "upload-subject": "cycle"}, "upload-file", "Beschluss.pdf", pdf
        )
        upload = urllib.request.Request(
            f"{base}{cycle_path}attachments",
            data=body,
            headers={"Content-Type": content_type, "Referer": base + cycle_path},
        )
        page = browser.open(upload).read().decode()  # follows the redirect to the overview
        link = re.search(rf'href="({re.escape(cycle_path)}attachments/[^"/]+)"', page).group(1)
        with browser.open(base + link) as download:
            assert download.status == 200
            assert download.headers["Content-Type"] == "application/pdf"
            assert download.read() == pdf
        assert list((tmp_path / "var" / "attachments").rglob("*.pdf")) == []  # stored by hash
        assert len([p for p in (tmp_path / "var" / "attachments").rglob("*") if p.is_file()]) == 1
